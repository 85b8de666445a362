"""Risk over the API: the published instruments, so a client can build the assessment form (issue 7).

Thin: `selectors_instruments` reads, `rules.definition_from_data` gives each version's questions and bands.
"""

from __future__ import annotations

from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from saferhomes.api.schemas import COMMON_ERRORS, ProblemOut
from saferhomes.risk.models import Instrument
from saferhomes.risk.rules import NUMBER
from saferhomes.risk.selectors_instruments import instrument_definition, published_instruments

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


class InstrumentFilter(Schema):
    case_type: Literal["asb", "hate", "da"] | None = Field(None, description="Only instruments for this case type")


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
