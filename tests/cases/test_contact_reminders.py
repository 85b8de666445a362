"""Contact-plan reminders (DESIGN.md §7; issue 14 item 13): the assigned officer is emailed once about each contact due
within a day or missed, never about closed cases, never twice, and never with who is involved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core import mail
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import ContactPlan, ContactPlanReminder, Status
from saferhomes.cases.notifications import contact_reminders_send
from saferhomes.cases.services.record import contact_plan_agree
from saferhomes.core.schedule import registry
from tests.cases.closure_helpers import open_case, reporter_of

pytestmark = pytest.mark.django_db


@pytest.fixture(name="officer")
def officer_fixture(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.OFFICER, email="olivia@example.org")


def _plan(officer: User, *, due_in: dt.timedelta, **case_fields: object) -> ContactPlan:
    case = open_case(officer, **case_fields)
    plan = contact_plan_agree(actor=officer, case=case, party=reporter_of(case), frequency_days=7, method="phone")
    ContactPlan.objects.filter(pk=plan.pk).update(next_due_at=timezone.now() + due_in)
    plan.refresh_from_db()
    return plan


def test_a_contact_due_tomorrow_is_reminded_once(officer: User) -> None:
    plan = _plan(officer, due_in=dt.timedelta(hours=20))
    mail.outbox.clear()
    assert contact_reminders_send().sent == 1
    assert contact_reminders_send().sent == 0  # not twice for the same due time
    [email] = mail.outbox
    assert email.to == ["olivia@example.org"]
    assert email.subject == f"Contact due: {plan.case.reference}"
    assert "The agreed way to contact them is phone" in email.body
    assert f"/staff/cases/{plan.case.reference}/contacts/" in email.body
    assert reporter_of(plan.case).last_name not in email.body
    assert ContactPlanReminder.objects.get(plan=plan).sent_at is not None


def test_a_missed_contact_says_so(officer: User) -> None:
    plan = _plan(officer, due_in=-dt.timedelta(days=2))
    mail.outbox.clear()
    contact_reminders_send()
    assert mail.outbox[0].subject == f"Contact missed: {plan.case.reference}"


def test_a_new_due_time_is_reminded_again(officer: User) -> None:
    plan = _plan(officer, due_in=dt.timedelta(hours=2))
    contact_reminders_send()
    ContactPlan.objects.filter(pk=plan.pk).update(next_due_at=timezone.now() + dt.timedelta(hours=5))
    mail.outbox.clear()
    assert contact_reminders_send().sent == 1


def test_no_reminder_far_ahead_or_on_a_closed_case(officer: User) -> None:
    _plan(officer, due_in=dt.timedelta(days=3))
    closed = _plan(officer, due_in=dt.timedelta(hours=1))
    type(closed.case).objects.filter(pk=closed.case_id).update(status=Status.CLOSING)
    type(closed.case).objects.filter(pk=closed.case_id).update(
        status=Status.CLOSED, closed_at=timezone.now(), outcome="resolved", outcome_summary="Stopped."
    )
    mail.outbox.clear()
    assert contact_reminders_send().sent == 0
    assert mail.outbox == []


def test_no_one_is_emailed_when_the_officer_has_no_address(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER, email="")
    _plan(officer, due_in=dt.timedelta(hours=1))
    mail.outbox.clear()
    assert contact_reminders_send().skipped == 1
    assert mail.outbox == []


def test_the_worker_schedules_the_reminders_hourly() -> None:
    job = next(job for job in registry.all() if job.name == "contact-plan-reminders")
    assert job.every == dt.timedelta(hours=1)
