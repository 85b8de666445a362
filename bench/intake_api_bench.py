"""Throughput of POST /api/v1/reports: N reports through the API with the Django test client and a staff token.

Every request goes through the whole stack — middleware, bearer-token check, the per-token rate limit, schema
validation, `report_submit` (reference under a row lock, deadline from the working calendar, audit event) and the
acknowledgement listener on commit. Reports alternate between types and channels; a quarter are urgent, a quarter
are anonymous, every tenth carries an Idempotency-Key. The token's rate limit (1,000 a minute) is raised for the run
so the bench measures the work, not the limit. Runs against a fresh SQLite database in a temporary folder unless
--database-url is given (then that database must be one you are happy to write test reports into).

    uv run python bench/intake_api_bench.py --reports 500
    uv run python bench/intake_api_bench.py --reports 500 --json var/bench/intake-api.json

Prints reports/s and writes it, with the machine and commit, as JSON (default var/bench/intake-api-<N>.json).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script: bench/ is on the path, the repository is not
    sys.path.insert(0, str(REPO))
from bench.throwaway import git_commit, throwaway_django  # noqa: E402 - needs the repository on the path

TYPES = ("asb", "hate", "domestic_abuse", "asb")
CHANNELS = ("api", "partner", "phone", "out_of_hours")


def _body(number: int, received: dt.datetime) -> dict[str, Any]:
    anonymous = number % 4 == 3
    return {
        "channel": CHANNELS[number % len(CHANNELS)],
        "type": TYPES[number % len(TYPES)],
        "description": f"Report {number}: shouting and banging on the stairs until 2am, most nights.",
        "location": "Block B stairwell",
        "reporter": None
        if anonymous
        else {"first_name": "Bench", "last_name": f"Reporter {number}", "email": f"r{number}@example.org"},
        "anonymous": anonymous,
        "urgent": number % 4 == 1,
        "received_at": received.isoformat(),
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=500)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--json", type=Path, default=None)
    options = parser.parse_args(argv)

    throwaway_django(prefix="saferhomes-intake-api-bench-", database_url=options.database_url)
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from saferhomes.accounts.roles import Role
    from saferhomes.accounts.services import roles_sync, staff_create, token_create
    from saferhomes.api import auth
    from saferhomes.api.api import api as ninja_api
    from saferhomes.intake.models import Report

    roles_sync()
    officer = staff_create(actor=None, username=f"bench_api_{os.getpid()}", role=Role.OFFICER, password=None)
    _token, raw = token_create(actor=None, user=officer, name="bench")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    configured: Any = ninja_api.throttle
    throttles: list[Any] = configured if isinstance(configured, list) else [configured]
    for throttle in throttles:  # measure the work, not the limit
        if isinstance(throttle, auth.TokenRateThrottle):
            throttle.num_requests = options.reports * 10

    before = Report.objects.count()
    received = timezone.now() - dt.timedelta(hours=1)
    statuses: dict[int, int] = {}
    started = time.perf_counter()
    for number in range(options.reports):
        headers = {"Idempotency-Key": f"bench-{number}"} if number % 10 == 0 else {}
        response = client.post(
            "/api/v1/reports", json.dumps(_body(number, received)), content_type="application/json", headers=headers
        )
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        if response.status_code != 201:
            raise RuntimeError(f"Report {number} answered {response.status_code}: {response.content[:300]!r}")
    elapsed = time.perf_counter() - started
    made = Report.objects.count() - before
    if made != options.reports:
        raise RuntimeError(f"{made} reports were made, not {options.reports}")
    result = {
        "bench": "intake-api",
        "reports": options.reports,
        "seconds": round(elapsed, 3),
        "reports_per_second": round(options.reports / elapsed, 2),
        "ms_per_report": round(elapsed / options.reports * 1000, 2),
        "statuses": statuses,
        "database": connection.vendor,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else [],
        "commit": git_commit(),
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    path = options.json or REPO / "var" / "bench" / f"intake-api-{options.reports}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(
        f"{options.reports} reports through POST /api/v1/reports in {elapsed:.2f}s on {connection.vendor}: "
        f"{result['reports_per_second']} reports/s ({result['ms_per_report']} ms each). Written to {path}"
    )
    return result


if __name__ == "__main__":
    main()
