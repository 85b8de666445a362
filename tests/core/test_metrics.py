"""GET /metrics (issue 20 part 7): Prometheus text that parses, whose gauges match the database, whose request
histogram is labelled by URL name (never a path with a token), behind a bearer token, in a fixed number of queries;
and the worker's task runs log with their task id."""

from __future__ import annotations

import io
import logging
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from prometheus_client.parser import text_string_to_metric_families
from pytest_django import DjangoAssertNumQueries
from pytest_django.fixtures import Settings

from saferhomes.cases.models import Status
from saferhomes.core import health
from saferhomes.core.log_context import RequestIdFilter
from saferhomes.core.logging_json import JsonFormatter
from saferhomes.core.management.commands.worker import ObservedWorker
from tests.cases.factories import CaseFactory
from tests.factories import ApplicationFactory

NOW = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)
METRICS_TOKEN = "metrics-token-for-tests-0123456789"


@task()
def say_hello() -> str:
    logging.getLogger("saferhomes.test").info("Hello from a task")
    return "hello"


@pytest.fixture
def metrics_on(settings: Settings) -> str:
    settings.METRICS_TOKEN = METRICS_TOKEN
    return METRICS_TOKEN


def scrape(client: Client) -> dict[str, dict[tuple[tuple[str, str], ...], float]]:
    """Every sample of /metrics by name, then by its sorted labels."""
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {METRICS_TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    assert "no-cache" in response["Cache-Control"]
    samples: dict[str, dict[tuple[tuple[str, str], ...], float]] = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples.setdefault(sample.name, {})[tuple(sorted(sample.labels.items()))] = sample.value
    return samples


def value(samples: dict[str, dict[tuple[tuple[str, str], ...], float]], name: str) -> float:
    return samples[name][()]


def test_metrics_are_off_without_a_token_setting(client: Client, settings: Settings) -> None:
    settings.METRICS_TOKEN = ""

    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


@pytest.mark.django_db
def test_metrics_need_the_bearer_token_and_a_get(client: Client, metrics_on: str) -> None:
    missing = client.get("/metrics")
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer not-the-token")
    basic = client.get("/metrics", HTTP_AUTHORIZATION=f"Basic {metrics_on}")
    posted = client.post("/metrics", HTTP_AUTHORIZATION=f"Bearer {metrics_on}")

    assert missing.status_code == wrong.status_code == basic.status_code == 401
    assert missing["WWW-Authenticate"] == 'Bearer realm="metrics"'
    assert b"saferhomes_" not in missing.content + wrong.content
    assert posted.status_code == 405
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {metrics_on}").status_code == 200


@pytest.mark.django_db
def test_the_gauges_match_the_database(client: Client, metrics_on: str) -> None:
    with time_machine.travel(NOW, tick=False):
        for _ in range(3):
            say_hello.enqueue()
        running = DBTaskResult.objects.get(id=say_hello.enqueue().id)
        running.status, running.started_at = TaskResultStatus.RUNNING, NOW
        running.save()
        say_hello.using(run_after=NOW + timedelta(hours=1)).enqueue()  # not ready yet
        health.heartbeat_beat("worker-a", started_at=NOW - timedelta(seconds=40))
        overdue = dict(status=Status.OPEN, responded_at=None)
        CaseFactory.create(**overdue, response_due_at=NOW - timedelta(hours=2))
        CaseFactory.create(**overdue, response_due_at=NOW - timedelta(minutes=1))
        CaseFactory.create(**overdue, response_due_at=NOW + timedelta(days=1))  # due, not overdue
        CaseFactory.create(
            status=Status.CLOSED, closed_at=NOW, outcome="resolved", response_due_at=NOW - timedelta(days=3)
        )  # closed
        CaseFactory.create(status=Status.OPEN, response_due_at=NOW - timedelta(days=3), responded_at=NOW)  # answered
        ApplicationFactory.create(met=True, review_due_at=NOW - timedelta(days=1))  # panel overdue
        ApplicationFactory.create(met=True, review_due_at=NOW + timedelta(days=5))  # in time
    with time_machine.travel(NOW + timedelta(seconds=30), tick=False):
        samples = scrape(client)

    assert value(samples, "saferhomes_task_queue_depth") == 3
    assert value(samples, "saferhomes_tasks_running") == 1
    assert value(samples, "saferhomes_task_oldest_ready_age_seconds") == 30
    assert value(samples, "saferhomes_worker_heartbeat_age_seconds") == 30
    assert value(samples, "saferhomes_workers_alive") == 1
    assert value(samples, "saferhomes_responses_overdue") == 2
    assert value(samples, "saferhomes_case_reviews_overdue") == 1


@pytest.mark.django_db
def test_with_no_worker_ever_the_heartbeat_age_is_infinite(client: Client, metrics_on: str) -> None:
    samples = scrape(client)

    assert value(samples, "saferhomes_worker_heartbeat_age_seconds") == float("inf")
    assert value(samples, "saferhomes_workers_alive") == 0
    assert value(samples, "saferhomes_task_queue_depth") == 0


@pytest.mark.django_db
def test_request_latency_is_labelled_by_url_name_and_status_class_never_by_path(
    client: Client, metrics_on: str
) -> None:
    def count(samples: dict[str, dict[tuple[tuple[str, str], ...], float]], view: str, status: str) -> float:
        labels = (("method", "GET"), ("status", status), ("view", view))
        return samples["saferhomes_http_request_duration_seconds_count"].get(labels, 0.0)

    before = scrape(client)
    client.get("/healthz")
    client.get("/healthz")
    client.get("/report/status/tok3nOfAResident/")
    after = scrape(client)

    assert count(after, "core:healthz", "2xx") - count(before, "core:healthz", "2xx") == 2
    histogram = after["saferhomes_http_request_duration_seconds_bucket"]
    assert {dict(labels)["le"] for labels in histogram} >= {"0.1", "1.0", "+Inf"}
    every_label = {value for labels in histogram for _, value in labels}
    assert not any("tok3n" in label or "/" in label for label in every_label)


@pytest.mark.django_db
def test_a_scrape_takes_the_same_few_queries_however_much_there_is(
    client: Client, metrics_on: str, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for _ in range(5):
        say_hello.enqueue()
        CaseFactory.create(status=Status.OPEN, response_due_at=NOW - timedelta(days=1))
    with django_assert_max_num_queries(6):  # queue, heartbeats, calendar revision, responses, reviews (+ session)
        scrape(client)


@pytest.mark.django_db
def test_each_task_run_logs_with_its_task_id() -> None:
    result_id = str(say_hello.enqueue().id)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    target = logging.getLogger("saferhomes.test")
    target.addHandler(handler)
    target.setLevel(logging.INFO)
    worker = ObservedWorker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="worker-under-test",
        excluded_queue_names=[],
    )
    try:
        worker.run_task(DBTaskResult.objects.get(id=result_id))
    finally:
        target.removeHandler(handler)
        target.setLevel(logging.NOTSET)

    assert DBTaskResult.objects.get(id=result_id).status == TaskResultStatus.SUCCESSFUL
    assert f'"task_id": "{result_id}"' in stream.getvalue()
    assert "Hello from a task" in stream.getvalue()
