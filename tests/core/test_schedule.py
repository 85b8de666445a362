"""The periodic schedule: jobs enqueued when due, once per period, across restarts and workers; the worker command."""

from __future__ import annotations

import os
import signal
from datetime import UTC, datetime, timedelta
from io import StringIO
from typing import cast

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from saferhomes.core import schedule
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.models import AuditEvent, ScheduledJob
from saferhomes.core.schedule import PeriodicJob, PeriodicRegistry, periodic, schedule_enqueue_due
from saferhomes.core.tasks import prune_task_results

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@task()
def record_run() -> str:
    """A periodic job for these tests: leaves a mark in the audit trail."""
    audit(actor=None, verb=cast(AuditVerb, "test.periodic_ran"))
    return "ran"


@task()
def ask_the_worker_to_stop() -> str:
    """Sends this process SIGTERM while the worker is running it, as a service manager would."""
    os.kill(os.getpid(), signal.SIGTERM)
    audit(actor=None, verb=cast(AuditVerb, "test.finished_after_sigterm"))
    return "finished"


def first_job() -> None:
    """Stands in for a periodic function in the decorator tests."""


def second_job() -> None:
    """Another one, to show that names must be unique."""


EVERY_FIVE_MINUTES = PeriodicJob(name="test-record-run", every=timedelta(minutes=5), task=record_run)


@pytest.fixture
def only_test_jobs(monkeypatch: pytest.MonkeyPatch) -> PeriodicRegistry:
    """Replace the real periodic jobs with the test job, for the worker command."""
    test_registry = PeriodicRegistry()
    test_registry.discovered = True
    test_registry.register(EVERY_FIVE_MINUTES)
    monkeypatch.setattr(schedule, "registry", test_registry)
    monkeypatch.setattr("saferhomes.core.management.commands.worker.registry", test_registry)
    return test_registry


@pytest.mark.django_db
def test_job_is_enqueued_when_first_seen_then_not_again_until_its_period_has_passed() -> None:
    with time_machine.travel(START, tick=False) as traveller:
        assert schedule_enqueue_due(jobs=[EVERY_FIVE_MINUTES]) == ["test-record-run"]
        traveller.shift(timedelta(minutes=4, seconds=59))
        assert schedule_enqueue_due(jobs=[EVERY_FIVE_MINUTES]) == []
        traveller.shift(timedelta(seconds=1))
        assert schedule_enqueue_due(jobs=[EVERY_FIVE_MINUTES]) == ["test-record-run"]
    assert DBTaskResult.objects.count() == 2
    state = ScheduledJob.objects.get(name="test-record-run")
    assert state.last_enqueued_at == START + timedelta(minutes=5)
    assert state.last_task_id == str(DBTaskResult.objects.order_by("-enqueued_at").values_list("id", flat=True)[0])


@pytest.mark.django_db
def test_a_restarted_worker_does_not_enqueue_a_job_again_before_it_is_due() -> None:
    with time_machine.travel(START, tick=False) as traveller:
        schedule_enqueue_due(jobs=[EVERY_FIVE_MINUTES])
        traveller.shift(timedelta(minutes=1))
        # A new process knows nothing but what the database remembers.
        fresh = PeriodicRegistry()
        fresh.discovered = True
        fresh.register(EVERY_FIVE_MINUTES)
        assert schedule_enqueue_due(jobs=fresh.all()) == []
    assert DBTaskResult.objects.count() == 1


@pytest.mark.django_db
def test_missed_periods_while_no_worker_ran_enqueue_the_job_once() -> None:
    with time_machine.travel(START, tick=False) as traveller:
        schedule_enqueue_due(jobs=[EVERY_FIVE_MINUTES])
        traveller.shift(timedelta(days=2))
        assert schedule_enqueue_due(jobs=[EVERY_FIVE_MINUTES]) == ["test-record-run"]
        assert schedule_enqueue_due(jobs=[EVERY_FIVE_MINUTES]) == []
    assert DBTaskResult.objects.count() == 2


