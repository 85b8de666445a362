"""Issue 17 parts 4, 5 and 7 in a real browser: a Case Review from the single point of contact to an appeal (the
panel meeting's error summary, recommendations, concluding, the outcome letter, an appeal refused for the review's
own chair then heard by the manager), and the public statistics page with JavaScript on and off. axe-core finds no
violation on any page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.case_review.models import Application, ApplicationStatus
from tests.browser.conftest import assert_no_axe_violations
from tests.browser.test_case_pages import sign_in
from tests.documents.helpers import private_dir_fixture
from tests.factories import ApplicationFactory
from tests.referrals.factories import AgencyFactory

__all__ = ["private_dir_fixture"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill_date(page: Page, name: str, day: dt.date) -> None:
    for index, part in enumerate((day.day, day.month, day.year)):
        page.locator(f"#id_{name}_{index}").fill(str(part))


def test_a_review_from_its_contact_to_an_appeal(
    page: Page, make_staff: Callable[..., User], private_dir: object
) -> None:
    cara = make_staff(Role.COORDINATOR, first_name="Cara", last_name="Coordinator")
    maya = make_staff(Role.MANAGER, first_name="Maya", last_name="Manager")
    device = TOTPDevice.objects.create(user=cara, name="Authenticator app", confirmed=True)
    police = AgencyFactory.create(code="police", name="Example Police Neighbourhood Team")
    application: Application = ApplicationFactory.create(met=True, first_name="Priya", last_name="Shah")
    today = timezone.localdate()
    sign_in(page, cara, device)

    page.goto(f"/staff/case-reviews/{application.reference}/review/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Review of {application.reference}")
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Change single point of contact").click()
    assert_no_axe_violations(page)
    page.get_by_label("Single point of contact").select_option(str(cara.pk))
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Single point of contact saved")

    page.get_by_role("link", name="Invite an agency").click()
    assert_no_axe_violations(page)
    page.get_by_label("Agency from the directory").select_option(str(police.pk))
    page.get_by_role("button", name="Invite").click()
    expect(page.locator("#agencies + ul")).to_contain_text("Example Police Neighbourhood Team")

    page.get_by_role("link", name="Record the panel meeting").click()
    page.get_by_label("Information the panel considered").fill("The police incident log and our case notes.")
    page.get_by_role("button", name="Save the meeting").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date the panel met")
    expect(page.get_by_label("Information the panel considered")).to_have_value(
        "The police incident log and our case notes."
    )
    assert_no_axe_violations(page)
    _fill_date(page, "held_on", today)
    page.get_by_label("Who chaired the panel").select_option(str(cara.pk))
    page.get_by_label("The applicant's own account").fill("The noise stops her sleeping; nobody came back to her.")
    page.get_by_label("The applicant spoke at the meeting").check()
    page.locator("#id_attendee_1_name").fill("PC Jones")
    page.locator("#id_attendee_1_agency").select_option(str(police.pk))
    page.locator("#id_attendee_1_role").fill("Beat manager")
    page.get_by_role("button", name="Save the meeting").click()
    expect(page.get_by_text("PC Jones, Beat manager, Example Police Neighbourhood Team")).to_be_visible()

    page.get_by_role("link", name="Add a recommendation").click()
    assert_no_axe_violations(page)
    page.get_by_label("What will be done").fill("Patrol the car park every evening for a month.")
    page.get_by_label("Agency responsible").select_option(str(police.pk))
    _fill_date(page, "due_on", today + dt.timedelta(days=28))
    page.get_by_role("button", name="Add the recommendation").click()
    expect(page.locator("#recommendations + table")).to_contain_text("Patrol the car park")

    page.get_by_role("link", name="Record progress").click()
    assert_no_axe_violations(page)
    page.get_by_label("In progress").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#recommendations + table")).to_contain_text("In progress")

    page.get_by_role("link", name="Conclude the review").click()
    assert_no_axe_violations(page)
    page.get_by_label("What the panel concluded").fill("More could have been done sooner by the police and us.")
    page.get_by_role("button", name="Conclude the review").click()

    page.get_by_role("link", name="Send the review outcome letter").click()
    expect(page.get_by_text("Patrol the car park every evening for a month.")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Send the letter").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Review outcome letter sent")

    page.get_by_role("link", name="Record an appeal").click()
    _fill_date(page, "requested_on", today)
    page.get_by_label("Why the applicant is appealing").fill("The panel did not look at the council's records.")
    page.get_by_label("Who will chair the appeal").select_option(str(cara.pk))
    page.get_by_role("button", name="Record the appeal").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("someone other than the review panel's chair")
    assert_no_axe_violations(page)
    page.get_by_label("Who will chair the appeal").select_option(str(maya.pk))
    page.get_by_role("button", name="Record the appeal").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Appeal recorded")

    page.get_by_role("link", name="Record the appeal's outcome").click()
    assert_no_axe_violations(page)
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.APPEAL

    page.goto("/staff/case-reviews/due/recommendations/")
    assert_no_axe_violations(page)
    page.goto("/staff/cases/")
    expect(page.locator("#case-reviews-due")).to_be_visible()
    assert_no_axe_violations(page)


def test_the_public_statistics_page_with_javascript(page: Page) -> None:
    ApplicationFactory.create(received_at=timezone.now() - dt.timedelta(days=400))
    page.goto("/case-review/statistics/")
    expect(page.get_by_role("heading", level=1)).to_have_text("ASB Case Review figures")
    expect(page.locator("[data-figure=applications]")).to_have_text("fewer than 5")
    assert_no_axe_violations(page)


def test_the_public_statistics_page_without_javascript(page_without_javascript: Page) -> None:
    page = page_without_javascript
    ApplicationFactory.create(received_at=timezone.now() - dt.timedelta(days=400))
    page.goto("/case-review/statistics/")
    label = page.get_by_label("Year")
    options = label.locator("option").all_text_contents()
    assert any("(so far)" in option for option in options)
    current = next(option for option in options if "(so far)" in option)
    label.select_option(label=current)
    page.get_by_role("button", name="Show").click()
    expect(page.locator("caption")).to_contain_text("(the year so far)")
    # (axe runs in the page's JavaScript: the same page is checked with JavaScript on, above)
