"""Case Review background jobs, run by `saferhomes worker` (core.schedule)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from saferhomes.case_review.review_alerts import review_deadline_alerts_send
from saferhomes.core.schedule import periodic


@periodic(every=timedelta(minutes=15), name="case-review-deadline-alerts")
def case_review_deadline_alerts() -> dict[str, Any]:
    """Email staff once about each overdue review panel and outcome letter (helper B: review_alerts.py)."""
    return review_deadline_alerts_send().as_dict()
