"""Core background jobs: housekeeping for the task queue itself."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from saferhomes.core.schedule import periodic

TASK_RESULTS_KEPT_FOR = timedelta(days=14)


@periodic(every=timedelta(days=1), name="prune-task-results")
def prune_task_results() -> int:
    """Delete results of background tasks that finished more than 14 days ago; returns how many went."""
    cutoff = timezone.now() - TASK_RESULTS_KEPT_FOR
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return deleted
