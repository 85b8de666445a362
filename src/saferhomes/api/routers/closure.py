"""Closing cases over the API: what blocks closure, put forward, approve, close, reopen (the Closure tab's services).

Thin: `case_of` (404 for a case the token holder cannot see; restricted and DA reads audited), then the
services in `cases.services.closure`. A refused close is a 422 whose `errors` name each blocker (`field` is the
blocker's code) and whose `detail` says them all.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema

from saferhomes.accounts.http import actor_of
from saferhomes.api.schemas import COMMON_ERRORS, LONG_TEXT_MAX, ApiIn, DbInt, ProblemOut, RecordReference
from saferhomes.cases.http import case_of
from saferhomes.cases.models import Case, Outcome, Status
from saferhomes.cases.rules import needs_manager_approval
from saferhomes.cases.selectors.closure import case_closure_blockers, case_latest_survey
from saferhomes.cases.services import closure
from saferhomes.core.problems import problem_response

router = Router(tags=["Case closure"])

ERRORS: dict[int, type[Schema]] = {**COMMON_ERRORS, 403: ProblemOut, 404: ProblemOut, 422: ProblemOut}
WORKING = (Status.OPEN, Status.REOPENED, Status.CLOSING)


class BlockerOut(Schema):
    """One reason the case cannot close yet."""

    code: str = Field(description="Stable: outcome_not_discussed, not_discussed_reason_missing, open_actions, ...")
    message: str
    fix_at: str = Field(
        description="Where it is put right: parties, contacts, actions, risk, partnership, interventions or closure"
    )


class SurveyOut(Schema):
    """The satisfaction survey sent on closing (never the link itself)."""

    delivery: str
    delivery_note: str
    sent_at: dt.datetime
    expires_at: dt.datetime
    answered_at: dt.datetime | None
    satisfaction: int | None


class ClosureOut(Schema):
    """A case's closure: its outcome, approval, what still blocks closing and the survey."""

    reference: str
    status: str
    version: int = Field(description="Send it back with a change: a stale version is refused (422)")
    outcome: str
    outcome_summary: str
    outcome_shareable: str = Field("", description="What the reporter may read on their status page once closed")
    outcome_not_discussed_reason: str
    closure_requested_at: dt.datetime | None
    needs_approval: bool
    closure_approved_at: dt.datetime | None
    closed_at: dt.datetime | None
    blockers: list[BlockerOut]
    survey: SurveyOut | None


class ClosureRequestIn(ApiIn):
    outcome: Outcome = Field(description="resolved, no_further_action, referred_on, legal_action_concluded, ...")
    outcome_summary: str = Field(min_length=1, max_length=LONG_TEXT_MAX)
    not_discussed_reason: str = Field(
        "", max_length=LONG_TEXT_MAX, description="When the reporter is anonymous or could not be reached"
    )
    outcome_shareable: str = Field(
        "", max_length=LONG_TEXT_MAX, description="The outcome in words the reporter may read on their status page"
    )
    version: DbInt | None = None

    columns: ClassVar[dict[str, str]] = {
        "outcome": "cases.Case.outcome",
        "outcome_summary": "cases.Case.outcome_summary",
        "not_discussed_reason": "cases.Case.outcome_not_discussed_reason",
        "outcome_shareable": "cases.Case.outcome_shareable",
    }


class VersionIn(ApiIn):
    version: DbInt | None = None


class ReopenIn(ApiIn):
    reason: str = Field(min_length=1, max_length=LONG_TEXT_MAX)
    version: DbInt | None = None


def _closure_out(case: Case) -> ClosureOut:
    blockers = case_closure_blockers(case=case) if case.status in WORKING else []
    survey = case_latest_survey(case=case) if case.status == Status.CLOSED else None
    return ClosureOut(
        reference=case.reference,
        status=case.status,
        version=case.version,
        outcome=case.outcome,
        outcome_summary=case.outcome_summary,
        outcome_shareable=case.outcome_shareable,
        outcome_not_discussed_reason=case.outcome_not_discussed_reason,
        closure_requested_at=case.closure_requested_at,
        needs_approval=needs_manager_approval(
            case_type=case.case_type, priority=case.priority, sensitivity=case.sensitivity
        ),
        closure_approved_at=case.closure_approved_at,
        closed_at=case.closed_at,
        blockers=[BlockerOut(code=b.code, message=b.message, fix_at=str(b.fix_at)) for b in blockers],
        survey=SurveyOut(
            delivery=survey.delivery,
            delivery_note=survey.delivery_note,
            sent_at=survey.sent_at,
            expires_at=survey.expires_at,
            answered_at=survey.answered_at,
            satisfaction=survey.satisfaction,
        )
        if survey is not None
        else None,
    )


@router.get(
    "/cases/{reference}/closure",
    response={200: ClosureOut, **ERRORS},
    summary="A case's closure and what still blocks it",
    operation_id="cases_closure_read",
    url_name="cases-closure",
)
def closure_read(request: HttpRequest, reference: RecordReference) -> ClosureOut:
    """Outcome, approval, every reason the case cannot close yet, and the survey once closed."""
    return _closure_out(case_of(request, reference))


@router.post(
    "/cases/{reference}/closure/request",
    response={200: ClosureOut, **ERRORS},
    summary="Put a case forward for closure",
    operation_id="cases_closure_request",
    url_name="cases-closure-request",
)
def closure_request(request: HttpRequest, reference: RecordReference, payload: ClosureRequestIn) -> ClosureOut:
    """open or reopened → closing, with the outcome; again while closing to change it (approval is then needed
    again)."""
    case = closure.case_request_closure(
        actor=actor_of(request), case=case_of(request, reference), request=request, **payload.dict()
    )
    return _closure_out(case)


@router.post(
    "/cases/{reference}/closure/approve",
    response={200: ClosureOut, **ERRORS},
    summary="Approve closing a high-risk or domestic abuse case",
    operation_id="cases_closure_approve",
    url_name="cases-closure-approve",
)
def closure_approve(request: HttpRequest, reference: RecordReference, payload: VersionIn) -> ClosureOut:
    """Managers only, and never for a closure they put forward themselves."""
    case = closure.case_approve_closure(
        actor=actor_of(request), case=case_of(request, reference), version=payload.version, request=request
    )
    return _closure_out(case)


@router.post(
    "/cases/{reference}/close",
    response={200: ClosureOut, **ERRORS},
    summary="Close a case",
    operation_id="cases_close",
    url_name="cases-close",
)
def case_close(request: HttpRequest, reference: RecordReference, payload: VersionIn) -> ClosureOut | HttpResponse:
    """closing → closed once nothing blocks it (422 naming every blocker otherwise); the reporter is then invited to
    the satisfaction survey."""
    try:
        case = closure.case_close(
            actor=actor_of(request), case=case_of(request, reference), version=payload.version, request=request
        )
    except closure.ClosureBlockedError as error:
        errors = [{"field": blocker.code, "message": blocker.message} for blocker in error.blockers]
        return problem_response(422, " ".join(error.messages), errors=errors)
    return _closure_out(case)


@router.post(
    "/cases/{reference}/reopen",
    response={200: ClosureOut, **ERRORS},
    summary="Reopen a closed case",
    operation_id="cases_reopen",
    url_name="cases-reopen",
)
def case_reopen(request: HttpRequest, reference: RecordReference, payload: ReopenIn) -> ClosureOut:
    """closed → reopened, with a `reason`."""
    case = closure.case_reopen(
        actor=actor_of(request),
        case=case_of(request, reference),
        reason=payload.reason,
        version=payload.version,
        request=request,
    )
    return _closure_out(case)
