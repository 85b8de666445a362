"""Which request or background task a log line belongs to (issue 20 part 7).

`ObservabilityMiddleware` (core/observability.py) binds a request id for the length of each request, and the worker
binds a task id for the length of each task run (`saferhomes worker`), in context variables; `RequestIdFilter`, on
every handler in LOGGING, copies them onto each record as `request_id` and `task_id` (None outside a request or
task), so `core.logging_json.JsonFormatter` writes them on every line. Plain Python, no Django: gunicorn's master
loads it too.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar

REQUEST_ID_HEADER = "X-Request-ID"
# What a proxy's X-Request-ID may be for us to keep it: 8 to 64 of these characters (nothing that could forge a log
# line or carry much data); anything else is replaced by a new id.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")

request_id_var: ContextVar[str | None] = ContextVar("saferhomes_request_id", default=None)
task_id_var: ContextVar[str | None] = ContextVar("saferhomes_task_id", default=None)


def new_id() -> str:
    """A fresh id: 32 hex digits (uuid4)."""
    return uuid.uuid4().hex


def safe_request_id(offered: str | None) -> str:
    """The proxy's request id if it is safe to log and repeat, else a new one."""
    if offered and SAFE_REQUEST_ID.fullmatch(offered):
        return offered
    return new_id()


@contextmanager
def bound(var: ContextVar[str | None], value: str) -> Iterator[str]:
    """Bind `value` to `var` for the block (restored afterwards, also on error)."""
    token = var.set(value)
    try:
        yield value
    finally:
        var.reset(token)


def request_context(request_id: str) -> AbstractContextManager[str]:
    """Log records written inside the block carry `request_id`."""
    return bound(request_id_var, request_id)


def task_context(task_id: str) -> AbstractContextManager[str]:
    """Log records written inside the block carry `task_id`."""
    return bound(task_id_var, task_id)


class RequestIdFilter(logging.Filter):
    """Adds `request_id` and `task_id` to every record (a value already on the record is kept); never drops one."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = request_id_var.get()
        if getattr(record, "task_id", None) is None:
            record.task_id = task_id_var.get()
        return True
