"""Liveness and readiness (issue 20 part 2): /healthz answers while the process is up; /readyz only when the database
answers, every migration is applied and a worker has said it is alive recently."""

from __future__ import annotations

import os
import signal
import time
from datetime import UTC, datetime, timedelta
from io import StringIO
from typing import Any, cast

import pytest
import time_machine
from django.core.management import call_command
from django.db import OperationalError
from django.test import Client
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from saferhomes.core import health, schedule
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.models import AuditEvent, WorkerHeartbeat
from saferhomes.core.schedule import PeriodicJob, PeriodicRegistry

NOW = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # the night the clocks go back: ages are in UTC, not wall time


def test_healthz_answers_without_the_database(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_is_not_ready_before_any_worker_has_started(client: Client) -> None:
    response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not ready"
    assert body["checks"] == {
        "database": "ok",
        "migrations": "ok",
        "worker": "no worker has started: run saferhomes worker",
    }


@pytest.mark.django_db
def test_readyz_is_ready_while_a_worker_beats_and_not_once_its_heartbeat_is_stale(client: Client) -> None:
    with time_machine.travel(NOW, tick=False):
        health.heartbeat_beat("worker-a", started_at=NOW)
        assert client.get("/readyz").status_code == 200
    with time_machine.travel(NOW + health.heartbeat_max_age(), tick=False):
        assert client.get("/readyz").json()["checks"]["worker"] == "ok"  # exactly the limit is still fresh
    with time_machine.travel(NOW + health.heartbeat_max_age() + timedelta(seconds=1), tick=False):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == "no worker heartbeat for 121 seconds"


@pytest.mark.django_db
def test_one_live_worker_among_stale_ones_is_enough(client: Client) -> None:
    with time_machine.travel(NOW, tick=False):
        health.heartbeat_beat("worker-killed", started_at=NOW)
    with time_machine.travel(NOW + timedelta(minutes=10), tick=False):
        health.heartbeat_beat("worker-live", started_at=NOW)
        assert client.get("/readyz").status_code == 200
    assert WorkerHeartbeat.objects.count() == 2


@pytest.mark.django_db
def test_readyz_names_migrations_not_applied(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    health.heartbeat_beat("worker-a", started_at=NOW)
    monkeypatch.setattr(health, "_migrations_applied", False)
    monkeypatch.setattr(health.MigrationExecutor, "migration_plan", lambda self, targets: [("a", False), ("b", False)])

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "2 not applied: run saferhomes migrate"


@pytest.mark.django_db
def test_readyz_says_the_database_is_unreachable_without_a_500(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr(health, "connections", _Refusing(refuse))

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"] == {
        "database": "unreachable: OperationalError",
        "migrations": "not checked",
        "worker": "not checked",
    }


class _Refusing:
    """Stands in for django.db.connections: every connection's cursor fails as a down database does."""

    def __init__(self, refuse: Any) -> None:
        self.refuse = refuse

    def __getitem__(self, alias: str) -> Any:
        return type("Connection", (), {"cursor": self.refuse})()


def test_health_endpoints_refuse_writes(client: Client) -> None:
    assert client.post("/healthz").status_code == 405
    assert client.post("/readyz").status_code == 405


@task()
def note_heartbeats_then_stop() -> str:
    """Runs inside the worker: records how many heartbeats exist (once the heartbeat thread has beaten), then asks the
    worker to stop."""
    deadline = time.monotonic() + 10
    while not WorkerHeartbeat.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    audit(actor=None, verb=cast(AuditVerb, "test.heartbeats"), after={"n": WorkerHeartbeat.objects.count()})
    os.kill(os.getpid(), signal.SIGTERM)
    return "stopped"


@pytest.mark.django_db(transaction=True)
def test_the_worker_beats_while_it_runs_and_removes_its_heartbeat_when_it_stops(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    jobs = PeriodicRegistry()
    jobs.discovered = True
    jobs.register(PeriodicJob(name="test-heartbeat", every=timedelta(hours=1), task=note_heartbeats_then_stop))
    monkeypatch.setattr("saferhomes.core.management.commands.worker.registry", jobs)
    monkeypatch.setattr(schedule, "registry", jobs)

    call_command("worker", "--interval", "0", "--worker-id", "worker-under-test", stdout=StringIO())

    assert AuditEvent.objects.get(verb="test.heartbeats").after == {"n": 1}
    assert not WorkerHeartbeat.objects.exists()


@pytest.mark.django_db
def test_tasks_left_running_by_a_dead_worker_go_back_on_the_queue_and_a_live_workers_do_not() -> None:
    def running(worker: str, started: datetime) -> DBTaskResult:
        result = DBTaskResult.objects.get(id=note_heartbeats_then_stop.enqueue().id)
        result.status, result.started_at, result.worker_ids = TaskResultStatus.RUNNING, started, [worker]
        result.save()
        return result

    with time_machine.travel(NOW, tick=False):
        health.heartbeat_beat("worker-alive", started_at=NOW)
        dead_long_ago = running("worker-killed", NOW - timedelta(minutes=5))
        dead_just_now = running("worker-killed", NOW - timedelta(seconds=30))  # may still be beating: wait
        long_task = running("worker-alive", NOW - timedelta(minutes=30))

        assert health.requeue_orphaned_tasks() == 1
        assert health.requeue_orphaned_tasks() == 0  # nothing twice

    statuses = {r.id: r.status for r in DBTaskResult.objects.all()}
    assert statuses[dead_long_ago.id] == TaskResultStatus.READY
    assert statuses[dead_just_now.id] == statuses[long_task.id] == TaskResultStatus.RUNNING
    assert DBTaskResult.objects.ready().filter(id=dead_long_ago.id).exists()
