"""Nothing the resident tells us is lost between the report and the case (issue 14, "Done when"): a resident reports
on a phone in a real browser, giving their safe times, the ways it is safe to contact them, their language and
format and who did it; an officer triages it into a case and finds all of it on the case — the reporter's contact
needs in the banner and on the Parties tab, the alleged perpetrator as a party — and the reporter's words marked as
theirs. axe-core finds no violation on any page; the strict CSP holds."""

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
from saferhomes.cases.models import Case, PartyRole
from saferhomes.intake.models import Report
from tests.browser.conftest import assert_no_axe_violations
from tests.browser.test_case_pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = ViewportSize(width=375, height=667)


def _continue(page: Page) -> None:
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Continue", exact=True).click()


def _report_as_a_resident(page: Page) -> str:
    """The public form, every page, with the details that must reach the case; returns the report's reference."""
    page.set_viewport_size(PHONE)
    page.goto("/report/")
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("No", exact=True).check()
    _continue(page)
    page.get_by_label("Noise").check()
    _continue(page)
    page.get_by_label("Tell us what happened").fill("Drilling and shouting from number 12 every night.")
    _continue(page)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    page.get_by_label("Day", exact=True).fill(str(yesterday.day))
    page.get_by_label("Month", exact=True).fill(str(yesterday.month))
    page.get_by_label("Year", exact=True).fill(str(yesterday.year))
    page.get_by_label("Every day or nearly every day").check()
    _continue(page)
    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("Address (building and street)").fill("14 Example Street")
    page.get_by_label("Postcode", exact=True).fill("EX1 1AA")
    _continue(page)
    page.get_by_label("Yes, I know who it was").check()
    page.get_by_label("Tell us about them (optional)").fill("Mr Brook at number 12\nTall, drives a grey van")
    _continue(page)
    page.get_by_label("None of these").check()
    _continue(page)
    _continue(page)  # no files
    page.get_by_label("It happened to me").check()
    page.get_by_label("No, I will give my name").check()
    _continue(page)
    page.get_by_label("First name").fill("Ada")
    page.get_by_label("Last name").fill("Hale")
    page.get_by_label("Email address (optional)").fill("ada@example.org")
    page.get_by_label("Phone number (optional)").fill("07700 900123")
    _continue(page)
    page.get_by_label("Email").check()
    page.get_by_label("Text message").check()
    page.get_by_label("When is it safe to contact you? (optional)").fill("Weekdays 10am to 2pm")
    _continue(page)
    page.get_by_label("Which language would you like us to use? (optional)").fill("Polish")
    page.get_by_label("Large print").check()
    _continue(page)
    page.get_by_label("Yes", exact=True).check()
    _continue(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending your report")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report sent")
    return page.locator("#reference").inner_text()


def test_what_the_resident_told_us_reaches_the_case(page: Page, make_staff: Callable[..., User]) -> None:
    reference = _report_as_a_resident(page)
    officer = make_staff(Role.OFFICER)
    device = TOTPDevice.objects.create(user=officer, name="Authenticator app", confirmed=True)
    page.context.clear_cookies()
    page.set_viewport_size(ViewportSize(width=1280, height=900))
    sign_in(page, officer, device)

    page.goto(f"/staff/reports/{reference}/")
    expect(page.locator("main")).to_contain_text("Polish")  # the staff report page shows the language
    expect(page.get_by_role("heading", name="Triage", exact=True)).to_be_visible()  # the form is on the report
    perpetrator = page.get_by_label("Their name, or how staff will know them")
    expect(perpetrator).to_have_value("Mr Brook at number 12")  # the report's first line, offered
    assert_no_axe_violations(page)
    page.get_by_label("Open a new case").check()
    page.get_by_label("Normal", exact=True).check()
    page.get_by_label("Add the alleged perpetrator the report describes to the case").check()
    page.get_by_role("button", name="Save triage").click()
    expect(page).to_have_url(re.compile(r"/staff/reports/RPT-\d{4}-\d{6}/triaged/(#triage)?$"))

    case = Case.objects.get()
    assert Report.objects.get(reference=reference).case == case
    page.goto(f"/staff/cases/{case.reference}/")
    banner = page.locator(".govuk-notification-banner")
    expect(banner).to_contain_text("Safe times: Weekdays 10am to 2pm")
    expect(banner).to_contain_text("Contact only by: Email, Text message")
    expect(banner).to_contain_text("Preferred language: Polish")
    expect(banner).to_contain_text("Letters in: Large print")
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Parties").click()
    main = page.locator("main")
    expect(main).to_contain_text("Mr Brook at number 12")
    expect(main).to_contain_text("Tall, drives a grey van")  # the reporter's words, on the party's notes
    assert_no_axe_violations(page)
    roles = dict(case.parties.values_list("role", "last_name"))
    assert roles[PartyRole.ALLEGED_PERPETRATOR] == "Mr Brook at number 12"
    reporter = case.parties.get(role=PartyRole.REPORTER)
    assert (reporter.safe_times, reporter.contact_methods) == ("Weekdays 10am to 2pm", ["email", "text"])
    assert (reporter.preferred_language, reporter.preferred_format) == ("Polish", "large_print")

    page.goto(f"/staff/cases/{case.reference}/incidents/")
    expect(page.locator("main")).to_contain_text("From the reporter")  # told by the reporter, not the officer
