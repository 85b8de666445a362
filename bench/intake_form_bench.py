"""Throughput of the public report form: N reports through the whole journey with the Django test client.

Each report is one visitor (their own session and IP address, so the rate limits never refuse) giving their name:
the start page, every question page (GET then POST), evidence skipped, check your answers, send, confirmation —
16 pages, 30 requests (16 GETs, 14 POSTs). The acknowledgement email runs (to Django's in-memory mail backend).
Runs against a fresh SQLite database in a temporary folder unless --database-url is given
(then that database must be one you are happy to write test reports into).

    uv run python bench/intake_form_bench.py --reports 200
    uv run python bench/intake_form_bench.py --reports 200 --json var/bench/intake-form.json

Prints reports/s and page requests/s and writes them, with the machine and commit, as JSON (default
var/bench/intake-form-<N>.json).
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


def report_answers(number: int, day: dt.date, *, first_name: str = "Bench") -> dict[str, dict[str, Any]]:
    """What resident `number` types into each question page of the public form (also the load run's residents)."""
    return {
        "safety": {"danger_now": "no"},
        "problem": {"problem": ["noise", "abuse", "damage", "rubbish"][number % 4]},
        "what-happened": {"description": f"Report {number}: loud music and shouting until 3am, most nights."},
        "when": {
            "occurred_on_0": str(day.day),
            "occurred_on_1": str(day.month),
            "occurred_on_2": str(day.year),
            "occurred_time": "23:30",
            "frequency": "daily",
        },
        "where": {"at_home": "no", "location_text": "The stairwell of block B"},
        "who": {"people_known": "dont_know"},
        "impact": {"urgency": ["none"], "impact": "I cannot sleep"},
        "about-you": {"relationship": "self", "anonymous": "no"},
        "your-details": {
            "first_name": first_name,
            "last_name": f"Resident {number}",
            "email": f"r{number}@example.org",
        },
        "contact": {"contact_methods": ["email"]},
        "accessibility": {},
        "consent": {"consent_to_share": "yes"},
    }


def _one_report(client: Any, answers: dict[str, dict[str, Any]]) -> int:
    """Walk the form once; returns the number of requests made."""
    requests = 1
    client.get("/report/")
    path = "/report/safety/"
    while path != "/report/check-answers/":
        client.get(path)
        slug = path.strip("/").split("/")[-1]
        data = {"continue": "1"} if slug == "evidence" else answers[slug]
        response = client.post(path, data)
        requests += 2
        if response.status_code != 302:
            raise RuntimeError(f"{path} answered {response.status_code}: the bench's answers no longer fit the form")
        path = response["Location"]
    client.get(path)
    response = client.post(path, {})
    if response.status_code != 302:
        raise RuntimeError(f"Sending answered {response.status_code}")
    client.get(response["Location"])
    return requests + 3


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=200)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--json", type=Path, default=None)
    options = parser.parse_args(argv)

    throwaway_django(prefix="saferhomes-intake-bench-", database_url=options.database_url)
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from saferhomes.intake.models import OutboundMessage, Report

    before = Report.objects.count()
    day = timezone.localdate() - dt.timedelta(days=1)
    requests = 0
    started = time.perf_counter()
    for number in range(options.reports):
        client = Client(REMOTE_ADDR=f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}")
        requests += _one_report(client, report_answers(number, day))
    elapsed = time.perf_counter() - started
    made = Report.objects.count() - before
    if made != options.reports:
        raise RuntimeError(f"{made} reports were made, not {options.reports}")
    result = {
        "bench": "intake-form",
        "reports": options.reports,
        "requests": requests,
        "seconds": round(elapsed, 3),
        "reports_per_second": round(options.reports / elapsed, 2),
        "requests_per_second": round(requests / elapsed, 1),
        "acknowledgements_sent": OutboundMessage.objects.filter(sent_at__isnull=False).count(),
        "database": connection.vendor,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else [],
        "commit": git_commit(),
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    path = options.json or REPO / "var" / "bench" / f"intake-form-{options.reports}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(
        f"{options.reports} reports through the public form in {elapsed:.2f}s on {connection.vendor}: "
        f"{result['reports_per_second']} reports/s ({result['requests_per_second']} requests/s). Written to {path}"
    )
    return result


if __name__ == "__main__":
    main()
