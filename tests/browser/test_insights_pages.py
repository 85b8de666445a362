"""The performance pages in a real browser (issue 18 parts 1 and 2): the Performance area, the monthly report with its
charts and tables, and the Tenant Satisfaction Measures, each with axe-core reporting no WCAG 2.2 AA violation, with
and without an error, on a desktop and on a phone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, ViewportSize, expect

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import CaseType, HateStrand
from saferhomes.insights import rules
from tests.browser.conftest import assert_no_axe_violations, screenshot
from tests.browser.test_case_pages import sign_in
from tests.cases.factories import CaseFactory
from tests.housing.factories import PropertyFactory
from tests.insights.helpers import october_example

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [ViewportSize(width=1280, height=900), ViewportSize(width=390, height=844)])
def test_performance_pages_pass_axe_and_every_chart_has_its_table(
    page: Page, make_staff: Callable[..., User], viewport: ViewportSize
) -> None:
    coordinator = make_staff(Role.COORDINATOR)
    device = TOTPDevice.objects.create(user=coordinator, name="Authenticator app", confirmed=True)
    october_example()
    PropertyFactory.create_batch(20, is_owned=True)
    year = rules.tsm_year_of(timezone.localdate())
    CaseFactory.create(
        case_type=CaseType.HATE,
        hate_strands=[HateStrand.RACE],
        received_at=timezone.now() - dt.timedelta(hours=1),
    )
    page.set_viewport_size(viewport)
    sign_in(page, coordinator, device)

    expect(page.locator("a[href='/staff/insights/']").first).to_be_attached()  # in the staff menu
    page.goto("/staff/insights/")
    expect(page.get_by_role("heading", name="Performance", exact=True)).to_be_visible()
    assert_no_axe_violations(page)

    page.goto("/staff/insights/monthly/?month=2026-10")
    expect(page.get_by_role("heading", name="Monthly performance report: October 2026")).to_be_visible()
    charts = page.locator("main img[src^='data:image/svg+xml']")
    assert charts.count() >= 8
    for index in range(charts.count()):
        chart = charts.nth(index)
        assert "table below it" in (chart.get_attribute("alt") or "")
        # The table with the same figures follows the chart.
        assert chart.locator("xpath=following::table[1]").count() == 1
    assert_no_axe_violations(page)
    if viewport["width"] > 1000:
        screenshot(page, "monthly-report-page")

    page.get_by_label("Month").fill("2026-13")
    page.get_by_role("button", name="Show this month").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_no_axe_violations(page)

    page.goto(f"/staff/insights/tsm/?year={year}")
    expect(
        page.get_by_role("heading", name=f"Tenant Satisfaction Measures {rules.tsm_year_label(year)}")
    ).to_be_visible()
    assert int(page.locator("[data-measure=nm01_2] td").first.inner_text()) >= 1  # the race hate case
    assert_no_axe_violations(page)
    if viewport["width"] > 1000:
        screenshot(page, "tsm-page")

    page.get_by_label("Year starting 1 April").fill("twenty")
    page.get_by_role("button", name="Show this year").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_no_axe_violations(page)
