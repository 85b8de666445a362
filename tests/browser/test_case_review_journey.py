"""Issue 17 in a real browser: a resident applies for an ASB Case Review for a neighbour on a phone-sized screen, with
JavaScript on and off — the error summary when their consent is not confirmed, the confirmation with the reference,
the decision deadline in words and the private status link, and the status page; then staff see the application with
the threshold engine's findings and record the decision. axe-core finds no violation on any page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, ViewportSize, expect

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.case_review.models import Application, ApplicationStatus
from tests.browser.conftest import assert_no_axe_violations
from tests.browser.test_case_pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = ViewportSize(width=375, height=667)


def apply_for_a_neighbour(page: Page, *, axe: bool) -> str:
    """Fill in the form as a resident would; returns the status link shown on the confirmation page."""
    page.set_viewport_size(PHONE)
    page.goto("/case-review/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Apply for an ASB Case Review")
    if axe:
        assert_no_axe_violations(page)
    page.get_by_label("Someone else, with their consent").check()
    page.get_by_label("First name", exact=True).fill("Ada")
    page.get_by_label("Last name", exact=True).fill("Hale")
    page.get_by_label("Email address", exact=True).fill("ada@example.org")
    page.get_by_label("Email", exact=True).check()
    page.get_by_label("Their first name").fill("Sam")
    page.get_by_label("Their last name").fill("Lee")
    page.get_by_label("What has been happening, and why are you asking for a review?").fill(
        "Music until 3am every night since March; reported four times."
    )
    page.get_by_role("button", name="Send application").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("You can only apply for someone else if they have")
    expect(page.get_by_label("Their first name")).to_have_value("Sam")
    if axe:
        assert_no_axe_violations(page)
    page.get_by_label("They have agreed to me applying for a Case Review for them").check()
    page.get_by_role("button", name="Send application").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Application sent")
    expect(page.locator("#deadline")).to_contain_text("the end of")
    if axe:
        assert_no_axe_violations(page)
    link = page.locator("#status-link").get_attribute("href")
    assert link
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your ASB Case Review application")
    expect(page.locator("#status")).to_have_text("Awaiting threshold decision")
    if axe:
        assert_no_axe_violations(page)
    return link


def test_apply_on_a_phone_with_javascript(page: Page) -> None:
    apply_for_a_neighbour(page, axe=True)
    application = Application.objects.get()
    assert (application.on_behalf, application.victim_consent, application.victim_first_name) == (True, True, "Sam")


def test_apply_on_a_phone_without_javascript(page_without_javascript: Page) -> None:
    apply_for_a_neighbour(page_without_javascript, axe=False)
    assert Application.objects.get().channel == "web"


def test_staff_see_the_findings_and_record_the_decision(page: Page, make_staff: Callable[..., User]) -> None:
    apply_for_a_neighbour(page, axe=False)
    coordinator: User = make_staff(Role.COORDINATOR)
    device = TOTPDevice.objects.create(user=coordinator, name="Authenticator app", confirmed=True)
    sign_in(page, coordinator, device)
    page.set_viewport_size(ViewportSize(width=1280, height=900))
    page.goto("/staff/case-reviews/")
    assert_no_axe_violations(page)
    reference = Application.objects.get().reference
    page.get_by_role("link", name=reference).click()
    expect(page.locator("#rule")).to_contain_text("Three complaints about the same problem")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select whether the threshold is met")
    assert_no_axe_violations(page)
    page.get_by_label("No: the threshold is not met").check()
    page.get_by_label("Reasons for the decision").fill("No complaints to us in the six months before you applied.")
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator("#status")).to_have_text("Threshold not met")
    assert_no_axe_violations(page)
    assert Application.objects.get().status == ApplicationStatus.THRESHOLD_NOT_MET
    page.goto(f"/staff/case-reviews/{reference}/complaints/new/")
    assert_no_axe_violations(page)
    page.goto("/staff/case-reviews/new/")
    assert_no_axe_violations(page)
