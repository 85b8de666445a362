"""Reads of legal holds and anonymisation runs for the DPO's pages and the API: metadata only (reference, type,
dates, reasons, who), never case contents."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from saferhomes.accounts.models import User
from saferhomes.cases.selectors.case import VIEW_CASE, cases_visible_to
from saferhomes.core.permissions import require
from saferhomes.privacy.models import ItemStatus, LegalHold, RetentionItem, RetentionRun, RunStatus

MANAGE_HOLDS = "privacy.manage_legal_hold"
MANAGE_RETENTION = "privacy.manage_retention"


def legal_holds_for(*, actor: User, active: bool | None = None) -> QuerySet[LegalHold]:
    """Holds `actor` may manage, newest first: every hold for the DPO; for staff who work cases, holds on cases they
    may see. `active` True/False narrows to active or lifted holds."""
    require(actor, MANAGE_HOLDS)
    holds = LegalHold.objects.select_related("case", "placed_by", "lifted_by").only(
        "id",
        "reason",
        "placed_at",
        "lifted_at",
        "lift_reason",
        "case__id",
        "case__reference",
        "case__case_type",
        "placed_by__username",
        "placed_by__first_name",
        "placed_by__last_name",
        "lifted_by__username",
        "lifted_by__first_name",
        "lifted_by__last_name",
    )
    if actor.has_perm(VIEW_CASE):
        holds = holds.filter(case__in=cases_visible_to(actor=actor).values("pk"))
    if active is not None:
        holds = holds.filter(lifted_at__isnull=active)
    return holds


def legal_hold_for(*, actor: User, pk: int) -> LegalHold:
    """One hold `actor` may manage, or Http404."""
    hold = legal_holds_for(actor=actor).filter(pk=pk).first()
    if hold is None:
        raise Http404("No such legal hold")
    return hold


def holds_on_case(*, case_id: int) -> QuerySet[LegalHold]:
    """Every hold on one case, active first (for the API's retention read, after the case check)."""
    return LegalHold.objects.filter(case_id=case_id).select_related("placed_by", "lifted_by").order_by("-placed_at")


def retention_runs(*, actor: User) -> QuerySet[RetentionRun]:
    """Every run, newest first, with its item counts by status."""
    require(actor, MANAGE_RETENTION)
    counts = {f"{status}_count": Count("items", filter=Q(items__status=status)) for status in ItemStatus.values}
    return (
        RetentionRun.objects.select_related("created_by", "approved_by")
        .annotate(items_count=Count("items"), **counts)
        .order_by("-created_at", "-id")
    )


def retention_run_for(*, actor: User, pk: int) -> RetentionRun:
    """One run with its counts, or Http404."""
    run = retention_runs(actor=actor).filter(pk=pk).first()
    if run is None:
        raise Http404("No such run")
    return run


def run_items(*, run: RetentionRun) -> QuerySet[RetentionItem]:
    """The run's cases in due-date order: reference, type, closed on, due on, rule (metadata only)."""
    return run.items.select_related("rule", "case").only(
        "id",
        "reference",
        "due_on",
        "status",
        "excluded_reason",
        "done_at",
        "rule__id",
        "rule__record",
        "rule__case_type",
        "rule__outcome_group",
        "rule__months",
        "rule__days",
        "case__id",
        "case__case_type",
        "case__closed_at",
    )


def cases_waiting_for_approval() -> int:
    """Cases on proposed runs still to anonymise: the DPO's dashboard count (one query)."""
    return RetentionItem.objects.filter(run__status=RunStatus.PROPOSED, status=ItemStatus.PENDING).count()
