"""Recalculating open response deadlines: nothing moves until an administrator asks, and each move is audited."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from saferhomes.cases.models import Case, Outcome, Status
from saferhomes.cases.services.deadlines import (
    RECALCULATED_VERB,
    STALE_PREVIEW,
    open_deadline_changes,
    open_deadlines_recalculate,
)
from saferhomes.core.calendar import LONDON, Nation
from saferhomes.core.calendar_config import (
    calendar_settings_update,
    case_response_due,
    closure_day_add,
)
from saferhomes.core.errors import DomainError
from saferhomes.core.models import AuditEvent
from tests.cases.factories import CaseFactory

pytestmark = pytest.mark.django_db

NEW_YEARS_EVE = datetime(2025, 12, 31, 10, tzinfo=LONDON)
CHRISTMAS_EVE = datetime(2025, 12, 24, 15, tzinfo=LONDON)


def _case(received_at: datetime, *, urgent: bool = False, **kwargs) -> Case:
    case: Case = CaseFactory.create(
        received_at=received_at,
        urgent=urgent,
        response_due_at=case_response_due(received_at, urgent=urgent),
        **kwargs,
    )
    return case


def _to_scotland(actor) -> None:
    calendar_settings_update(
        actor=actor,
        nation=Nation.SCOTLAND.value,
        office_hours_enabled=False,
        office_opens=time(9),
        office_closes=time(17),
        due_soon_hours=None,
    )


def test_changing_the_calendar_does_not_move_deadlines_already_set(admin_ada) -> None:
    case = _case(NEW_YEARS_EVE, urgent=True)
    _to_scotland(admin_ada)
    case.refresh_from_db()
    assert case.response_due_at == datetime(2026, 1, 2, 10, tzinfo=LONDON)


def test_preview_lists_only_open_cases_awaiting_a_response_whose_deadline_would_change(admin_ada) -> None:
    waiting = _case(NEW_YEARS_EVE, urgent=True)
    _case(NEW_YEARS_EVE, urgent=True, responded_at=datetime(2026, 1, 1, 9, tzinfo=LONDON))
    _case(
        NEW_YEARS_EVE,
        urgent=True,
        status=Status.CLOSED,
        closed_at=timezone.now(),
        outcome=Outcome.RESOLVED,
    )
    _case(datetime(2025, 6, 9, 10, tzinfo=LONDON))  # June: no Scottish holiday nearby, unchanged
    _to_scotland(admin_ada)
    changes, _revision = open_deadline_changes(actor=admin_ada)
    assert [(c.reference, c.old_due, c.new_due) for c in changes] == [
        (
            waiting.reference,
            datetime(2026, 1, 2, 10, tzinfo=LONDON),
            datetime(2026, 1, 5, 10, tzinfo=LONDON),
        )
    ]
    waiting.refresh_from_db()
    assert waiting.response_due_at == datetime(2026, 1, 2, 10, tzinfo=LONDON)  # the preview wrote nothing


def test_recalculation_moves_each_listed_deadline_bumps_the_case_version_and_audits_it(admin_ada) -> None:
    standard = _case(CHRISTMAS_EVE)
    urgent = _case(CHRISTMAS_EVE, urgent=True)
    no_deadline_yet = CaseFactory.create(received_at=CHRISTMAS_EVE, response_due_at=None)
    closure_day_add(actor=admin_ada, day=date(2025, 12, 29), reason="Christmas shutdown")
    _changes, revision = open_deadline_changes(actor=admin_ada)
    applied = open_deadlines_recalculate(actor=admin_ada, expected_revision=revision)
    assert {change.case_id for change in applied} == {standard.pk, urgent.pk, no_deadline_yet.pk}
    for case, expected in [
        (standard, datetime(2026, 1, 6, 23, 59, 59, tzinfo=LONDON)),
        (urgent, datetime(2025, 12, 30, 15, tzinfo=LONDON)),
        (no_deadline_yet, datetime(2026, 1, 6, 23, 59, 59, tzinfo=LONDON)),
    ]:
        version_before = case.version
        case.refresh_from_db()
        assert case.response_due_at == expected
        assert case.version == version_before + 1
    event = AuditEvent.objects.get(verb=RECALCULATED_VERB, object_id=str(urgent.pk))
    assert event.actor == admin_ada
    assert event.object_type == "cases.case"
    assert event.object_label == urgent.reference
    assert event.before == {"response_due_at": "2025-12-29T15:00:00Z"}
    assert event.after == {"response_due_at": "2025-12-30T15:00:00Z"}
    assert open_deadline_changes(actor=admin_ada)[0] == []


def test_a_list_worked_out_under_an_older_calendar_is_not_applied(admin_ada) -> None:
    case = _case(NEW_YEARS_EVE, urgent=True)
    _changes, revision = open_deadline_changes(actor=admin_ada)
    _to_scotland(admin_ada)
    with pytest.raises(DomainError) as caught:
        open_deadlines_recalculate(actor=admin_ada, expected_revision=revision)
    assert caught.value.messages == [STALE_PREVIEW]
    case.refresh_from_db()
    assert case.response_due_at == datetime(2026, 1, 2, 10, tzinfo=LONDON)


@pytest.mark.parametrize("role", ["officer", "coordinator", "manager", "dpo"])
def test_only_administrators_may_recalculate_deadlines(make_staff, role) -> None:
    actor = make_staff(role)
    with pytest.raises(PermissionDenied):
        open_deadline_changes(actor=actor)
    with pytest.raises(PermissionDenied):
        open_deadlines_recalculate(actor=actor, expected_revision="")
