"""The retention schedule, legal holds and anonymisation runs over the API (issue 19 parts 1-3; ADR 0018). Thin: the
privacy selectors and services, with their permission checks (`privacy.manage_retention` for the schedule and runs,
`privacy.manage_legal_hold` for holds). Metadata only: references, types, dates, rules, reasons, never contents.

A case's retention is readable by whoever may see the case, and by the DPO (by reference, metadata only)."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest
from ninja import Field, Path, Router, Schema
from ninja.responses import Status as HttpStatus

from saferhomes.accounts.http import actor_of
from saferhomes.api.schemas import COMMON_ERRORS, ApiIn, ProblemOut, RecordReference
from saferhomes.cases.http import case_of
from saferhomes.cases.models import Case
from saferhomes.cases.selectors.case import VIEW_CASE, case_id_by_reference
from saferhomes.core.permissions import require
from saferhomes.privacy.models import LegalHold, RetentionItem, RetentionRule, RetentionRun
from saferhomes.privacy.selectors.holds import (
    MANAGE_RETENTION,
    holds_on_case,
    legal_hold_for,
    legal_holds_for,
    retention_run_for,
    retention_runs,
    run_items,
)
from saferhomes.privacy.selectors.retention import case_retention, period_in_words, rule_label
from saferhomes.privacy.services.holds import legal_hold_lift, legal_hold_place
from saferhomes.privacy.services.runs import approve_run

router = Router(tags=["Retention and legal holds"])

READ_ERRORS: dict[int, type[Schema]] = {**COMMON_ERRORS, 403: ProblemOut, 404: ProblemOut}
WRITE_ERRORS: dict[int, type[Schema]] = {**READ_ERRORS, 422: ProblemOut}
ITEMS_LIMIT = 500


class RuleOut(Schema):
    """One rule of the retention schedule."""

    id: int
    record: str = Field(description="case, report_not_taken_forward, status_link or case_review")
    case_type: str = Field(description="asb, hate, da, or empty for any")
    outcome_group: str = Field(description="any, no_legal_action or legal_action")
    label: str
    starts_from: str = Field(description="closure, order_end, received, decided or issued")
    months: int
    days: int
    period: str = Field(description="The period in words, e.g. '6 years'")
    basis: str
    changed_at: dt.datetime
    changed_by: str = Field("", description="Username of who last changed it (empty for the default)")
    change_reason: str = ""


def _rule(rule: RetentionRule) -> RuleOut:
    return RuleOut(
        id=rule.pk,
        record=rule.record,
        case_type=rule.case_type,
        outcome_group=rule.outcome_group,
        label=rule_label(rule),
        starts_from=rule.starts_from,
        months=rule.months,
        days=rule.days,
        period=period_in_words(rule.months, rule.days),
        basis=rule.basis,
        changed_at=rule.changed_at,
        changed_by=rule.changed_by.get_username() if rule.changed_by is not None else "",
        change_reason=rule.change_reason,
    )


class HoldOut(Schema):
    id: int
    case: str = Field(description="The case reference")
    reason: str
    placed_at: dt.datetime
    placed_by: str
    active: bool
    lifted_at: dt.datetime | None = None
    lifted_by: str = ""
    lift_reason: str = ""


def _hold(hold: LegalHold, reference: str | None = None) -> HoldOut:
    return HoldOut(
        id=hold.pk,
        case=reference or hold.case.reference,
        reason=hold.reason,
        placed_at=hold.placed_at,
        placed_by=hold.placed_by.get_username(),
        active=hold.lifted_at is None,
        lifted_at=hold.lifted_at,
        lifted_by=hold.lifted_by.get_username() if hold.lifted_by_id and hold.lifted_by else "",
        lift_reason=hold.lift_reason,
    )


class CaseRetentionOut(Schema):
    case: str
    kept_until: dt.date | None = Field(description="The last day it is kept; null while the case is open")
    explanation: str = Field(description="e.g. '6 years after closure — ASB closed without legal action'")
    legal_action: bool
    rule: RuleOut | None = None
    on_hold: bool
    holds: list[HoldOut]


class HoldIn(ApiIn):
    case: str = Field(min_length=1, max_length=30, description="The case reference")
    reason: str = Field(min_length=1, max_length=2000, description="Why the case is held (10 characters or more)")


class LiftIn(ApiIn):
    reason: str = Field(min_length=1, max_length=2000, description="Why the hold is lifted (10 characters or more)")


class RunOut(Schema):
    id: int
    status: str = Field(description="proposed, approved, running, finished or cancelled")
    as_of: dt.date
    created_at: dt.datetime
    approved_at: dt.datetime | None = None
    approved_by: str = ""
    cancelled_reason: str = ""
    cases: int
    pending: int
    excluded: int
    anonymised: int


class ItemOut(Schema):
    id: int
    case: str
    case_type: str
    closed_on: dt.date | None
    due_on: dt.date
    rule: str = ""
    status: str = Field(description="pending, excluded, anonymised, skipped_held or skipped_not_due")
    excluded_reason: str = ""


class RunDetailOut(RunOut):
    items: list[ItemOut] = Field(description=f"The run's cases in due-date order (the first {ITEMS_LIMIT})")


def _run(run: RetentionRun) -> RunOut:
    return RunOut(
        id=run.pk,
        status=run.status,
        as_of=run.as_of,
        created_at=run.created_at,
        approved_at=run.approved_at,
        approved_by=run.approved_by.get_username() if run.approved_by_id and run.approved_by else "",
        cancelled_reason=run.cancelled_reason,
        cases=getattr(run, "items_count", 0),
        pending=getattr(run, "pending_count", 0),
        excluded=getattr(run, "excluded_count", 0),
        anonymised=getattr(run, "anonymised_count", 0),
    )


def _item(item: RetentionItem) -> ItemOut:
    from django.utils import timezone

    closed = item.case.closed_at
    return ItemOut(
        id=item.pk,
        case=item.reference,
        case_type=item.case.case_type,
        closed_on=timezone.localtime(closed).date() if closed else None,
        due_on=item.due_on,
        rule=rule_label(item.rule) if item.rule else "",
        status=item.status,
        excluded_reason=item.excluded_reason,
    )


@router.get(
    "/retention/rules",
    response={200: list[RuleOut], **READ_ERRORS},
    summary="The retention schedule",
    operation_id="retention_rules",
    url_name="retention-rules",
)
def rules(request: HttpRequest) -> list[RuleOut]:
    """Every rule: the record it governs, its period, the event it counts from and its basis (the DPO)."""
    require(actor_of(request), MANAGE_RETENTION)
    return [_rule(rule) for rule in RetentionRule.objects.select_related("changed_by")]


def _case_for_retention(request: HttpRequest, reference: str) -> Case:
    actor = actor_of(request)
    if actor.has_perm(VIEW_CASE):
        return case_of(request, reference)
    require(actor, MANAGE_RETENTION)
    pk = case_id_by_reference(reference=reference)
    if pk is None:
        raise Http404("No such case")
    return Case.objects.only("pk", "reference", "case_type", "status", "closed_at", "outcome").get(pk=pk)


@router.get(
    "/cases/{reference}/retention",
    response={200: CaseRetentionOut, **READ_ERRORS},
    summary="A case's retention date and holds",
    operation_id="cases_retention",
    url_name="cases-retention",
)
def case_retention_read(request: HttpRequest, reference: RecordReference) -> CaseRetentionOut:
    """The last day the case is kept (null while open), the rule behind it, and its legal holds."""
    case = _case_for_retention(request, reference)
    retention = case_retention(case)
    holds = [_hold(hold, case.reference) for hold in holds_on_case(case_id=case.pk)]
    return CaseRetentionOut(
        case=case.reference,
        kept_until=retention.keep_until,
        explanation=retention.explanation,
        legal_action=retention.legal_action,
        rule=_rule(retention.rule) if retention.rule else None,
        on_hold=any(h.active for h in holds),
        holds=holds,
    )


@router.get(
    "/legal-holds",
    response={200: list[HoldOut], **READ_ERRORS},
    summary="Legal holds",
    operation_id="legal_holds_list",
    url_name="legal-holds",
)
def holds_list(request: HttpRequest, active: bool | None = None) -> list[HoldOut]:
    """Holds you may manage, newest first (`active=true` or `false` to narrow)."""
    return [_hold(hold) for hold in legal_holds_for(actor=actor_of(request), active=active)]


@router.post(
    "/legal-holds",
    response={201: HoldOut, **WRITE_ERRORS},
    summary="Place a legal hold",
    operation_id="legal_holds_create",
    url_name="legal-holds-create",
)
def hold_create(request: HttpRequest, payload: HoldIn) -> HttpStatus[HoldOut]:
    """Place a hold on a case, with a reason: while it is active the case is never anonymised. A second hold on the
    same case is a separate hold, lifted on its own."""
    hold = legal_hold_place(actor=actor_of(request), case_reference=payload.case, reason=payload.reason)
    hold = LegalHold.objects.select_related("case", "placed_by").get(pk=hold.pk)
    return HttpStatus(201, _hold(hold))


@router.post(
    "/legal-holds/{hold_id}/lift",
    response={200: HoldOut, **WRITE_ERRORS},
    summary="Lift a legal hold",
    operation_id="legal_holds_lift",
    url_name="legal-holds-lift",
)
def hold_lift(request: HttpRequest, payload: LiftIn, hold_id: int = Path(..., ge=1)) -> HoldOut:
    """Lift an active hold, with a reason."""
    actor = actor_of(request)
    hold = legal_hold_lift(actor=actor, hold=legal_hold_for(actor=actor, pk=hold_id), reason=payload.reason)
    return _hold(LegalHold.objects.select_related("case", "placed_by", "lifted_by").get(pk=hold.pk))


@router.get(
    "/retention/runs",
    response={200: list[RunOut], **READ_ERRORS},
    summary="Anonymisation runs",
    operation_id="retention_runs",
    url_name="retention-runs",
)
def runs_list(request: HttpRequest) -> list[RunOut]:
    """Every run, newest first, with its counts (the DPO)."""
    return [_run(run) for run in retention_runs(actor=actor_of(request))[:100]]


@router.get(
    "/retention/runs/{run_id}",
    response={200: RunDetailOut, **READ_ERRORS},
    summary="One anonymisation run and its cases",
    operation_id="retention_run",
    url_name="retention-run",
)
def run_read(request: HttpRequest, run_id: int = Path(..., ge=1)) -> RunDetailOut:
    """The run and its dry-run list (metadata only)."""
    run = retention_run_for(actor=actor_of(request), pk=run_id)
    items = [_item(item) for item in run_items(run=run)[:ITEMS_LIMIT]]
    return RunDetailOut(**_run(run).dict(), items=items)


@router.post(
    "/retention/runs/{run_id}/approve",
    response={200: RunOut, **WRITE_ERRORS},
    summary="Approve an anonymisation run",
    operation_id="retention_run_approve",
    url_name="retention-run-approve",
)
def run_approve(request: HttpRequest, run_id: int = Path(..., ge=1)) -> RunOut:
    """Approve a proposed run: its pending cases will be anonymised by the worker (422 if it is not proposed)."""
    actor = actor_of(request)
    approve_run(actor=actor, run=retention_run_for(actor=actor, pk=run_id))
    return _run(retention_run_for(actor=actor, pk=run_id))
