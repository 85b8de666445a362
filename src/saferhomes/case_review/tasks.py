"""Case Review background jobs, run by `saferhomes worker` (core.schedule): alerts about threshold decisions due soon
or overdue, and about overdue review panels and outcome letters."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from saferhomes.case_review.notifications import decision_alerts_send
from saferhomes.case_review.review_alerts import review_deadline_alerts_send
from saferhomes.core.schedule import periodic


@periodic(every=timedelta(hours=1), name="case-review-decision-alerts")
def case_review_decision_alerts() -> dict[str, Any]:
    """Email the deciders once about each application whose threshold decision is due soon or overdue."""
    return decision_alerts_send().as_dict()


@periodic(every=timedelta(minutes=15), name="case-review-deadline-alerts")
def case_review_deadline_alerts() -> dict[str, Any]:
    """Email staff once about each overdue review panel and outcome letter."""
    return review_deadline_alerts_send().as_dict()
