"""Risk background jobs, run by `saferhomes worker` (core.schedule)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from saferhomes.core.schedule import periodic
from saferhomes.risk.notifications import reassessment_reminders_send

# Reassessment dates are days: checking hourly reminds within an hour of a date passing (or of the worker starting).
REMINDERS_EVERY = timedelta(hours=1)


@periodic(every=REMINDERS_EVERY, name="reassessment-reminders")
def reassessment_reminders() -> dict[str, Any]:
    """Email the assigned officer once about each case whose risk reassessment is overdue."""
    return reassessment_reminders_send().as_dict()