@pytest.mark.django_db
def test_two_workers_that_read_the_same_state_cannot_both_claim_the_period(monkeypatch: pytest.MonkeyPatch) -> None:
    with time_machine.travel(START, tick=False):
        schedule_enqueue_due(jobs=[EVERY_FIVE_MINUTES])
    stale = ScheduledJob.objects.get(name="test-record-run")
    real_get_or_create = ScheduledJob.objects.get_or_create

    def get_or_create_then_lose_the_race(**kwargs):
        # This worker reads the state, then another worker claims the period before this one can.
        result = real_get_or_create(**kwargs)
        ScheduledJob.objects.filter(pk=stale.pk).update(last_enqueued_at=START + timedelta(minutes=5))
        return result

    monkeypatch.setattr(ScheduledJob.objects, "get_or_create", get_or_create_then_lose_the_race)
    with time_machine.travel(START + timedelta(minutes=5), tick=False):
        assert schedule_enqueue_due(jobs=[EVERY_FIVE_MINUTES]) == []
    assert DBTaskResult.objects.count() == 1


def test_periodic_registers_the_function_as_a_task_and_refuses_duplicate_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    test_registry = PeriodicRegistry()
    test_registry.discovered = True
    monkeypatch.setattr(schedule, "registry", test_registry)
    made = periodic(every=timedelta(hours=1), name="first")(first_job)
    assert made.module_path == f"{__name__}.first_job"
    assert [(job.name, job.every) for job in test_registry.all()] == [("first", timedelta(hours=1))]
    with pytest.raises(ValueError, match="Two periodic jobs"):
        periodic(every=timedelta(hours=1), name="first")(second_job)
    with pytest.raises(ValueError, match="positive interval"):
        periodic(every=timedelta(0), name="never")


def test_the_worker_finds_every_apps_periodic_jobs() -> None:
    names = {job.name for job in schedule.registry.all()}
    assert "prune-task-results" in names


@pytest.mark.django_db(transaction=True)
def test_worker_once_enqueues_due_jobs_runs_them_and_exits(only_test_jobs: PeriodicRegistry) -> None:
    out = StringIO()
    with time_machine.travel(START, tick=False) as traveller:
        call_command("worker", "--once", stdout=out)
        assert "Enqueued 1 periodic job(s); ran 1 task(s)." in out.getvalue()
        assert AuditEvent.objects.filter(verb="test.periodic_ran").count() == 1
        traveller.shift(timedelta(minutes=1))
        out = StringIO()
        call_command("worker", "--once", stdout=out)
        assert "Enqueued 0 periodic job(s); ran 0 task(s)." in out.getvalue()
    assert AuditEvent.objects.filter(verb="test.periodic_ran").count() == 1
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)
def test_worker_stops_gracefully_on_sigterm_after_finishing_the_task_in_hand(monkeypatch: pytest.MonkeyPatch) -> None:
    stopper = PeriodicRegistry()
    stopper.discovered = True
    stopper.register(PeriodicJob(name="test-stop", every=timedelta(hours=1), task=ask_the_worker_to_stop))
    monkeypatch.setattr("saferhomes.core.management.commands.worker.registry", stopper)
    monkeypatch.setattr(schedule, "registry", stopper)
    handler_before = signal.getsignal(signal.SIGTERM)
    out = StringIO()
    call_command("worker", "--interval", "0", stdout=out)
    assert out.getvalue().rstrip().endswith("Worker stopped.")
    assert AuditEvent.objects.filter(verb="test.finished_after_sigterm").count() == 1
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert signal.getsignal(signal.SIGTERM) == handler_before


@pytest.mark.django_db
def test_prune_task_results_deletes_results_finished_more_than_14_days_ago() -> None:
    with time_machine.travel(START, tick=False):
        old, recent, waiting = (record_run.enqueue() for _ in range(3))
        DBTaskResult.objects.filter(pk=old.id).update(
            status="SUCCESSFUL", finished_at=timezone.now() - timedelta(days=15)
        )
        DBTaskResult.objects.filter(pk=recent.id).update(
            status="FAILED", finished_at=timezone.now() - timedelta(days=13)
        )
        assert prune_task_results.call() == 1
    assert {str(pk) for pk in DBTaskResult.objects.values_list("id", flat=True)} == {recent.id, waiting.id}
