"""Issue 15 item 2 in a real browser: an officer opens a hate-crime case's Partnership tab, makes a police referral
(first refused for want of a crime reference, keeping what was typed), sees it listed with the time to refer, and
records the police's acknowledgement; then offers support and records a refusal. axe-core finds no violation on any
page and the strict CSP holds (page fixture); the tab fits a phone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, ViewportSize, expect

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import CaseType, PartyRole
from saferhomes.referrals.models import Referral, SupportOffer, SupportStatus
from tests.browser.conftest import assert_no_axe_violations, screenshot
from tests.browser.test_case_pages import sign_in
from tests.cases.factories import PartyFactory
from tests.referrals.referral_helpers import police_agency, prompt_shown, working_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = ViewportSize(width=390, height=844)


def test_an_officer_refers_a_hate_crime_to_the_police_and_records_the_acknowledgement(
    page: Page, make_staff: Callable[..., User]
) -> None:
    officer = make_staff(Role.OFFICER)
    device = TOTPDevice.objects.create(user=officer, name="Authenticator app", confirmed=True)
    case = working_case(
        officer,
        case_type=CaseType.HATE,
        summary="Racist graffiti on the front door",
        received_at=timezone.now() - dt.timedelta(hours=5),
    )
    PartyFactory.create(case=case, role=PartyRole.VICTIM, first_name="Dee", last_name="Example")
    police = police_agency()
    with time_machine.travel(timezone.now() - dt.timedelta(hours=2)):
        prompt_shown(officer, case)  # the police prompt at triage: the clock starts here
    sign_in(page, officer, device)

    page.goto(f"/staff/cases/{case.reference}/partnership/")
    expect(page.get_by_role("heading", name="Referrals")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Make a referral").click()
    expect(page.get_by_role("heading", name="Make a referral")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_label("Agency").select_option(str(police.pk))
    page.get_by_label("Police (crime or incident report)").check()
    page.get_by_label("Why are you referring the case?").fill("Racist graffiti and threats: a hate crime")
    page.get_by_label("What information did you share?").fill("The victim's name and phone number; the incidents")
    page.get_by_label("Public task").check()
    page.get_by_label("They agreed to the referral").check()
    page.get_by_role("button", name="Make the referral").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the crime or incident reference number the police gave you")
    expect(page.get_by_label("Why are you referring the case?")).to_have_value(
        "Racist graffiti and threats: a hate crime"
    )
    assert not Referral.objects.exists()
    assert_no_axe_violations(page)
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Crime or incident reference number")).to_be_focused()
    page.get_by_label("Crime or incident reference number").fill("13/123456/26")
    page.get_by_role("button", name="Make the referral").click()

    expect(page.locator(".govuk-notification-banner")).to_contain_text("Referral to Example Police")
    card = page.locator(f"#referral-{Referral.objects.get().pk}")
    expect(card).to_contain_text("13/123456/26")
    expect(card.locator("[data-time-to-refer]")).to_contain_text("after the prompt at triage")
    expect(card.locator("[data-time-to-refer]")).to_contain_text("working hour")
    expect(card.locator(".govuk-tag")).to_have_text(["Sent"])
    assert_no_axe_violations(page)
    screenshot(page, "partnership-referrals", full_page=True)

    card.get_by_role("link", name="Record acknowledgement").click()
    expect(page.get_by_role("heading", name="Record the acknowledgement")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Record the acknowledgement").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Acknowledgement from Example Police")
    expect(page.locator(f"#referral-{Referral.objects.get().pk} .govuk-tag")).to_have_text(["Acknowledged"])
    assert Referral.objects.get().acknowledged_at is not None

    page.set_viewport_size(PHONE)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert_no_axe_violations(page)


def test_an_officer_offers_support_and_records_a_refusal(page: Page, make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER)
    device = TOTPDevice.objects.create(user=officer, name="Authenticator app", confirmed=True)
    case = working_case(officer, received_at=timezone.now() - dt.timedelta(days=3))
    PartyFactory.create(case=case, role=PartyRole.ALLEGED_PERPETRATOR, first_name="Sam", last_name="Example")
    sign_in(page, officer, device)
    page.goto(f"/staff/cases/{case.reference}/partnership/")
    page.get_by_role("link", name="Offer support").click()
    assert_no_axe_violations(page)
    page.get_by_label("Sam Example (alleged perpetrator)").check()
    page.get_by_label("What support was offered?").select_option("drug_alcohol")
    page.get_by_role("button", name="Record the offer").click()
    expect(page.locator("#support")).to_contain_text("Waiting for an answer")
    assert_no_axe_violations(page)

    page.locator("#support").get_by_role("link", name="Record their answer").click()
    page.get_by_label("They declined it").check()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Record their answer").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why they declined the support")
    assert_no_axe_violations(page)
    page.get_by_label("Why did they decline?").fill("Not ready to talk to anyone yet")
    page.get_by_role("button", name="Record their answer").click()
    expect(page.locator("#support")).to_contain_text("Not ready to talk to anyone yet")
    offer = SupportOffer.objects.get()
    assert offer.status == SupportStatus.DECLINED
    assert offer.offer_again_on == timezone.localdate() + dt.timedelta(days=28)
