"""JSON log lines for production (issue 20 part 7): one JSON object per line, for a log collector to parse.

`JsonFormatter` is LOGGING's formatter when SAFERHOMES_LOG_FORMAT=json (the default in production): time (ISO 8601,
UTC), level, logger, message, request_id / task_id (core.log_context) and the exception's traceback when there is
one. `GunicornAccessJsonFormatter` writes gunicorn's access log the same way (config/gunicorn.py). Handlers keep
`core.redaction.RedactPrivateLinks` in front of these formatters; each line is redacted once more as it is written,
so a resident's private link cannot reach the log whatever a caller passes. Standard library only: gunicorn's master
process loads it too.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from saferhomes.core.redaction import redact_private_links


def _iso_utc(created: float) -> str:
    return datetime.fromtimestamp(created, tz=UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _line(fields: dict[str, Any]) -> str:
    return redact_private_links(json.dumps(fields, ensure_ascii=False, default=str))


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, request_id, task_id, and exception if any."""

    def format(self, record: logging.LogRecord) -> str:
        fields: dict[str, Any] = {
            "time": _iso_utc(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        task_id = getattr(record, "task_id", None)
        if task_id:
            fields["task_id"] = task_id
        extra = getattr(record, "fields", None)  # structured details a caller passed as extra={"fields": {...}}
        if isinstance(extra, dict):
            fields.update({key: value for key, value in extra.items() if key not in fields})
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            fields["exception"] = record.exc_text
        if record.stack_info:
            fields["stack"] = record.stack_info
        return _line(fields)


class GunicornAccessJsonFormatter(logging.Formatter):
    """gunicorn's access log as JSON: method, path (no query string: it may hold what someone searched for), status,
    duration in milliseconds, bytes sent, the request id the app put on the response, client address and agent."""

    def format(self, record: logging.LogRecord) -> str:
        atoms = record.args if isinstance(record.args, Mapping) else {}

        def atom(key: str) -> Any:
            value = atoms.get(key)
            if isinstance(value, str):
                value = value.replace('\\"', '"')  # gunicorn escapes quotes for its text format
            return None if value in (None, "-") else value

        duration_us = atom("D")
        status = atom("s")
        fields: dict[str, Any] = {
            "time": _iso_utc(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": f"{atom('m')} {atom('U')} {status}" if atoms else record.getMessage(),
            "request_id": atom("{x-request-id}o"),
            "method": atom("m"),
            "path": atom("U"),
            "status": int(status) if isinstance(status, str) and status.isdigit() else status,
            "duration_ms": round(duration_us / 1000, 1) if isinstance(duration_us, int) else None,
            "bytes": atom("B"),
            "remote_addr": atom("h"),
            "user_agent": atom("a"),
        }
        return _line(fields)
