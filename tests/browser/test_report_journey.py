"""A resident reports on a phone-sized screen in a real browser, with JavaScript off and on (issue 6, "Done when"):
every page of the form has no axe-core WCAG 2.2 AA violation, the report ends on the confirmation page with a
reference and a private status link, and the status link opens the status page where they add a diary entry."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright._impl._api_structures import ViewportSize
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings

from saferhomes.intake.models import DiaryEntry, Report
from tests.browser.conftest import assert_no_axe_violations, screenshot
from tests.cases.record_helpers import SAMPLES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE: ViewportSize = {"width": 375, "height": 667}


@pytest.fixture(autouse=True)
def _private_files(settings: Settings, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path


def _continue(page: Page, *, axe: bool) -> None:
    if axe:
        assert_no_axe_violations(page)
    page.get_by_role("button", name="Continue", exact=True).click()


def report_through_the_form(page: Page, photo: Path, *, axe: bool) -> str:
    """Fill in every page as a resident would; returns the status link shown on the confirmation page."""
    page.set_viewport_size(PHONE)
    page.goto("/report/")
    if axe:
        assert_no_axe_violations(page)
    page.get_by_role("button", name="Start now").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Is anyone in immediate danger right now?")
    page.get_by_role("button", name="Continue", exact=True).click()  # nothing chosen: an error, linked to the field
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select yes if anyone is in immediate danger")
    _continue_after = page.get_by_label("No", exact=True)
    if axe:
        assert_no_axe_violations(page)
    _continue_after.check()
    _continue(page, axe=False)

    page.get_by_label("Noise").check()
    _continue(page, axe=axe)
    page.get_by_label("Tell us what happened").fill("Music until 3am every night — مرحبا 🙂")
    _continue(page, axe=axe)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    page.get_by_label("Day", exact=True).fill(str(yesterday.day))
    page.get_by_label("Month", exact=True).fill(str(yesterday.month))
    page.get_by_label("Year", exact=True).fill(str(yesterday.year))
    page.get_by_label("Time it happened").fill("23:30")
    page.get_by_label("Every day or nearly every day").check()
    _continue(page, axe=axe)
    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("Address (building and street)").fill("1 Example Street")
    page.get_by_label("Postcode", exact=True).fill("EX1 1AA")
    _continue(page, axe=axe)
    page.get_by_label("I'm not sure").check()
    _continue(page, axe=axe)
    page.get_by_label("None of these").check()
    _continue(page, axe=axe)

    page.set_input_files("#id_file", str(photo))
    page.get_by_role("button", name="Upload file").click()
    expect(page.locator(".govuk-summary-list")).to_contain_text("photo.jpg")
    _continue(page, axe=axe)

    page.get_by_label("It happened to me").check()
    page.get_by_label("No, I will give my name").check()
    _continue(page, axe=axe)
    page.get_by_label("First name").fill("Ada")
    page.get_by_label("Last name").fill("Hale")
    page.get_by_label("Email address (optional)").fill("ada@example.org")
    _continue(page, axe=axe)
    page.get_by_label("Email").check()
    _continue(page, axe=axe)
    _continue(page, axe=axe)  # accessibility: nothing needed
    page.get_by_label("Yes", exact=True).check()
    _continue(page, axe=axe)

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending your report")
    expect(page.locator("main")).to_contain_text("مرحبا 🙂")
    if axe:
        assert_no_axe_violations(page)
        screenshot(page, "report-check-answers")
    page.get_by_role("button", name="Send report").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Report sent")
    expect(page.locator("#reference")).to_have_text(Report.objects.get().reference)
    expect(page.locator("#deadline")).to_contain_text("We will contact you by")
    if axe:
        assert_no_axe_violations(page)
        screenshot(page, "report-confirmation")
    href = page.locator("#status-link").get_attribute("href")
    assert href
    return href


def add_a_diary_entry(page: Page, status_link: str, *, axe: bool) -> None:
    """Open the status link, add a diary entry, see it listed."""
    page.goto(status_link)
    expect(page.locator("#status")).to_contain_text("We have your report")
    if axe:
        assert_no_axe_violations(page)
    page.get_by_role("button", name="Add to your diary").click()
    today = timezone.localdate()
    page.get_by_label("Day", exact=True).fill(str(today.day))
    page.get_by_label("Month", exact=True).fill(str(today.month))
    page.get_by_label("Year", exact=True).fill(str(today.year))
    page.get_by_label("What happened").fill("Shouting on the stairs")
    if axe:
        assert_no_axe_violations(page)
    page.get_by_role("button", name="Add to your diary").click()
    expect(page.locator("#diary")).to_contain_text("Shouting on the stairs")
    if axe:
        assert_no_axe_violations(page)
    assert DiaryEntry.objects.get().description == "Shouting on the stairs"


def test_report_on_a_phone_with_javascript(page: Page, tmp_path: Path) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(SAMPLES["image/jpeg"][1])
    status_link = report_through_the_form(page, photo, axe=True)
    report = Report.objects.get()
    assert report.attachments.get().original_name == "photo.jpg"
    assert report.description == "Music until 3am every night — مرحبا 🙂"
    add_a_diary_entry(page, status_link, axe=True)


def test_report_on_a_phone_without_javascript(page_without_javascript: Page, tmp_path: Path) -> None:
    page = page_without_javascript
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(SAMPLES["image/jpeg"][1])
    status_link = report_through_the_form(page, photo, axe=False)
    assert Report.objects.get().home is None
    add_a_diary_entry(page, status_link, axe=False)


def test_danger_and_domestic_abuse_pages_are_accessible(page: Page) -> None:
    page.set_viewport_size(PHONE)
    page.goto("/report/safety/")
    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Call 999 now")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Continue with your report").click()
    expect(page.locator(".govuk-inset-text")).to_contain_text("Crimestoppers")
    page.get_by_label("Abuse by a partner, ex-partner or family member").check()
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Help if you are experiencing domestic abuse")
    assert_no_axe_violations(page)
    page.goto("/report/hate/")
    assert_no_axe_violations(page)
    page.goto("/report/status/not-a-real-link/")
    assert_no_axe_violations(page)
    page.goto("/report/new-link/")
    assert_no_axe_violations(page)
