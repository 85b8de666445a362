"""Liveness and readiness for load balancers and orchestrators (issue 20 part 2).

`/healthz` answers while the process can serve a request at all (no database): restart it when this fails.
`/readyz` answers 200 only when the database is reachable, every migration is applied and a worker has said it is
alive within `WORKER_HEARTBEAT_MAX_AGE_SECONDS`: send it traffic (and page someone) on this one.
Neither says anything about residents or cases; both are open, like a load balancer needs.
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from saferhomes.core.models import WorkerHeartbeat

logger = logging.getLogger("saferhomes.worker")


def heartbeat_max_age() -> timedelta:
    """How old the newest heartbeat may be before /readyz says no worker runs (and a dead worker's tasks return)."""
    return timedelta(seconds=int(getattr(settings, "WORKER_HEARTBEAT_MAX_AGE_SECONDS", 120)))


def heartbeat_every() -> timedelta:
    """How often a worker beats: every 15 seconds, or four times within the age limit if that is shorter."""
    return min(timedelta(seconds=15), heartbeat_max_age() / 4)


def heartbeat_beat(worker_id: str, *, started_at: datetime, now: datetime | None = None) -> None:
    """Record that this worker process is alive (an upsert of its one row)."""
    now = now or timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"hostname": socket.gethostname()[:255], "pid": os.getpid(), "started_at": started_at, "seen_at": now},
    )


def heartbeat_stop(worker_id: str) -> None:
    """A worker stopping cleanly removes its row; one killed leaves it to age out."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


_migrations_applied = False


def _pending_migrations() -> int:
    """How many migrations are not applied yet. Once none are, the answer is kept for this process: a deploy that
    adds migrations starts new processes."""
    global _migrations_applied
    if _migrations_applied:
        return 0
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    pending = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    _migrations_applied = pending == 0
    return pending


def readiness(now: datetime | None = None) -> tuple[bool, dict[str, str]]:
    """Whether this deployment is ready for traffic, and each check's answer in words."""
    now = now or timezone.now()
    checks: dict[str, str] = {}
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except DatabaseError as error:
        checks["database"] = f"unreachable: {type(error).__name__}"
        return False, {**checks, "migrations": "not checked", "worker": "not checked"}
    pending = _pending_migrations()
    checks["migrations"] = "ok" if pending == 0 else f"{pending} not applied: run saferhomes migrate"
    try:
        newest = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    except DatabaseError:  # the heartbeat table itself is not migrated yet
        return False, {**checks, "worker": "not checked"}
    if newest is None:
        checks["worker"] = "no worker has started: run saferhomes worker"
    elif now - newest > heartbeat_max_age():
        checks["worker"] = f"no worker heartbeat for {int((now - newest).total_seconds())} seconds"
    else:
        checks["worker"] = "ok"
    return all(answer == "ok" for answer in checks.values()), checks


def requeue_orphaned_tasks(now: datetime | None = None) -> int:
    """Put back on the queue every task left RUNNING by a worker that died (killed, out of memory, its machine lost):
    its worker has no fresh heartbeat and it started longer ago than the heartbeat limit. Every live worker calls
    this as it beats, so no task is lost; tasks are written to be run again safely (claims, idempotent services).
    Returns how many were put back."""
    now = now or timezone.now()
    stale_before = now - heartbeat_max_age()
    alive = set(WorkerHeartbeat.objects.filter(seen_at__gte=stale_before).values_list("worker_id", flat=True))
    requeued = 0
    with transaction.atomic():
        running = DBTaskResult.objects.running().filter(started_at__lt=stale_before).select_for_update(skip_locked=True)
        for result in running:
            if result.worker_ids and result.worker_ids[-1] in alive:
                continue  # a long task on a live worker
            result.status = TaskResultStatus.READY
            result.started_at = None
            result.save(update_fields=["status", "started_at"])
            requeued += 1
    if requeued:
        logger.warning("Put %d task(s) left running by a stopped worker back on the queue.", requeued)
    return requeued


def requeue_tasks_of(worker_id: str) -> int:
    """Put back on the queue every task still RUNNING under `worker_id`: called by that worker when the database
    comes back after an outage, between tasks, so none of them is really running any more (the outage cut them
    short, or stopped their result from being written). Returns how many were put back (issue 21 part 4)."""
    with transaction.atomic():
        running = DBTaskResult.objects.running().select_for_update(skip_locked=True)
        ours = [result for result in running if result.worker_ids and result.worker_ids[-1] == worker_id]
        for result in ours:
            result.status = TaskResultStatus.READY
            result.started_at = None
            result.save(update_fields=["status", "started_at"])
    return len(ours)
