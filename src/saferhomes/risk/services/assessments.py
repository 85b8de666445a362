"""Risk assessment services (DESIGN.md §4.2, issue 7): record an assessment on a case, override its band with a
reason, and record what happened to a required MARAC referral.

Every service: keyword-only arguments; `require(actor, perm)`; acts only on a case the actor can see
(`cases_visible_to`, else Http404 — never confirm that a hidden case exists) and that is not closed; one transaction;
an audit event. The instrument's pure rules (`risk.rules`) score, band and decide MARAC; these services store what
they say. The band sets the case's priority through `cases.services.case.case_set_priority` (audited there too);
the urgency and contact frequency it suggests are shown to the officer, never forced on the case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.cases.models import Case, Party
from saferhomes.cases.rules import case_workable
from saferhomes.cases.selectors.case import cases_visible_to
from saferhomes.cases.services.case import case_set_priority
from saferhomes.core.audit import audit, snapshot
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.risk import rules
from saferhomes.risk.models import Assessment, Instrument, InstrumentStatus, MaracConsent, MaracDecision
from saferhomes.risk.selectors.assessments import instrument_definition, last_marac_referral_on, latest_assessment

ASSESS_RISK = "risk.assess_risk"
DECIDE_NOT_REFERRED = "risk.decide_marac_not_referred"
NOTES_MAX = 10_000
REASON_MAX = 5_000
ANSWER_FIELD = "answers.{}"  # how a problem with one answer is named in field errors (API: errors[].field)

ASSESSMENT_FIELDS = [
    "instrument_id",
    "subject_id",
    "score",
    "yes_count",
    "computed_band",
    "band",
    "reassess_by",
    "override_reason",
    "overridden_by_id",
    "overridden_at",
]
DECISION_FIELDS = [
    "required",
    "grounds",
    "repeat",
    "police_callouts_12m",
    "consent",
    "previous_referral_on",
    "referral_made_on",
    "not_referred_reason",
    "not_referred_at",
]


def _visible_open(*, actor: User, case: Case, doing: str) -> Case:
    """The case, re-read, if the actor may see it (Http404 otherwise) and it is not closed (DomainError)."""
    found = cases_visible_to(actor=actor).filter(pk=case.pk).first()
    if found is None:
        raise Http404("No such case.")
    if not case_workable(found):
        raise DomainError(f"This case is closed. Reopen it before {doing}.")
    return found


def answer_errors(problems: Mapping[str, str]) -> DomainError:
    """The instrument's problems with the answers as a DomainError (field `answers.<question id>`)."""
    field_errors = {ANSWER_FIELD.format(qid): message for qid, message in problems.items() if qid != rules.ALL}
    messages = [problems[rules.ALL]] if rules.ALL in problems else []
    return DomainError(messages, field_errors=field_errors)


def _set_priority(*, actor: User, case: Case, band: rules.Band, instrument: Instrument, request: Any) -> None:
    case_set_priority(
        actor=actor,
        case=case,
        priority=band.priority,
        reason=f"Risk assessment ({instrument.name}): {band.label.lower()} risk",
        request=request,
    )


# Recording an assessment ------------------------------------------------------------------------------------------


