"""Observability (issue 20 part 7): request ids on every log line and response, JSON log lines that never carry a
resident's private token, and slow requests and slow queries logged without the values a query was given."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from gunicorn.glogging import SafeAtoms
from pytest_django.fixtures import Settings

from saferhomes.accounts.models import User
from saferhomes.core import observability
from saferhomes.core.log_context import RequestIdFilter, request_context, safe_request_id, task_context
from saferhomes.core.logging_json import GunicornAccessJsonFormatter, JsonFormatter
from saferhomes.core.redaction import RedactPrivateLinks
from tests.test_settings import PRODUCTION_ENV, run_with_settings

TOKEN = "tok3nOfAResident"


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """What LOGGING's json console handler writes (the same filters and formatter), for the saferhomes loggers."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactPrivateLinks())
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    target = logging.getLogger("saferhomes")
    target.addHandler(handler)
    previous = target.level
    target.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        target.removeHandler(handler)
        target.setLevel(previous)


def lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


class SteppingClock:
    """A clock that moves on `step` seconds every time it is read: every timed thing takes `step` seconds."""

    def __init__(self, step: float) -> None:
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def test_a_safe_request_id_from_the_proxy_is_kept_and_an_unsafe_one_replaced() -> None:
    assert safe_request_id("abc-123_4.5") == "abc-123_4.5"
    for unsafe in ("short", "x" * 65, "has space in it", "line\nbreak-forged", "quote\"'<>", "", None):
        replacement = safe_request_id(unsafe)
        assert replacement != unsafe
        assert len(replacement) == 32
        assert int(replacement, 16) >= 0


def test_every_response_carries_the_request_id_and_keeps_a_safe_one_from_the_proxy(client: Client) -> None:
    given = client.get("/healthz", HTTP_X_REQUEST_ID="lb-0123456789abcdef")
    made = client.get("/healthz")
    refused = client.get("/healthz", HTTP_X_REQUEST_ID="evil\r\nid")

    assert given["X-Request-ID"] == "lb-0123456789abcdef"
    assert len(made["X-Request-ID"]) == 32
    assert refused["X-Request-ID"] != "evil\r\nid"
    assert len(refused["X-Request-ID"]) == 32


def test_log_lines_are_one_json_object_with_the_request_or_task_id(json_log: io.StringIO) -> None:
    log = logging.getLogger("saferhomes.test")
    with request_context("req-00000001"):
        log.info("Inside a request %s", 1)
    with task_context("task-uuid-1"):
        log.warning("Inside a task")
    log.info("Outside")

    first, second, third = lines(json_log)
    assert first["message"] == "Inside a request 1"
    assert first["request_id"] == "req-00000001"
    assert first["level"] == "INFO"
    assert first["logger"] == "saferhomes.test"
    assert str(first["time"]).endswith("Z")
    assert second["task_id"] == "task-uuid-1"
    assert second["request_id"] is None
    assert third["request_id"] is None
    assert "task_id" not in third


def test_a_status_page_token_never_appears_in_json_output(json_log: io.StringIO) -> None:
    log = logging.getLogger("saferhomes.test")
    log.info("Visited /report/status/%s/diary/", TOKEN)
    log.info({"path": f"/report/status/{TOKEN}/"})
    try:
        raise ValueError(f"bad link https://report.example/survey/{TOKEN}/")
    except ValueError:
        log.exception("Failed on /report/status/%s/", TOKEN)

    output = json_log.getvalue()
    assert TOKEN not in output
    records = lines(json_log)
    assert records[0]["message"] == "Visited /report/status/[redacted]/diary/"
    assert "ValueError: bad link https://report.example/survey/[redacted]/" in str(records[2]["exception"])


def test_gunicorns_access_log_is_json_with_the_request_id_and_no_token() -> None:
    atoms = SafeAtoms(
        {
            "h": "10.0.0.9",
            "m": "GET",
            "U": f"/report/status/{TOKEN}/",
            "q": "",
            "r": f"GET /report/status/{TOKEN}/ HTTP/1.1",
            "s": "200",
            "D": 12345,
            "B": 512,
            "a": "curl/8",
            "f": f"https://report.example/report/status/{TOKEN}/",
            "{x-request-id}o": "lb-0123456789abcdef",
        }
    )
    record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, '"%(r)s" %(s)s "%(f)s"', None, None)
    record.args = atoms  # as gunicorn's access() passes them

    assert RedactPrivateLinks().filter(record)
    line = GunicornAccessJsonFormatter().format(record)

    assert TOKEN not in line
    entry = json.loads(line)
    assert entry["request_id"] == "lb-0123456789abcdef"
    assert entry["method"] == "GET"
    assert entry["path"] == "/report/status/[redacted]/"
    assert entry["status"] == 200
    assert entry["duration_ms"] == 12.3
    assert entry["bytes"] == 512


def test_production_logs_are_json_and_every_handler_redacts_and_adds_request_ids(settings: Settings) -> None:
    for handler in settings.LOGGING["handlers"].values():
        assert handler["filters"][:2] == ["redact_private_links", "request_id"]
    assert settings.LOGGING["formatters"]["json"]["()"] == "saferhomes.core.logging_json.JsonFormatter"
    assert settings.MIDDLEWARE[0] == "saferhomes.core.observability.ObservabilityMiddleware"


