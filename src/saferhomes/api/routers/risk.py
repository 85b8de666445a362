"""Risk over the API: the published instruments, so a client can build the assessment form, and the assessments on
a case (record one; list them) (issue 7).

Thin: `selectors_instruments` reads, `rules.definition_from_data` gives each version's questions and bands.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, ClassVar, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as HttpStatus
from pydantic import StringConstraints

from saferhomes.accounts.http import actor_of
from saferhomes.api import idempotency
from saferhomes.api.schemas import COMMON_ERRORS, LONG_TEXT_MAX, ApiIn, DbInt, ProblemOut, RecordReference
from saferhomes.cases.http import case_of
from saferhomes.cases.models import CaseType, Party
from saferhomes.core.errors import DomainError
from saferhomes.core.idempotency import create_once
from saferhomes.risk.models import Assessment, Instrument, MaracDecision
from saferhomes.risk.rules import NUMBER
from saferhomes.risk.selectors.assessments import assessments_for_case
from saferhomes.risk.selectors.instruments import instrument_definition, published_instruments
from saferhomes.risk.services.assessments import assessment_record

router = Router(tags=["Risk"])

INSTRUMENT_READERS = ("risk.assess_risk", "risk.view_instrument")
INSTRUMENT_ERRORS: dict[int, type[Schema]] = {**COMMON_ERRORS, 403: ProblemOut, 422: ProblemOut}


# Shapes -----------------------------------------------------------------------------------------------------------


class AnswerOut(Schema):
    """One allowed answer: send its `value`."""

    value: str
    label: str


class QuestionOut(Schema):
    """One question of an instrument."""

    id: str = Field(description="Key the answer by this id")
    text: str
    help: str
    type: str = Field(description="choice, yes_no_unknown (answers yes / no / not_known) or number (0 or more)")
    required: bool
    section: str
    answers: list[AnswerOut] = Field(description="The allowed values; empty for a number question")


class BandOut(Schema):
    """A band: scores from `min_score` up to the next band's."""

    key: str
    label: str
    min_score: int
    reassess_days: int | None = Field(description="Reassess within this many days of an assessment in this band")
    priority: str = Field(description="The case priority the band sets: low, normal or high")
    urgent: bool = Field(description="Whether the band suggests urgent handling")
    contact_every_days: int | None = Field(description="Suggested contact frequency")


class MaracRulesOut(Schema):
    """When a checklist requires a MARAC referral."""

    yes_threshold: int = Field(description="This many 'yes' answers or more: visible high risk")
    escalation_callouts: int | None = Field(description="This many police call-outs in 12 months or more")
    callouts_question: str | None = Field(description="The number question holding the call-outs")


class InstrumentOut(Schema):
    """The published version of a risk instrument."""

    id: str = Field(description="The instrument's key: send it as `instrument` with an assessment")
    version: int
    name: str
    kind: str = Field(description="matrix (weighted, banded), checklist (counts 'yes', banded) or factors (recorded)")
    applies_to: list[str] = Field(description="Case types it is offered for: asb, hate, da")
    description: str
    max_score: int | None = Field(description="The highest possible score (banded instruments)")
    questions: list[QuestionOut]
    bands: list[BandOut] = Field(description="Lowest first; empty for factors")
    marac: MaracRulesOut | None


def _instrument_out(instrument: Instrument) -> InstrumentOut:
    definition = instrument_definition(instrument)
    return InstrumentOut(
        id=definition.key,
        version=definition.version,
        name=definition.name,
        kind=definition.kind,
        applies_to=list(definition.applies_to),
        description=definition.description,
        max_score=definition.max_score if definition.bands else None,
        questions=[
            QuestionOut(
                id=q.id,
                text=q.text,
                help=q.help,
                type=q.type,
                required=q.required,
                section=q.section,
                answers=[] if q.type == NUMBER else [AnswerOut(value=o.value, label=o.label) for o in q.options],
            )
            for q in definition.questions
        ],
        bands=[
            BandOut(
                key=b.key,
                label=b.label,
                min_score=b.min_score,
                reassess_days=b.reassess_days,
                priority=b.priority,
                urgent=b.urgent,
                contact_every_days=b.contact_every_days,
            )
            for b in definition.bands
        ],
        marac=MaracRulesOut(
            yes_threshold=definition.marac_yes_threshold,
            escalation_callouts=definition.escalation_callouts,
            callouts_question=definition.callouts_question,
        )
        if definition.marac_yes_threshold is not None
        else None,
    )


