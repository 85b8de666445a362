"""Article 12(3) deadlines as the ICO reads them (privacy.rights_rules), with worked examples, and the extension:
two further months, once, with a reason, only before the deadline passes (privacy.services.rights)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saferhomes.accounts.roles import Role
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.calendar import is_working_day
from saferhomes.core.errors import DomainError
from saferhomes.core.models import AuditEvent
from saferhomes.privacy.models_rights import RightsDecision, RightsKind, RightsStatus
from saferhomes.privacy.rights_rules import deadline_words, extension_problem, rights_due_on
from saferhomes.privacy.services.rights import (
    RequestDetails,
    rights_request_decide,
    rights_request_extend,
    rights_request_record,
)


@pytest.mark.parametrize(
    ("received", "due", "why"),
    [
        (dt.date(2026, 9, 3), dt.date(2026, 10, 5), "3 Oct 2026 is a Saturday: the next working day"),
        (dt.date(2027, 1, 31), dt.date(2027, 3, 1), "no 31 Feb: 28 Feb 2027, a Sunday, so Monday 1 March"),
        (dt.date(2028, 1, 30), dt.date(2028, 2, 29), "leap year: 29 Feb 2028, a Tuesday"),
        (dt.date(2028, 1, 31), dt.date(2028, 2, 29), "no 31 Feb: the last day of February 2028"),
        (dt.date(2026, 9, 26), dt.date(2026, 10, 26), "received on a Saturday: the clock starts that day"),
        (dt.date(2026, 11, 25), dt.date(2026, 12, 29), "Christmas Day, then Boxing Day (moved to Mon 28 Dec)"),
        (dt.date(2026, 11, 26), dt.date(2026, 12, 29), "Boxing Day falls on Saturday 26 Dec, its holiday Monday"),
        (dt.date(2026, 9, 25), dt.date(2026, 10, 26), "25 Oct 2026 is the Sunday the clocks go back: dates only"),
        (dt.date(2026, 3, 2), dt.date(2026, 4, 2), "an ordinary Thursday"),
    ],
)
def test_one_month_deadline_worked_examples(received: dt.date, due: dt.date, why: str) -> None:
    assert rights_due_on(received) == due, why


def test_extension_is_three_months_from_receipt() -> None:
    assert rights_due_on(dt.date(2026, 9, 3), extended=True) == dt.date(2026, 12, 3)
    assert rights_due_on(dt.date(2026, 11, 30), extended=True) == dt.date(2027, 3, 1)  # 28 Feb 2027 is a Sunday


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2034, 12, 31)))
def test_deadline_is_a_working_day_at_least_28_days_after_receipt(received: dt.date) -> None:
    due = rights_due_on(received)
    assert is_working_day(due)
    assert 28 <= (due - received).days <= 36


def test_extension_is_refused_when_overdue_decided_or_already_extended() -> None:
    today = dt.date(2026, 10, 6)
    assert extension_problem(due_on=dt.date(2026, 10, 5), already_extended=False, is_open=True, today=today)
    assert extension_problem(due_on=dt.date(2026, 10, 6), already_extended=True, is_open=True, today=today)
    assert extension_problem(due_on=dt.date(2026, 10, 6), already_extended=False, is_open=False, today=today)
    assert extension_problem(due_on=dt.date(2026, 10, 6), already_extended=False, is_open=True, today=today) is None


def test_deadline_in_words() -> None:
    today = dt.date(2026, 12, 4)
    assert deadline_words(due_on=dt.date(2026, 12, 9), today=today, is_open=True) == "Due in 5 days (Wed 9 Dec 2026)"
    assert deadline_words(due_on=today, today=today, is_open=True) == "Due today (Fri 4 Dec 2026)"
    assert deadline_words(due_on=dt.date(2026, 12, 1), today=today, is_open=True).startswith("Overdue by 3 days")


def _details(**overrides) -> RequestDetails:
    fields: dict[str, Any] = {
        "kind": RightsKind.ACCESS,
        "requester_name": "Sam Example",
        "received_on": dt.date(2026, 9, 3),
        "subject_names": ["Sam Example"],
        "identity_verified_how": "Driving licence seen",
    }
    fields.update(overrides)
    return RequestDetails(**fields)


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 9, 10, 10, tzinfo=dt.UTC), tick=False)
def test_recorded_request_gets_its_deadline_and_is_audited(dpo_daniel) -> None:
    made = rights_request_record(actor=dpo_daniel, details=_details())
    assert made.due_on == dt.date(2026, 10, 5)
    assert made.status == RightsStatus.IDENTITY_CHECKED
    assert AuditEvent.objects.filter(verb=AuditVerb.RIGHTS_REQUEST_RECORDED, object_id=str(made.pk)).exists()


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 9, 10, 10, tzinfo=dt.UTC), tick=False)
def test_request_needs_a_requester_and_someone_it_is_about(dpo_daniel) -> None:
    with pytest.raises(DomainError) as refused:
        rights_request_record(
            actor=dpo_daniel, details=_details(requester_name=" ", subject_names=[], received_on=dt.date(2026, 9, 11))
        )
    assert set(refused.value.field_errors) == {"requester_name", "subject_names", "received_on"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.DPO])
def test_only_the_dpo_records_rights_requests(make_staff, role) -> None:
    with pytest.raises(PermissionDenied):
        rights_request_record(actor=make_staff(role), details=_details())


@pytest.mark.django_db
def test_extension_once_with_a_reason_before_the_deadline(dpo_daniel) -> None:
    with time_machine.travel(dt.datetime(2026, 9, 10, 10, tzinfo=dt.UTC), tick=False):
        made = rights_request_record(actor=dpo_daniel, details=_details())
        with pytest.raises(DomainError):
            rights_request_extend(actor=dpo_daniel, rights_request=made, reason=" ")
        extended = rights_request_extend(actor=dpo_daniel, rights_request=made, reason="Many records across 9 cases")
        assert extended.extended_due_on == dt.date(2026, 12, 3)
        assert extended.current_due_on == dt.date(2026, 12, 3)
        with pytest.raises(DomainError, match="only once"):
            rights_request_extend(actor=dpo_daniel, rights_request=extended, reason="Again")
    event = AuditEvent.objects.get(verb=AuditVerb.RIGHTS_REQUEST_EXTENDED)
    assert event.reason == "Many records across 9 cases"


@pytest.mark.django_db
def test_an_overdue_request_cannot_be_extended(dpo_daniel) -> None:
    with time_machine.travel(dt.datetime(2026, 9, 10, 10, tzinfo=dt.UTC), tick=False):
        made = rights_request_record(actor=dpo_daniel, details=_details())
    with (
        time_machine.travel(dt.datetime(2026, 10, 6, 10, tzinfo=dt.UTC), tick=False),
        pytest.raises(DomainError, match="overdue"),
    ):
        rights_request_extend(actor=dpo_daniel, rights_request=made, reason="Too late")


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 9, 10, 10, tzinfo=dt.UTC), tick=False)
def test_refusal_and_partial_decisions_need_a_reason(dpo_daniel) -> None:
    made = rights_request_record(actor=dpo_daniel, details=_details(kind=RightsKind.ERASURE))
    for decision in (RightsDecision.REFUSED, RightsDecision.PARTLY):
        with pytest.raises(DomainError) as refused:
            rights_request_decide(actor=dpo_daniel, rights_request=made, decision=decision, reason="")
        assert "reason" in refused.value.field_errors
    decided = rights_request_decide(
        actor=dpo_daniel,
        rights_request=made,
        decision=RightsDecision.PARTLY,
        reason="Kept for legal claims (Article 17(3)(e)) while the case file is within its retention period",
        action_taken="Anonymise early: case handed to the retention job",
    )
    assert decided.status == RightsStatus.COMPLETED
    with pytest.raises(DomainError, match="already been decided"):
        rights_request_decide(actor=dpo_daniel, rights_request=decided, decision=RightsDecision.COMPLIED)
    assert AuditEvent.objects.filter(verb=AuditVerb.RIGHTS_REQUEST_DECIDED).count() == 1
