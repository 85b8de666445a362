"""Issue 16 in a real browser: an ASB case's journey from a warning letter to a civil injunction on the Interventions
tab (propose, the error summary for formal action without reasons, a manager's approval, start, milestones); axe-core
finds no violation on any page and the tab fits a phone."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, ViewportSize, expect

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.interventions.models import Intervention, InterventionStatus, Milestone
from saferhomes.interventions.services.interventions import (
    intervention_approve,
    intervention_propose,
    intervention_request_approval,
)
from tests.browser.conftest import assert_no_axe_violations
from tests.browser.test_case_pages import sign_in
from tests.interventions.helpers import REASONS, open_case, perpetrator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = ViewportSize(width=390, height=844)


def _fill_date(page: Page, name: str, day: dt.date) -> None:
    for index, part in enumerate((day.day, day.month, day.year)):
        page.locator(f"#id_{name}_{index}").fill(str(part))


def test_from_a_warning_letter_to_an_injunction(page: Page, make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER)
    manager = make_staff(Role.MANAGER, team=officer.team)
    device = TOTPDevice.objects.create(user=officer, name="Authenticator app", confirmed=True)
    case = open_case(officer)
    party = perpetrator(case)
    today = timezone.localdate()
    sign_in(page, officer, device)

    page.goto(f"/staff/cases/{case.reference}/interventions/")
    expect(page.get_by_text("No interventions yet.")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Propose an intervention").click()
    page.get_by_label("Intervention").select_option("warning_letter")
    page.get_by_label("Who it is against").select_option(str(party.pk))
    _fill_date(page, "started_on", today)
    page.get_by_role("button", name="Propose").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Intervention proposed")
    page.get_by_role("link", name=re.compile(r"Record a milestone\W+Warning letter")).click()
    page.get_by_label("Milestone").select_option("sent")
    _fill_date(page, "occurred_on", today)
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_text("Letter sent")).to_be_visible()

    # Formal action without its reasons: the error summary, nothing lost.
    page.get_by_role("link", name="Propose an intervention").click()
    page.get_by_label("Intervention").select_option("civil_injunction")
    page.get_by_label("Who it is against").select_option(str(party.pk))
    page.get_by_role("button", name="Propose").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("necessary and proportionate")
    expect(page.get_by_label("Intervention")).to_have_value("civil_injunction")
    assert_no_axe_violations(page)
    page.get_by_label("Why it is necessary and proportionate").fill(REASONS)
    page.get_by_role("button", name="Propose").click()
    page.get_by_role("link", name=re.compile(r"Put forward for approval\W+Civil injunction")).click()
    page.get_by_role("button", name="Put forward").click()
    expect(page.get_by_text("Awaiting approval")).to_be_visible()

    injunction = Intervention.objects.get(kind="civil_injunction")
    intervention_approve(actor=manager, intervention=injunction)
    page.reload()
    page.get_by_role("link", name=re.compile(r"Start\W+Civil injunction")).click()
    _fill_date(page, "started_on", today)
    page.get_by_role("button", name="Start").click()
    page.get_by_role("link", name=re.compile(r"Record a milestone\W+Civil injunction")).click()
    page.get_by_label("Milestone").select_option("application")
    _fill_date(page, "occurred_on", today)
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_text("Application made")).to_be_visible()
    injunction.refresh_from_db()
    assert injunction.status == InterventionStatus.ACTIVE
    assert Milestone.objects.filter(intervention=injunction, key="application").exists()

    page.set_viewport_size(PHONE)
    page.reload()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert_no_axe_violations(page)


def test_a_manager_finds_formal_action_to_approve_from_the_dashboard(
    page: Page, make_staff: Callable[..., User]
) -> None:
    officer = make_staff(Role.OFFICER)
    manager = make_staff(Role.MANAGER, team=officer.team)
    device = TOTPDevice.objects.create(user=manager, name="Authenticator app", confirmed=True)
    case = open_case(officer)
    party = perpetrator(case)
    proposed = intervention_propose(
        actor=officer, case=case, kind="civil_injunction", party=party, proportionality=REASONS
    )
    intervention_request_approval(actor=officer, intervention=proposed)
    sign_in(page, manager, device)

    page.goto("/staff/cases/")
    page.get_by_role("link", name=re.compile(r"1 intervention\W+awaiting approval")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Formal action awaiting approval")
    expect(page.locator("table")).to_contain_text("Civil injunction")
    assert_no_axe_violations(page)
    page.get_by_role("link", name=case.reference).click()
    page.get_by_role("link", name=re.compile(r"Approve\W+Civil injunction")).click()
    page.get_by_role("button", name="Approve").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Approved")
    page.goto("/staff/interventions/due/?show=approval")
    expect(page.get_by_text("There are none.")).to_be_visible()
    page.goto("/staff/interventions/due/?show=soon")
    assert_no_axe_violations(page)
