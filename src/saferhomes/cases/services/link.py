"""Links between cases that belong together (same perpetrator, location or victim)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest

from saferhomes.accounts.models import User
from saferhomes.cases.models import Case, CaseLink, LinkReason
from saferhomes.cases.permissions import WORK_CASE
from saferhomes.cases.selectors.case import cases_visible_to
from saferhomes.cases.services.locking import case_locked_for, case_version_bump, check_version
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require


def case_link(
    *,
    actor: User,
    case: Case,
    other_reference: str,
    reason: str,
    note: str = "",
    version: int | None = None,
    request: HttpRequest | None = None,
) -> CaseLink:
    """Link two cases that belong together (same perpetrator, location or victim); both must be visible to the actor."""
    require(actor, WORK_CASE)
    if reason not in LinkReason.values:
        raise DomainError(field_errors={"reason": "Select why the cases are linked"})
    wanted = other_reference.strip().upper()
    if not wanted:
        raise DomainError(field_errors={"other_reference": "Enter the reference of the case to link"})
    with transaction.atomic():
        locked = case_locked_for(actor=actor, case=case)
        check_version(locked, version)
        other = cases_visible_to(actor=actor).filter(reference=wanted).first()
        if other is None:
            raise DomainError(field_errors={"other_reference": f"No case you can see has the reference {wanted}"})
        if other.pk == locked.pk:
            raise DomainError(field_errors={"other_reference": "A case cannot be linked to itself"})
        if CaseLink.objects.filter(Q(from_case=locked, to_case=other) | Q(from_case=other, to_case=locked)).exists():
            raise DomainError(field_errors={"other_reference": f"This case is already linked to {other.reference}"})
        link = CaseLink.objects.create(
            from_case=locked, to_case=other, reason=reason, note=note.strip()[:250], created_by=actor
        )
        audit(
            actor=actor,
            verb=AuditVerb.CASE_LINKED,
            obj=locked,
            after={"linked_to": other.reference, "reason": reason, "note": link.note},
            request=request,
        )
        case_version_bump(locked)
        case.version = locked.version
    return link