def assessment_record(
    *,
    actor: User,
    case: Case,
    instrument: Instrument,
    answers: Mapping[str, str],
    subject: Party | None = None,
    professional_judgement_reason: str = "",
    consent: str = MaracConsent.NOT_ASKED,
    notes: str = "",
    request: HttpRequest | None = None,
) -> Assessment:
    """Score the answers with the instrument's exact version, band them, decide MARAC (DA checklists) and set the
    case's priority from the band. Bad answers raise DomainError naming each question (`answers.<question id>`)."""
    require(actor, ASSESS_RISK)
    case = _visible_open(actor=actor, case=case, doing="assessing risk")
    if instrument.status != InstrumentStatus.PUBLISHED:
        raise DomainError(field_errors={"instrument": f"{instrument} is not published: choose a published instrument"})
    if case.case_type not in (instrument.applies_to or []):
        raise DomainError(
            field_errors={"instrument": f"{instrument.name} is not used for {case.get_case_type_display().lower()}"}
        )
    if subject is not None and subject.case_id != case.pk:
        raise DomainError(field_errors={"subject": "Choose someone on this case"})
    definition = instrument_definition(instrument)
    judgement = professional_judgement_reason.strip()
    errors: dict[str, str] = {}
    if judgement and definition.kind != rules.CHECKLIST:
        errors["professional_judgement_reason"] = "A MARAC referral on professional judgement is for DA checklists"
    if consent not in MaracConsent.values:
        errors["consent"] = "Select the victim's consent position on sharing with MARAC"
    if len(judgement) > REASON_MAX:
        errors["professional_judgement_reason"] = f"The reason must be {REASON_MAX:,} characters or fewer"
    if len(notes) > NOTES_MAX:
        errors["notes"] = f"Notes must be {NOTES_MAX:,} characters or fewer"
    problems = rules.validate_answers(definition, answers)
    if problems or errors:
        error = answer_errors(problems)
        error.field_errors.update({name: [message] for name, message in errors.items()})
        raise error
    answers = {qid: str(value).strip() for qid, value in answers.items() if str(value).strip()}
    scored = rules.score(definition, answers)
    now = timezone.now()
    today = timezone.localdate(now)
    outcome: rules.MaracOutcome | None = None
    callouts = rules.police_callouts(definition, answers)
    previous: dt.date | None = None
    if definition.kind == rules.CHECKLIST:
        person_id = subject.person_id if subject is not None else None
        previous = last_marac_referral_on(case=case, person_id=person_id)
        outcome = rules.marac_decision(
            definition=definition,
            scored=scored,
            police_callouts_12m=callouts,
            professional_judgement=bool(judgement),
            last_referral_on=previous,
            today=today,
        )
    band_key = scored.band.key if scored.band is not None else ""
    with transaction.atomic():
        assessment = Assessment.objects.create(
            case=case,
            instrument=instrument,
            subject=subject,
            answers=answers,
            score=scored.score,
            yes_count=scored.yes_count,
            computed_band=band_key,
            band=band_key,
            reasons=[*scored.reasons, *(outcome.reasons if outcome else ())],
            reassess_by=rules.reassess_by(band=scored.band, assessed_on=today),
            assessed_by=actor,
            assessed_at=now,
            notes=notes.strip(),
        )
        decision = None
        if outcome is not None:
            decision = MaracDecision.objects.create(
                case=case,
                assessment=assessment,
                required=outcome.required,
                grounds=list(outcome.grounds),
                professional_judgement_reason=judgement,
                police_callouts_12m=callouts,
                consent=consent,
                repeat=outcome.repeat,
                previous_referral_on=previous,
                decided_at=now,
            )
        audit(
            actor=actor,
            verb=AuditVerb.RISK_ASSESSED,
            obj=assessment,
            after={
                "case": case.reference,
                "instrument": instrument.key,
                "version": instrument.version,
                **snapshot(assessment, ASSESSMENT_FIELDS),
                "marac": snapshot(decision, DECISION_FIELDS) if decision is not None else None,
            },
            reason=judgement,
            request=request,
        )
        if scored.band is not None:
            _set_priority(actor=actor, case=case, band=scored.band, instrument=instrument, request=request)
    return assessment


# Overriding the band ------------------------------------------------------------------------------------------------


def assessment_override(
    *, actor: User, assessment: Assessment, band: str, reason: str, request: HttpRequest | None = None
) -> Assessment:
    """Put the latest assessment in another of its instrument's bands, with a written reason: the reassessment date
    follows the new band, and so does the case's priority."""
    require(actor, ASSESS_RISK)
    case = _visible_open(actor=actor, case=assessment.case, doing="changing its risk")
    definition = instrument_definition(assessment.instrument)
    reason = reason.strip()
    errors: dict[str, str] = {}
    new_band = definition.band(band) if band else None
    if not definition.banded:
        raise DomainError(f"{assessment.instrument.name} is not banded, so there is no band to change")
    if new_band is None:
        errors["band"] = "Select the band this assessment should have"
    elif new_band.key == assessment.band:
        errors["band"] = f"The assessment is already in the {new_band.label.lower()} band: choose another"
    if not reason:
        errors["reason"] = "Enter why you are changing the band"
    elif len(reason) > REASON_MAX:
        errors["reason"] = f"The reason must be {REASON_MAX:,} characters or fewer"
    if errors:
        raise DomainError(field_errors=errors)
    assert new_band is not None
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().select_related("instrument").get(pk=assessment.pk)
        latest = latest_assessment(case=case)
        if latest is None or latest.pk != locked.pk:
            raise DomainError("Only the latest assessment on a case can be overridden: start a new assessment instead")
        before = snapshot(locked, ASSESSMENT_FIELDS)
        locked.band = new_band.key
        locked.override_reason = reason
        locked.overridden_by = actor
        locked.overridden_at = timezone.now()
        locked.reassess_by = rules.reassess_by(band=new_band, assessed_on=timezone.localdate(locked.assessed_at))
        locked.save(update_fields=["band", "override_reason", "overridden_by", "overridden_at", "reassess_by"])
        audit(
            actor=actor,
            verb=AuditVerb.RISK_BAND_OVERRIDDEN,
            obj=locked,
            before=before,
            after=snapshot(locked, ASSESSMENT_FIELDS),
            reason=reason,
            request=request,
        )
        _set_priority(actor=actor, case=case, band=new_band, instrument=locked.instrument, request=request)
    assessment.refresh_from_db()
    return assessment


