"""Issue 14 items 6 and 7 in a real browser: the domestic abuse path and the status page keep "domestic abuse" out
of the title (and so out of a shared device's history), and the quick-exit help offers the Shift shortcut only when
JavaScript runs; without it the button still leaves as a link. axe has nothing to say on any of these pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright._impl._api_structures import ViewportSize
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings

from saferhomes.intake.models import Channel
from saferhomes.intake.services.report import ReportDetails, report_submit
from saferhomes.intake.services.status import status_link_issue
from tests.browser.conftest import NEUTRAL_SITE, assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE: ViewportSize = {"width": 375, "height": 667}
SHIFT_HINT = "You can also press the Shift key 3 times."


@pytest.fixture(autouse=True)
def _private_files(settings: Settings, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path


def _to_domestic_abuse_help(page: Page) -> None:
    page.set_viewport_size(PHONE)
    page.goto("/report/safety/")
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Continue", exact=True).click()
    page.get_by_label("Abuse by a partner, ex-partner or family member").check()
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Help if you are experiencing domestic abuse")


def _assert_neutral_title(page: Page) -> None:
    assert "abuse" not in page.title().lower(), page.title()


def test_domestic_abuse_help_has_a_neutral_title_and_the_shift_hint_with_javascript(page: Page) -> None:
    page.goto("/")
    _assert_neutral_title(page)
    page.goto("/report/")
    _assert_neutral_title(page)
    _to_domestic_abuse_help(page)

    _assert_neutral_title(page)
    hint = page.locator("#exit-this-page-hint")
    expect(hint).to_contain_text("select “Exit this page” at the top of the page")
    expect(hint.get_by_text(SHIFT_HINT)).to_be_visible()
    expect(hint).to_contain_text("The names of our pages do not mention domestic abuse")
    assert_no_axe_violations(page)


def test_without_javascript_the_hint_names_only_the_button_and_the_button_works(
    page_without_javascript: Page,
) -> None:
    page = page_without_javascript
    _to_domestic_abuse_help(page)

    _assert_neutral_title(page)
    hint = page.locator("#exit-this-page-hint")
    expect(hint).to_contain_text("select “Exit this page” at the top of the page")
    expect(hint.get_by_text(SHIFT_HINT)).to_be_hidden()
    # (axe cannot run in a page without JavaScript; the same page is checked with JavaScript on above.)
    page.get_by_role("button", name="Emergency Exit this page").click()
    page.wait_for_url(NEUTRAL_SITE)


def test_status_page_of_a_domestic_abuse_report_has_a_neutral_title(page: Page) -> None:
    report = report_submit(
        details=ReportDetails(problem="domestic_abuse", description="He follows me", first_name="Ada"),
        channel=Channel.WEB,
    )
    token = status_link_issue(report=report)

    page.set_viewport_size(PHONE)
    page.goto(f"/report/status/{token}/")

    _assert_neutral_title(page)
    assert report.reference not in page.title()
    expect(page.locator("#exit-this-page-hint").get_by_text(SHIFT_HINT)).to_be_visible()
    assert_no_axe_violations(page)
