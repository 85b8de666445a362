"""Anonymise one case under the retention schedule (issue 19; DESIGN.md §6; ADR 0017).

`anonymise_case` is one transaction with the case locked: every record of the case is treated as the field map says
(`privacy.anonymisation.fields`), stored files are deleted, the register links cut, the audit events about the case's
records redacted, `Case.anonymised_at` set and ONE audit event written that records what was done (counts per record
kind and files deleted), never what was there. Idempotent: a case already anonymised is left as it is. Refused for a
case that is not closed or that has an active legal hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from saferhomes.accounts.models import User
from saferhomes.cases.models import Case, Status
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.privacy.anonymisation.engine import apply_field_map
from saferhomes.privacy.models import LegalHold
from saferhomes.privacy.services.runs import MANAGE_RETENTION


@dataclass(frozen=True)
class AnonymisationSummary:
    """What anonymising one case did (`already` True: it had been anonymised before, nothing changed)."""

    case_id: int
    reference: str
    already: bool = False
    records: dict[str, int] = field(default_factory=dict)
    files_deleted: int = 0
    audit_events_redacted: int = 0

    def as_dict(self) -> dict[str, object]:
        return {
            "records": dict(sorted(self.records.items())),
            "files_deleted": self.files_deleted,
            "audit_events_redacted": self.audit_events_redacted,
        }


def anonymise_case(case_id: int, *, actor: User | None) -> AnonymisationSummary:
    """Anonymise case `case_id` (see the module's docstring). `actor` None is the worker or the command line; a
    DomainError for an open case or one on legal hold. A named actor needs the retention permission (the DPO)."""
    if actor is not None:
        require(actor, MANAGE_RETENTION)
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        if case.anonymised_at is not None:
            return AnonymisationSummary(case_id=case.pk, reference=case.reference, already=True)
        if case.status != Status.CLOSED:
            raise DomainError(f"{case.reference} is not closed: only a closed case can be anonymised")
        if LegalHold.objects.filter(case_id=case.pk, lifted_at__isnull=True).exists():
            raise DomainError(f"{case.reference} is on legal hold: it cannot be anonymised until the hold is lifted")
        done = apply_field_map(case)
        summary = AnonymisationSummary(
            case_id=case.pk,
            reference=case.reference,
            records=done.records,
            files_deleted=done.files_deleted,
            audit_events_redacted=done.audit_events_redacted,
        )
        audit(
            actor=actor,
            verb=AuditVerb.CASE_ANONYMISED,
            object_type=Case._meta.label_lower,
            object_id=case.pk,
            object_label=case.reference,
            after=summary.as_dict(),
        )
    return summary
