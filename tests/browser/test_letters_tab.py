"""Issue 16 part 4 in a real browser: the Letters tab — choose a template and a party, preview, send, then the
download link of the letter as sent; axe-core finds no violation on the tab or the preview."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.documents.models import Letter, LetterTemplate
from tests.browser.conftest import assert_no_axe_violations
from tests.browser.test_case_pages import sign_in
from tests.documents.helpers import LetterCase, letter_case_fixture, private_dir_fixture

__all__ = ["letter_case_fixture", "private_dir_fixture"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_preview_send_and_download_a_warning_letter(page: Page, lc: LetterCase) -> None:
    device = TOTPDevice.objects.create(user=lc.officer, name="Authenticator app", confirmed=True)
    sign_in(page, lc.officer, device)
    page.goto(f"/staff/cases/{lc.case.reference}/letters/")
    expect(page.get_by_role("heading", name="Letters", exact=True)).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_label("Letter", exact=True).select_option(label="Warning letter (to the alleged perpetrator)")
    page.get_by_label("To", exact=True).select_option(label="Mr Gary Stone (alleged perpetrator)")
    page.get_by_role("button", name="Preview the letter").click()
    expect(page.locator("#letter-preview")).to_contain_text("Loud music and shouting from the flat until 3am.")
    expect(page.locator("#letter-preview")).to_contain_text("16 Linden Road")
    assert not Letter.objects.exists()
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Send the letter").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Warning letter to Mr Gary Stone sent")
    letter = Letter.objects.get()
    link = page.get_by_role("link", name="Download Warning letter to Mr Gary Stone")
    expect(link).to_have_attribute("href", f"/staff/cases/{lc.case.reference}/letters/{letter.pk}/download/")
    assert_no_axe_violations(page)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".pdf")


def test_an_administrator_sees_a_refusal_and_the_preview(page: Page, make_staff: Callable[..., User]) -> None:
    admin = make_staff(Role.ADMIN)
    device = TOTPDevice.objects.create(user=admin, name="Authenticator app", confirmed=True)
    sign_in(page, admin, device)
    template = LetterTemplate.objects.get(key="invitation-to-interview")
    page.goto(f"/staff/documents/templates/{template.pk}/")
    expect(page.locator("#template-preview")).to_contain_text("Dear Mr Example")
    assert_no_axe_violations(page)
    page.get_by_label("Text").fill("Dear {{ reporter.name }}, {% now 'Y' %}")
    page.get_by_role("button", name="Save and preview").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Remove template tags")
    expect(summary).to_contain_text("cannot be used in a letter to an alleged perpetrator")
    assert_no_axe_violations(page)
