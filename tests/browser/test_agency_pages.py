"""The agency directory in a real browser (issue 15 item 1), as the administrator: the list with a search and a kind
filter, an agency's page saying plainly whether it may have domestic abuse information, and adding an agency with a
mistake, then put right. axe-core finds no WCAG 2.2 AA violation on any page and the strict CSP holds (page fixture);
the list and an agency's page fit a phone."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, ViewportSize, expect

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.referrals.models import Agency, AgencyKind
from tests.browser.conftest import assert_no_axe_violations, screenshot
from tests.browser.test_case_pages import sign_in
from tests.referrals.factories import AgencyFactory, partner_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = ViewportSize(width=390, height=844)


def _fits(page: Page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_administrator_searches_reads_and_adds_an_agency(page: Page, make_staff: Callable[..., User]) -> None:
    admin = make_staff(Role.ADMIN, first_name="Ada", last_name="Lovell")
    device = TOTPDevice.objects.create(user=admin, name="Authenticator app", confirmed=True)
    idva = AgencyFactory.create(
        code="HW-IDVA",
        name="Hartwick IDVA Service",
        kind=AgencyKind.IDVA,
        handles_da=True,
        phone="01632 960 105",
        how_to_refer="Secure email with the victim's consent.",
    )
    AgencyFactory.create(code="HW-NPT", name="Exampleshire Police: Hartwick NPT", kind=AgencyKind.POLICE)
    AgencyFactory.create(code="HW-ASB", name="Hartwick Council ASB Team", kind=AgencyKind.COUNCIL)
    partner_user(idva, first_name="Ida", last_name="Novak", username="partner_ida")
    sign_in(page, admin, device)

    page.get_by_role("link", name="Agencies", exact=True).first.click()
    expect(page.get_by_role("heading", name="Agencies", exact=True)).to_be_visible()
    page.get_by_label("Name or code").fill("hartwick")
    page.get_by_label("Kind of agency").select_option("idva")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="Hartwick IDVA Service")).to_be_visible()
    expect(page.get_by_role("link", name="Hartwick Council ASB Team")).to_have_count(0)
    assert_no_axe_violations(page)
    screenshot(page, "agency-directory", full_page=True)

    page.get_by_role("link", name="Hartwick IDVA Service").click()
    expect(page.get_by_test_id("da-entitlement")).to_contain_text("Entitled to domestic abuse information.")
    expect(page.get_by_text("Ida Novak")).to_be_visible()
    assert_no_axe_violations(page)
    page.set_viewport_size(PHONE)
    _fits(page)
    page.goto("/staff/partnership/agencies/")
    _fits(page)
    page.set_viewport_size(ViewportSize(width=1024, height=768))

    page.goto("/staff/partnership/agencies/")
    page.get_by_role("link", name="Add an agency").click()
    assert_no_axe_violations(page)
    page.get_by_label("Code").fill("hw-idva")
    page.get_by_label("Name", exact=True).fill("Hartwick Community Mediation")
    page.get_by_label("Mediation", exact=True).check()
    page.get_by_label("Email address", exact=True).fill("mediation.example.org")
    page.get_by_role("group", name="Is the agency entitled to domestic abuse information?").get_by_label("No").check()
    page.get_by_role("button", name="Add agency").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter an email address in the correct format")
    expect(page.get_by_label("Name", exact=True)).to_have_value("Hartwick Community Mediation")
    assert_no_axe_violations(page)

    page.get_by_label("Email address", exact=True).fill("mediation@example.org")
    page.get_by_role("button", name="Add agency").click()
    expect(summary).to_contain_text("Another agency already has the code hw-idva")
    assert_no_axe_violations(page)
    page.get_by_label("Code").fill("HW-MEDIATION")
    page.get_by_role("button", name="Add agency").click()

    expect(page.get_by_role("heading", name="Hartwick Community Mediation")).to_be_visible()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is in the directory")
    expect(page.get_by_test_id("da-entitlement")).to_contain_text("Not entitled to domestic abuse information.")
    assert_no_axe_violations(page)
    assert Agency.objects.get(code="HW-MEDIATION").email == "mediation@example.org"
