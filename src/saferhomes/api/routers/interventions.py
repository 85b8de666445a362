"""Interventions over the API (issue 16 item 6): the catalogue's kinds, a case's interventions, proposing one,
moving it along (approval, start, outcome), and recording milestones.

Thin: `case_of` (404 for a case the token holder cannot see), then the interventions services. A broken legal rule
is a 422 problem+json whose message names the rule ("... (rule: cpn_needs_cpw)"); the rules' warnings (a closure
hearing not within 48 hours, a late review request) come back with the milestone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema
from ninja.responses import Status as HttpStatus

from saferhomes.accounts.http import actor_of
from saferhomes.api import idempotency
from saferhomes.api.schemas import COMMON_ERRORS, LONG_TEXT_MAX, ApiIn, DbInt, EdgeDate, ProblemOut, RecordReference
from saferhomes.cases.http import case_of
from saferhomes.cases.permissions import VIEW_CASE
from saferhomes.core.errors import DomainError
from saferhomes.core.idempotency import create_once
from saferhomes.core.permissions import require
from saferhomes.interventions.models import Intervention, Milestone
from saferhomes.interventions.rules import ABSOLUTE_GROUND_CONDITIONS
from saferhomes.interventions.selectors.interventions import (
    catalogue_current,
    catalogue_kinds,
    intervention_get_for_actor,
    interventions_for_case,
)
from saferhomes.interventions.services import interventions as services
from saferhomes.interventions.services.milestones import milestone_record

router = Router(tags=["Interventions"])

READ_ERRORS: dict[int, type[Schema]] = {**COMMON_ERRORS, 403: ProblemOut, 404: ProblemOut}
WRITE_ERRORS: dict[int, type[Schema]] = {**READ_ERRORS, 422: ProblemOut}


class MilestoneKindOut(Schema):
    key: str
    name: str
    order: int


class InterventionKindOut(Schema):
    """A kind of intervention of the catalogue in force: a rung of the proportionate-response ladder."""

    key: str
    name: str
    formal: bool = Field(description="Formal action: proportionality reasoning and a manager's approval first")
    rung: int = Field(description="Its place on the ladder (1 the lightest)")
    tenancy_types: list[str] | Literal["any"] = Field(description="Tenancy types it applies to, or 'any'")
    statute: str
    milestones: list[MilestoneKindOut]
    catalogue_version: int


class FindingOut(Schema):
    rule: str
    message: str


class MilestoneOut(Schema):
    id: int
    key: str
    occurred_on: dt.date | None
    occurred_time: dt.time | None
    due_on: dt.date | None = Field(description="For an expected milestone that has not happened yet")
    notes: str
    document_id: int | None
    details: dict[str, Any]


class InterventionOut(Schema):
    id: int
    kind: str
    kind_name: str
    formal: bool
    rung: int
    party_id: int
    party_name: str
    status: str
    proportionality: str
    started_on: dt.date | None
    outcome: str
    outcome_on: dt.date | None
    refused_reason: str
    catalogue_version: int
    version: int
    milestones: list[MilestoneOut]


class RecordedMilestoneOut(MilestoneOut):
    warnings: list[FindingOut] = Field(description="Rules that warn without refusing, e.g. closure_hearing_48_hours")


class InterventionIn(ApiIn):
    """An intervention to propose against a party on the case."""

    kind: str = Field(min_length=1, max_length=60, description="A key of GET /intervention-kinds")
    party: DbInt = Field(description="The party it is against (see the case's `parties`)")
    proportionality: str = Field("", max_length=LONG_TEXT_MAX, description="Required for formal kinds")
    started_on: EdgeDate | None = Field(
        None, description="Informal kinds only: it has started (formal: after approval)"
    )

    columns: ClassVar[dict[str, str]] = {"kind": "interventions.Intervention.kind"}


class MilestoneDetailsIn(ApiIn):
    """The rule data some milestones need."""

    comply_by: EdgeDate | None = Field(None, description="CPW issued: when the time to comply ends")
    yot_consulted_on: EdgeDate | None = Field(None, description="Injunction application, under 18: YOT consulted on")
    ends_on: EdgeDate | None = Field(None, description="Injunction granted: when it ends")
    order_months: int | None = Field(None, ge=1, le=12, description="Closure order made: its length in months")
    extension_months: int | None = Field(None, ge=1, le=12, description="Closure order extended: by how many months")
    condition: Literal[tuple(ABSOLUTE_GROUND_CONDITIONS)] | None = Field(  # type: ignore[valid-type]
        None, description="Absolute ground notice served: which of the five conditions is met"
    )
    trigger_on: EdgeDate | None = Field(
        None,
        description="Absolute ground notice served: the date of the conviction, the court's finding of breach or the "
        "closure order (or of the end of an appeal against it); the notice is refused after 12 months (3 for a "
        "closure order) beginning with it",
    )


class MilestoneIn(ApiIn):
    key: str = Field(min_length=1, max_length=60, description="A milestone key of the intervention's kind")
    occurred_on: EdgeDate
    occurred_time: str | None = Field(
        None, max_length=5, pattern=r"^\d{2}:\d{2}$", description="HH:MM London time, when the hour matters (closure)"
    )
    notes: str = Field("", max_length=LONG_TEXT_MAX)
    document_id: DbInt | None = Field(None, description="An evidence file on this case")
    details: MilestoneDetailsIn | None = None


class StepIn(ApiIn):
    """A step of an intervention: put forward for approval, approve, refuse, start, conclude or withdraw."""

    action: Literal["request_approval", "approve", "refuse", "start", "conclude", "withdraw"]
    reason: str = Field("", max_length=LONG_TEXT_MAX, description="refuse, withdraw")
    started_on: EdgeDate | None = Field(None, description="start")
    outcome: str = Field("", max_length=LONG_TEXT_MAX, description="conclude")
    outcome_on: EdgeDate | None = Field(None, description="conclude")
    version: DbInt | None = Field(None, description="The version you read (refused if it changed since)")


def _milestone_out(milestone: Milestone) -> dict[str, Any]:
    return {
        "id": milestone.pk,
        "key": milestone.key,
        "occurred_on": milestone.occurred_on,
        "occurred_time": milestone.occurred_time,
        "due_on": milestone.due_on,
        "notes": milestone.notes,
        "document_id": milestone.document_id,
        "details": milestone.details,
    }


def _out(intervention: Intervention) -> InterventionOut:
    return InterventionOut(
        id=intervention.pk,
        kind=intervention.kind,
        kind_name=intervention.kind_name,
        formal=intervention.formal,
        rung=intervention.rung,
        party_id=intervention.party_id,
        party_name=intervention.party.display_name,
        status=intervention.status,
        proportionality=intervention.proportionality,
        started_on=intervention.started_on,
        outcome=intervention.outcome,
        outcome_on=intervention.outcome_on,
        refused_reason=intervention.refused_reason,
        catalogue_version=intervention.catalogue.version,
        version=intervention.version,
        milestones=[MilestoneOut(**_milestone_out(m)) for m in intervention.milestones.all()],
    )


@router.get(
    "/intervention-kinds",
    response={200: list[InterventionKindOut], **READ_ERRORS},
    summary="Kinds of intervention",
    operation_id="intervention_kinds",
    url_name="intervention-kinds",
)
def kinds(request: HttpRequest) -> list[InterventionKindOut]:
    """Every kind of intervention of the catalogue in force, lightest rung first, with its milestones."""
    require(actor_of(request), VIEW_CASE)
    catalogue = catalogue_current()
    return [InterventionKindOut(**kind, catalogue_version=catalogue.version) for kind in catalogue_kinds(catalogue)]


@router.get(
    "/cases/{reference}/interventions",
    response={200: list[InterventionOut], **READ_ERRORS},
    summary="A case's interventions",
    operation_id="cases_interventions",
    url_name="cases-interventions",
)
def case_interventions(request: HttpRequest, reference: RecordReference) -> list[InterventionOut]:
    """The interventions on the case, on the ladder (lightest rung first), with their milestones."""
    return [_out(item) for item in interventions_for_case(case=case_of(request, reference))]


@router.post(
    "/cases/{reference}/interventions",
    response={201: InterventionOut, **WRITE_ERRORS},
    summary="Propose an intervention",
    operation_id="cases_intervention_propose",
    url_name="cases-intervention-propose",
)
def propose(
    request: HttpRequest,
    response: HttpResponse,
    reference: RecordReference,
    payload: InterventionIn,
    idempotency_key: str = idempotency.key_header(),
) -> HttpStatus[InterventionOut]:
    """Propose an intervention against a party. Formal kinds need `proportionality`, then a manager's approval before
    they start; an informal kind with `started_on` starts at once. A broken rule is a 422 naming it. Send an
    `Idempotency-Key` to retry safely."""
    actor, case = actor_of(request), case_of(request, reference)
    key = idempotency.key_of(idempotency_key)

    def create() -> int:
        return services.intervention_propose(actor=actor, case=case, request=request, **payload.dict()).pk

    created = create_once(actor=actor, scope=f"interventions.propose:{case.pk}", key=key, create=create)
    idempotency.mark_replayed(response, created)
    return HttpStatus(201, _out(intervention_get_for_actor(actor=actor, case=case, intervention_id=created.object_id)))


@router.post(
    "/cases/{reference}/interventions/{intervention_id}/steps",
    response={200: InterventionOut, **WRITE_ERRORS},
    summary="Move an intervention along",
    operation_id="cases_intervention_step",
    url_name="cases-intervention-step",
)
def step(request: HttpRequest, reference: RecordReference, intervention_id: DbInt, payload: StepIn) -> InterventionOut:
    """Put formal action forward for approval; approve or refuse it (managers); start; conclude; withdraw."""
    actor, case = actor_of(request), case_of(request, reference)
    item = intervention_get_for_actor(actor=actor, case=case, intervention_id=intervention_id)
    common: dict[str, Any] = {"actor": actor, "intervention": item, "version": payload.version, "request": request}
    if payload.action == "request_approval":
        services.intervention_request_approval(**common)
    elif payload.action == "approve":
        services.intervention_approve(**common)
    elif payload.action == "refuse":
        services.intervention_refuse(**common, reason=payload.reason)
    elif payload.action == "start":
        services.intervention_start(**common, started_on=payload.started_on)
    elif payload.action == "conclude":
        services.intervention_conclude(**common, outcome=payload.outcome, outcome_on=payload.outcome_on)
    else:
        services.intervention_withdraw(**common, reason=payload.reason)
    return _out(intervention_get_for_actor(actor=actor, case=case, intervention_id=intervention_id))


@router.post(
    "/cases/{reference}/interventions/{intervention_id}/milestones",
    response={201: RecordedMilestoneOut, **WRITE_ERRORS},
    summary="Record a milestone",
    operation_id="cases_intervention_milestone",
    url_name="cases-intervention-milestone",
)
def milestone(
    request: HttpRequest,
    response: HttpResponse,
    reference: RecordReference,
    intervention_id: DbInt,
    payload: MilestoneIn,
    idempotency_key: str = idempotency.key_header(),
) -> HttpStatus[RecordedMilestoneOut]:
    """Record that a milestone of an active intervention happened, with its rule data. A broken rule is a 422 naming
    it (e.g. `cpw_time_to_comply`); warnings come back in `warnings`. Send an `Idempotency-Key` to retry safely: a
    retry returns the milestone first recorded (with its warnings) and records nothing twice."""
    actor, case = actor_of(request), case_of(request, reference)
    item = intervention_get_for_actor(actor=actor, case=case, intervention_id=intervention_id)
    try:
        occurred_time = dt.time.fromisoformat(payload.occurred_time) if payload.occurred_time else None
    except ValueError:
        raise DomainError(field_errors={"occurred_time": "Enter a real time, like 09:30"}) from None

    def create() -> int:
        return milestone_record(
            actor=actor,
            intervention=item,
            key=payload.key,
            occurred_on=payload.occurred_on,
            occurred_time=occurred_time,
            notes=payload.notes,
            document=payload.document_id,
            details=payload.details.dict(exclude_none=True) if payload.details is not None else {},
            request=request,
        ).milestone.pk

    key = idempotency.key_of(idempotency_key)
    created = create_once(actor=actor, scope=f"interventions.milestone:{item.pk}", key=key, create=create)
    idempotency.mark_replayed(response, created)
    recorded = Milestone.objects.get(pk=created.object_id, intervention=item)
    warnings = [FindingOut(rule=w["rule"], message=w["message"]) for w in recorded.details.get("warnings", [])]
    return HttpStatus(201, RecordedMilestoneOut(**_milestone_out(recorded), warnings=warnings))
