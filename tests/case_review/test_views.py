"""The public application form, the staff pages (list, taking an application, the application page, a complaint to
another agency, the decision) and the case page's Case Review prompt with its one-click record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.case_review.models import Application, ApplicationStatus, CaseReviewTold
from saferhomes.cases.models import Incident, IncidentSource, Status
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.models import AuditEvent
from tests.case_review.helpers import apply, london, report_on
from tests.cases.factories import CaseFactory
from tests.conftest import client_verified_as

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 8, 20)


@pytest.fixture(autouse=True)
def _now() -> Iterator[None]:
    with time_machine.travel(london(TODAY, 18), tick=False):
        yield


def form(**changes: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "applying_for": "myself",
        "first_name": "Ada",
        "last_name": "Jones",
        "email": "ada@example.org",
        "contact_methods": ["email"],
        "description": "Noise every night; nothing has been done.",
    }
    return data | changes


def test_public_application_gives_reference_deadline_and_status_link_once(client: Client) -> None:
    assert client.get("/case-review/").status_code == 200
    sent = client.post("/case-review/", form())
    assert sent.status_code == 302
    assert sent["Location"] == "/case-review/confirmation/"
    page = client.get("/case-review/confirmation/").content.decode()
    application = Application.objects.get()
    assert application.reference in page
    assert "the end of Fri 4 Sep 2026" in page
    assert 'id="status-link"' in page
    again = client.get("/case-review/confirmation/").content.decode()
    assert application.reference in again
    assert 'id="status-link"' not in again


def test_sending_the_form_twice_makes_one_application(client: Client) -> None:
    client.get("/case-review/")
    key = client.session["case_review_submission_key"]
    client.post("/case-review/", form())
    session = client.session
    session["case_review_submission_key"] = key  # Back, and Send again
    session.save()
    client.post("/case-review/", form())
    assert Application.objects.count() == 1
    assert "not been sent twice" in client.get("/case-review/confirmation/").content.decode()


def test_applying_for_someone_without_their_consent_says_so_and_keeps_the_answers(client: Client) -> None:
    page = client.post("/case-review/", form(applying_for="someone_else", victim_first_name="Sam"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "You can only apply for someone else if they have agreed" in text
    assert 'value="Sam"' in text
    assert "Noise every night" in text
    assert not Application.objects.exists()


def test_the_honeypot_refuses_robots(client: Client) -> None:
    assert client.post("/case-review/", form(website_address="http://spam")).status_code == 400
    assert not Application.objects.exists()


def test_too_many_applications_from_one_email_are_refused_for_an_hour_keeping_answers(client: Client) -> None:
    for _ in range(3):
        client.post("/case-review/", form())
        client.get("/case-review/confirmation/")
    page = client.post("/case-review/", form(description="A fourth time"))
    assert page.status_code == 429
    assert "A fourth time" in page.content.decode()
    assert Application.objects.count() == 3


@pytest.fixture
def officer(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.OFFICER)


@pytest.fixture
def coordinator(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.COORDINATOR)


def test_staff_take_an_application_by_phone(officer: User) -> None:
    client = client_verified_as(officer)
    assert client.get("/staff/case-reviews/new/").status_code == 200
    data = form(channel="phone", received_on_0="19", received_on_1="8", received_on_2="2026")
    sent = client.post("/staff/case-reviews/new/", data)
    application = Application.objects.get()
    assert sent.status_code == 302
    assert sent["Location"] == f"/staff/case-reviews/{application.reference}/"
    assert application.channel == "phone"
    assert application.created_by == officer
    assert client.get(sent["Location"]).status_code == 200


def test_staff_future_received_date_is_refused_on_its_field(officer: User) -> None:
    data = form(channel="letter", received_on_0="21", received_on_1="8", received_on_2="2026")
    page = client_verified_as(officer).post("/staff/case-reviews/new/", data)
    assert "must be today or in the past" in page.content.decode()
    assert not Application.objects.exists()


def test_impossible_date_is_refused_on_its_field(officer: User) -> None:
    data = form(channel="letter", received_on_0="31", received_on_1="2", received_on_2="2026")
    page = client_verified_as(officer).post("/staff/case-reviews/new/", data)
    assert "must be a real date" in page.content.decode()
    assert not Application.objects.exists()


def test_list_filters_by_overdue_and_status(officer: User) -> None:
    late = apply(officer, dt.date(2026, 8, 3))
    recent = apply(officer, TODAY)
    client = client_verified_as(officer)
    overdue = client.get("/staff/case-reviews/?due=overdue").content.decode()
    assert late.reference in overdue
    assert recent.reference not in overdue
    everything = client.get("/staff/case-reviews/?status=received").content.decode()
    assert late.reference in everything
    assert recent.reference in everything


def test_application_page_shows_findings_and_records_an_agency_complaint_and_decision(
    officer: User, coordinator: User
) -> None:
    for day in (dt.date(2026, 4, 1), dt.date(2026, 6, 1)):
        report_on(day)
    application = apply(officer, TODAY)
    page = client_verified_as(officer).get(f"/staff/case-reviews/{application.reference}/").content.decode()
    assert "Three complaints about the same problem" in page
    assert "version 1" in page
    assert "Record decision" not in page  # officers take applications; coordinators decide
    assert 'id="review-link"' not in page  # nothing to review or write until it is decided
    added = client_verified_as(officer).post(
        f"/staff/case-reviews/{application.reference}/complaints/new/",
        {
            "agency_name": "Police",
            "received_on_0": "10", "received_on_1": "7", "received_on_2": "2026",
            "occurred_on_0": "9", "occurred_on_1": "7", "occurred_on_2": "2026",
        },
    )  # fmt: skip
    assert added.status_code == 302
    application.refresh_from_db()
    assert application.threshold_suggested_met is True
    decider = client_verified_as(coordinator)
    bad = decider.post(f"/staff/case-reviews/{application.reference}/decide/", {"rule_key": "three_complaints"})
    assert bad.status_code == 200
    assert "Enter the reasons for the decision" in bad.content.decode()
    done = decider.post(
        f"/staff/case-reviews/{application.reference}/decide/",
        {"rule_key": "three_complaints", "met": "yes", "reasons": "Three complaints.", "version": application.version},
    )
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REVIEW
    page = decider.get(f"/staff/case-reviews/{application.reference}/").content.decode()
    assert "Three complaints." in page
    assert "Review due" in page
    assert f'href="/staff/case-reviews/{application.reference}/review/"' in page
    assert "Run the review" in page


def test_partners_and_people_without_permission_cannot_see_applications(
    officer: User, make_staff: Callable[..., User]
) -> None:
    application = apply(officer, TODAY)
    partner = client_verified_as(make_staff(Role.PARTNER))
    assert partner.get("/staff/case-reviews/").status_code in (403, 404)
    assert partner.get(f"/staff/case-reviews/{application.reference}/").status_code in (403, 404)


def _case_with_reports(officer: User, count: int) -> Any:
    case = CaseFactory.create(assigned_officer=officer, team=officer.team, status=Status.OPEN)
    for day in range(count):
        Incident.objects.create(
            case=case, occurred_at=london(TODAY - dt.timedelta(days=day + 1)), description="Noise",
            source=IncidentSource.REPORT,
        )  # fmt: skip
    return case


def test_third_complaint_on_a_case_prompts_and_one_click_records_who_told_the_reporter(officer: User) -> None:
    case = _case_with_reports(officer, 3)
    client = client_verified_as(officer)
    page = client.get(f"/staff/cases/{case.reference}/").content.decode()
    assert 'id="prompt-case_review"' in page
    assert 'id="record-case-review-told"' in page
    told = client.post(f"/staff/case-reviews/told/{case.reference}/")
    assert told.status_code == 302
    record = CaseReviewTold.objects.get(case=case)
    assert record.told_by == officer
    page = client.get(f"/staff/cases/{case.reference}/").content.decode()
    assert 'id="case-review-told"' in page
    assert 'id="record-case-review-told"' not in page
    assert AuditEvent.objects.filter(verb=AuditVerb.CASE_REVIEW_TOLD, object_id=str(case.pk)).exists()
    timeline = client.get(f"/staff/cases/{case.reference}/timeline/").content.decode()
    assert "Reporter told about the ASB Case Review" in timeline


def test_two_complaints_on_a_case_do_not_prompt_and_cannot_be_recorded(officer: User) -> None:
    case = _case_with_reports(officer, 2)
    client = client_verified_as(officer)
    assert 'id="prompt-case_review"' not in client.get(f"/staff/cases/{case.reference}/").content.decode()
    client.post(f"/staff/case-reviews/told/{case.reference}/")
    assert not CaseReviewTold.objects.exists()
