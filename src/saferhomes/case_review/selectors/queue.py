"""The staff list of applications and the threshold decisions due (issue 17 parts 1 and 3): filters by status and by
decision deadline (due soon: by the end of the next working day; overdue: past it), and the dashboard's counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.case_review.models import Application, ApplicationStatus
from saferhomes.case_review.selectors.applications import applications_visible_to
from saferhomes.core.calendar import LONDON, add_working_days
from saferhomes.core.calendar_config import calendar_current

DUE_SOON = "due_soon"
OVERDUE = "overdue"
DUE_FILTERS = ((DUE_SOON, "Decision due soon"), (OVERDUE, "Decision overdue"))


def due_soon_cutoff(now: dt.datetime) -> dt.datetime:
    """The end of the next working day after today (London): a decision due before then is due soon."""
    day = add_working_days(timezone.localtime(now, LONDON).date(), 1, calendar_current())
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=LONDON)


def due_q(due: str, *, now: dt.datetime) -> Q:
    waiting = Q(status=ApplicationStatus.RECEIVED, decision_due_at__isnull=False)
    if due == OVERDUE:
        return waiting & Q(decision_due_at__lt=now)
    if due == DUE_SOON:
        return waiting & Q(decision_due_at__gte=now, decision_due_at__lt=due_soon_cutoff(now))
    return Q()


def applications_list(
    *, actor: User, status: str = "", due: str = "", now: dt.datetime | None = None
) -> QuerySet[Application]:
    """The applications the actor may see, filtered by status and decision deadline, soonest decision first."""
    now = now or timezone.now()
    found = applications_visible_to(actor=actor)
    if status in ApplicationStatus.values:
        found = found.filter(status=status)
    if due in (DUE_SOON, OVERDUE):
        found = found.filter(due_q(due, now=now))
    return found.select_related("decided_by").order_by("status", "decision_due_at", "-received_at", "pk")


@dataclass(frozen=True)
class DecisionsDue:
    due_soon: int
    overdue: int
    waiting: int


def decisions_due(*, actor: User, now: dt.datetime | None = None) -> DecisionsDue:
    """How many threshold decisions the actor can see are waiting, due soon and overdue (one query)."""
    now = now or timezone.now()
    counts = applications_visible_to(actor=actor).aggregate(
        due_soon=Count("pk", filter=due_q(DUE_SOON, now=now)),
        overdue=Count("pk", filter=due_q(OVERDUE, now=now)),
        waiting=Count("pk", filter=Q(status=ApplicationStatus.RECEIVED)),
    )
    return DecisionsDue(**counts)
