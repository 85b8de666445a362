"""Insights in a real browser (issue 18 parts 3-5): the public "action we've taken" with JavaScript on and off, and
every staff page of hotspots, publication, registers and equality monitoring as a manager, with and without errors.
axe-core finds no WCAG 2.2 AA violation on any of them and the strict CSP holds (page fixture): the charts are
images beside their tables, the map is SVG with a title and description."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, Route, expect

from saferhomes.accounts.models import TrainingRecord, User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Incident, PartyRole
from saferhomes.insights.models import ActionTakenSnapshot, Initiative, PolicyReview
from saferhomes.insights.publication import previous_quarter_start
from tests.browser.conftest import assert_no_axe_violations, screenshot
from tests.browser.test_case_pages import sign_in
from tests.cases.factories import CaseFactory, PartyFactory
from tests.housing.factories import AreaFactory, EstateFactory, PersonFactory, PropertyFactory
from tests.referrals.factories import AgencyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL | re.IGNORECASE)


def _published(manager: User) -> None:
    ActionTakenSnapshot.objects.create(
        quarter_start=previous_quarter_start(timezone.localdate()),
        figures={
            "areas": [
                {"area": "Northfield", "counts": {"warnings": 12, "mediations": 3, "case_reviews": 1}},
                {"area": "Southbank", "counts": {"warnings": 3, "possession": 2, "mediations": 4}},
            ]
        },
        threshold=5,
        approved_by=manager,
    )
    initiative = Initiative.objects.create(
        kind="publicity",
        title="Report it, we act",
        starts_on=timezone.localdate() - dt.timedelta(days=10),
        created_by=manager,
        reach=400,
    )
    initiative.partners.set([AgencyFactory.create(name="Hartwick Council ASB Team")])


def test_public_page_with_javascript(page: Page, make_staff: Callable[..., User]) -> None:
    _published(make_staff(Role.MANAGER))
    page.goto("/action-taken/")
    expect(page.get_by_role("heading", name="Action we've taken", level=1)).to_be_visible()
    expect(page.get_by_role("cell", name="fewer than 5").first).to_be_visible()
    expect(page.get_by_text("Report it, we act")).to_be_visible()
    assert_no_axe_violations(page)
    screenshot(page, "action-taken-public", full_page=True)


def test_public_page_without_javascript(
    page_without_javascript: Page, page: Page, make_staff: Callable[..., User]
) -> None:
    _published(make_staff(Role.MANAGER))
    page_without_javascript.goto("/action-taken/")
    expect(page_without_javascript.get_by_role("cell", name="12", exact=True)).to_be_visible()
    expect(page_without_javascript.get_by_role("cell", name="withheld").first).to_be_visible()

    # axe needs JavaScript: check the page as it is served to a browser without it (every script taken out).
    def without_scripts(route: Route) -> None:
        response = route.fetch()
        route.fulfill(response=response, body=SCRIPT.sub("", response.text()))

    page.route("**/action-taken/", without_scripts)
    page.goto("/action-taken/")
    assert page.evaluate("() => document.scripts.length") == 0
    assert_no_axe_violations(page)


def _hotspot_data() -> None:
    area = AreaFactory.create(name="Northfield")
    oak = EstateFactory.create(name="Oak Court", area=area, latitude=Decimal("53.80100"), longitude=Decimal("-1.55000"))
    elm = EstateFactory.create(name="Elm Rise", area=area, latitude=Decimal("53.79000"), longitude=Decimal("-1.52000"))
    home = PropertyFactory.create(estate=oak)
    victim = PersonFactory.create(first_name="Rhian", last_name="Price")
    for n, estate in enumerate([oak, oak, oak, elm]):
        case = CaseFactory.create(estate=estate, received_at=timezone.now() - dt.timedelta(days=20 + 30 * n))
        Incident.objects.create(case=case, occurred_at=case.received_at, property=home, description="Noise")
        PartyFactory.create(case=case, role=PartyRole.VICTIM, person=victim)


def test_every_staff_insights_page_as_a_manager(page: Page, make_staff: Callable[..., User]) -> None:
    manager = make_staff(Role.MANAGER, first_name="Mina", last_name="Shah")
    device = TOTPDevice.objects.create(user=manager, name="Authenticator app", confirmed=True)
    _hotspot_data()
    _published(manager)
    TrainingRecord.objects.create(
        user=manager, course="domestic_abuse", completed_on=dt.date(2026, 1, 5), expires_on=None, recorded_by=manager
    )
    review = PolicyReview.objects.create(
        kind="annual", due_on=timezone.localdate() + dt.timedelta(days=10), created_by=manager
    )
    reporter = PartyFactory.create(role=PartyRole.REPORTER, first_name="Tomasz", last_name="Nowak")
    sign_in(page, manager, device)

    page.get_by_role("link", name="Hotspots and trends").first.click()
    expect(page.get_by_role("heading", name="Hotspots and trends")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Bar chart: Cases by estate"))).to_be_visible()
    expect(page.get_by_role("img", name="Map of estates by number of cases")).to_be_visible()
    assert_no_axe_violations(page)
    screenshot(page, "insights-hotspots", full_page=True)
    page.get_by_text("Change the period or case type").click()
    page.locator("[name=start_0]").fill("31")
    page.locator("[name=start_1]").fill("2")
    page.locator("[name=start_2]").fill("2026")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("must be a real date")
    assert_no_axe_violations(page)

    page.goto("/staff/insights/hotspots/repeats/")
    expect(page.get_by_role("row", name=re.compile("Rhian Price"))).to_be_visible()
    assert_no_axe_violations(page)

    page.goto("/staff/insights/action-taken/")
    expect(page.get_by_text("Approved for publication by")).to_be_visible()
    assert_no_axe_violations(page)

    page.goto("/staff/insights/initiatives/")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Add an initiative or campaign").click()
    page.get_by_label("Prevention initiative").check()
    page.get_by_label("What it is").fill("Estate walkabout")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter start date")
    expect(page.get_by_label("What it is")).to_have_value("Estate walkabout")
    assert_no_axe_violations(page)

    for url in ("/staff/insights/training/", "/staff/insights/training/new/", "/staff/insights/policy-reviews/"):
        page.goto(url)
        assert_no_axe_violations(page)
    page.goto("/staff/insights/policy-reviews/new/")
    assert_no_axe_violations(page)
    page.goto(f"/staff/insights/policy-reviews/{review.pk}/")
    page.get_by_role("button", name="Record approval").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_no_axe_violations(page)

    page.goto("/staff/insights/equality/")
    expect(page.get_by_role("heading", name="Equality monitoring", level=1)).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Case reference").fill(reporter.case.reference)
    page.get_by_role("button", name="Find the case").click()
    expect(page.get_by_role("link", name=re.compile("Tomasz Nowak"))).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name=re.compile("Tomasz Nowak")).click()
    page.get_by_role("group", name="Religion or belief").get_by_label("Prefer not to say").check()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Equality monitoring answers saved")).to_be_visible()
