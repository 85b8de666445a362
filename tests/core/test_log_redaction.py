"""Logs never carry a resident's private links (issue 14 item 9): status and survey tokens are redacted in every
record our handlers write — Django's request warnings, the development server's access log, our own loggers."""

from __future__ import annotations

import io
import logging
import logging.config
from collections.abc import Iterator
from typing import Any, cast

import pytest
from django.conf import settings
from django.test import Client

from saferhomes.core.logging import REDACTED, RedactSecretsFilter, redact_secrets

TOKEN = "Zq3xY_8-abcDEF0123456789ghijklmnopQRSTUV"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (f'"GET /report/status/{TOKEN}/ HTTP/1.1" 200', f'"GET /report/status/{REDACTED}/ HTTP/1.1" 200'),
        (f"Not Found: /report/status/{TOKEN}/diary/", f"Not Found: /report/status/{REDACTED}/diary/"),
        (f"/survey/{TOKEN}/?x=1", f"/survey/{REDACTED}/?x=1"),
        ("/report/what-happened/", "/report/what-happened/"),
        ("/staff/cases/ASB-2026-000001/", "/staff/cases/ASB-2026-000001/"),
    ],
)
def test_private_tokens_are_redacted_and_nothing_else(line: str, expected: str) -> None:
    assert redact_secrets(line) == expected


def test_the_filter_rewrites_a_formatted_record() -> None:
    record = logging.LogRecord(
        "django.server", logging.INFO, __file__, 1, '"%s" %s', (f"GET /survey/{TOKEN}/", 200), None
    )
    assert RedactSecretsFilter().filter(record)
    assert TOKEN not in record.getMessage()
    assert record.getMessage() == f'"GET /survey/{REDACTED}/" 200'


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """The project's logging set up as in production, every handler writing to one buffer."""
    buffer = io.StringIO()
    logging.config.dictConfig(settings.LOGGING)
    handlers = {h for name in ("", "django.request", "django.server") for h in logging.getLogger(name).handlers}
    for handler in handlers:
        assert isinstance(handler, logging.StreamHandler)
        handler.setStream(buffer)
    yield buffer
    logging.config.dictConfig(settings.LOGGING)


@pytest.mark.django_db
def test_a_request_for_an_unknown_status_link_leaves_no_token_in_the_log(
    client: Client, log_output: io.StringIO
) -> None:
    client.get(f"/report/status/{TOKEN}/diary/")  # a 404 for a POST-only page is logged by django.request
    client.post(f"/survey/{TOKEN}/", {})
    logging.getLogger("saferhomes.anything").warning("Opened /report/status/%s/", TOKEN)
    logging.getLogger("django.server").info('"GET /report/status/%s/ HTTP/1.1" 200 512', TOKEN)
    written = log_output.getvalue()
    assert "Opened /report/status/[redacted]/" in written
    assert '"GET /report/status/[redacted]/ HTTP/1.1" 200' in written
    assert TOKEN not in written


def test_every_handler_in_the_settings_redacts() -> None:
    handlers = cast(dict[str, dict[str, Any]], settings.LOGGING["handlers"])
    for name, handler in handlers.items():
        assert "redact_secrets" in handler.get("filters", []), name
