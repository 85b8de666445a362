"""The public pages in a real browser: accessible, usable without JavaScript, with a working exit button."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import NEUTRAL_SITE, PageProblems, assert_no_axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = ["/", "/accessibility/", "/privacy/"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_has_no_axe_violations(page: Page, path: str) -> None:
    response = page.goto(path)

    assert response is not None
    assert response.status == 200
    expect(page.locator("h1")).to_have_count(1)
    assert_no_axe_violations(page)


def test_home_page(page: Page) -> None:
    page.goto("/")

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Report anti-social behaviour, hate crime or domestic abuse"
    )
    expect(page.get_by_text("If you are in immediate danger, call 999.")).to_be_visible()
    screenshot(page, "public-home")


def test_govuk_frontend_javascript_starts_under_the_csp(page: Page) -> None:
    page.goto("/")

    expect(page.locator("body")).to_have_class(re.compile(r"\bgovuk-frontend-supported\b"))
    # initAll() marks each component it starts; the exit button is the one that matters most here.
    expect(page.locator("[data-module='govuk-exit-this-page']")).to_have_attribute("data-govuk-exit-this-page-init", "")


def test_missing_page_is_an_accessible_404(page: Page) -> None:
    response = page.goto("/no-such-page/")

    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_no_axe_violations(page)


def test_home_page_works_without_javascript(page_without_javascript: Page) -> None:
    page = page_without_javascript
    page.goto("/")

    expect(page.get_by_text("If you are in immediate danger, call 999.")).to_be_visible()
    expect(page.locator("body")).not_to_have_class(re.compile(r"\bjs-enabled\b"))
    exit_button = page.get_by_role("button", name="Emergency Exit this page")
    expect(exit_button).to_have_attribute("href", NEUTRAL_SITE)
    exit_button.click()
    page.wait_for_url(NEUTRAL_SITE)


def test_exit_this_page_leaves_for_a_neutral_site(page: Page) -> None:
    page.goto("/")

    page.get_by_role("button", name="Emergency Exit this page").click()

    page.wait_for_url(NEUTRAL_SITE)


def test_pressing_shift_three_times_leaves_the_site(page: Page) -> None:
    page.goto("/")
    page.locator("h1").click()

    for _ in range(3):
        page.keyboard.press("Shift")

    page.wait_for_url(NEUTRAL_SITE)


def test_axe_check_reports_a_violation(page: Page) -> None:
    page.goto("/")
    page.evaluate("() => document.querySelector('main').append(document.createElement('button'))")

    with pytest.raises(pytest.fail.Exception, match="button-name"):
        assert_no_axe_violations(page)


def test_csp_blocks_an_inline_script_without_the_nonce(page: Page, page_problems: PageProblems) -> None:
    page.goto("/")

    page.evaluate(
        """() => {
            const script = document.createElement('script');
            script.textContent = 'window.injected = true';
            document.body.append(script);
        }"""
    )

    assert page.evaluate("() => window.injected") is None
    assert any("Content Security Policy" in message for message in page_problems.messages)
    page_problems.messages.clear()
