"""Residents' private-link tokens never reach a log we write (issue 14 item 9): Django's request log, runserver's
access log, our own loggers and gunicorn's production access and error logs."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import logging
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.servers.basehttp import WSGIRequestHandler
from django.test import Client
from django.utils.log import configure_logging
from pytest_django.fixtures import Settings

from saferhomes.core.redaction import redact_private_links
from saferhomes.intake.models import Channel
from saferhomes.intake.services.report import ReportDetails, report_submit
from saferhomes.intake.services.status import status_link_issue

TOKEN = "Zq3-secret_TOKEN-abcdefghijklmnopqrstuvwxyz0123"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("GET /report/status/abc-DEF_1/ HTTP/1.1", "GET /report/status/[redacted]/ HTTP/1.1"),
        ("POST /report/status/abc/diary/ HTTP/1.1", "POST /report/status/[redacted]/diary/ HTTP/1.1"),
        ("/survey/abc/", "/survey/[redacted]/"),
        ("/survey/abc", "/survey/[redacted]"),
        ('"https://asb.example.org/report/status/abc/?x=1"', '"https://asb.example.org/report/status/[redacted]/?x=1"'),
        ("Not Found: /report/status/abc/diary/", "Not Found: /report/status/[redacted]/diary/"),
        ("GET /survey/thanks/ HTTP/1.1", "GET /survey/thanks/ HTTP/1.1"),
        ("GET /report/new-link/ HTTP/1.1", "GET /report/new-link/ HTTP/1.1"),
        ("GET /staff/cases/ASB-2026-000302/ HTTP/1.1", "GET /staff/cases/ASB-2026-000302/ HTTP/1.1"),
    ],
)
def test_private_link_tokens_are_redacted_and_nothing_else(text: str, expected: str) -> None:
    assert redact_private_links(text) == expected


@pytest.fixture(autouse=True)
def _private_files(settings: Settings, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path


@pytest.mark.django_db
def test_status_page_and_diary_requests_log_no_token(log_output: io.StringIO) -> None:
    report = report_submit(
        details=ReportDetails(problem="noise", description="Music at night", first_name="Ada", email="ada@example.org"),
        channel=Channel.WEB,
    )
    token = status_link_issue(report=report)
    client = Client(raise_request_exception=False)

    assert client.get(f"/report/status/{token}/").status_code == 200
    assert client.post(f"/report/status/{token}/diary/", {"text": "\x00"}).status_code in {200, 400}
    assert client.get(f"/report/status/{TOKEN}/").status_code == 404  # django.request: "Not Found: <path>"
    assert client.get(f"/report/status/{TOKEN}/diary/").status_code == 404
    assert client.get(f"/survey/{TOKEN}/").status_code == 404

    written = log_output.getvalue()
    assert "Not Found: /report/status/[redacted]/" in written
    assert "/survey/[redacted]/" in written
    assert token not in written
    assert TOKEN not in written


@pytest.mark.django_db
def test_a_server_error_on_the_status_page_logs_no_token(
    log_output: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*, token: str) -> None:
        raise RuntimeError(f"could not read /report/status/{token}/")

    monkeypatch.setattr("saferhomes.intake.views.public.status_link_for_token", fail)

    assert Client(raise_request_exception=False).get(f"/report/status/{TOKEN}/").status_code == 500
    written = log_output.getvalue()
    assert "RuntimeError: could not read /report/status/[redacted]/" in written, "the traceback is still logged"
    assert TOKEN not in written


def test_our_own_loggers_log_no_token(log_output: io.StringIO) -> None:
    logging.getLogger("saferhomes.intake.services.status").warning("link %s refused", f"/report/status/{TOKEN}/")

    assert "link /report/status/[redacted]/ refused" in log_output.getvalue()
    assert TOKEN not in log_output.getvalue()


def test_runserver_access_log_has_no_token(log_output: io.StringIO) -> None:
    handler = WSGIRequestHandler.__new__(WSGIRequestHandler)
    handler.request = None  # type: ignore[assignment]
    handler.log_message('"%s" %s %s', f"GET /report/status/{TOKEN}/diary/ HTTP/1.1", "200", "1234")

    assert '"GET /report/status/[redacted]/diary/ HTTP/1.1" 200 1234' in log_output.getvalue()
    assert TOKEN not in log_output.getvalue()


@pytest.fixture
def _restore_django_logging(settings: Settings) -> Iterator[None]:
    """gunicorn's Logger configures logging for the whole process: put Django's configuration back afterwards."""
    yield
    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)


@pytest.mark.usefixtures("_restore_django_logging")
def test_gunicorn_access_log_has_no_token_in_the_request_line_or_referer() -> None:
    from gunicorn.config import Config
    from gunicorn.glogging import Logger

    module = importlib.import_module("saferhomes.config.gunicorn")
    config = Config()
    for name, value in vars(module).items():
        if name in config.settings:
            config.set(name, value)
    logger = Logger(config)
    output = io.StringIO()
    access_handlers = logging.getLogger("gunicorn.access").handlers
    assert access_handlers, "the production config gives the access log a handler"
    for handler in access_handlers:
        assert isinstance(handler, logging.StreamHandler)
        handler.setStream(output)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/report/status/{TOKEN}/",
        "PATH_INFO": f"/report/status/{TOKEN}/",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "192.0.2.1",
        "HTTP_REFERER": f"https://report.calico.example/survey/{TOKEN}/",
        "HTTP_USER_AGENT": "Mozilla/5.0",
    }
    response = SimpleNamespace(status="200 OK", sent=512, headers=[])

    logger.access(response, SimpleNamespace(headers=[]), environ, dt.timedelta(milliseconds=12))

    line = output.getvalue()
    assert (
        '"GET /report/status/[redacted]/ HTTP/1.1" 200 512 "https://report.calico.example/survey/[redacted]/"' in line
    )
    assert TOKEN not in line
