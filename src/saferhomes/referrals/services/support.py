"""Support offered to people on a case (issue 15 item 4): offered, accepted or declined with a reason (and a date to
offer again), and what came of it.

Policy: "offering support to those involved ... and encouraging them to accept the support offered". Support may be
offered to anyone on the case: victims, witnesses, reporters and alleged perpetrators alike (tenancy sustainment,
drug and alcohol services...). Every service here needs `cases.work_case` on a case the actor can see (404
otherwise) that takes new work, runs in one transaction with the case row locked and is audited; the case's version
is not bumped (an offer is not a change to the case's record).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format

from saferhomes.accounts.models import User
from saferhomes.cases import rules as case_rules
from saferhomes.cases.models import Case, Party
from saferhomes.cases.permissions import WORK_CASE
from saferhomes.cases.services.locking import CASE_CLOSED, case_locked_for
from saferhomes.core.audit import audit, snapshot
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.referrals.models import Agency, SupportKind, SupportOffer, SupportStatus

OFFER_AGAIN_AFTER = dt.timedelta(days=28)  # when a refusal is next revisited, unless the officer says otherwise
TEXT_MAX = 2_000
AUDIT_FIELDS = [
    "case_id",
    "party_id",
    "kind",
    "agency_id",
    "offered_at",
    "status",
    "decided_at",
    "offer_again_on",
    "outcome_at",
]


def _when(value: dt.datetime) -> str:
    local = timezone.localtime(value)
    return f"{date_format(local, 'j F Y')} at {local:%H:%M}"


def _label(offer: SupportOffer, case: Case) -> str:
    return f"{case.reference}: {offer.get_kind_display()} support offered"[:200]


def _locked_workable(*, actor: User, case: Case) -> Case:
    require(actor, WORK_CASE)
    locked = case_locked_for(actor=actor, case=case)
    if not case_rules.case_workable(locked):
        raise DomainError(CASE_CLOSED)
    return locked


def _moment_problem(at: dt.datetime, *, after: dt.datetime, after_words: str, what: str, now: dt.datetime) -> str:
    if at > now:
        return f"The date {what} must be today or in the past"
    if at < after:
        return f"The date {what} must be on or after {after_words} ({_when(after)})"
    return ""


def support_offer(
    *,
    actor: User,
    case: Case,
    party: Party | None,
    kind: str,
    agency: Agency | None = None,
    offered_at: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> SupportOffer:
    """Record that support was offered to someone on the case (from an agency, or by us)."""
    now = timezone.now()
    at = offered_at or now
    with transaction.atomic():
        locked = _locked_workable(actor=actor, case=case)
        errors: dict[str, str] = {}
        if party is None or party.case_id != locked.pk:
            errors["party"] = "Select who was offered support: someone on this case"
        if kind not in SupportKind.values:
            errors["kind"] = "Select the kind of support offered"
        if agency is not None and not agency.active:
            errors["agency"] = f"{agency.name} is no longer an active agency in the directory: choose another"
        if problem := _moment_problem(
            at, after=locked.received_at, after_words="the report was received", what="it was offered", now=now
        ):
            errors["offered_at"] = problem
        if errors or party is None:
            raise DomainError(field_errors=errors)
        offer = SupportOffer.objects.create(
            case=locked, party=party, kind=kind, agency=agency, offered_at=at, created_by=actor
        )
        audit(
            actor=actor,
            verb=AuditVerb.SUPPORT_OFFERED,
            obj=offer,
            object_label=_label(offer, locked),
            after=snapshot(offer, AUDIT_FIELDS),
            request=request,
        )
    return offer


def _offer_locked(*, actor: User, offer: SupportOffer) -> tuple[Case, SupportOffer]:
    case = _locked_workable(actor=actor, case=offer.case)
    return case, SupportOffer.objects.select_for_update().get(pk=offer.pk)


def support_decide(
    *,
    actor: User,
    offer: SupportOffer,
    accepted: bool | None,
    declined_reason: str = "",
    offer_again_on: dt.date | None = None,
    decided_at: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> SupportOffer:
    """Record the person's answer: accepted, or declined with their reason and a date to offer again (28 days after
    the answer unless the officer chooses another)."""
    declined_reason = declined_reason.strip()
    now = timezone.now()
    at = decided_at or now
    with transaction.atomic():
        case, locked = _offer_locked(actor=actor, offer=offer)
        if locked.status != SupportStatus.OFFERED:
            answered = date_format(timezone.localtime(locked.decided_at or now), "j F Y")
            raise DomainError(
                f"Their answer is already recorded ({locked.get_status_display().lower()} on {answered}): "
                "offer support again to ask anew"
            )
        errors: dict[str, str] = {}
        if accepted is None:
            errors["accepted"] = "Select whether they accepted or declined the support"
        if problem := _moment_problem(
            at, after=locked.offered_at, after_words="the support was offered", what="they answered", now=now
        ):
            errors["decided_at"] = problem
        answered_on = timezone.localdate(at)
        if accepted is False:
            if not declined_reason:
                errors["declined_reason"] = "Enter why they declined the support"
            elif len(declined_reason) > TEXT_MAX:
                errors["declined_reason"] = f"The reason must be {TEXT_MAX:,} characters or fewer"
            if offer_again_on is not None and offer_again_on <= answered_on:
                errors["offer_again_on"] = "The date to offer support again must be after the day they declined"
        if errors:
            raise DomainError(field_errors=errors)
        before = snapshot(locked, AUDIT_FIELDS)
        locked.decided_at = at
        if accepted:
            locked.status, locked.declined_reason, locked.offer_again_on = SupportStatus.ACCEPTED, "", None
        else:
            locked.status, locked.declined_reason = SupportStatus.DECLINED, declined_reason
            locked.offer_again_on = offer_again_on or answered_on + OFFER_AGAIN_AFTER
        locked.save(update_fields=["status", "decided_at", "declined_reason", "offer_again_on"])
        audit(
            actor=actor,
            verb=AuditVerb.SUPPORT_DECIDED,
            obj=locked,
            object_label=_label(locked, case),
            before=before,
            after=snapshot(locked, AUDIT_FIELDS),
            reason=declined_reason,
            request=request,
        )
    return locked


def support_record_outcome(
    *,
    actor: User,
    offer: SupportOffer,
    outcome: str,
    outcome_at: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> SupportOffer:
    """Record what came of support that was accepted (engaged, completed, disengaged...)."""
    outcome = outcome.strip()
    now = timezone.now()
    at = outcome_at or now
    with transaction.atomic():
        case, locked = _offer_locked(actor=actor, offer=offer)
        if locked.status != SupportStatus.ACCEPTED or locked.decided_at is None:
            raise DomainError("Only support that was accepted has an outcome: record their answer first")
        if locked.outcome_at is not None:
            raise DomainError(f"The outcome is already recorded ({_when(locked.outcome_at)})")
        errors: dict[str, str] = {}
        if not outcome:
            errors["outcome"] = "Enter what came of the support"
        elif len(outcome) > TEXT_MAX:
            errors["outcome"] = f"The outcome must be {TEXT_MAX:,} characters or fewer"
        if problem := _moment_problem(
            at, after=locked.decided_at, after_words="they accepted it", what="of the outcome", now=now
        ):
            errors["outcome_at"] = problem
        if errors:
            raise DomainError(field_errors=errors)
        before = snapshot(locked, AUDIT_FIELDS)
        locked.outcome, locked.outcome_at = outcome, at
        locked.save(update_fields=["outcome", "outcome_at"])
        audit(
            actor=actor,
            verb=AuditVerb.SUPPORT_OUTCOME,
            obj=locked,
            object_label=_label(locked, case),
            before=before,
            after=snapshot(locked, AUDIT_FIELDS),
            reason=outcome[:500],
            request=request,
        )
    return locked
