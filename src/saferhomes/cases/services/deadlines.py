"""Recalculating open response deadlines after the calendar changes: listed first, applied only when asked.

Changing the calendar never moves a deadline already set (a resident was told it); this explicit action does,
for cases still waiting for their first response, and records each change on the case's audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import transaction
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.cases.models import Case, Sensitivity, Status
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.calendar import WorkingCalendar, response_deadline
from saferhomes.core.calendar_config import CHANGE_PERMISSION, calendar_config_current
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require

RECALCULATED_VERB = AuditVerb.CASE_RESPONSE_DUE_RECALCULATED
STALE_PREVIEW = (
    "The calendar has changed since you looked at the list of changes. Check the new list before you apply it."
)


@dataclass(frozen=True)
class DeadlineChange:
    """One open case whose response deadline differs under the calendar in force now."""

    case_id: int
    reference: str
    urgent: bool
    received_at: datetime
    old_due: datetime | None
    new_due: datetime
    restricted: bool = False  # restricted and DA cases: the page shows no reference, the audit trail keeps the id


def _awaiting_response() -> QuerySet[Case]:
    return (
        Case.objects.filter(responded_at__isnull=True)
        .exclude(status=Status.CLOSED)
        .only("id", "reference", "urgent", "received_at", "response_due_at", "sensitivity")
        .order_by("response_due_at", "id")
    )


def _changes(cases: QuerySet[Case], calendar: WorkingCalendar) -> list[DeadlineChange]:
    changes = []
    for case in cases.iterator(chunk_size=2000):
        new_due = response_deadline(case.received_at, urgent=case.urgent, calendar=calendar)
        if case.response_due_at != new_due:
            changes.append(
                DeadlineChange(
                    case_id=case.pk,
                    reference=case.reference,
                    urgent=case.urgent,
                    received_at=case.received_at,
                    old_due=case.response_due_at,
                    new_due=new_due,
                    restricted=case.sensitivity != Sensitivity.NORMAL,
                )
            )
    return changes


def open_deadline_changes(*, actor: User) -> tuple[list[DeadlineChange], str]:
    """What recalculating would change (nothing is written), and the calendar revision it was worked out under."""
    require(actor, CHANGE_PERMISSION)
    config = calendar_config_current()
    return _changes(_awaiting_response(), config.calendar), config.revision


@transaction.atomic
def open_deadlines_recalculate(
    *, actor: User, expected_revision: str, request: HttpRequest | None = None
) -> list[DeadlineChange]:
    """Move the deadline of every case still awaiting its first response to what the calendar gives now; audited."""
    require(actor, CHANGE_PERMISSION)
    config = calendar_config_current()
    if config.revision != expected_revision:
        raise DomainError(STALE_PREVIEW)
    changes = _changes(_awaiting_response().select_for_update(), config.calendar)
    now = timezone.now()
    for change in changes:
        Case.objects.filter(pk=change.case_id).update(
            response_due_at=change.new_due, version=F("version") + 1, updated_at=now
        )
        audit(
            actor=actor,
            verb=RECALCULATED_VERB,
            object_type=Case._meta.label_lower,
            object_id=change.case_id,
            object_label=change.reference,
            before={"response_due_at": change.old_due.astimezone(UTC) if change.old_due else None},
            after={"response_due_at": change.new_due.astimezone(UTC)},
            reason="Open response deadlines recalculated after the working calendar changed.",
            request=request,
        )
    return changes
