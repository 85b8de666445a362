"""The case core pages in a real browser: dashboard, list, new case, overview, parties, triage, assign, link and
break glass, with and without errors. axe-core finds no WCAG 2.2 AA violation and the strict CSP holds (page fixture).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Case, CaseType, PartyRole, Sensitivity
from tests.browser.conftest import assert_no_axe_violations
from tests.browser.test_staff_sign_in import current_code
from tests.cases.factories import CaseFactory, PartyFactory
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def coordinator(make_staff: Callable[..., User]) -> tuple[User, TOTPDevice]:
    user = make_staff(Role.COORDINATOR, first_name="Cara", last_name="Jones")
    return user, TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def sign_in(page: Page, user: User, device: TOTPDevice) -> None:
    page.goto("/staff/sign-in/")
    page.locator("[name=username]").fill(user.username)
    page.locator("[name=password]").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.locator("[name=otp_token]").fill(current_code(device))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/staff/$"))


def test_case_core_pages_pass_axe_with_and_without_errors(page: Page, coordinator: tuple[User, TOTPDevice]) -> None:
    user, device = coordinator
    case: Case = CaseFactory.create(
        summary="Shouting and threats on the landing",
        assigned_officer=user,
        team=user.team,
        response_due_at=timezone.now() - dt.timedelta(hours=3),
    )
    PartyFactory.create(case=case, role=PartyRole.REPORTER, vulnerabilities="Hearing impaired", first_name="Ann")
    received = timezone.localdate(case.received_at)
    PartyFactory.create(
        case=case,
        role=PartyRole.ALLEGED_PERPETRATOR,
        first_name="Sam",
        last_name="Young",
        date_of_birth=received.replace(year=received.year - 15),
    )
    CaseFactory.create(case_type=CaseType.HATE, hate_strands=["race"], summary="Graffiti", team=user.team)
    sign_in(page, user, device)

    page.get_by_role("link", name="Cases", exact=True).first.click()
    expect(page.locator('[data-count="overdue"]')).to_have_text("1 case with the first response overdue")
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Find a case").click()
    page.get_by_label("Reference, name, address or postcode").fill("Young")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("link", name=case.reference)).to_be_visible()
    assert_no_axe_violations(page)
    page.goto("/staff/cases/all/?priority=nope&received_from_0=31")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_no_axe_violations(page)

    page.goto(f"/staff/cases/{case.reference}/")
    expect(page.get_by_role("heading", name=case.reference)).to_be_visible()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Hearing impaired")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Parties").click()
    expect(page.get_by_text("youth offending team").first).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Add a person").click()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_no_axe_violations(page)

    page.goto(f"/staff/cases/{case.reference}/triage/")
    assert_no_axe_violations(page)
    page.locator("#id_urgent_1").check()  # yes: a change of urgency needs a reason
    page.get_by_role("button", name="Save triage").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why you are changing the urgency")
    assert_no_axe_violations(page)
    page.get_by_label("Why are you changing the urgency?").fill("Threats of violence")
    page.get_by_label("High").check()
    page.locator("#id_criminal_1").check()
    page.get_by_role("button", name="Save triage").click()
    expect(page.get_by_text("refer it to the police").first).to_be_visible()
    assert_no_axe_violations(page)

    page.goto(f"/staff/cases/{case.reference}/assign/")
    page.get_by_role("button", name="Assign case").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_no_axe_violations(page)

    page.goto(f"/staff/cases/{case.reference}/links/new/")
    page.get_by_label("Reference of the other case").fill("ASB-2026-999999")
    page.get_by_label("Same location").check()
    page.get_by_role("button", name="Link cases").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("No case you can see has the reference")
    assert_no_axe_violations(page)

    page.goto("/staff/cases/new/")
    page.get_by_role("button", name="Create case").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_no_axe_violations(page)


def test_break_glass_page_passes_axe(page: Page, make_staff: Callable[..., User]) -> None:
    manager = make_staff(Role.MANAGER)
    device = TOTPDevice.objects.create(user=manager, name="Authenticator app", confirmed=True)
    restricted = CaseFactory.create(sensitivity=Sensitivity.RESTRICTED)
    sign_in(page, manager, device)
    page.goto("/staff/cases/break-glass/")
    page.get_by_label("Case reference").fill(restricted.reference)
    page.get_by_role("button", name="Open the case").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Why do you need to open this case?").fill("Police asked about threats to the reporter")
    page.get_by_role("button", name="Open the case").click()
    expect(page.get_by_role("heading", name=restricted.reference)).to_be_visible()
    assert_no_axe_violations(page)
