"""Reassessment (issue 7 part 4): due by band (high 7, medium 14, low 28 days) and after every new incident; the
dashboard's "Reassessments due" panel and list; reminders through the worker, once per assessment, only to staff."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Case, Incident, Status
from saferhomes.core.models import AuditEvent
from saferhomes.core.schedule import registry
from saferhomes.risk.models import ReassessmentReminder
from saferhomes.risk.notifications import reassessment_reminders_send
from saferhomes.risk.selectors.assessments import cases_reassessment_due, latest_assessment, reassessment_due
from saferhomes.risk.services.assessments import assessment_record
from tests.cases.factories import force_status
from tests.conftest import client_verified_as
from tests.risk.assessment_helpers import (
    CHECKLIST,
    FACTORS,
    MATRIX,
    MATRIX_HIGH,
    MATRIX_MEDIUM,
    checklist_answers,
    da_case,
    matrix_answers,
    published,
    victim,
    working_case,
)

pytestmark = pytest.mark.django_db

MONDAY = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)


@pytest.fixture
def officer(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.OFFICER)


def _asb(officer: User, **fields: Any) -> Case:
    return working_case(assigned_officer=officer, team=officer.team, **fields)


def _assess(officer: User, case: Case, answers: dict[str, str], at: dt.datetime = MONDAY) -> None:
    with time_machine.travel(at, tick=False):
        assessment_record(actor=officer, case=case, instrument=published(MATRIX), answers=answers)


@pytest.fixture
def send(django_capture_on_commit_callbacks: Callable[..., Any]) -> Callable[[dt.datetime], Any]:
    """Run the reminders at a moment, with their on-commit emails sent."""

    def _send(at: dt.datetime) -> Any:
        with time_machine.travel(at, tick=False), django_capture_on_commit_callbacks(execute=True):
            return reassessment_reminders_send()

    return _send


def _text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# Due dates ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "due"),
    [(MATRIX_HIGH, dt.date(2026, 3, 9)), (MATRIX_MEDIUM, dt.date(2026, 3, 16)), ({}, dt.date(2026, 3, 30))],
    ids=["high-7", "medium-14", "low-28"],
)
def test_reassessment_due_by_band(officer: User, answers: dict[str, str], due: dt.date) -> None:
    case = _asb(officer)
    _assess(officer, case, matrix_answers(**answers))
    found = reassessment_due(case, today=dt.date(2026, 3, 3))
    assert found is not None
    assert (found.due_on, found.overdue, found.after_incident) == (due, False, False)
    after = reassessment_due(case, today=due + dt.timedelta(days=1))
    assert after is not None
    assert after.overdue


def test_new_incident_makes_reassessment_due_that_day(officer: User) -> None:
    case = _asb(officer)
    _assess(officer, case, matrix_answers())
    with time_machine.travel(dt.datetime(2026, 3, 5, 15, tzinfo=dt.UTC), tick=False):
        Incident.objects.create(case=case, occurred_at=timezone.now(), description="Threats", created_by=officer)
    due = reassessment_due(case, today=dt.date(2026, 3, 5))
    assert due is not None
    assert (due.due_on, due.after_incident, due.overdue) == (dt.date(2026, 3, 5), True, False)
    later = reassessment_due(case, today=dt.date(2026, 3, 6))
    assert later is not None
    assert later.overdue


def test_incident_before_the_assessment_does_not_count(officer: User) -> None:
    case = _asb(officer)
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC), tick=False):
        Incident.objects.create(case=case, occurred_at=timezone.now(), description="Earlier", created_by=officer)
    _assess(officer, case, matrix_answers())
    due = reassessment_due(case, today=dt.date(2026, 3, 3))
    assert due is not None
    assert not due.after_incident


def test_reassessing_clears_the_incident_trigger(officer: User) -> None:
    case = _asb(officer)
    _assess(officer, case, matrix_answers())
    with time_machine.travel(dt.datetime(2026, 3, 5, 15, tzinfo=dt.UTC), tick=False):
        Incident.objects.create(case=case, occurred_at=timezone.now(), description="Threats", created_by=officer)
    _assess(officer, case, matrix_answers(**MATRIX_HIGH), at=dt.datetime(2026, 3, 6, 9, tzinfo=dt.UTC))
    due = reassessment_due(case, today=dt.date(2026, 3, 6))
    assert due is not None
    assert (due.due_on, due.after_incident) == (dt.date(2026, 3, 13), False)


def test_factors_do_not_count_as_the_latest_assessment(officer: User) -> None:
    case = _asb(officer)
    _assess(officer, case, matrix_answers())
    assessment_record(actor=officer, case=case, instrument=published(FACTORS), answers={})
    latest = latest_assessment(case=case)
    assert latest is not None
    assert latest.instrument.key == MATRIX


# The dashboard ---------------------------------------------------------------------------------------------------


def test_dashboard_counts_overdue_due_soon_and_never_assessed(officer: User, make_staff: Callable[..., User]) -> None:
    overdue = _asb(officer)
    _assess(officer, overdue, matrix_answers(**MATRIX_HIGH))  # due 9 March
    soon = _asb(officer)
    _assess(officer, soon, matrix_answers(**MATRIX_MEDIUM))  # due 16 March
    later = _asb(officer)
    _assess(officer, later, matrix_answers())  # due 30 March
    incident = _asb(officer)
    _assess(officer, incident, matrix_answers())
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC), tick=False):
        Incident.objects.create(case=incident, occurred_at=timezone.now(), description="x", created_by=officer)
    _asb(officer)  # never assessed
    closed = _asb(officer)  # closed: never chased
    _assess(officer, closed, matrix_answers(**MATRIX_HIGH))
    force_status(closed, Status.CLOSED)
    _asb(officer, status=Status.NEW)  # new: not yet triaged, not chased
    due = cases_reassessment_due(actor=officer, today=dt.date(2026, 3, 14), within_days=2)
    assert (due.overdue_count, due.due_soon_count, due.never_assessed_count) == (2, 1, 1)
    assert [row.case for row in due.rows] == [overdue, incident, soon]
    assert [row.overdue for row in due.rows] == [True, True, False]
    assert [row.after_incident for row in due.rows] == [False, True, False]
    stranger = make_staff(Role.OFFICER, username="stranger", team=None)
    assert cases_reassessment_due(actor=stranger, today=dt.date(2026, 3, 14)).total == 0


def test_da_reassessments_are_not_shown_to_those_who_cannot_see_the_case(make_staff: Callable[..., User]) -> None:
    specialist = make_staff(Role.DA_SPECIALIST)
    coordinator = make_staff(Role.COORDINATOR)
    case = da_case(assigned_officer=specialist, team=specialist.team)
    with time_machine.travel(MONDAY, tick=False):
        assessment_record(
            actor=specialist, case=case, instrument=published(CHECKLIST), answers=checklist_answers(yes=15)
        )
    today = dt.date(2026, 3, 20)
    assert cases_reassessment_due(actor=specialist, today=today).overdue_count == 1
    assert cases_reassessment_due(actor=coordinator, mine_only=False, today=today).overdue_count == 0


def test_dashboard_panel_and_list_pages(officer: User) -> None:
    case = _asb(officer)
    _assess(officer, case, matrix_answers(**MATRIX_HIGH))
    never = _asb(officer)
    client = client_verified_as(officer)
    with time_machine.travel(dt.datetime(2026, 3, 12, 9, tzinfo=dt.UTC), tick=False):
        page = _text(client.get("/staff/cases/"))
        overdue_list = _text(client.get("/staff/risk/reassessments/?show=overdue&mine=1"))
        never_list = _text(client.get("/staff/risk/reassessments/?show=never&mine=1"))
        soon_list = _text(client.get("/staff/risk/reassessments/?show=due_soon&mine=1"))
        bad = client.get("/staff/risk/reassessments/?show=nonsense&page=x")
    assert "Reassessments due (1)" in page
    assert "/staff/risk/reassessments/?show=overdue&amp;mine=1" in page
    assert case.reference not in page  # the dashboard counts; the list names the cases
    assert case.reference in overdue_list
    assert "Overdue" in overdue_list
    assert never.reference in never_list
    assert case.reference not in never_list
    assert "There are none" in soon_list
    assert bad.status_code == 200


def test_list_page_needs_the_assess_permission(make_staff: Callable[..., User]) -> None:
    assert client_verified_as(make_staff(Role.DPO)).get("/staff/risk/reassessments/").status_code == 403


# Reminders -------------------------------------------------------------------------------------------------------


def test_reminder_goes_once_to_the_assigned_officer_only(officer: User, send: Callable[[dt.datetime], Any]) -> None:
    case = _asb(officer)
    victim(case, email="victim@example.org")
    _assess(officer, case, matrix_answers(**MATRIX_HIGH))  # due 9 March
    run = send(dt.datetime(2026, 3, 9, 12, tzinfo=dt.UTC))
    assert (run.checked, run.claimed) == (0, 0)  # due today is not overdue yet
    assert mail.outbox == []
    run = send(dt.datetime(2026, 3, 10, 8, tzinfo=dt.UTC))
    assert (run.claimed, run.references) == (1, [case.reference])
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [officer.email]
    assert message.subject == f"Risk reassessment overdue: {case.reference}"
    assert "9 March 2026" in message.body
    assert "high risk" not in message.body.lower()  # never the band
    assert case.summary not in message.body
    reminder = ReassessmentReminder.objects.get()
    assert reminder.sent_at is not None
    assert reminder.recipient == officer
    assert AuditEvent.objects.filter(verb="risk.reassessment_reminder").count() == 1
    again = send(dt.datetime(2026, 3, 11, 8, tzinfo=dt.UTC))
    assert (again.checked, again.claimed) == (0, 0)
    assert len(mail.outbox) == 1


def test_new_assessment_is_reminded_afresh(officer: User, send: Callable[[dt.datetime], Any]) -> None:
    case = _asb(officer)
    _assess(officer, case, matrix_answers(**MATRIX_HIGH))
    send(dt.datetime(2026, 3, 10, 8, tzinfo=dt.UTC))
    _assess(officer, case, matrix_answers(**MATRIX_HIGH), at=dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC))
    run = send(dt.datetime(2026, 3, 18, 8, tzinfo=dt.UTC))
    assert run.claimed == 1
    assert ReassessmentReminder.objects.count() == 2


def test_reminder_after_a_new_incident(officer: User, send: Callable[[dt.datetime], Any]) -> None:
    case = _asb(officer)
    _assess(officer, case, matrix_answers())  # low: due 30 March
    with time_machine.travel(dt.datetime(2026, 3, 4, 15, tzinfo=dt.UTC), tick=False):
        Incident.objects.create(case=case, occurred_at=timezone.now(), description="x", created_by=officer)
    run = send(dt.datetime(2026, 3, 5, 8, tzinfo=dt.UTC))
    assert run.claimed == 1
    assert "An incident was recorded on 4 March 2026" in mail.outbox[0].body


def test_restricted_and_da_reminders_say_nothing_more_than_the_reference(
    make_staff: Callable[..., User], send: Callable[[dt.datetime], Any]
) -> None:
    specialist = make_staff(Role.DA_SPECIALIST)
    case = da_case(assigned_officer=specialist, team=specialist.team)
    victim(case, email="victim@example.org", first_name="Alicia")
    with time_machine.travel(MONDAY, tick=False):
        assessment_record(
            actor=specialist, case=case, instrument=published(CHECKLIST), answers=checklist_answers(yes=15)
        )
    send(dt.datetime(2026, 3, 20, 8, tzinfo=dt.UTC))
    assert [message.to for message in mail.outbox] == [[specialist.email]]
    body = mail.outbox[0].body
    assert "a restricted case needs its risk reassessed" in body
    assert "Alicia" not in body
    assert case.summary not in body


def test_no_reminder_without_an_officer_who_may_see_the_case(officer: User, send: Callable[[dt.datetime], Any]) -> None:
    case = _asb(officer)
    _assess(officer, case, matrix_answers(**MATRIX_HIGH))
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    run = send(dt.datetime(2026, 3, 10, 8, tzinfo=dt.UTC))
    assert (run.unrouted, run.claimed) == (1, 0)
    assert mail.outbox == []
    assert not ReassessmentReminder.objects.exists()


def test_closed_cases_are_not_reminded(officer: User, send: Callable[[dt.datetime], Any]) -> None:
    case = _asb(officer)
    _assess(officer, case, matrix_answers(**MATRIX_HIGH))
    force_status(case, Status.CLOSED)
    assert send(dt.datetime(2026, 3, 10, 8, tzinfo=dt.UTC)).checked == 0


def test_reminders_are_a_periodic_job() -> None:
    names = [job.name for job in registry.all()]
    assert "reassessment-reminders" in names
