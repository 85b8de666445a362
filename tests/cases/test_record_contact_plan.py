"""The contact plan agreed with the reporter (issue 5 part 4): next contact due, moved by contacts with the planned
party, recomputed when changed; due and missed contacts and overdue actions for the officer's dashboard."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from saferhomes.accounts.models import User
from saferhomes.cases.models import Case, ContactPlan, Party, PartyRole
from saferhomes.cases.selectors.record import contact_plan_is_missed
from saferhomes.cases.services import record
from saferhomes.core.errors import DomainError
from saferhomes.core.models import AuditEvent
from saferhomes.housing.models import ContactMethod
from tests.cases.factories import CaseFactory, PartyFactory
from tests.cases.record_helpers import ago, case_fixture, officer_fixture, reporter_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def _agree(officer: User, case: Case, party: Party, *, days: int = 7, **kwargs: Any) -> ContactPlan:
    return record.contact_plan_agree(
        actor=officer, case=case, party=party, frequency_days=days, method=ContactMethod.PHONE, **kwargs
    )


def _talk(officer: User, case: Case, party: Party | None, when: dt.datetime, *, successful: bool = True) -> None:
    record.contact_record(
        actor=officer,
        case=case,
        party=party,
        method=ContactMethod.PHONE,
        occurred_at=when,
        summary="Weekly call",
        successful=successful,
    )


def test_agreeing_a_plan_sets_the_first_contact_due_after_the_frequency(
    officer: User, case: Case, reporter: Party
) -> None:
    agreed = ago(hours=1)
    plan = _agree(officer, case, reporter, days=7, agreed_at=agreed, safe_times="After 6pm", language="Polish")
    assert plan.next_due_at == agreed + dt.timedelta(days=7)
    assert (plan.safe_times, plan.language) == ("After 6pm", "Polish")
    assert AuditEvent.objects.filter(verb="contact_plan.agreed").count() == 1


def test_a_plan_is_agreed_once_then_changed(officer: User, case: Case, reporter: Party) -> None:
    _agree(officer, case, reporter)
    with pytest.raises(DomainError, match="already agreed"):
        _agree(officer, case, reporter)


@pytest.mark.parametrize(
    ("days", "method", "field"),
    [(0, ContactMethod.PHONE, "frequency_days"), (366, ContactMethod.PHONE, "frequency_days"), (7, "owl", "method")],
)
def test_plan_bad_input_is_refused(
    officer: User, case: Case, reporter: Party, days: int, method: str, field: str
) -> None:
    with pytest.raises(DomainError) as excinfo:
        record.contact_plan_agree(actor=officer, case=case, party=reporter, frequency_days=days, method=method)
    assert field in excinfo.value.field_errors


@pytest.mark.parametrize("role", [PartyRole.ALLEGED_PERPETRATOR, PartyRole.WITNESS, PartyRole.PROFESSIONAL])
def test_plan_is_agreed_with_the_reporter_or_victim_only(officer: User, case: Case, role: str) -> None:
    with pytest.raises(DomainError) as excinfo:
        _agree(officer, case, PartyFactory.create(case=case, role=role))
    assert "party" in excinfo.value.field_errors


def test_plan_may_be_agreed_with_a_victim_reported_for_by_someone_else(officer: User, case: Case) -> None:
    victim = PartyFactory.create(case=case, role=PartyRole.VICTIM)
    assert _agree(officer, case, victim).party == victim


def test_plan_with_a_party_of_another_case_is_refused(officer: User, case: Case) -> None:
    with pytest.raises(DomainError):
        _agree(officer, case, PartyFactory.create(case=CaseFactory.create()))


def test_a_successful_contact_with_the_planned_party_moves_the_next_due_date(
    officer: User, case: Case, reporter: Party
) -> None:
    plan = _agree(officer, case, reporter, days=7, agreed_at=ago(days=1))
    spoke = ago(hours=2)
    _talk(officer, case, reporter, spoke)
    plan.refresh_from_db()
    assert plan.next_due_at == spoke + dt.timedelta(days=7)
    assert AuditEvent.objects.filter(verb="contact_plan.next_due_moved").count() == 1


def test_attempts_and_contacts_with_other_people_do_not_move_the_plan(
    officer: User, case: Case, reporter: Party
) -> None:
    plan = _agree(officer, case, reporter, days=7, agreed_at=ago(days=1))
    due = plan.next_due_at
    _talk(officer, case, reporter, ago(hours=3), successful=False)
    _talk(officer, case, PartyFactory.create(case=case, role=PartyRole.WITNESS), ago(hours=2))
    _talk(officer, case, None, ago(hours=1))
    plan.refresh_from_db()
    assert plan.next_due_at == due


def test_a_back_dated_contact_never_moves_the_next_due_date_earlier(officer: User, case: Case, reporter: Party) -> None:
    plan = _agree(officer, case, reporter, days=7, agreed_at=ago(hours=30))
    _talk(officer, case, reporter, ago(hours=2))
    plan.refresh_from_db()
    latest = plan.next_due_at
    _talk(officer, case, reporter, ago(hours=40))  # written up late: happened before the last one
    plan.refresh_from_db()
    assert plan.next_due_at == latest


def test_changing_the_frequency_recomputes_from_the_last_successful_contact(
    officer: User, case: Case, reporter: Party
) -> None:
    plan = _agree(officer, case, reporter, days=7, agreed_at=ago(days=1))
    spoke = ago(hours=5)
    _talk(officer, case, reporter, spoke)
    plan.refresh_from_db()
    changed = record.contact_plan_update(
        actor=officer,
        plan=plan,
        party=reporter,
        frequency_days=14,
        method=ContactMethod.VISIT,
        safe_times="Mornings only",
        expected_updated_at=plan.updated_at,
    )
    assert changed.next_due_at == spoke + dt.timedelta(days=14)
    assert (changed.method, changed.safe_times) == (ContactMethod.VISIT, "Mornings only")
    event = AuditEvent.objects.get(verb="contact_plan.updated")
    assert event.before is not None
    assert event.before["frequency_days"] == 7
    assert event.after is not None
    assert event.after["frequency_days"] == 14


def test_a_plan_changed_by_someone_else_meanwhile_is_not_overwritten(
    officer: User, case: Case, reporter: Party
) -> None:
    plan = _agree(officer, case, reporter)
    seen = plan.updated_at
    record.contact_plan_update(actor=officer, plan=plan, party=reporter, frequency_days=10, method=ContactMethod.PHONE)
    with pytest.raises(DomainError, match="Someone else changed this contact plan"):
        record.contact_plan_update(
            actor=officer,
            plan=plan,
            party=reporter,
            frequency_days=3,
            method=ContactMethod.PHONE,
            expected_updated_at=seen,
        )
    plan.refresh_from_db()
    assert plan.frequency_days == 10


# Dashboard selectors ---------------------------------------------------------------------------------------------


def test_missed_contact_is_flagged_once_the_due_time_passes(officer: User, case: Case, reporter: Party) -> None:
    plan = _agree(officer, case, reporter, days=7)
    assert not contact_plan_is_missed(plan)
    with time_machine.travel(plan.next_due_at + dt.timedelta(minutes=1)):
        assert contact_plan_is_missed(plan)
