"""The officer's whole case in a real browser (issue 5, "Done when"): triage → investigate (record an incident) →
agree a contact plan → first response → discuss the outcome → close → the reporter answers the survey.
axe-core finds no WCAG 2.2 AA violation on any page visited, and the strict CSP holds throughout (page fixture).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.core import mail
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Case, CaseType, PartyRole, Status, SurveyInvitation
from saferhomes.cases.services.closure import survey_invite
from tests.browser.conftest import assert_no_axe_violations, screenshot
from tests.browser.test_staff_sign_in import current_code
from tests.cases.closure_helpers import closed_case
from tests.cases.factories import CaseFactory, PartyFactory
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def officer(make_staff: Callable[..., User]) -> tuple[User, TOTPDevice]:
    """officer_olivia (password TEST_PASSWORD) with a confirmed authenticator app."""
    user = make_staff(Role.OFFICER, first_name="Olivia", last_name="Bennett")
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return user, device


@pytest.fixture
def new_case(officer: tuple[User, TOTPDevice]) -> Case:
    """A new noise report from two days ago, given to Olivia, with a reporter who has an email address."""
    user, _device = officer
    case: Case = CaseFactory.create(
        case_type=CaseType.ASB,
        summary="Loud music late at night from flat 12",
        status=Status.NEW,
        assigned_officer=user,
        team=user.team,
        received_at=timezone.now() - dt.timedelta(days=2),
    )
    PartyFactory.create(
        case=case, role=PartyRole.REPORTER, first_name="Alex", last_name="Reporter", email="alex@example.org"
    )
    return case


def sign_in(page: Page, username: str, device: TOTPDevice) -> None:
    page.goto("/staff/sign-in/")
    page.locator("[name=username]").fill(username)
    page.locator("[name=password]").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.locator("[name=otp_token]").fill(current_code(device))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/staff/$"))


def fill_date(page: Page, name: str, day: dt.date) -> None:
    page.locator(f"[name={name}_0]").fill(str(day.day))
    page.locator(f"[name={name}_1]").fill(str(day.month))
    page.locator(f"[name={name}_2]").fill(str(day.year))


def expect_success(page: Page, text: str) -> None:
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(text)


def record_contact(page: Page, case: Case, *, purpose: str, summary: str, day: dt.date) -> None:
    page.get_by_role("link", name="Record a contact").click()
    page.get_by_label("Alex Reporter (reporter)").check()
    page.get_by_label("How was the contact made?").select_option("phone")
    page.get_by_label(purpose).check()
    fill_date(page, "occurred_on", day)
    page.locator("[name=occurred_time]").fill("10:30")
    page.get_by_label("Summary").fill(summary)
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Save contact").click()


def test_officer_works_a_case_from_triage_to_a_closure_the_reporter_rates(
    page: Page, officer: tuple[User, TOTPDevice], new_case: Case
) -> None:
    user, device = officer
    case = new_case
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    sign_in(page, user.username, device)
    assert_no_axe_violations(page)

    # Triage.
    page.goto(f"/staff/cases/{case.reference}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(case.reference)
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Triage the case").click()
    assert_no_axe_violations(page)
    page.locator("[name=priority][value=normal]").check()
    page.locator("[name=urgent][value=no]").check()
    page.locator("[name=criminal][value=no]").check()
    page.locator("[name=category][value=nuisance]").check()
    page.locator("[name=sub_types][value=noise]").check()
    page.get_by_role("button", name="Save triage").click()
    expect_success(page, "Case triaged")
    assert_no_axe_violations(page)

    # Investigate: start the investigation and record an incident.
    page.get_by_role("button", name="Start the investigation").click()
    expect_success(page, "Case is now open")
    page.get_by_role("link", name="Incidents").click()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Record an incident").click()
    fill_date(page, "occurred_on", yesterday - dt.timedelta(days=2))
    page.locator("[name=occurred_time]").fill("23:15")
    page.get_by_label("What happened").fill("Bass music through the ceiling until 3am.")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Save incident").click()
    expect(page.get_by_text("Bass music through the ceiling until 3am.")).to_be_visible()
    assert_no_axe_violations(page)

    # Agree a contact plan with the reporter.
    page.get_by_role("link", name="Contacts").click()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Agree a contact plan").click()
    page.get_by_label("Alex Reporter (reporter)").check()
    page.get_by_label("Contact them at least every").fill("7")
    page.get_by_label("How to contact them").select_option("phone")
    page.get_by_label("When it is safe to contact them").fill("Weekdays after 5pm")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Save contact plan").click()
    assert_no_axe_violations(page)

    # Record the first response: the response clock stops.
    record_contact(
        page,
        case,
        purpose="First response (stops the response clock)",
        summary="Called Alex to talk through what happened and agree next steps.",
        day=yesterday,
    )
    expect_success(page, "response clock has stopped")
    assert_no_axe_violations(page)

    # The closure tab says what still needs doing, and links to it.
    page.get_by_role("link", name="Closure").click()
    expect(page.locator("#closure-blockers + ul")).to_contain_text("Discuss the outcome with the reporter")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Record the discussion").click()
    expect(page.get_by_label("Outcome discussed before closure")).to_be_checked()
    page.get_by_label("How was the contact made?").select_option("phone")
    fill_date(page, "occurred_on", timezone.localdate())
    page.locator("[name=occurred_time]").fill(timezone.localtime().strftime("%H:%M"))
    page.get_by_label("Summary").fill("Explained the warning letter worked; Alex is happy for us to close.")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Save contact").click()
    expect_success(page, "Contact recorded")

    # Put it forward for closure, then close it.
    page.get_by_role("link", name="Closure").click()
    page.get_by_label("Resolved").check()
    page.get_by_label("Summary of the outcome").fill("The music stopped after our warning letter.")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Put forward for closure").click()
    expect_success(page, "Case put forward for closure")
    expect(page.get_by_text("Nothing stops this case closing")).to_be_visible()
    assert_no_axe_violations(page)
    screenshot(page, "case-closure")
    page.get_by_role("button", name="Close case").click()
    expect_success(page, "Case closed")
    expect(page.get_by_text("Emailed to the reporter")).to_be_visible()
    assert_no_axe_violations(page)
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    assert case.responded_at is not None

    # The reporter opens the private link from the email and answers the survey.
    (email,) = mail.outbox
    assert email.to == ["alex@example.org"]
    path = re.search(r"https?://[^/\s]+(/survey/[^/\s]+/)", str(email.body))
    assert path is not None
    page.goto(path.group(1))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tell us how we handled your report")
    expect(page.get_by_text(case.reference)).to_be_visible()
    assert_no_axe_violations(page)
    screenshot(page, "survey")
    page.get_by_role("button", name="Send your answers").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert_no_axe_violations(page)
    page.get_by_label("Fairly satisfied").check()
    page.get_by_label("What could we have done better?").fill("Come out sooner.")
    page.get_by_role("button", name="Send your answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your answers")
    assert_no_axe_violations(page)
    invitation = SurveyInvitation.objects.get(case=case)
    assert (invitation.satisfaction, invitation.could_do_better) == (4, "Come out sooner.")

    # The link works once.
    page.goto(path.group(1))
    expect(page.get_by_role("heading", level=1)).to_have_text("You have already answered this survey")
    assert_no_axe_violations(page)


def test_the_survey_works_without_javascript(page_without_javascript: Page, make_staff: Callable[..., User]) -> None:
    case = closed_case(make_staff(Role.OFFICER))
    token = survey_invite(case_id=case.pk)
    page = page_without_javascript

    page.goto(f"/survey/{token}/")
    page.get_by_label("Very dissatisfied").check()
    page.get_by_role("button", name="Send your answers").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your answers")
    assert SurveyInvitation.objects.get(case=case).satisfaction == 1


def test_a_bad_survey_link_page_has_no_axe_violations(page: Page) -> None:
    page.goto("/survey/not-a-real-link/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Survey link not found")
    assert_no_axe_violations(page)