class InstrumentFilter(ApiIn):
    case_type: CaseType | None = Field(None, description="Only instruments for this case type")


# Endpoints --------------------------------------------------------------------------------------------------------


@router.get(
    "/instruments",
    response={200: list[InstrumentOut], **INSTRUMENT_ERRORS},
    summary="The published risk instruments",
    operation_id="instruments_list",
    url_name="instruments",
)
def instruments_list(request: HttpRequest, filters: Query[InstrumentFilter]) -> list[InstrumentOut]:
    """Each instrument's published version with its questions and allowed answers, so a client can build the form,
    and its bands. Staff who assess risk, and administrators, may read them."""
    user = request.auth  # type: ignore[attr-defined]  # set by TokenAuth
    if not any(user.has_perm(perm) for perm in INSTRUMENT_READERS):
        raise PermissionDenied("You do not have permission to do that.")
    return [_instrument_out(i) for i in published_instruments(case_type=filters.case_type)]


# Assessments on a case (R-cases) ----------------------------------------------------------------------------------
# Thin: `case_of` (404 for a case the token holder cannot see; restricted and DA reads audited), then the
# same services and selectors as the case's Risk tab. Bad answers are a 422 naming each question
# (`answers.<question id>`), from the instrument's own rules.

ASSESSMENT_READ_ERRORS: dict[int, type[Schema]] = {**COMMON_ERRORS, 403: ProblemOut, 404: ProblemOut}
ASSESSMENT_WRITE_ERRORS: dict[int, type[Schema]] = {**ASSESSMENT_READ_ERRORS, 422: ProblemOut}


MaracConsentValue = Literal["given", "refused", "not_asked"]


class MaracOut(Schema):
    """The MARAC decision the assessment produced (DA checklists; otherwise never required)."""

    required: bool
    grounds: list[str] = Field(description="visible_high_risk, professional_judgement, potential_escalation")
    repeat: bool = Field(description="The last MARAC referral for this person or case was within 12 months")
    consent: str | None = Field(description="given, refused or not_asked; null when not a DA checklist")
    police_callouts_12m: int | None
    referral_made_on: dt.date | None
    not_referred_reason: str = Field(description="A manager's reason a required referral will not be made")


class AssessmentOut(Schema):
    """One assessment on a case."""

    id: int
    instrument: str = Field(description="The instrument's key")
    version: int = Field(description="The exact instrument version used: its score never changes")
    score: int
    yes_count: int | None = Field(description="Checklists: the number of 'yes' answers ('not known' never counts)")
    band: str = Field(description="The band in force: the computed one, or an officer's override; '' when not banded")
    computed_band: str = Field(description="The band the score gave")
    overridden: bool
    override_reason: str
    reasons: list[str] = Field(description="Plain-English lines explaining the score, band and MARAC decision")
    marac: MaracOut
    reassess_by: dt.date | None
    subject: int | None = Field(description="The id of the party the assessment is about")
    answers: dict[str, str]
    assessed_at: dt.datetime
    assessed_by: str = Field(description="Username")


QuestionId = Annotated[str, StringConstraints(max_length=100)]
AnswerValue = Annotated[str, StringConstraints(max_length=100)] | DbInt


class AssessmentIn(ApiIn):
    """Answers to a published instrument, keyed by question id (see GET /instruments)."""

    instrument: str = Field(
        min_length=1, max_length=60, description="The instrument's key (its `id` in GET /instruments)"
    )
    version: DbInt | None = Field(
        None, description="The version the answers were given to; refused if no longer published"
    )
    answers: dict[QuestionId, AnswerValue] = Field(
        max_length=200, description="Question id → an allowed value (or a whole number)"
    )
    professional_judgement_reason: str = Field(
        "",
        max_length=LONG_TEXT_MAX,
        description="DA checklists: a reason makes a MARAC referral required on professional judgement",
    )
    consent: MaracConsentValue = Field(
        "not_asked", description="DA checklists: the victim's consent to sharing with MARAC (given, refused, not_asked)"
    )
    subject: DbInt | None = Field(None, description="The id of the party the assessment is about (a victim, usually)")
    notes: str = Field("", max_length=LONG_TEXT_MAX)

    columns: ClassVar[dict[str, str]] = {
        "instrument": "risk.Instrument.key",
        "professional_judgement_reason": "risk.MaracDecision.professional_judgement_reason",
        "notes": "risk.Assessment.notes",
    }


