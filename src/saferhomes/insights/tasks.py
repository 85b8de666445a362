"""Insights background jobs, run by `saferhomes worker` (core.schedule): policy review reminders and the monthly
performance report email."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from saferhomes.core.schedule import periodic
from saferhomes.insights.policy_reminders import policy_review_reminders_send
from saferhomes.insights.services.monthly_email import monthly_report_send


# Due dates are days: checking every few hours reminds on the day a review comes within the notice period.
@periodic(every=timedelta(hours=6), name="policy-review-reminders")
def policy_review_reminders() -> dict[str, Any]:
    """Email managers once when a policy review comes due, and once more when it is overdue."""
    return policy_review_reminders_send().as_dict()


# Due from the first working day of a month: checking every few hours sends it early that day, once.
@periodic(every=timedelta(hours=3), name="monthly-performance-report")
def monthly_performance_report() -> dict[str, Any]:
    """Email last month's performance report to managers once, on the first working day of the month."""
    return monthly_report_send().as_dict()
