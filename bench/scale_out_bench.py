"""Intake API throughput of two gunicorn servers against one (issue 20 "Done when"), same run, loopback, bounded.

Starts a production deployment on a throwaway PostgreSQL database (tests/production/nodes.py: production settings,
`saferhomes serve`, migrations, a manager with an API token), then two `saferhomes serve` processes of one gunicorn
worker each. It sends the same bounded number of `POST /api/v1/reports` from a fixed number of client threads, first
all to one server, then shared between both, alternating the two arrangements `--rounds` times; it prints reports/s
for each and the ratio of the medians. The token's rate limit is raised for the run so the bench measures the work.

    uv run python bench/scale_out_bench.py --reports 400 --clients 8 --rounds 3 [--json var/bench/scale-out.json]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
from tests.production.nodes import deployment, http_request  # noqa: E402

from bench.throwaway import git_commit  # noqa: E402


def _body(number: int) -> dict[str, Any]:
    return {
        "channel": "api",
        "type": ("asb", "hate", "domestic_abuse")[number % 3],
        "description": f"Report {number}: shouting and banging on the stairs until 2am, most nights.",
        "location": "Block B stairwell",
        "reporter": {"first_name": "Bench", "last_name": f"Reporter {number}", "email": f"r{number}@example.org"},
        "anonymous": False,
        "urgent": number % 4 == 1,
    }


def _send(ports: list[int], token: str, reports: int, clients: int, start: int) -> float:
    """Send `reports` reports round-robin over `ports` from `clients` threads; returns reports per second."""
    headers = {"Authorization": f"Bearer {token}"}
    targets = list(itertools.islice(itertools.cycle(ports), reports))

    def one(index: int) -> int:
        port, report = targets[index], _body(start + index)
        status, body = http_request(port, "POST", "/api/v1/reports", body=report, headers=headers)
        if status != 201:
            raise RuntimeError(f"POST /api/v1/reports answered {status}: {body[:300]!r}")
        return status

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(one, range(reports)))
    return reports / (time.perf_counter() - began)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=400, help="Reports per measurement (bounded).")
    parser.add_argument("--clients", type=int, default=8, help="Concurrent client threads.")
    parser.add_argument("--rounds", type=int, default=3, help="Alternations of one server and two.")
    parser.add_argument("--json", type=Path, default=None)
    options = parser.parse_args(argv)

    with (
        tempfile.TemporaryDirectory(prefix="saferhomes-scale-out-") as work,
        deployment(Path(work), SAFERHOMES_API_RATE_LIMIT="1000000/m") as live,
    ):
        token = live.run("createtoken", "manager_nodes").strip().splitlines()[-1]
        first, second = live.serve(workers=1), live.serve(workers=1)
        _send([first, second], token, 40, options.clients, start=0)  # warm both servers
        one, two = [], []
        sent = 40
        for _round in range(options.rounds):
            one.append(_send([first], token, options.reports, options.clients, start=sent))
            sent += options.reports
            two.append(_send([first, second], token, options.reports, options.clients, start=sent))
            sent += options.reports
    result = {
        "reports_per_measurement": options.reports,
        "clients": options.clients,
        "one_server_reports_per_second": [round(x, 1) for x in one],
        "two_servers_reports_per_second": [round(x, 1) for x in two],
        "ratio_of_medians": round(statistics.median(two) / statistics.median(one), 2),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "load": os.getloadavg()},
        "commit": git_commit(),
    }
    print(json.dumps(result, indent=2))
    if options.json:
        options.json.parent.mkdir(parents=True, exist_ok=True)
        options.json.write_text(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
