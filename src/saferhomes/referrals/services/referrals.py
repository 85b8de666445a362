"""Referrals from a case to an agency (issue 15 item 2): make one, record the agency's acknowledgement and the
outcome, or withdraw it.

Policy: "criminal ASB and hate crime is reported quickly to the relevant authorities"; "promptly referring cases to
other agencies for action or support"; "sharing information only with other organisations that can help with the
problem whilst observing data protection laws, GDPR and information sharing principles".

Every service here: needs `referrals.refer_case`; acts only on a case the actor can see (404 otherwise, never a hint
that it exists) and that takes new work (`cases.rules.case_workable`); runs in one transaction with the case row
locked; writes an audit event. Making a referral records the disclosure (`disclosure_record`) in the same
transaction. The case's own version is not bumped: a referral is not a change to the case's record, so an officer
editing the case meanwhile is not told it changed. A referral's own changes are optimistically locked by
`Referral.version`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format

from saferhomes.accounts.models import User
from saferhomes.cases import rules as case_rules
from saferhomes.cases.models import Case
from saferhomes.cases.services.locking import CASE_CLOSED, case_locked_for
from saferhomes.core.audit import audit, snapshot
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.models import AuditEvent
from saferhomes.core.permissions import require
from saferhomes.referrals.models import (
    Agency,
    AgencyKind,
    Consent,
    DisclosureSource,
    LawfulBasis,
    Referral,
    ReferralKind,
)
from saferhomes.referrals.referral_rules import (
    crime_reference_normalised,
    crime_reference_problem,
    da_agency_needed,
)
from saferhomes.referrals.services.disclosures import disclosure_record

REFER_CASE = "referrals.refer_case"
# The code of the triage prompt that asks for a police referral (`cases.rules.triage_prompts`), as kept in the
# `case.prompted` audit event's `after["prompts"]`.
POLICE_PROMPT = "police_referral"
TEXT_MAX = 5_000
NOTE_MAX = 2_000
AUDIT_FIELDS = [
    "case_id",
    "agency_id",
    "kind",
    "lawful_basis",
    "consent",
    "crime_reference",
    "clock_started_at",
    "sent_at",
    "acknowledged_at",
    "outcome_at",
    "withdrawn_at",
    "version",
]
STALE = "Someone else changed this referral while you were editing. Your change was not saved: check it and try again."


def _when(value: dt.datetime) -> str:
    local = timezone.localtime(value)
    return f"{date_format(local, 'j F Y')} at {local:%H:%M}"


def _label(referral: Referral, case: Case, agency: Agency) -> str:
    return f"{case.reference}: {referral.get_kind_display()} referral to {agency.name}"[:200]


def _too_long(errors: dict[str, str], field: str, value: str, limit: int, what: str) -> None:
    if field not in errors and len(value) > limit:
        errors[field] = f"{what} must be {limit:,} characters or fewer"


def police_clock_start(case: Case) -> dt.datetime:
    """When the time to refer to the police began: the first time triage showed the police-referral prompt on this
    case (its `case.prompted` audit event), else when the report was received."""
    events = (
        AuditEvent.objects.filter(
            verb=AuditVerb.CASE_PROMPTED, object_type=case._meta.label_lower, object_id=str(case.pk)
        )
        .order_by("at", "pk")
        .values_list("at", "after")
    )
    for at, after in events:
        if isinstance(after, dict) and POLICE_PROMPT in (after.get("prompts") or []):
            return at
    return case.received_at


def _agency_problem(case: Case, agency: Agency | None, kind: str) -> str | None:
    if agency is None:
        return "Select the agency you referred the case to"
    if not agency.active:
        return f"{agency.name} is no longer an active agency in the directory: choose another"
    why = da_agency_needed(case_type=case.case_type, sensitivity=case.sensitivity)
    if why and not agency.handles_da:
        return f"{why}: refer it only to an agency entitled to domestic abuse information, which {agency.name} is not"
    if kind == ReferralKind.POLICE and agency.kind != AgencyKind.POLICE:
        return f"A police referral goes to the police: {agency.name} is not a police force or team"
    return None


def _sent_problem(case: Case, sent_at: dt.datetime, now: dt.datetime) -> str | None:
    if sent_at > now:
        return "The date and time the referral was sent must be now or in the past"
    if sent_at < case.received_at:
        return f"The referral must have been sent on or after the report was received ({_when(case.received_at)})"
    return None


def _referral_problems(
    *,
    case: Case,
    agency: Agency | None,
    kind: str,
    reason: str,
    information_shared: str,
    lawful_basis: str,
    consent: str,
    consent_note: str,
    crime_reference: str,
    sent_at: dt.datetime,
    now: dt.datetime,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if kind not in ReferralKind.values:
        errors["kind"] = "Select what kind of referral this is"
    elif kind == ReferralKind.MARAC:
        errors["kind"] = (
            "Refer to MARAC with the MARAC referral form on the case's Partnership tab: it sends the coordinator "
            "what they need and records the decision's referral"
        )
    if problem := _agency_problem(case, agency, kind):
        errors["agency"] = problem
    if not reason:
        errors["reason"] = "Enter why you are referring the case"
    _too_long(errors, "reason", reason, TEXT_MAX, "Why you are referring")
    if not information_shared:
        errors["information_shared"] = "Enter what information you shared with the agency"
    _too_long(errors, "information_shared", information_shared, TEXT_MAX, "What you shared")
    if lawful_basis not in LawfulBasis.values:
        errors["lawful_basis"] = "Select the lawful basis for sharing the information"
    if consent not in Consent.values:
        errors["consent"] = "Select whether consent was given, refused or not sought"
    elif consent == Consent.REFUSED and lawful_basis == LawfulBasis.CONSENT:
        errors["lawful_basis"] = (
            "Consent was refused, so consent cannot be the lawful basis: select the basis you rely on instead "
            "(for example, vital interests or public task)"
        )
    elif consent == Consent.NOT_SOUGHT and not consent_note:
        errors["consent_note"] = "Say why consent was not sought"
    _too_long(errors, "consent_note", consent_note, NOTE_MAX, "The consent note")
    if crime_reference:
        if problem := crime_reference_problem(crime_reference):
            errors["crime_reference"] = problem
    elif kind == ReferralKind.POLICE:
        errors["crime_reference"] = "Enter the crime or incident reference number the police gave you"
    if problem := _sent_problem(case, sent_at, now):
        errors["sent_at"] = problem
    return errors


def _locked_workable(*, actor: User, case: Case) -> Case:
    """The case under a row lock, if the actor may see it (404 otherwise) and it takes new work."""
    locked = case_locked_for(actor=actor, case=case)
    if not case_rules.case_workable(locked):
        raise DomainError(CASE_CLOSED)
    return locked


def referral_make(
    *,
    actor: User,
    case: Case,
    agency: Agency | None,
    kind: str,
    reason: str,
    information_shared: str,
    lawful_basis: str,
    consent: str,
    consent_note: str,
    crime_reference: str = "",
    sent_at: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> Referral:
    """Refer the case to an agency, recording what was shared, on which lawful basis and the consent position, and
    the disclosure. A police referral holds the crime or incident reference and starts its clock at the triage prompt
    (`police_clock_start`); any other starts at the report's receipt. A referral sent before the prompt was shown is
    timed from the receipt too (the clock cannot start after the referral)."""
    require(actor, REFER_CASE)
    reason, information_shared, consent_note = reason.strip(), information_shared.strip(), consent_note.strip()
    crime_reference = crime_reference_normalised(crime_reference)
    now = timezone.now()
    sent_at = sent_at or now
    with transaction.atomic():
        locked = _locked_workable(actor=actor, case=case)
        errors = _referral_problems(
            case=locked,
            agency=agency,
            kind=kind,
            reason=reason,
            information_shared=information_shared,
            lawful_basis=lawful_basis,
            consent=consent,
            consent_note=consent_note,
            crime_reference=crime_reference,
            sent_at=sent_at,
            now=now,
        )
        if errors:
            raise DomainError(field_errors=errors)
        assert agency is not None  # refused above otherwise
        started = police_clock_start(locked) if kind == ReferralKind.POLICE else locked.received_at
        if started > sent_at:
            started = locked.received_at
        referral = Referral.objects.create(
            case=locked,
            agency=agency,
            kind=kind,
            reason=reason,
            information_shared=information_shared,
            lawful_basis=lawful_basis,
            consent=consent,
            consent_note=consent_note,
            crime_reference=crime_reference,
            clock_started_at=started,
            sent_at=sent_at,
            created_by=actor,
        )
        disclosure_record(
            actor=actor,
            agency=agency,
            source=DisclosureSource.REFERRAL,
            what=information_shared,
            reason=reason,
            lawful_basis=lawful_basis,
            case=locked,
            referral=referral,
            request=request,
        )
        audit(
            actor=actor,
            verb=AuditVerb.REFERRAL_MADE,
            obj=referral,
            object_label=_label(referral, locked, agency),
            after=snapshot(referral, AUDIT_FIELDS),
            reason=reason[:500],
            request=request,
        )
    return referral


# What became of it --------------------------------------------------------------------------------------------------


def _referral_locked(*, actor: User, referral: Referral, version: int | None) -> tuple[Case, Referral]:
    """The case and the referral, both locked, if the actor may see and work the case; the version checked."""
    require(actor, REFER_CASE)
    locked_case = _locked_workable(actor=actor, case=referral.case)
    locked = Referral.objects.select_for_update().select_related("agency").get(pk=referral.pk)
    if version is not None and int(version) != locked.version:
        raise DomainError(STALE)
    if locked.withdrawn_at is not None:
        raise DomainError(f"This referral was withdrawn on {_when(locked.withdrawn_at)}: nothing more can be recorded")
    if locked.outcome_at is not None:
        raise DomainError(f"This referral's outcome was recorded on {_when(locked.outcome_at)}")
    return locked_case, locked


def _moment_problem(at: dt.datetime, referral: Referral, what: str, now: dt.datetime) -> str | None:
    if at > now:
        return f"The date and time {what} must be now or in the past"
    if at < referral.sent_at:
        return f"The date and time {what} must be on or after the referral was sent ({_when(referral.sent_at)})"
    return None


def _saved(
    *,
    actor: User,
    verb: AuditVerb,
    case: Case,
    referral: Referral,
    before: dict[str, Any],
    changes: dict[str, Any],
    reason: str = "",
    request: HttpRequest | None,
) -> Referral:
    for name, value in changes.items():
        setattr(referral, name, value)
    Referral.objects.filter(pk=referral.pk).update(version=F("version") + 1, **changes)
    referral.refresh_from_db(fields=["version"])
    audit(
        actor=actor,
        verb=verb,
        obj=referral,
        object_label=_label(referral, case, referral.agency),
        before=before,
        after=snapshot(referral, AUDIT_FIELDS),
        reason=reason,
        request=request,
    )
    return referral


def referral_acknowledge(
    *,
    actor: User,
    referral: Referral,
    acknowledged_at: dt.datetime | None = None,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> Referral:
    """Record that the agency acknowledged the referral (this stops the chasing reminders)."""
    now = timezone.now()
    at = acknowledged_at or now
    with transaction.atomic():
        case, locked = _referral_locked(actor=actor, referral=referral, version=version)
        if locked.acknowledged_at is not None:
            raise DomainError(f"The agency's acknowledgement is already recorded ({_when(locked.acknowledged_at)})")
        if problem := _moment_problem(at, locked, "it was acknowledged", now):
            raise DomainError(field_errors={"acknowledged_at": problem})
        before = snapshot(locked, AUDIT_FIELDS)
        return _saved(
            actor=actor,
            verb=AuditVerb.REFERRAL_ACKNOWLEDGED,
            case=case,
            referral=locked,
            before=before,
            changes={"acknowledged_at": at},
            request=request,
        )


def referral_record_outcome(
    *,
    actor: User,
    referral: Referral,
    outcome: str,
    outcome_at: dt.datetime | None = None,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> Referral:
    """Record what came of the referral: it is then no longer outstanding (nor chased, nor blocking closure)."""
    outcome = outcome.strip()
    now = timezone.now()
    at = outcome_at or now
    with transaction.atomic():
        case, locked = _referral_locked(actor=actor, referral=referral, version=version)
        errors: dict[str, str] = {}
        if not outcome:
            errors["outcome"] = "Enter what came of the referral"
        _too_long(errors, "outcome", outcome, TEXT_MAX, "The outcome")
        if problem := _moment_problem(at, locked, "of the outcome", now):
            errors["outcome_at"] = problem
        if errors:
            raise DomainError(field_errors=errors)
        before = snapshot(locked, AUDIT_FIELDS)
        return _saved(
            actor=actor,
            verb=AuditVerb.REFERRAL_OUTCOME,
            case=case,
            referral=locked,
            before=before,
            changes={"outcome": outcome, "outcome_at": at},
            reason=outcome[:500],
            request=request,
        )


def referral_withdraw(
    *,
    actor: User,
    referral: Referral,
    reason: str,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> Referral:
    """Withdraw a referral, saying why (made in error, the person withdrew consent, the agency cannot help...)."""
    reason = reason.strip()
    with transaction.atomic():
        case, locked = _referral_locked(actor=actor, referral=referral, version=version)
        errors: dict[str, str] = {}
        if not reason:
            errors["reason"] = "Enter why the referral is withdrawn"
        _too_long(errors, "reason", reason, NOTE_MAX, "The reason")
        if errors:
            raise DomainError(field_errors=errors)
        before = snapshot(locked, AUDIT_FIELDS)
        return _saved(
            actor=actor,
            verb=AuditVerb.REFERRAL_WITHDRAWN,
            case=case,
            referral=locked,
            before=before,
            changes={"withdrawn_at": timezone.now(), "withdrawn_reason": reason},
            reason=reason,
            request=request,
        )
