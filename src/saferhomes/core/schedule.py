"""Periodic jobs: functions the worker's schedule loop enqueues as background tasks when they are due.

Declare one in an app's `tasks.py` (the worker imports every app's `tasks` module):

    @periodic(every=timedelta(minutes=5), name="response-deadline-warnings")
    def response_deadline_warnings() -> int: ...

`periodic` turns the function into a django-tasks `Task` (so it can also be enqueued by hand) and registers it.
When each job was last enqueued is kept in the database (`core.ScheduledJob`), and a job is claimed with a
conditional update before it is enqueued, in the same transaction: a restarted worker does not run a job again
before it is due, and two workers never both enqueue it for the same period. A job that was missed while no worker
ran is enqueued once, not once per missed period.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django_tasks import task
from django_tasks.base import Task

from saferhomes.core.models import ScheduledJob


@dataclass(frozen=True)
class PeriodicJob:
    """A task and how often the schedule loop enqueues it."""

    name: str
    every: timedelta
    task: Task[Any, Any]


class PeriodicRegistry:
    """The periodic jobs known to this process, by name."""

    def __init__(self) -> None:
        self.jobs: dict[str, PeriodicJob] = {}
        self.discovered = False

    def register(self, job: PeriodicJob) -> None:
        """Add a job; a second job under the same name from a different function is a mistake."""
        existing = self.jobs.get(job.name)
        if existing is not None and existing.task.module_path != job.task.module_path:
            raise ValueError(f"Two periodic jobs are called {job.name!r}.")
        self.jobs[job.name] = job

    def all(self) -> list[PeriodicJob]:
        """Every job, after importing each app's `tasks` module once; sorted by name."""
        if not self.discovered:
            autodiscover_modules("tasks")
            self.discovered = True
        return sorted(self.jobs.values(), key=lambda job: job.name)


registry = PeriodicRegistry()


def periodic(
    *, every: timedelta, name: str, priority: int | None = None, queue_name: str | None = None
) -> Callable[[Callable[..., Any]], Task[Any, Any]]:
    """Make a function a task that the worker enqueues every `every` (it must take no arguments)."""
    if every <= timedelta(0):
        raise ValueError("A periodic job must run at a positive interval.")

    def decorate(func: Callable[..., Any]) -> Task[Any, Any]:
        options: dict[str, Any] = {}
        if priority is not None:
            options["priority"] = priority
        if queue_name is not None:
            options["queue_name"] = queue_name
        job_task = func if isinstance(func, Task) else task(**options)(func)
        registry.register(PeriodicJob(name=name, every=every, task=job_task))
        return job_task

    return decorate


def job_is_due(job: PeriodicJob, last_enqueued_at: datetime | None, now: datetime) -> bool:
    """Due if never enqueued, or if a whole period has passed since it last was."""
    return last_enqueued_at is None or now >= last_enqueued_at + job.every


def schedule_enqueue_due(*, now: datetime | None = None, jobs: list[PeriodicJob] | None = None) -> list[str]:
    """Enqueue every periodic job that is due now; returns their names. Safe to run from several workers at once."""
    now = now or timezone.now()
    enqueued = []
    for job in registry.all() if jobs is None else jobs:
        with transaction.atomic():
            state, _ = ScheduledJob.objects.get_or_create(name=job.name)
            if not job_is_due(job, state.last_enqueued_at, now):
                continue
            # Claim this period: only the worker whose update matches the value it read goes on to enqueue.
            claimed = ScheduledJob.objects.filter(pk=state.pk, last_enqueued_at=state.last_enqueued_at).update(
                last_enqueued_at=now
            )
            if not claimed:
                continue
            result = job.task.enqueue()
            ScheduledJob.objects.filter(pk=state.pk).update(last_task_id=str(result.id)[:64])
        enqueued.append(job.name)
    return enqueued
