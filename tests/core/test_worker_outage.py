"""The worker and a lost database (issue 21 part 4): it never exits because PostgreSQL restarted or went away; it
waits, reconnects by itself, and puts back on the queue the task the outage cut short. (The real restart, against a
throwaway PostgreSQL server, is tests/production/test_database_restart.py.)"""

from __future__ import annotations

import logging
import os
import signal
from datetime import timedelta
from io import StringIO
from typing import cast

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from saferhomes.core import health, schedule
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.management.commands import worker as worker_command
from saferhomes.core.models import AuditEvent
from saferhomes.core.schedule import PeriodicJob, PeriodicRegistry

WORKER_ID = "worker-under-test"


@task()
def finish_then_stop_the_worker() -> str:
    """Leaves a mark, then asks the worker running it to stop (as a service manager would)."""
    audit(actor=None, verb=cast(AuditVerb, "test.ran_after_outage"))
    os.kill(os.getpid(), signal.SIGTERM)
    return "finished"


@pytest.fixture
def one_job(monkeypatch: pytest.MonkeyPatch) -> None:
    jobs = PeriodicRegistry()
    jobs.discovered = True
    jobs.register(PeriodicJob(name="test-outage", every=timedelta(hours=1), task=finish_then_stop_the_worker))
    monkeypatch.setattr(worker_command, "registry", jobs)
    monkeypatch.setattr(schedule, "registry", jobs)
    monkeypatch.setattr(worker_command, "OUTAGE_MAX_WAIT", 0.01)  # the test does not wait out the back-off


@pytest.mark.django_db(transaction=True)
def test_the_worker_outlives_a_lost_database_and_reruns_the_task_the_outage_cut_short(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, one_job: None
) -> None:
    real_run = worker_command.Command._run_ready_tasks
    failures = 3

    def database_gone_three_times(self: worker_command.Command) -> int:
        nonlocal failures
        if failures:
            if failures == 3:  # the job's task was in hand when the database went: left RUNNING under this worker
                DBTaskResult.objects.update(
                    status=TaskResultStatus.RUNNING, started_at=timezone.now(), worker_ids=[WORKER_ID]
                )
            failures -= 1
            raise OperationalError("server closed the connection unexpectedly")
        return real_run(self)

    monkeypatch.setattr(worker_command.Command, "_run_ready_tasks", database_gone_three_times)
    out = StringIO()
    with caplog.at_level(logging.WARNING, logger="saferhomes.worker"):
        call_command("worker", "--interval", "0", "--worker-id", WORKER_ID, stdout=out)

    assert out.getvalue().rstrip().endswith("Worker stopped.")  # stopped by the task's SIGTERM, not by the outage
    assert AuditEvent.objects.filter(verb="test.ran_after_outage").count() == 1
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL
    lost = [record for record in caplog.records if record.getMessage().startswith("Lost the database")]
    assert len(lost) == 1, "one warning for the outage, not one per try"
    assert any("1 task(s) interrupted by the outage" in record.getMessage() for record in caplog.records)


@pytest.mark.django_db
def test_only_this_workers_running_tasks_go_back_on_the_queue() -> None:
    ours, theirs, waiting = (finish_then_stop_the_worker.enqueue() for _ in range(3))
    for result, worker in ((ours, WORKER_ID), (theirs, "another-worker")):
        DBTaskResult.objects.filter(id=result.id).update(
            status=TaskResultStatus.RUNNING, started_at=timezone.now(), worker_ids=[worker]
        )

    assert health.requeue_tasks_of(WORKER_ID) == 1
    statuses = {str(pk): status for pk, status in DBTaskResult.objects.values_list("id", "status")}
    assert statuses == {
        str(ours.id): TaskResultStatus.READY,
        str(theirs.id): TaskResultStatus.RUNNING,
        str(waiting.id): TaskResultStatus.READY,
    }
