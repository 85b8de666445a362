"""What is due on interventions, for the dashboard's "Interventions" panel, the list behind its counts, the team
workload column and the worker's reminders: expected milestones (a CPW's time to comply, an order's expiry, a secure
tenant's review window) of approved or active interventions, and formal action waiting for a manager's approval.
Every read is limited to the cases the actor may see (`cases_visible_to`)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet

from saferhomes.accounts.models import User
from saferhomes.cases.extensions import DueCounts
from saferhomes.cases.models import Case
from saferhomes.cases.selectors.case import cases_visible_to
from saferhomes.interventions.models import Intervention, InterventionStatus, Milestone

DUE_SOON_DAYS = 14  # the dashboard's and the list's "due soon": today or in the next 14 days
WORKLOAD_DUE_DAYS = 7  # the team workload's "due", like reassessments
VIEW_ALL = "cases.view_all_cases"
APPROVE_FORMAL_ACTION = "interventions.approve_formal_action"
RUNNING = (InterventionStatus.APPROVED, InterventionStatus.ACTIVE)

DUE_LISTS = {
    "overdue": "Milestones overdue",
    "soon": "Milestones due soon",
    "approval": "Formal action awaiting approval",
}


def expected_milestones() -> QuerySet[Milestone]:
    """Milestones expected (a due date, not yet happened) on interventions that are running."""
    return Milestone.objects.filter(occurred_on__isnull=True, due_on__isnull=False, intervention__status__in=RUNNING)


def mine_only(*, actor: User, asked: bool) -> bool:
    """Whether a due list shows only the actor's own cases: when they ask, and always for staff who may not see
    every case."""
    return asked or not actor.has_perm(VIEW_ALL)


def _cases(actor: User, mine: bool) -> QuerySet[Case]:
    cases = cases_visible_to(actor=actor)
    return cases.filter(assigned_officer=actor) if mine else cases


def interventions_due_counts(*, actor: User, today: dt.date, mine: bool) -> dict[str, int | None]:
    """The panel's counts: milestones overdue and due soon (one query), and for approvers the formal action
    waiting for them (None for staff who may not approve)."""
    counts = (
        expected_milestones()
        .filter(intervention__case__in=_cases(actor, mine))
        .aggregate(
            overdue=Count("pk", filter=Q(due_on__lt=today)),
            soon=Count("pk", filter=Q(due_on__gte=today, due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS))),
        )
    )
    approval = awaiting_approval(actor=actor).count() if actor.has_perm(APPROVE_FORMAL_ACTION) else None
    return {"overdue": counts["overdue"] or 0, "soon": counts["soon"] or 0, "approval": approval}


def milestones_due_list(*, actor: User, show: str, mine: bool, today: dt.date) -> QuerySet[Milestone]:
    """The milestones behind one of the panel's counts ("overdue" or "soon"), the soonest first."""
    due = expected_milestones().filter(intervention__case__in=_cases(actor, mine))
    if show == "overdue":
        due = due.filter(due_on__lt=today)
    else:
        due = due.filter(due_on__gte=today, due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
    return due.select_related(
        "intervention__case__assigned_officer", "intervention__party__person", "intervention__catalogue"
    ).order_by("due_on", "pk")


def awaiting_approval(*, actor: User) -> QuerySet[Intervention]:
    """Formal action put forward for approval on cases the actor may see, the longest waiting first (an approver
    cannot approve what they put forward themselves: the page says so)."""
    return (
        Intervention.objects.filter(status=InterventionStatus.AWAITING_APPROVAL, case__in=cases_visible_to(actor=actor))
        .select_related("case__assigned_officer", "party__person", "catalogue", "requested_by")
        .order_by("requested_at", "pk")
    )


def milestones_by_officer(*, cases: QuerySet[Case], today: dt.date) -> dict[int | None, DueCounts]:
    """Expected milestones overdue, and due within `WORKLOAD_DUE_DAYS`, on `cases` (already those the actor may see),
    per assigned officer (None for unassigned cases): one grouped query (the team workload column)."""
    horizon = today + dt.timedelta(days=WORKLOAD_DUE_DAYS)
    rows = (
        expected_milestones()
        .filter(intervention__case__in=cases)
        .order_by()
        .values("intervention__case__assigned_officer_id")
        .annotate(
            overdue=Count("pk", filter=Q(due_on__lt=today)),
            due=Count("pk", filter=Q(due_on__gte=today, due_on__lte=horizon)),
        )
    )
    return {
        row["intervention__case__assigned_officer_id"]: DueCounts(due=row["due"], overdue=row["overdue"])
        for row in rows
    }
