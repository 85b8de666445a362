"""`GET /metrics`: Prometheus text exposition (format 0.0.4) for operators (issue 20 part 7; ADR 0021).

- `saferhomes_http_request_duration_seconds`, a histogram by method, status class and URL name, observed by
  `core.observability.ObservabilityMiddleware`. Under `saferhomes serve` each gunicorn worker writes it to files in
  PROMETHEUS_MULTIPROC_DIR (prometheus_client's multi-process mode, set up by config/gunicorn.py) and a scrape adds
  up every worker of the node; elsewhere (runserver, tests) it lives in the process.
- Gauges read from the database when scraped, one cheap query each, the same on every node: the task queue
  (`saferhomes_task_queue_depth`, `saferhomes_tasks_running`, `saferhomes_task_oldest_ready_age_seconds`), the
  workers (`saferhomes_worker_heartbeat_age_seconds`, `saferhomes_workers_alive`), and what apps register with
  `register_gauge` (cases: `saferhomes_responses_overdue`; case_review: `saferhomes_case_reviews_overdue`).
Off unless SAFERHOMES_METRICS_TOKEN is set (404); the scraper sends `Authorization: Bearer <token>` (401 otherwise).
Nothing here names a person, a case or an address: counts and ages only.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Max, Min, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max
from prometheus_client import CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from prometheus_client.multiprocess import MultiProcessCollector

from saferhomes.core.health import heartbeat_max_age
from saferhomes.core.models import WorkerHeartbeat

REQUEST_DURATION = "saferhomes_http_request_duration_seconds"
BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

_local_registry = CollectorRegistry()
_request_duration = Histogram(
    REQUEST_DURATION,
    "Time from the request reaching the app to its response, by method, status class and URL name.",
    ["method", "status", "view"],
    buckets=BUCKETS,
    registry=_local_registry,
)


def multiprocess_dir() -> str:
    """The folder gunicorn's workers share their metrics through ("" outside `saferhomes serve`)."""
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


def observe_request(*, method: str, status: int, view: str, seconds: float) -> None:
    """Count one answered request in the latency histogram (labels bounded: 7 methods, 5 status classes, URL names)."""
    method_label = method if method in METHODS else "other"
    _request_duration.labels(method=method_label, status=f"{status // 100}xx", view=view).observe(max(seconds, 0.0))


# --- Gauges computed from the database at scrape time ---------------------------------------------------------------
@dataclass(frozen=True)
class Gauge:
    """A gauge an app adds to /metrics: `read(now)` gives its value (one query at most)."""

    name: str
    documentation: str
    read: Callable[[datetime], float]


GAUGES: dict[str, Gauge] = {}
"""Extension point: apps above core register gauges (cases/metrics.py, case_review/metrics.py) from `ready()`."""


def register_gauge(gauge: Gauge) -> None:
    """Add (or replace) a gauge on /metrics."""
    GAUGES[gauge.name] = gauge


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, value=value)


def core_gauges(now: datetime) -> Iterator[Metric]:
    """The task queue and the workers' heartbeats: two queries."""
    ready = Q(status=TaskResultStatus.READY) & (Q(run_after=get_date_max()) | Q(run_after__lte=now))
    queue = DBTaskResult.objects.order_by().aggregate(
        ready=Count("pk", filter=ready),
        running=Count("pk", filter=Q(status=TaskResultStatus.RUNNING)),
        oldest=Min("enqueued_at", filter=ready),
    )
    yield _gauge(
        "saferhomes_task_queue_depth", "Background tasks ready to run and waiting for a worker.", queue["ready"]
    )
    yield _gauge("saferhomes_tasks_running", "Background tasks a worker is running now.", queue["running"])
    oldest = (now - queue["oldest"]).total_seconds() if queue["oldest"] else 0.0
    yield _gauge(
        "saferhomes_task_oldest_ready_age_seconds", "How long the oldest ready task has waited (0: none).", oldest
    )
    beats = WorkerHeartbeat.objects.order_by().aggregate(
        newest=Max("seen_at"), alive=Count("pk", filter=Q(seen_at__gte=now - heartbeat_max_age()))
    )
    age = (now - beats["newest"]).total_seconds() if beats["newest"] else float("inf")
    yield _gauge(
        "saferhomes_worker_heartbeat_age_seconds",
        "Seconds since the newest worker heartbeat (+Inf: no worker has started). /readyz fails past "
        "SAFERHOMES_WORKER_HEARTBEAT_MAX_AGE_SECONDS.",
        max(age, 0.0),
    )
    yield _gauge("saferhomes_workers_alive", "Workers whose heartbeat is fresh.", beats["alive"])


class DatabaseCollector:
    """prometheus_client collector: the gauges above, read when /metrics is scraped."""

    def __init__(self, now: datetime | None = None) -> None:
        self.now = now

    def collect(self) -> Iterator[Metric]:
        now = self.now or timezone.now()
        yield from core_gauges(now)
        for gauge in GAUGES.values():
            yield _gauge(gauge.name, gauge.documentation, gauge.read(now))


def exposition(now: datetime | None = None) -> bytes:
    """Every metric in the text exposition format."""
    registry = CollectorRegistry(auto_describe=False)
    if multiprocess_dir():
        MultiProcessCollector(registry)
    else:
        registry.register(_request_duration)
    registry.register(DatabaseCollector(now))
    return generate_latest(registry)


# --- The endpoint ---------------------------------------------------------------------------------------------------
def _bearer(request: HttpRequest) -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


@never_cache
@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    """GET /metrics: 404 unless SAFERHOMES_METRICS_TOKEN is set; 401 without that bearer token; else the metrics."""
    expected = str(getattr(settings, "METRICS_TOKEN", "") or "")
    if not expected:
        raise Http404("Metrics are off")
    if not hmac.compare_digest(_bearer(request).encode(), expected.encode()):
        response = HttpResponse("A bearer token is needed.\n", status=401, content_type="text/plain; charset=utf-8")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_PLAIN_0_0_4)
