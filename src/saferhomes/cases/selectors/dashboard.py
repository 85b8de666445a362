"""The dashboard as a summary (issue 14 item 12): how many of each thing needs the actor, each number the size of the
list it links to, in a handful of queries whatever the number of cases.

- One query over the cases the actor may see: how many in each status, responses overdue and due soon (the case
  list's own `response_state_q`, so a count is exactly what its link lists), and the actor's open cases.
- One each for cases with a planned contact due (within two days) and missed, and with a task overdue; one for
  closures to approve (managers).
Coordinators and managers (`cases.view_all_cases`) count every case they may see; officers their own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.http import urlencode

from saferhomes.accounts.models import User
from saferhomes.cases.filters import FollowUp, ResponseState, follow_up_q, response_state_q
from saferhomes.cases.models import Case, Status
from saferhomes.cases.selectors.approvals import closures_awaiting_approval
from saferhomes.cases.selectors.case import cases_visible_to
from saferhomes.core.calendar_config import calendar_config_current

APPROVE_CLOSURE = "cases.approve_closure"
VIEW_ALL = "cases.view_all_cases"
WORKING = (Status.NEW, Status.TRIAGED, Status.OPEN, Status.CLOSING, Status.REOPENED)


@dataclass(frozen=True)
class DashboardSummary:
    """The numbers on the dashboard; `sees_all` says whether they cover every visible case or the actor's own."""

    sees_all: bool
    by_status: dict[str, int]
    responses_overdue: int
    responses_due_soon: int
    my_open: int
    contacts_due: int
    contacts_missed: int
    tasks_overdue: int
    approvals: int | None = None  # None: the actor does not approve closures
    filters: dict[str, str] = field(default_factory=dict)  # the case-list query each count links to


def dashboard_cases(*, actor: User, sees_all: bool) -> QuerySet[Case]:
    """The cases the dashboard's follow-up counts cover: every visible case, or the actor's own."""
    cases = cases_visible_to(actor=actor)
    return cases if sees_all else cases.filter(assigned_officer_id=actor.pk)


def dashboard_summary(*, actor: User, now: dt.datetime | None = None) -> DashboardSummary:
    """Every count the dashboard shows, in four queries plus one for closures to approve (managers)."""
    now = now or timezone.now()
    sees_all = actor.has_perm(VIEW_ALL)
    config = calendar_config_current()
    working = Q(status__in=WORKING)
    case_counts = (
        cases_visible_to(actor=actor)
        .order_by()
        .aggregate(
            **{f"status_{status}": Count("pk", filter=Q(status=status)) for status in Status.values},
            overdue=Count("pk", filter=working & response_state_q(ResponseState.OVERDUE, now=now, config=config)),
            due_soon=Count("pk", filter=working & response_state_q(ResponseState.DUE_SOON, now=now, config=config)),
            mine=Count("pk", filter=working & Q(assigned_officer_id=actor.pk)),
        )
    )
    followed = dashboard_cases(actor=actor, sees_all=sees_all).filter(working).order_by()
    # One count each, not conditional counts in one query: a filter with EXISTS lets the database start from the few
    # plans and tasks that are due (a semi-join) instead of testing every visible case (bench/README.md).
    follow_ups = {
        name: followed.filter(follow_up_q(state, now=now)).count()
        for name, state in (
            ("contacts_due", FollowUp.CONTACT_DUE),
            ("contacts_missed", FollowUp.CONTACT_MISSED),
            ("tasks_overdue", FollowUp.TASK_OVERDUE),
        )
    }
    working_statuses = [("status", status) for status in WORKING]
    mine = [] if sees_all else [("officer", actor.get_username())]

    def listing(*pairs: tuple[str, str]) -> str:
        return urlencode([*pairs, *working_statuses])

    return DashboardSummary(
        sees_all=sees_all,
        by_status={status: case_counts[f"status_{status}"] or 0 for status in Status.values},
        responses_overdue=case_counts["overdue"] or 0,
        responses_due_soon=case_counts["due_soon"] or 0,
        my_open=case_counts["mine"] or 0,
        contacts_due=follow_ups["contacts_due"],
        contacts_missed=follow_ups["contacts_missed"],
        tasks_overdue=follow_ups["tasks_overdue"],
        approvals=closures_awaiting_approval(actor=actor).count() if actor.has_perm(APPROVE_CLOSURE) else None,
        filters={
            "overdue": listing(("response", ResponseState.OVERDUE), ("sort", "response_due")),
            "due_soon": listing(("response", ResponseState.DUE_SOON), ("sort", "response_due")),
            "mine": listing(("officer", actor.get_username())),
            "contacts_due": listing(("follow_up", FollowUp.CONTACT_DUE), *mine),
            "contacts_missed": listing(("follow_up", FollowUp.CONTACT_MISSED), *mine),
            "tasks_overdue": listing(("follow_up", FollowUp.TASK_OVERDUE), *mine),
        },
    )
