"""Insights background jobs, run by `saferhomes worker` (core.schedule): the monthly performance report email."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from saferhomes.core.schedule import periodic
from saferhomes.insights.services.monthly_email import monthly_report_send


# Due from the first working day of a month: checking every few hours sends it early that day, once.
@periodic(every=timedelta(hours=3), name="monthly-performance-report")
def monthly_performance_report() -> dict[str, Any]:
    """Email last month's performance report to managers once, on the first working day of the month."""
    return monthly_report_send().as_dict()
