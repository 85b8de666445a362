"""Privacy background jobs, run by `saferhomes worker` (core.schedule): carrying out the anonymisation runs the DPO
has approved (issue 19), each case in its own transaction, within a time budget so a night's run never blocks the
worker; what is left is taken up the next night (or by `saferhomes retention run`)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from saferhomes.core.schedule import periodic
from saferhomes.privacy.services.execute import execute_run, runs_to_execute

TIME_BUDGET = timedelta(hours=2)


@periodic(every=timedelta(days=1), name="retention-execute")
def retention_execute() -> dict[str, Any]:
    """Carry out approved anonymisation runs for up to TIME_BUDGET; returns counts (no personal data)."""
    until = timezone.now() + TIME_BUDGET
    totals = {"runs": 0, "anonymised": 0, "skipped_held": 0, "skipped_not_due": 0, "pending": 0}
    for run in runs_to_execute():
        if timezone.now() >= until:
            break
        result = execute_run(run, until=until)
        totals["runs"] += 1
        totals["anonymised"] += result.anonymised
        totals["skipped_held"] += result.skipped_held
        totals["skipped_not_due"] += result.skipped_not_due
        totals["pending"] += result.pending
    return totals
