"""Request ids, slow-request and slow-query logging, and request latency for /metrics (issue 20 part 7; ADR 0021).

`ObservabilityMiddleware` comes first in MIDDLEWARE. For every request it
- keeps the proxy's `X-Request-ID` when it is safe (core.log_context.safe_request_id) or makes one, binds it for
  every log line of the request and sends it back on the response;
- counts the request's queries and logs each one slower than SLOW_QUERY_MS (`QueryObserver`);
- logs the request on `saferhomes.slow` when it took longer than SLOW_REQUEST_MS;
- observes its duration in `saferhomes_http_request_duration_seconds` (core.metrics), labelled by method, status
  class and the resolved URL's name: never the path, which may carry a resident's private token.
Slow queries are logged as SQL with placeholders, cut to 500 characters, and never with their parameters: those
may hold a name, an address or a note. The worker observes each task's queries the same way (`saferhomes worker`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

from saferhomes.core import metrics
from saferhomes.core.log_context import REQUEST_ID_HEADER, request_context, safe_request_id
from saferhomes.core.redaction import redact_private_links

slow_logger = logging.getLogger("saferhomes.slow")

SQL_LOG_LIMIT = 500
clock: Callable[[], float] = time.perf_counter  # seconds; tests replace it


def slow_request_ms() -> float:
    return float(getattr(settings, "SLOW_REQUEST_MS", 1000))


def slow_query_ms() -> float:
    return float(getattr(settings, "SLOW_QUERY_MS", 200))


def sql_for_log(sql: str) -> str:
    """The statement as logged: whitespace collapsed, at most SQL_LOG_LIMIT characters (parameters never)."""
    text = " ".join(str(sql).split())
    return text if len(text) <= SQL_LOG_LIMIT else text[: SQL_LOG_LIMIT - 1] + "…"


class QueryObserver:
    """A `connection.execute_wrapper` that counts queries and logs each one slower than the threshold."""

    def __init__(self, threshold_ms: float | None = None) -> None:
        self.threshold_ms = slow_query_ms() if threshold_ms is None else threshold_ms
        self.queries = 0
        self.slow = 0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        self.queries += 1
        started = clock()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed_ms = (clock() - started) * 1000
            if elapsed_ms > self.threshold_ms:
                self.slow += 1
                slow_logger.warning(
                    "Slow query (%d ms, over %d ms): %s",
                    elapsed_ms,
                    self.threshold_ms,
                    sql_for_log(sql),
                    extra={"fields": {"kind": "slow_query", "duration_ms": round(elapsed_ms, 1)}},
                )

    def installed(self) -> ExitStack:
        """A context in which this observer wraps every database connection of this thread."""
        stack = ExitStack()
        for connection in connections.all():
            stack.enter_context(connection.execute_wrapper(self))
        return stack


def view_label(request: HttpRequest) -> str:
    """The resolved URL's name ("cases:case-detail"), bounded in number; never the path."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return match.view_name or "unnamed"


class ObservabilityMiddleware:
    """See the module docstring."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = safe_request_id(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id  # type: ignore[attr-defined]
        with request_context(request_id):
            observer = QueryObserver()
            started = clock()
            with observer.installed():
                response = self.get_response(request)
            seconds = clock() - started
            response[REQUEST_ID_HEADER] = request_id
            view = view_label(request)
            metrics.observe_request(
                method=request.method or "", status=response.status_code, view=view, seconds=seconds
            )
            if seconds * 1000 > slow_request_ms():
                path = redact_private_links(request.path)
                slow_logger.warning(
                    "Slow request: %s %s answered %d in %d ms with %d queries",
                    request.method,
                    path,
                    response.status_code,
                    seconds * 1000,
                    observer.queries,
                    extra={
                        "fields": {
                            "kind": "slow_request",
                            "method": request.method,
                            "path": path,
                            "view": view,
                            "status": response.status_code,
                            "duration_ms": round(seconds * 1000, 1),
                            "queries": observer.queries,
                        }
                    },
                )
        return response
