"""Interventions' background job, run by `saferhomes worker` (core.schedule): milestone reminders."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from saferhomes.core.schedule import periodic
from saferhomes.interventions.notifications import milestone_reminders_send


# Milestones are due on days: checking every few hours reminds on the day one comes within the notice period.
@periodic(every=timedelta(hours=6), name="milestone-reminders")
def milestone_reminders() -> dict[str, Any]:
    """Remind assigned officers once about each intervention milestone due soon, and once more when overdue."""
    return milestone_reminders_send().as_dict()
