"""`saferhomes worker`: run background tasks (django-tasks database backend) and the periodic schedule loop."""

from __future__ import annotations

import logging
import signal
import sys
import threading
import time
from argparse import ArgumentParser
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from saferhomes.core.health import (
    heartbeat_beat,
    heartbeat_every,
    heartbeat_stop,
    requeue_orphaned_tasks,
    requeue_tasks_of,
)
from saferhomes.core.log_context import task_context
from saferhomes.core.observability import QueryObserver
from saferhomes.core.schedule import registry, schedule_enqueue_due

logger = logging.getLogger("saferhomes.worker")


class ObservedWorker(Worker):
    """django-tasks-db's worker, with each task run's log lines carrying its task id and its slow queries logged
    (issue 20 part 7; core/observability.py)."""

    def run_task(self, db_task_result: DBTaskResult) -> None:
        with task_context(str(db_task_result.id)), QueryObserver().installed():
            super().run_task(db_task_result)


# issue 21 part 4: the longest wait between tries while the database is unreachable.
OUTAGE_MAX_WAIT = 5.0


@dataclass
class Outage:
    """While the database is unreachable: when it was lost (monotonic seconds) and how many tries have failed."""

    began_at: float | None = None
    failures: int = 0


class Command(BaseCommand):
    help = (
        "Run background tasks from the database queue and enqueue periodic jobs when they are due. "
        "SIGTERM or Ctrl+C stops it after the task in hand; a second signal stops it at once. "
        "--once enqueues the jobs that are due, runs every task that is ready, and exits."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--once", action="store_true", help="Enqueue due jobs, run ready tasks, then exit.")
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds to wait for new tasks when the queue is empty."
        )
        parser.add_argument(
            "--schedule-interval",
            type=float,
            default=30.0,
            help="Seconds between checks for periodic jobs that are due (default 30).",
        )
        parser.add_argument("--queue-name", default="*", help="Queues to run, comma-separated; '*' for all.")
        parser.add_argument("--worker-id", default="", help="Unique id for this worker (default: random).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["interval"] < 0 or options["schedule_interval"] <= 0:
            raise CommandError("--interval must be zero or more and --schedule-interval more than zero.")
        # django-tasks-db logs each empty batch at INFO; keep that for -v 2.
        logging.getLogger("django_tasks_db").setLevel(logging.DEBUG if options["verbosity"] > 1 else logging.WARNING)
        self.queue_names: list[str] = [name.strip() for name in options["queue_name"].split(",") if name.strip()]
        self.worker_id: str = options["worker_id"] or get_random_string(32)
        self.stopping = threading.Event()
        self.current: Worker | None = None
        jobs = registry.all()
        if options["once"]:
            enqueued = self._enqueue_due()
            ran = self._run_ready_tasks()
            self.stdout.write(f"Enqueued {len(enqueued)} periodic job(s); ran {ran} task(s).")
            return
        previous = self._install_signal_handlers()
        self.stdout.write(
            f"Worker {self.worker_id[:8]} running queues {','.join(self.queue_names)}; "
            f"periodic jobs: {', '.join(f'{job.name} (every {job.every})' for job in jobs) or 'none'}."
        )
        # The heartbeat has its own thread: a long task (an anonymisation run, a monthly report) must not make a live
        # worker look dead, or another worker would put its task back on the queue and run it twice. SQLite (the
        # one-machine demo, one worker) takes one writer at a time, so there the worker beats between tasks instead.
        threaded = connection.vendor != "sqlite"
        beating = threading.Thread(target=self._beat_until_stopped, name="heartbeat", daemon=True)
        if threaded:
            beating.start()
        started_at, next_beat = timezone.now(), 0.0
        try:
            next_schedule_check, outage = 0.0, Outage()
            while not self.stopping.is_set():
                if not threaded and time.monotonic() >= next_beat:
                    self._beat(started_at)
                    next_beat = time.monotonic() + heartbeat_every().total_seconds()
                try:
                    if time.monotonic() >= next_schedule_check:
                        self._enqueue_due()
                        next_schedule_check = time.monotonic() + options["schedule_interval"]
                    self._run_ready_tasks()
                    if outage.began_at is not None:
                        self._recovered(outage)
                except DatabaseError as error:  # issue 21 part 4: the database restarted or went away
                    self.stopping.wait(self._lost_database(outage, error))
                    continue
                self.stopping.wait(options["interval"])
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
            self.stopping.set()
            if threaded:
                beating.join(timeout=30)
            try:
                heartbeat_stop(self.worker_id)
            except DatabaseError:
                logger.warning("Could not remove this worker's heartbeat; it will age out.")
        self.stdout.write("Worker stopped.")

    def _lost_database(self, outage: Outage, error: DatabaseError) -> float:
        """The database went away (restarted, failed over, unreachable) or refused a write (locked, disk full): log it
        once, drop the broken connection so the next try opens a new one, and say how long to wait (1, 2, 4... up to
        OUTAGE_MAX_WAIT seconds). The worker never exits for it: it carries on when the database is back."""
        if outage.began_at is None:
            outage.began_at = time.monotonic()
            logger.warning("Lost the database (%s); retrying until it is back.", str(error).strip()[:200])
        outage.failures += 1
        with suppress(DatabaseError):  # the connection is gone already; close() has forgotten it either way
            connection.close()
        return min(OUTAGE_MAX_WAIT, 2.0 ** (outage.failures - 1))

    def _recovered(self, outage: Outage) -> None:
        """The database answers again: tasks this worker had claimed when it was lost go back on the queue (between
        tasks, none of them is still running here), and the outage is logged with its length."""
        requeued = requeue_tasks_of(self.worker_id)
        logger.warning(
            "The database is back after %.1f seconds; %d task(s) interrupted by the outage put back on the queue.",
            time.monotonic() - (outage.began_at or time.monotonic()),
            requeued,
        )
        outage.began_at, outage.failures = None, 0

    def _beat(self, started_at: datetime) -> bool:
        """Tell /readyz this worker is alive, and rescue tasks a dead worker left running. A database blip is logged,
        never fatal: the next beat retries. Returns whether it worked."""
        try:
            heartbeat_beat(self.worker_id, started_at=started_at)
            requeue_orphaned_tasks()
        except DatabaseError:
            logger.warning("Could not record this worker's heartbeat (database busy or unavailable); retrying.")
            return False
        return True

    def _beat_until_stopped(self) -> None:
        """The heartbeat thread: beat until the worker stops (sooner after a failed beat)."""
        started_at = timezone.now()
        try:
            while True:
                wait = heartbeat_every().total_seconds() if self._beat(started_at) else 1.0
                if self.stopping.wait(wait):
                    return
        finally:
            connection.close()

    def _enqueue_due(self) -> list[str]:
        names = schedule_enqueue_due()
        for name in names:
            logger.info("Enqueued periodic job %s", name)
        return names

    def _run_ready_tasks(self) -> int:
        """Run tasks until none is ready (django-tasks-db's worker in batch mode); returns how many ran."""
        worker = ObservedWorker(
            queue_names=self.queue_names,
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=self.worker_id,
            excluded_queue_names=[],
        )
        self.current = worker
        if self.stopping.is_set():
            worker.running = False
        worker.run()
        self.current = None
        return worker._run_tasks

    def _install_signal_handlers(self) -> dict[int, Any]:
        """Stop gracefully on the first SIGINT/SIGTERM, at once on the second; returns the handlers replaced."""

        def stop(signum: int, frame: FrameType | None) -> None:
            if self.stopping.is_set():
                logger.warning("Received %s again: stopping now.", signal.strsignal(signum))
                sys.exit(1)
            logger.warning("Received %s: stopping after the task in hand.", signal.strsignal(signum))
            self.stopping.set()
            if self.current is not None:
                self.current.running = False

        return {signum: signal.signal(signum, stop) for signum in (signal.SIGINT, signal.SIGTERM)}
