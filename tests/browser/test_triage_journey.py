"""Staff intake and triage in a real browser (issue 6 parts 3 and 5): take a phone report, finding the reporter in the
housing register as you type (htmx) — and, with JavaScript off, with the Find button — then triage it into a new case
that keeps the report's deadline. axe-core finds no WCAG 2.2 AA violation on any page (it runs with JavaScript on);
the strict CSP holds.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Case, Status
from saferhomes.intake.models import Channel, Report, ReportStatus
from tests.browser.conftest import assert_no_axe_violations
from tests.browser.test_case_journey import sign_in
from tests.housing.factories import PersonFactory, PropertyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def officer(make_staff: Callable[..., User]) -> tuple[User, TOTPDevice]:
    user = make_staff(Role.OFFICER, first_name="Olivia", last_name="Bennett")
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return user, device


def _fill_report(page: Page) -> None:
    page.get_by_label("Phone", exact=True).check()
    page.get_by_label("Noise", exact=True).check()
    page.get_by_label("What happened", exact=True).fill("Loud music from the flat above until 3am, most nights.")
    page.get_by_label("Where did it happen?").fill("Bramble Court, block B")


def _triage_into_a_new_case(page: Page, *, axe: bool = True) -> None:
    page.get_by_role("link", name="Triage now").click()
    expect(page.get_by_role("heading", name="Triage")).to_be_visible()
    if axe:
        assert_no_axe_violations(page)
    page.get_by_label("Open a new case").check()
    page.get_by_label("Normal", exact=True).check()
    page.get_by_role("button", name="Save triage").click()
    expect(page).to_have_url(re.compile(r"/staff/reports/RPT-\d{4}-\d{6}/triaged/(#triage)?$"))
    if axe:
        assert_no_axe_violations(page)


def test_take_a_phone_report_with_the_htmx_register_search_and_triage_it(
    page: Page, officer: tuple[User, TOTPDevice]
) -> None:
    user, device = officer
    person = PersonFactory.create(first_name="Marguerite", last_name="Oyelaran")
    home = PropertyFactory.create(address_line_1="7 Larkspur Walk")
    sign_in(page, user.username, device)
    page.goto("/staff/reports/")
    expect(page.get_by_role("heading", name="Reports to triage")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Take a report").click()
    assert_no_axe_violations(page)
    _fill_report(page)
    page.get_by_label("Find the reporter or the home in the housing register").press_sequentially("Oyel")
    match = page.get_by_label(re.compile(f"Marguerite Oyelaran \\({person.reference}\\)"))
    expect(match).to_be_visible()  # swapped in by htmx, no page load
    assert_no_axe_violations(page)
    match.check()
    search = page.get_by_label("Find the reporter or the home in the housing register")
    search.fill("")
    search.press_sequentially("Larkspur")
    home_match = page.get_by_label(re.compile(f"7 Larkspur Walk.*\\({home.reference}\\)"))
    expect(home_match).to_be_visible()
    home_match.check()
    page.get_by_role("button", name="Save report").click()
    expect(page.get_by_role("heading", name="Report saved")).to_be_visible()
    assert_no_axe_violations(page)
    report = Report.objects.get()
    assert (report.channel, report.home) == (Channel.PHONE, home)
    _triage_into_a_new_case(page)
    report.refresh_from_db()
    case = Case.objects.get()
    assert report.status == ReportStatus.CASE_OPENED
    assert case.status == Status.TRIAGED
    assert (case.received_at, case.response_due_at) == (report.received_at, report.response_due_at)
    expect(page.get_by_role("link", name=case.reference)).to_be_visible()


def test_take_a_report_without_javascript_using_find(
    page_without_javascript: Page, officer: tuple[User, TOTPDevice]
) -> None:
    page = page_without_javascript
    user, device = officer
    person = PersonFactory.create(first_name="Tobias", last_name="Quennell")
    sign_in(page, user.username, device)
    page.goto("/staff/reports/new/")
    _fill_report(page)
    page.get_by_label("Find the reporter or the home in the housing register").fill("Quennell")
    page.get_by_role("button", name="Find").click()
    match = page.get_by_label(re.compile(f"Tobias Quennell \\({person.reference}\\)"))
    expect(match).to_be_visible()
    expect(page.get_by_label("Where did it happen?")).to_have_value("Bramble Court, block B")  # answers kept
    match.check()
    page.get_by_role("button", name="Save report").click()
    expect(page.get_by_role("heading", name="Report saved")).to_be_visible()
    assert Report.objects.get().person == person
    _triage_into_a_new_case(page, axe=False)  # axe needs JavaScript: the same pages are checked with it on
    assert Case.objects.get().parties.get().person == person


def test_errors_in_the_report_form_are_summarised_accessibly(page: Page, officer: tuple[User, TOTPDevice]) -> None:
    user, device = officer
    sign_in(page, user.username, device)
    page.goto("/staff/reports/new/")
    page.get_by_role("button", name="Save report").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select how the report reached us")
    assert_no_axe_violations(page)
