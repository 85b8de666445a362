"""gunicorn's settings in production: `saferhomes serve`, which runs
`gunicorn -c python:saferhomes.config.gunicorn` after checking that static files are collected.

The access log is Apache's combined format, and every line of it and of the error log goes through
`core.redaction.RedactPrivateLinks`: the request line and the Referer of a resident's status page, diary or survey
carry its private token, which is replaced by [redacted] (issue 14 item 9).

Environment: GUNICORN_BIND (default 0.0.0.0:8000), WEB_CONCURRENCY (worker processes; default two per CPU plus one,
at most 9 — each holds its own database connection), GUNICORN_TIMEOUT (seconds a request may take before its worker
is restarted; default 60: an evidence bundle of a large case takes a few seconds), FORWARDED_ALLOW_IPS (the reverse
proxies whose X-Forwarded-Proto is believed; default 127.0.0.1), LOG_LEVEL (default INFO).
With SAFERHOMES_LOG_FORMAT=json (the default when SAFERHOMES_ENV=production) both logs are JSON, one object a line
(core.logging_json): the access log gives method, path (no query string), status, duration_ms, bytes and the
request_id the app sent back in X-Request-ID (issue 20 part 7).
Request latency for /metrics is shared between this server's workers through files in PROMETHEUS_MULTIPROC_DIR (a
new private folder in memory for each start unless the environment names one; emptied at start; ADR 0021).
Web processes keep no state of their own (sessions, rate limits and caches are in the database or Redis), so any
number of them can run behind a load balancer.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any


def _default_workers() -> int:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return min(2 * cpus + 1, 9)


wsgi_app = "saferhomes.config.wsgi:application"
bind = [os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")]
workers = int(os.environ.get("WEB_CONCURRENCY", "") or _default_workers())
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30  # finish requests in hand on SIGTERM (a deploy) before stopping
keepalive = 5
# Recycle each worker after about a thousand requests: a slow leak in a library cannot grow without bound.
max_requests = 1000
# issue 21 part 3 (`make load`): with a jitter of 100 the workers of a busy server reached their limit within 15 s
# of one another and all restarted at once, and nothing was answered for half a minute (docs/reliability.md, Load).
# Each worker now recycles somewhere between 1,000 and 2,000 requests, so they restart one at a time, and a new
# worker loads the URL configuration (every view module) before it takes a request (`post_worker_init`).
max_requests_jitter = 1000


def post_worker_init(worker: Any) -> None:
    """Load the URL configuration and every view it names in the new worker, before it accepts a request: on its
    first request that takes seconds on a busy machine, which a recycled worker would otherwise make someone wait."""
    from django.urls import reverse

    reverse("core:healthz")  # the first reverse builds the resolver: every URL module and view is imported


forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Heartbeat files in memory, not on a container's overlay disk (a slow disk otherwise looks like a hung worker).
worker_tmp_dir = "/dev/shm" if Path("/dev/shm").is_dir() else None  # noqa: S108 - gunicorn's documented advice
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"'

_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
_PRODUCTION = os.environ.get("SAFERHOMES_ENV", "development").strip().lower() == "production"
_JSON = os.environ.get("SAFERHOMES_LOG_FORMAT", "json" if _PRODUCTION else "text").strip().lower() == "json"

# prometheus_client's multi-process mode: every worker writes its request latencies to files in one folder; a scrape
# of /metrics, answered by any one worker, adds them all up. The master sets it up before any worker starts (and
# imports the app); importing this module does nothing to the environment.
_metrics_dir_made: list[str] = []


def on_starting(server: Any) -> None:
    """Give the workers a metrics folder, starting from zero (files of an earlier run would be counted again)."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        made = tempfile.mkdtemp(prefix="saferhomes-metrics-", dir=worker_tmp_dir)
        _metrics_dir_made.append(made)
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = made
    folder = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink()


def on_exit(server: Any) -> None:
    """Remove the metrics folder this server made."""
    for made in _metrics_dir_made:
        shutil.rmtree(made, ignore_errors=True)


logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_private_links": {"()": "saferhomes.core.redaction.RedactPrivateLinks"}},
    "formatters": {
        "generic": (
            {"()": "saferhomes.core.logging_json.JsonFormatter"}
            if _JSON
            else {"format": "%(asctime)s [%(process)d] [%(levelname)s] %(message)s"}
        ),
        "access": (
            {"()": "saferhomes.core.logging_json.GunicornAccessJsonFormatter"} if _JSON else {"format": "%(message)s"}
        ),
    },
    "handlers": {
        "access": {
            "class": "logging.StreamHandler",
            "formatter": "access",
            "stream": "ext://sys.stdout",
            "filters": ["redact_private_links"],
        },
        "error": {
            "class": "logging.StreamHandler",
            "formatter": "generic",
            "stream": "ext://sys.stderr",
            "filters": ["redact_private_links"],
        },
    },
    "root": {"level": _LEVEL, "handlers": ["error"]},
    "loggers": {
        "gunicorn.error": {"level": _LEVEL, "handlers": ["error"], "propagate": False, "qualname": "gunicorn.error"},
        "gunicorn.access": {"level": "INFO", "handlers": ["access"], "propagate": False, "qualname": "gunicorn.access"},
    },
}