def _assessment_out(assessment: Assessment) -> AssessmentOut:
    try:
        decision: MaracDecision | None = assessment.marac_decision
    except MaracDecision.DoesNotExist:
        decision = None
    return AssessmentOut(
        id=assessment.pk,
        instrument=assessment.instrument.key,
        version=assessment.instrument.version,
        score=assessment.score,
        yes_count=assessment.yes_count,
        band=assessment.band,
        computed_band=assessment.computed_band,
        overridden=assessment.overridden,
        override_reason=assessment.override_reason,
        reasons=list(assessment.reasons),
        marac=MaracOut(
            required=decision.required if decision else False,
            grounds=list(decision.grounds) if decision else [],
            repeat=decision.repeat if decision else False,
            consent=decision.consent if decision else None,
            police_callouts_12m=decision.police_callouts_12m if decision else None,
            referral_made_on=decision.referral_made_on if decision else None,
            not_referred_reason=decision.not_referred_reason if decision else "",
        ),
        reassess_by=assessment.reassess_by,
        subject=assessment.subject_id,
        answers={str(k): str(v) for k, v in assessment.answers.items()},
        assessed_at=assessment.assessed_at,
        assessed_by=assessment.assessed_by.get_username(),
    )


@router.get(
    "/cases/{reference}/risk-assessments",
    response={200: list[AssessmentOut], **ASSESSMENT_READ_ERRORS},
    summary="A case's risk assessments, newest first",
    operation_id="risk_assessments_list",
    url_name="risk-assessments",
)
def risk_assessments_list(request: HttpRequest, reference: RecordReference) -> list[AssessmentOut]:
    """Every assessment on the case, newest first: score, band (and any override), reasons, MARAC decision and when to
    reassess. 404 when the case does not exist or you may not see it."""
    case = case_of(request, reference)
    return [_assessment_out(assessment) for assessment in assessments_for_case(case=case)]


@router.post(
    "/cases/{reference}/risk-assessments",
    response={201: AssessmentOut, **ASSESSMENT_WRITE_ERRORS},
    summary="Record a risk assessment on a case",
    operation_id="risk_assessments_create",
)
def risk_assessments_create(
    request: HttpRequest,
    response: HttpResponse,
    reference: RecordReference,
    payload: AssessmentIn,
    idempotency_key: str = idempotency.key_header(),
) -> HttpStatus[AssessmentOut]:
    """Score the answers with the instrument's published version, band them, decide MARAC (DA checklists) and set the
    case's priority from the band. A missing, unknown or not allowed answer is a 422 naming the question. Send an
    `Idempotency-Key` to retry safely."""
    case = case_of(request, reference)
    actor = actor_of(request)
    key = idempotency.key_of(idempotency_key)

    def create() -> int:
        instrument = published_instruments().filter(key=payload.instrument).first()
        if instrument is None:
            raise DomainError(field_errors={"instrument": f"No published instrument is called {payload.instrument!r}"})
        if payload.version is not None and payload.version != instrument.version:
            raise DomainError(
                field_errors={
                    "version": f"Version {payload.version} of {instrument.key} is not published: "
                    f"answer version {instrument.version} (GET /instruments)"
                }
            )
        subject = None
        if payload.subject is not None:
            subject = Party.objects.filter(pk=payload.subject, case=case).first()
            if subject is None:
                raise DomainError(field_errors={"subject": "No party with that id is on this case"})
        assessment = assessment_record(
            actor=actor,
            case=case,
            instrument=instrument,
            answers={qid: str(value) for qid, value in payload.answers.items()},
            subject=subject,
            professional_judgement_reason=payload.professional_judgement_reason,
            consent=payload.consent,
            notes=payload.notes,
            request=request,
        )
        return assessment.pk

    created = create_once(actor=actor, scope=f"risk.assessment_record:{case.pk}", key=key, create=create)
    idempotency.mark_replayed(response, created)
    return HttpStatus(201, _assessment_out(assessments_for_case(case=case).get(pk=created.object_id)))
