"""A member of staff signs in with a password and an authenticator code; every step is accessible."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from tests.browser.conftest import assert_no_axe_violations, screenshot
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def current_code(device: TOTPDevice) -> str:
    """The code the member of staff's authenticator app shows now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def coordinator(make_staff: Callable[..., User]) -> tuple[User, TOTPDevice]:
    """A coordinator (tests.factories.UserFactory, password TEST_PASSWORD) with a confirmed authenticator app."""
    user = make_staff(Role.COORDINATOR, username="coordinator_cara", first_name="Cara", last_name="Whitfield")
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return user, device


def test_sign_in_page_has_no_axe_violations(page: Page) -> None:
    page.goto("/staff/sign-in/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert_no_axe_violations(page)
    screenshot(page, "staff-sign-in")


def test_wrong_password_shows_an_accessible_error_summary(page: Page, coordinator: tuple[User, TOTPDevice]) -> None:
    page.goto("/staff/sign-in/")
    page.locator("[name=username]").fill("coordinator_cara")
    page.locator("[name=password]").fill("not the password")
    page.get_by_role("button", name="Sign in").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator("[name=username]")).to_have_value("coordinator_cara")
    assert_no_axe_violations(page)


def test_staff_member_signs_in_with_a_second_factor(page: Page, coordinator: tuple[User, TOTPDevice]) -> None:
    _user, device = coordinator

    page.goto("/staff/")
    expect(page).to_have_url(re.compile(r"/staff/sign-in/"))
    page.locator("[name=username]").fill("coordinator_cara")
    page.locator("[name=password]").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(re.compile(r"/staff/two-factor/"))
    assert_no_axe_violations(page)
    page.locator("[name=otp_token]").fill(current_code(device))
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_url(re.compile(r"/staff/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert_no_axe_violations(page)
    # htmx is there for the staff pages, and it has added no <style> element (the CSP would refuse one).
    assert page.evaluate("() => typeof window.htmx") == "object"
    assert page.evaluate("() => document.querySelectorAll('style').length") == 0
    screenshot(page, "staff-home")

    page.get_by_role("button", name="Sign out").click()
    page.goto("/staff/")
    expect(page).to_have_url(re.compile(r"/staff/sign-in/"))
