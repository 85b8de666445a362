"""The Case Review's periodic job: alerts about threshold decisions due soon or overdue."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from saferhomes.case_review.notifications import decision_alerts_send
from saferhomes.core.schedule import periodic


@periodic(every=timedelta(hours=1), name="case-review-decision-alerts")
def case_review_decision_alerts() -> dict[str, Any]:
    """Email the deciders once about each application whose threshold decision is due soon or overdue."""
    return decision_alerts_send().as_dict()
