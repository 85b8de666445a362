"""The team workload over the API (issue 14 item 20): open cases per officer and what is due, and reassigning several
cases at once. Thin: the workload page's selector (`team_workload`) and service (`cases_reassign`), for staff who
assign cases (403 for anyone else).

Registered in `api.api` before the cases router: `POST /cases/reassign` must be matched before `/cases/{reference}`.
"""

from __future__ import annotations

from typing import Annotated, ClassVar

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import StringConstraints

from saferhomes.accounts.http import actor_of
from saferhomes.accounts.selectors import staff_member_by_username_or_id, team_by_name
from saferhomes.api.schemas import COMMON_ERRORS, LONG_TEXT_MAX, ApiIn, ProblemOut
from saferhomes.cases.extensions import DueCounts
from saferhomes.cases.permissions import ASSIGN_CASE
from saferhomes.cases.selectors.case import cases_by_references
from saferhomes.cases.selectors.workload import WorkloadRow, team_workload
from saferhomes.cases.services.case import REASSIGN_MAX, cases_reassign
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require

router = Router(tags=["Workload"])

ERRORS: dict[int, type[Schema]] = {**COMMON_ERRORS, 403: ProblemOut, 422: ProblemOut}
CaseReference = Annotated[str, StringConstraints(min_length=1, max_length=20)]


class WorkloadIn(ApiIn):
    """Which team's workload (every team when not given)."""

    team: str = Field("", max_length=100, description="Team name")

    columns: ClassVar[dict[str, str]] = {"team": "accounts.Team.name"}


class DueOut(Schema):
    """Cases with something due (not yet overdue), and overdue."""

    due: int
    overdue: int


class WorkloadRowOut(Schema):
    """One officer's open cases, or (officer null) the open cases nobody holds."""

    officer: str | None = Field(description="Username; null for the unassigned cases")
    officer_id: int | None
    name: str
    team: str | None
    may_work: bool = Field(description="False for someone still holding cases who can no longer work them")
    open_cases: int
    by_type: dict[str, int] = Field(description="Open cases per case type: asb, hate, da")
    by_priority: dict[str, int] = Field(description="Open cases per priority (set by the risk band): high, normal, low")
    due: dict[str, DueOut] = Field(
        description="`responses`: first responses due (deadline not passed) and overdue; `reassessments`: risk "
        "reassessments due within 7 days and overdue"
    )


class WorkloadOut(Schema):
    """The team workload: only cases you may see are counted."""

    team: str | None
    open_cases: int
    rows: list[WorkloadRowOut]


class ReassignIn(ApiIn):
    """Cases to give to one officer, and why (all or none: if any cannot go, none moves)."""

    references: list[CaseReference] = Field(min_length=1, max_length=REASSIGN_MAX, description="Case references")
    officer: str = Field(min_length=1, max_length=150, description="Username, or the officer's id")
    reason: str = Field("", max_length=LONG_TEXT_MAX, description="Why they are being reassigned (required)")

    columns: ClassVar[dict[str, str]] = {"officer": "accounts.User.username"}


class ReassignOut(Schema):
    """The cases now held by the officer."""

    officer: str
    count: int
    references: list[str]


def _due(counts: DueCounts) -> DueOut:
    return DueOut(due=counts.due, overdue=counts.overdue)


def _row_out(row: WorkloadRow) -> WorkloadRowOut:
    officer = row.officer
    return WorkloadRowOut(
        officer=officer.get_username() if officer else None,
        officer_id=officer.pk if officer else None,
        name=row.name,
        team=officer.team.name if officer and officer.team else None,
        may_work=row.may_work,
        open_cases=row.open_cases,
        by_type={tally.value: tally.count for tally in row.by_type},
        by_priority={tally.value: tally.count for tally in row.by_priority},
        due={"responses": _due(row.responses), **{item.column.key: _due(item.counts) for item in row.columns}},
    )


@router.get(
    "/workload",
    response={200: WorkloadOut, **ERRORS},
    summary="Team workload",
    operation_id="workload",
    url_name="workload",
)
def workload(request: HttpRequest, filters: Query[WorkloadIn]) -> WorkloadOut:
    """Per officer who can work cases (and anyone else still holding open cases), and for the unassigned cases: open
    cases by type and priority, responses and reassessments due and overdue. Only cases you may see are counted.
    For staff who assign cases."""
    actor = actor_of(request)
    require(actor, ASSIGN_CASE)
    team = None
    if filters.team:
        team = team_by_name(name=filters.team)
        if team is None:
            raise DomainError(field_errors={"team": f"No team is called {filters.team}"})
    data = team_workload(actor=actor, team=team)
    return WorkloadOut(
        team=team.name if team else None, open_cases=data.open_cases, rows=[_row_out(r) for r in data.rows]
    )


@router.post(
    "/cases/reassign",
    response={200: ReassignOut, **ERRORS},
    summary="Reassign several cases",
    operation_id="cases_reassign",
    url_name="cases-reassign",
)
def cases_reassign_many(request: HttpRequest, payload: ReassignIn) -> ReassignOut:
    """Give the cases to one officer (and their team) for one `reason`, all or none: if any case cannot go (closed,
    a DA case to someone not DA-trained, already theirs), none moves and `errors` names each case and why. Each case's
    history records the reason; the officer is emailed once with the references. For staff who assign cases."""
    actor = actor_of(request)
    require(actor, ASSIGN_CASE)
    try:
        officer = staff_member_by_username_or_id(value=payload.officer)
    except DomainError as error:
        raise DomainError(field_errors={"officer": error.messages}) from None
    cases, missing = cases_by_references(actor=actor, references=payload.references, request=request)
    if missing:
        raise DomainError(
            field_errors={"references": [f"No case you can see has the reference {ref}" for ref in missing]}
        )
    try:
        moved = cases_reassign(actor=actor, cases=cases, officer=officer, reason=payload.reason, request=request)
    except DomainError as error:  # the service's "cases" are this body's "references"
        fields = {("references" if name == "cases" else name): list(m) for name, m in error.field_errors.items()}
        raise DomainError(error.messages, field_errors=fields) from None
    return ReassignOut(officer=officer.get_username(), count=len(moved), references=[case.reference for case in moved])