@pytest.mark.django_db
def test_a_slow_request_is_logged_once_with_its_redacted_path_status_queries_and_request_id(
    client: Client, json_log: io.StringIO, monkeypatch: pytest.MonkeyPatch, settings: Settings
) -> None:
    settings.SLOW_REQUEST_MS = 1000
    settings.SLOW_QUERY_MS = 10_000
    monkeypatch.setattr(observability, "clock", SteppingClock(0.6))  # each read 600 ms later than the last

    client.get(f"/report/status/{TOKEN}/", HTTP_X_REQUEST_ID="lb-slow-request-1")

    slow = [line for line in lines(json_log) if line["logger"] == "saferhomes.slow"]
    assert len(slow) == 1
    (entry,) = slow
    assert entry["level"] == "WARNING"
    assert entry["request_id"] == "lb-slow-request-1"
    assert entry["path"] == "/report/status/[redacted]/"
    assert entry["method"] == "GET"
    assert entry["status"] == 404
    assert entry["duration_ms"] > 1000
    assert isinstance(entry["queries"], int)
    assert entry["queries"] >= 1
    assert TOKEN not in json_log.getvalue()


@pytest.mark.django_db
def test_a_quick_request_is_not_logged_as_slow(
    client: Client, json_log: io.StringIO, monkeypatch: pytest.MonkeyPatch, settings: Settings
) -> None:
    settings.SLOW_REQUEST_MS = 1000
    monkeypatch.setattr(observability, "clock", SteppingClock(0.001))

    client.get("/healthz")

    assert not [line for line in lines(json_log) if line["logger"] == "saferhomes.slow"]


@pytest.mark.django_db
def test_a_slow_query_is_logged_as_sql_without_its_parameter_values(
    json_log: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(observability, "clock", SteppingClock(0.3))  # every query "takes" 300 ms
    observer = observability.QueryObserver(threshold_ms=200)

    with request_context("req-slow-query"), observer.installed():
        User.objects.filter(username="Alice Private-Resident").exists()

    (entry,) = lines(json_log)
    assert entry["logger"] == "saferhomes.slow"
    assert entry["request_id"] == "req-slow-query"
    assert entry["kind"] == "slow_query"
    assert "accounts_user" in str(entry["message"])
    assert "Alice Private-Resident" not in json_log.getvalue()
    assert observer.queries == observer.slow == 1


@pytest.mark.django_db
def test_a_slow_querys_sql_is_cut_to_500_characters(json_log: io.StringIO, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(observability, "clock", SteppingClock(1.0))
    long_sql = "SELECT 1 WHERE " + " AND ".join(["1 = 1"] * 200)

    with observability.QueryObserver(threshold_ms=200).installed(), connection.cursor() as cursor:
        cursor.execute(long_sql)

    (entry,) = lines(json_log)
    sql = str(entry["message"]).split(": ", 1)[1]
    assert len(sql) == 500
    assert sql.startswith("SELECT 1 WHERE 1 = 1")


@pytest.mark.django_db
def test_queries_under_the_threshold_are_counted_not_logged(json_log: io.StringIO) -> None:
    observer = observability.QueryObserver(threshold_ms=60_000)

    with observer.installed():
        User.objects.count()
        User.objects.exists()

    assert observer.queries == 2
    assert json_log.getvalue() == ""


PRINT_OBSERVABILITY = [
    "-c",
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.LOG_FORMAT, settings.LOGGING['handlers']['console']['formatter'], "
    "'metrics' if any(p == '^metrics$' for p in getattr(settings, 'SECURE_REDIRECT_EXEMPT', [])) else 'redirected', "
    "settings.SLOW_REQUEST_MS, settings.SLOW_QUERY_MS, bool(settings.METRICS_TOKEN))",
]


def test_production_logs_json_by_default_and_metrics_skip_the_https_redirect(tmp_path: Path) -> None:
    production = run_with_settings(PRINT_OBSERVABILITY, var_dir=tmp_path, **PRODUCTION_ENV)
    development = run_with_settings(PRINT_OBSERVABILITY, var_dir=tmp_path, SAFERHOMES_ENV="development")
    chosen = run_with_settings(
        PRINT_OBSERVABILITY,
        var_dir=tmp_path,
        SAFERHOMES_ENV="development",
        SAFERHOMES_LOG_FORMAT="json",
        SAFERHOMES_SLOW_REQUEST_MS="250",
        SAFERHOMES_SLOW_QUERY_MS="50",
        SAFERHOMES_METRICS_TOKEN="set",
    )
    wrong = run_with_settings(PRINT_OBSERVABILITY, var_dir=tmp_path, SAFERHOMES_LOG_FORMAT="xml")

    assert production.stdout.split() == ["json", "json", "metrics", "1000", "200", "False"], production.stderr
    assert development.stdout.split() == ["text", "text", "redirected", "1000", "200", "False"], development.stderr
    assert chosen.stdout.split() == ["json", "json", "redirected", "250", "50", "True"], chosen.stderr
    assert wrong.returncode != 0
    assert "SAFERHOMES_LOG_FORMAT must be json or text" in wrong.stderr
