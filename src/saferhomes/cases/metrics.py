"""The cases' gauge on /metrics (core.metrics, issue 20 part 7): open cases whose first response is overdue — the
same cases the dashboard counts as overdue (`response_state_q`, working statuses), across every team, in one COUNT.
A count only: no case is named."""

from __future__ import annotations

from datetime import datetime

from saferhomes.cases.filters import ResponseState, response_state_q
from saferhomes.cases.models import Case
from saferhomes.cases.selectors.dashboard import WORKING
from saferhomes.core.calendar_config import calendar_config_current
from saferhomes.core.metrics import Gauge, register_gauge


def responses_overdue(now: datetime) -> float:
    """How many open cases have a first response past its deadline and not yet given."""
    overdue = response_state_q(ResponseState.OVERDUE, now=now, config=calendar_config_current())
    return Case.objects.filter(overdue, status__in=WORKING).order_by().count()


def register() -> None:
    register_gauge(
        Gauge(
            name="saferhomes_responses_overdue",
            documentation="Open cases whose first response is overdue (as the dashboard counts them).",
            read=responses_overdue,
        )
    )
