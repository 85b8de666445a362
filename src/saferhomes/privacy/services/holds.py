"""Legal holds (issue 19 part 3): the DPO or a manager places a hold on a case with a reason, and lifts it with a
reason; while any hold is active the case is never anonymised (`due_cases` leaves it out, the anonymiser skips it).

The DPO sees no case contents: a reference typed by the DPO is resolved to the case's id, reference and type only.
A manager may hold only a case they may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.cases.models import Case
from saferhomes.cases.selectors.case import VIEW_CASE, case_get_for_actor, case_id_by_reference
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.privacy.models import LegalHold

MANAGE_HOLDS = "privacy.manage_legal_hold"
REASON_MIN = 10
NOT_FOUND = "No case has that reference, or you cannot place a hold on it"


@dataclass(frozen=True)
class HeldCase:
    """What a hold needs to know of its case: metadata, never contents."""

    pk: int
    reference: str
    case_type: str


def case_for_hold(*, actor: User, reference: str) -> HeldCase:
    """The case a hold is for, by reference (any case): metadata for the DPO; for staff who work cases, only a case
    they may see (an unseen one is a refused read, as anywhere). DomainError on the reference field otherwise."""
    require(actor, MANAGE_HOLDS)
    typed = (reference or "").strip()
    if not typed:
        raise DomainError(field_errors={"case_reference": "Enter the case reference"})
    if actor.has_perm(VIEW_CASE):
        try:
            case = case_get_for_actor(actor=actor, reference=typed, audit=False)
        except Http404:
            raise DomainError(field_errors={"case_reference": NOT_FOUND}) from None
        return HeldCase(case.pk, case.reference, case.case_type)
    pk = case_id_by_reference(reference=typed)
    if pk is None:
        raise DomainError(field_errors={"case_reference": NOT_FOUND})
    reference_, case_type = Case.objects.values_list("reference", "case_type").get(pk=pk)
    return HeldCase(pk, reference_, case_type)


def _reason(reason: str, what: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < REASON_MIN:
        raise DomainError(field_errors={"reason": f"Enter why the hold is {what} ({REASON_MIN} characters or more)"})
    return reason


def legal_hold_place(*, actor: User, case_reference: str, reason: str) -> LegalHold:
    """Place a hold on the case with this reference, with a reason; audited. A second active hold is allowed (each
    has its own reason and is lifted on its own)."""
    require(actor, MANAGE_HOLDS)
    problems: dict[str, str] = {}
    held: HeldCase | None = None
    try:
        held = case_for_hold(actor=actor, reference=case_reference)
    except DomainError as error:
        problems.update({k: v[0] for k, v in error.field_errors.items()})
    try:
        reason = _reason(reason, "placed")
    except DomainError as error:
        problems.update({k: v[0] for k, v in error.field_errors.items()})
    if problems or held is None:
        raise DomainError(field_errors=problems)
    with transaction.atomic():
        Case.objects.select_for_update().filter(pk=held.pk).values_list("pk", flat=True).get()
        hold = LegalHold.objects.create(case_id=held.pk, reason=reason, placed_by=actor)
        audit(
            actor=actor,
            verb=AuditVerb.LEGAL_HOLD_PLACED,
            obj=hold,
            object_label=held.reference,
            after={"case": held.reference, "hold": hold.pk},
            reason=reason,
        )
    return hold


def legal_hold_lift(*, actor: User, hold: LegalHold, reason: str) -> LegalHold:
    """Lift an active hold, with a reason; audited. The case is due again under the schedule (if no other hold)."""
    require(actor, MANAGE_HOLDS)
    reason = _reason(reason, "lifted")
    with transaction.atomic():
        hold = LegalHold.objects.select_for_update().select_related("case").get(pk=hold.pk)
        if hold.lifted_at is not None:
            raise DomainError("This hold has already been lifted")
        if actor.has_perm(VIEW_CASE):
            case_for_hold(actor=actor, reference=hold.case.reference)  # a manager lifts only holds on cases they see
        hold.lifted_by, hold.lifted_at, hold.lift_reason = actor, timezone.now(), reason
        hold.save(update_fields=["lifted_by", "lifted_at", "lift_reason"])
        audit(
            actor=actor,
            verb=AuditVerb.LEGAL_HOLD_LIFTED,
            obj=hold,
            object_label=hold.case.reference,
            after={"case": hold.case.reference, "hold": hold.pk},
            reason=reason,
        )
    return hold


# The brief's names, for callers that prefer them.
def place_hold(actor: User, case_reference: str, reason: str) -> LegalHold:
    """`legal_hold_place` by position."""
    return legal_hold_place(actor=actor, case_reference=case_reference, reason=reason)


def lift_hold(actor: User, hold: LegalHold, reason: str) -> LegalHold:
    """`legal_hold_lift` by position."""
    return legal_hold_lift(actor=actor, hold=hold, reason=reason)
