"""Insights background jobs, run by `saferhomes worker` (core.schedule)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from saferhomes.core.schedule import periodic
from saferhomes.insights.policy_reminders import policy_review_reminders_send


# Due dates are days: checking every few hours reminds on the day a review comes within the notice period.
@periodic(every=timedelta(hours=6), name="policy-review-reminders")
def policy_review_reminders() -> dict[str, Any]:
    """Email managers once when a policy review comes due, and once more when it is overdue."""
    return policy_review_reminders_send().as_dict()
