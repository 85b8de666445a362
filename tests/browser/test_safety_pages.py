"""Issue 14 items 5 and 12 in a real browser: the contact form warns against a way the person asked us never to use
and needs a reason to record it; the dashboard is a summary that fits a phone. axe-core finds no violation and the
strict CSP holds (page fixture)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, ViewportSize, expect

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import ActionItem, Contact, PartyRole, Status
from tests.browser.conftest import assert_no_axe_violations
from tests.browser.test_case_pages import sign_in
from tests.cases.factories import CaseFactory, PartyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = ViewportSize(width=390, height=844)


def _fits(page: Page) -> None:
    """Nothing on the page is wider than the phone: no sideways scrolling."""
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_call_against_do_not_phone_is_warned_and_needs_a_reason(page: Page, make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER)
    device = TOTPDevice.objects.create(user=officer, name="Authenticator app", confirmed=True)
    case = CaseFactory.create(assigned_officer=officer, team=officer.team, status=Status.OPEN)
    PartyFactory.create(
        case=case,
        role=PartyRole.REPORTER,
        first_name="Dee",
        last_name="Example",
        contact_avoid=["phone"],
        safe_contact_notes="He checks her phone",
    )
    sign_in(page, officer, device)
    page.set_viewport_size(PHONE)
    page.goto(f"/staff/cases/{case.reference}/contacts/new/")
    expect(page.locator("#before-you-contact .govuk-warning-text")).to_contain_text(
        "Never contact Dee Example by phone"
    )
    _fits(page)
    assert_no_axe_violations(page)

    page.get_by_label("Dee Example").check()
    page.get_by_label("How was the contact made?").select_option("phone")
    moment = timezone.localtime() - dt.timedelta(hours=1)
    for index, part in enumerate((moment.day, moment.month, moment.year)):
        page.locator(f"#id_occurred_on_{index}").fill(str(part))
    page.locator("#id_occurred_time").fill(moment.strftime("%H:%M"))
    page.get_by_label("Summary").fill("Rang to arrange a visit.")
    page.get_by_role("button", name="Save contact").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Dee Example asked us never to contact them by phone")
    expect(page.get_by_label("Summary")).to_have_value("Rang to arrange a visit.")  # nothing typed is lost
    assert not Contact.objects.exists()
    _fits(page)
    assert_no_axe_violations(page)

    summary.get_by_role("link").first.click()  # the error summary takes the keyboard to the reason
    expect(page.locator("#id_override_reason")).to_be_focused()
    page.locator("#id_override_reason").fill("She rang from a friend's phone and asked us to call back now.")
    page.get_by_role("button", name="Save contact").click()
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    assert Contact.objects.get().override_reason == "She rang from a friend's phone and asked us to call back now."


@pytest.mark.parametrize("role", [Role.OFFICER, Role.MANAGER])
def test_the_dashboard_is_a_summary_that_fits_a_phone(page: Page, make_staff: Callable[..., User], role: str) -> None:
    user = make_staff(role)
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    for hours in (3, 30, 300):
        case = CaseFactory.create(
            assigned_officer=user,
            team=user.team,
            status=Status.OPEN,
            summary="A very long summary that would widen a table " * 3,
            response_due_at=timezone.now() - dt.timedelta(hours=hours),
        )
        ActionItem.objects.create(case=case, description="Visit", due_date=timezone.localdate() - dt.timedelta(days=2))
    sign_in(page, user, device)
    page.set_viewport_size(PHONE)
    page.goto("/staff/cases/")
    expect(page.locator('[data-count="overdue"]')).to_have_text("3 cases with the first response overdue")
    expect(page.locator("table")).to_have_count(0)
    _fits(page)
    assert_no_axe_violations(page)
    height = page.evaluate("() => document.documentElement.scrollHeight")
    assert height < 3000, height  # was 5,336 px on a desktop before it became a summary

    page.locator('[data-count="tasks_overdue"]').click()
    expect(page.get_by_text("of 3 cases")).to_be_visible()
