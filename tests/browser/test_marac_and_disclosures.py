"""Issue 15 items 3 and 5 in a real browser: a DA specialist opens a DA case's Partnership tab, produces the MARAC
referral form (after an error that keeps what was typed) and downloads the PDF; the DPO then finds the disclosure in
the disclosure log and reads the agreements register. axe-core finds no violation on any page and the strict CSP holds
(page fixture); the form page fits a phone."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, ViewportSize, expect
from pytest_django.fixtures import Settings

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.referrals.models import Disclosure, MaracForm
from tests.browser.conftest import assert_no_axe_violations, screenshot
from tests.browser.test_case_pages import sign_in
from tests.referrals.agreement_helpers import agreement
from tests.referrals.marac_helpers import marac_agency, marac_example

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = ViewportSize(width=390, height=844)
DESKTOP = ViewportSize(width=1024, height=768)


def _fits(page: Page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_da_specialist_produces_the_marac_form_and_the_dpo_sees_the_disclosure(
    page: Page, make_staff: Callable[..., User], settings: Settings, tmp_path: Path
) -> None:
    settings.VAR_DIR = tmp_path
    specialist = make_staff(Role.DA_SPECIALIST, first_name="Dev", last_name="Sharma")
    specialist_device = TOTPDevice.objects.create(user=specialist, name="Authenticator app", confirmed=True)
    dpo = make_staff(Role.DPO, first_name="Daniel", last_name="Hughes")
    dpo_device = TOTPDevice.objects.create(user=dpo, name="Authenticator app", confirmed=True)
    marac = marac_agency(secure_email="marac.referrals@secure.example.org")
    agreement(created_by=dpo, name="Exampleton MARAC information-sharing protocol", agencies=[marac])
    example = marac_example(specialist)
    reference = example.case.reference

    sign_in(page, specialist, specialist_device)
    page.goto(f"/staff/cases/{reference}/partnership/")
    section = page.locator("#marac-referral")
    expect(section).to_contain_text("Outstanding")
    assert_no_axe_violations(page)

    section.get_by_role("link", name="Produce the MARAC referral form").click()
    expect(page.get_by_role("heading", name="MARAC referral form")).to_be_visible()
    expect(page.locator("#marac-facts")).to_contain_text("Amira Example")
    page.set_viewport_size(PHONE)
    _fits(page)
    assert_no_axe_violations(page)
    page.set_viewport_size(DESKTOP)

    page.get_by_label("What the victim wants").fill("To stay in her home with the children.")
    page.get_by_role("button", name="Produce the form").click()  # no safety actions, no reason without consent
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the immediate safety actions taken or planned")
    expect(summary).to_contain_text("Enter why the referral is made without the victim's consent")
    expect(page.get_by_label("What the victim wants")).to_have_value("To stay in her home with the children.")
    assert_no_axe_violations(page)
    assert not MaracForm.objects.exists()

    page.get_by_label("Immediate safety actions").fill("Locks changed; sanctuary scheme referral; police told.")
    page.get_by_label("Why is the referral made without the victim's consent?").fill(
        "Asking would put her at risk: he reads her messages."
    )
    page.get_by_label("Information-sharing agreement (optional)").select_option(
        label="Exampleton MARAC information-sharing protocol"
    )
    page.get_by_role("button", name="Produce the form").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "MARAC referral form produced. Download it and send it to Exampleton MARAC coordinator"
    )
    download_link = page.locator("#marac-referral").get_by_role("link", name="Download the MARAC referral form")
    expect(download_link).to_be_visible()
    expect(page.locator("#disclosures")).to_contain_text("MARAC referral form")
    assert_no_axe_violations(page)
    screenshot(page, "marac-referral-produced", full_page=True)
    with page.expect_download() as downloaded:
        download_link.click()
    assert Path(downloaded.value.path()).read_bytes().startswith(b"%PDF")
    assert Disclosure.objects.get().agreement is not None

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, dpo, dpo_device)
    page.get_by_role("link", name="Disclosure log").first.click()
    log = page.locator("table.govuk-table")
    expect(log).to_contain_text(reference)
    expect(log).to_contain_text("MARAC referral form")
    expect(log).to_contain_text("Exampleton MARAC coordinator")
    expect(log).to_contain_text(specialist.username)
    assert_no_axe_violations(page)
    screenshot(page, "disclosure-log", full_page=True)

    page.locator("#id_date_from_0").fill("31")
    page.locator("#id_date_from_1").fill("2")
    page.locator("#id_date_from_2").fill("2026")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Date from must be a real date")
    assert_no_axe_violations(page)

    page.goto("/staff/partnership/agreements/")
    expect(page.locator("table.govuk-table")).to_contain_text("Exampleton MARAC information-sharing protocol")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Add an agreement").click()
    page.get_by_role("button", name="Add the agreement").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the agreement's name")
    assert_no_axe_violations(page)
