"""The team workload in a real browser (issue 14 item 20): the manager opens it from the dashboard, opens an officer,
ticks two cases, chooses an officer and a reason, and sees the banner; both pages pass axe-core (WCAG 2.2 AA) with
and without an error, and neither scrolls sideways on a phone 390 px wide."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, ViewportSize, expect

from saferhomes.accounts.models import User
from saferhomes.cases.models import Case, CaseType, Priority, Status
from tests.browser.conftest import assert_no_axe_violations
from tests.browser.test_case_pages import sign_in
from tests.cases.workload_helpers import Crew, case_held_by, da_case_held_by, make_crew

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = ViewportSize(width=390, height=844)


@pytest.fixture
def crew(make_staff: Callable[..., User]) -> Crew:
    return make_crew(make_staff)


def _caseload(crew: Crew) -> tuple[Case, Case, Case]:
    now = timezone.now()
    first = case_held_by(crew.olivia, summary="Loud music late at night", priority=Priority.HIGH)
    second = case_held_by(
        crew.olivia,
        summary="Graffiti on the garages",
        status=Status.NEW,
        response_due_at=now - dt.timedelta(hours=3),
    )
    case_held_by(crew.olivia, summary="Racist abuse on the stairs", case_type=CaseType.HATE, hate_strands=["race"])
    da = da_case_held_by(crew.dev, summary="Threats from an ex-partner", response_due_at=now + dt.timedelta(days=2))
    case_held_by(None, status=Status.NEW, summary="Fly-tipping by the bin store", team=crew.north)
    return first, second, da


def _fits_the_phone(page: Page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a {PHONE['width']}px phone"


def test_manager_reassigns_two_cases_from_the_workload(page: Page, crew: Crew) -> None:
    first, second, _da = _caseload(crew)
    device = TOTPDevice.objects.create(user=crew.maya, name="Authenticator app", confirmed=True)
    sign_in(page, crew.maya, device)

    page.get_by_role("link", name="Cases", exact=True).first.click()
    page.get_by_role("link", name="Team workload").click()
    expect(page.get_by_role("heading", name="Team workload", level=1)).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Olivia Bennett"))).to_contain_text("1 overdue")
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Olivia Bennett", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile("Cases held by Olivia Bennett"))).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label(re.compile(re.escape(first.reference))).check()
    page.get_by_label(re.compile(re.escape(second.reference))).check()
    page.get_by_label("Reassign to").select_option(label="Omar Haddad (North neighbourhood team)")
    page.get_by_role("button", name="Reassign cases").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why the cases are being reassigned")
    expect(page.get_by_label(re.compile(re.escape(first.reference)))).to_be_checked()
    assert_no_axe_violations(page)

    page.get_by_label("Why are the cases being reassigned?").fill("Olivia is on leave for two weeks")
    page.get_by_role("button", name="Reassign cases").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("2 cases reassigned to Omar Haddad")
    expect(page.get_by_label(re.compile(re.escape(first.reference)))).to_have_count(0)
    assert_no_axe_violations(page)
    assert set(Case.objects.filter(pk__in=[first.pk, second.pk]).values_list("assigned_officer_id", flat=True)) == {
        crew.omar.pk
    }


def test_a_da_case_to_an_officer_who_is_not_da_trained_is_refused_by_name(page: Page, crew: Crew) -> None:
    _first, _second, da = _caseload(crew)
    device = TOTPDevice.objects.create(user=crew.maya, name="Authenticator app", confirmed=True)
    sign_in(page, crew.maya, device)
    page.goto(f"/staff/cases/workload/{crew.dev.pk}/")
    page.get_by_label(re.compile(re.escape(da.reference))).check()
    page.get_by_label("Reassign to").select_option(label="Omar Haddad (North neighbourhood team)")
    page.get_by_label("Why are the cases being reassigned?").fill("Dev is away")
    page.get_by_role("button", name="Reassign cases").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(f"{da.reference} cannot be reassigned")
    expect(page.get_by_label(re.compile(re.escape(da.reference)))).to_be_checked()
    expect(page.get_by_label("Why are the cases being reassigned?")).to_have_value("Dev is away")
    assert_no_axe_violations(page)


def test_workload_pages_fit_a_phone_and_pass_axe(page: Page, crew: Crew) -> None:
    _caseload(crew)
    device = TOTPDevice.objects.create(user=crew.maya, name="Authenticator app", confirmed=True)
    page.set_viewport_size(PHONE)
    sign_in(page, crew.maya, device)
    for path in (
        "/staff/cases/workload/",
        f"/staff/cases/workload/{crew.olivia.pk}/",
        "/staff/cases/workload/unassigned/",
    ):
        page.goto(path)
        expect(page.locator("h1")).to_be_visible()
        _fits_the_phone(page)
        assert_no_axe_violations(page)
    page.goto(f"/staff/cases/workload/{crew.olivia.pk}/")
    page.get_by_role("button", name="Reassign cases").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    _fits_the_phone(page)
    assert_no_axe_violations(page)