# MARAC decisions ------------------------------------------------------------------------------------------------------


def _locked_outstanding(*, actor: User, decision: MaracDecision, doing: str) -> tuple[Case, MaracDecision]:
    case = _visible_open(actor=actor, case=decision.case, doing=doing)
    locked = MaracDecision.objects.select_for_update().get(pk=decision.pk)
    if not locked.required:
        raise DomainError("This assessment does not require a MARAC referral")
    if locked.referral_made_on is not None:
        raise DomainError(f"The MARAC referral was already recorded as made on {locked.referral_made_on:%d/%m/%Y}")
    if locked.not_referred_at is not None:
        raise DomainError("A manager has already recorded why the MARAC referral will not be made")
    return case, locked


def marac_referral_made(
    *, actor: User, decision: MaracDecision, made_on: dt.date | None, request: HttpRequest | None = None
) -> MaracDecision:
    """Record the day the required MARAC referral was made (the referral itself lives with partnerships)."""
    require(actor, ASSESS_RISK)
    with transaction.atomic():
        case, locked = _locked_outstanding(actor=actor, decision=decision, doing="recording a MARAC referral")
        if made_on is None:
            raise DomainError(field_errors={"made_on": "Enter the date the referral was made"})
        if made_on > timezone.localdate():
            raise DomainError(field_errors={"made_on": "The date the referral was made must be today or in the past"})
        received_on = timezone.localdate(case.received_at)
        if made_on < received_on:
            raise DomainError(
                field_errors={
                    "made_on": f"The date the referral was made must be on or after {received_on:%d/%m/%Y}, "
                    "when the case was received"
                }
            )
        before = snapshot(locked, DECISION_FIELDS)
        locked.referral_made_on = made_on
        locked.referral_recorded_by = actor
        locked.save(update_fields=["referral_made_on", "referral_recorded_by"])
        audit(
            actor=actor,
            verb=AuditVerb.RISK_MARAC_REFERRAL_MADE,
            obj=locked,
            before=before,
            after=snapshot(locked, DECISION_FIELDS),
            request=request,
        )
    decision.refresh_from_db()
    return decision


def marac_not_referred(
    *, actor: User, decision: MaracDecision, reason: str, request: HttpRequest | None = None
) -> MaracDecision:
    """A manager records why a required MARAC referral will not be made (this unblocks closure); audited."""
    require(actor, DECIDE_NOT_REFERRED)
    reason = reason.strip()
    with transaction.atomic():
        _case, locked = _locked_outstanding(actor=actor, decision=decision, doing="deciding on a MARAC referral")
        if not reason:
            raise DomainError(field_errors={"reason": "Enter why the MARAC referral will not be made"})
        if len(reason) > REASON_MAX:
            raise DomainError(field_errors={"reason": f"The reason must be {REASON_MAX:,} characters or fewer"})
        before = snapshot(locked, DECISION_FIELDS)
        locked.not_referred_reason = reason
        locked.not_referred_by = actor
        locked.not_referred_at = timezone.now()
        locked.save(update_fields=["not_referred_reason", "not_referred_by", "not_referred_at"])
        audit(
            actor=actor,
            verb=AuditVerb.RISK_MARAC_NOT_REFERRED,
            obj=locked,
            before=before,
            after=snapshot(locked, DECISION_FIELDS),
            reason=reason,
            request=request,
        )
    decision.refresh_from_db()
    return decision
