"""Bounded load (issue 21 part 3): locust, headless on loopback, a fixed number of users for a fixed time, against the
production process model — `saferhomes serve` (gunicorn) and `saferhomes worker` on PostgreSQL — then stops by itself.

1. A production deployment on a new throwaway PostgreSQL database (tests/production/nodes.py: production settings,
   migrations, collected static files), trusting one reverse proxy (locust plays it) and with the API's per-token
   limit raised so that it measures the work, not the throttle.
2. Seeded data (bench/load_seed.py): officers with API tokens, open cases, public reports with status links.
3. gunicorn (`--web-workers`, default from the CPUs as in production) and one worker; ready when /readyz says so.
4. locust (bench/load_locustfile.py): residents reporting through the public form, residents reading status pages,
   officers working cases over the API — `--users` for `--run-time`, then it stops.
5. Afterwards: every report a resident saw confirmed is in the database; the server's error log has no traceback;
   the worker's queue; the acknowledgement emails the SMTP sink (bench/load_smtp.py) took; gunicorn worker boots.
   p50/p95/p99 and errors printed, written as JSON (var/load/) and as a Markdown table; the logs are kept beside the
   JSON (var/load/<name>-logs/).

    uv run python bench/load_run.py --users 200 --run-time 5m      # what `make load` runs
    uv run python bench/load_run.py --users 10 --run-time 20s      # a quick look

Exits 1 if any request failed, a user's code raised, a confirmed report is missing or the server logged an error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
from tests.production.nodes import CLI, Deployment, deployment, free_port, http_request  # noqa: E402

from bench import load_report  # noqa: E402
from bench.load_smtp import SmtpSink  # noqa: E402
from bench.throwaway import git_commit  # noqa: E402

LOCUSTFILE = REPO / "bench" / "load_locustfile.py"


def _start(live: Deployment, logs: Path, name: str, *args: str) -> subprocess.Popen[str]:
    """Start a `saferhomes` process with its output in files (a pipe nobody reads would stall it under load)."""
    out = (logs / f"{name}.out").open("w")
    err = (logs / f"{name}.err").open("w")
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and command
        [*CLI, *args], env=live.env, cwd=REPO, stdout=out, stderr=err, text=True, start_new_session=True
    )
    live.processes.append(process)
    return process


def _serve(live: Deployment, logs: Path, workers: int) -> int:
    port = free_port()
    args = ["serve", "--bind", f"127.0.0.1:{port}", *(["--workers", str(workers)] if workers else [])]
    process = _start(live, logs, "gunicorn", *args)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn stopped:\n{(logs / 'gunicorn.err').read_text()[-3000:]}")
        try:
            if http_request(port, "GET", "/readyz")[0] == 200:
                return port
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("gunicorn and the worker were not ready within 90 s")


def _warm_up(port: int, seed_file: Path, workers: int) -> int:
    """A few of each kind of request, several at once, before locust starts: each gunicorn worker loads the URL
    configuration and templates on its first requests (seconds on a busy machine), which is start-up, not load."""
    seeded = json.loads(seed_file.read_text())
    bearer = {"Authorization": f"Bearer {seeded['officer_tokens'][0]}"}
    calls = [
        ("/report/", {}),
        ("/report/safety/", {}),
        (f"/report/status/{seeded['status_tokens'][0]}/", {}),
        ("/api/v1/cases", bearer),
        (f"/api/v1/cases/{seeded['case_references'][0]}", bearer),
    ] * (workers * 3)
    with ThreadPoolExecutor(max_workers=workers * 2) as pool:
        statuses = list(pool.map(lambda call: http_request(port, "GET", call[0], headers=call[1])[0], calls))
    if set(statuses) != {200}:
        raise SystemExit(f"The warm-up requests did not all succeed: {sorted(set(statuses))}")
    return len(calls)


def _server_errors(logs: Path) -> list[str]:
    """Lines of the server's and worker's logs that report an error (a traceback, or a record at ERROR or above)."""
    found = []
    for log in sorted(logs.glob("*.err")):
        for line in log.read_text(errors="replace").splitlines():
            if "Traceback" in line or '"level": "ERROR"' in line or '"level": "CRITICAL"' in line:
                found.append(f"{log.stem}: {line[:400]}")
    return found


def _worker_boots(logs: Path) -> int:
    """gunicorn workers started, the first ones included (each recycles after about 1,000 requests)."""
    return (logs / "gunicorn.err").read_text(errors="replace").count("Booting worker")


def _web_reports(live: Deployment) -> int:
    return int(live.sql("SELECT count(*) FROM intake_report WHERE channel = 'web'")[0][0])


def _tasks(live: Deployment) -> dict[str, int]:
    rows = live.sql("SELECT status, count(*) FROM django_tasks_database_dbtaskresult GROUP BY status")
    return {str(status): int(count) for status, count in rows}


def _conditions(options: argparse.Namespace, web_workers: int, load_before: tuple[float, ...]) -> dict[str, Any]:
    version = subprocess.run(
        [sys.executable, "-m", "locust", "--version"], capture_output=True, text=True, check=False
    ).stdout.split()
    return {
        "users": options.users,
        "spawn_rate": options.spawn_rate,
        "run_time": options.run_time,
        "gunicorn_workers": web_workers,
        "background_workers": 1,
        "cpus": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "platform": platform.platform(),
        "python": platform.python_version(),
        "locust": version[1] if len(version) > 1 else "",
        "commit": git_commit(),
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=200, help="Simulated people and systems (default 200).")
    parser.add_argument("--spawn-rate", type=float, default=10, help="Users started per second (default 10).")
    parser.add_argument("--run-time", default="5m", help="How long locust runs before it stops (default 5m).")
    parser.add_argument("--web-workers", type=int, default=0, help="gunicorn workers (default: from the CPUs).")
    parser.add_argument("--officers", type=int, default=20, help="Seeded officers with API tokens.")
    parser.add_argument("--cases", type=int, default=200, help="Seeded cases.")
    parser.add_argument("--reports", type=int, default=300, help="Seeded public reports with status links.")
    parser.add_argument("--desk-officers", type=int, default=40, help="Seeded officers who sign in to the website.")
    parser.add_argument("--json", type=Path, default=None, help="Where to write the figures (default var/load/).")
    options = parser.parse_args(argv)
    load_before = os.getloadavg()
    started = time.monotonic()

    path = options.json or REPO / "var" / "load" / f"load-{options.users}u-{options.run_time}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory(prefix="saferhomes-load-") as work_dir,
        SmtpSink() as mail,
    ):
        work = Path(work_dir)
        logs = work / "logs"
        logs.mkdir()
        with deployment(work, SAFERHOMES_API_RATE_LIMIT="1000000/m", SAFERHOMES_TRUSTED_PROXY_COUNT="1") as live:
            live.env["EMAIL_PORT"] = str(mail.port)  # acknowledgements go to the SMTP sink from here on
            print(f"Deployment ready in {time.monotonic() - started:.0f} s; seeding…", flush=True)
            seed_file = work / "seed.json"
            live.python(
                "from pathlib import Path; from bench.load_seed import seed; "
                f"seed(officers={options.officers}, cases={options.cases}, reports={options.reports}, "
                f"desk_officers={options.desk_officers}, "
                f"out=Path({str(seed_file)!r}))"
            )
            reports_before = _web_reports(live)
            _start(live, logs, "worker", "worker")
            port = _serve(live, logs, options.web_workers)
            web_workers = options.web_workers or int(
                live.python("from saferhomes.config import gunicorn; print(gunicorn.workers)")
            )
            warm_up = _warm_up(port, seed_file, web_workers)
            print(
                f"Serving on 127.0.0.1:{port} ({web_workers} gunicorn workers, warmed up with {warm_up} requests); "
                "locust starts.",
                flush=True,
            )
            prefix = work / "locust"
            locust_started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
            # fmt: off
            command = [
                sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
                "--users", str(options.users), "--spawn-rate", str(options.spawn_rate),
                "--run-time", options.run_time, "--stop-timeout", "0",
                "--host", f"http://127.0.0.1:{port}", "--csv", str(prefix), "--only-summary",
            ]
            # fmt: on
            locust = subprocess.run(  # noqa: S603 - our own interpreter and locustfile
                command,
                env={**live.env, "SAFERHOMES_LOAD_SEED": str(seed_file)},
                cwd=work,
                check=False,
            )
            rows = load_report.read_stats(Path(f"{prefix}_stats.csv"))
            failures = load_report.read_failures(Path(f"{prefix}_failures.csv"))
            confirmed = sum(r.requests - r.failures for r in rows if r.name == "/report/confirmation/")
            made = _web_reports(live) - reports_before
            errors = _server_errors(logs)
            tasks = _tasks(live)
            conditions = {**_conditions(options, web_workers, load_before), "warm_up_requests": warm_up}
            emails = mail.delivered
            boots = _worker_boots(logs)
            server = load_report.server_times(logs / "gunicorn.out", since=locust_started)
        kept = path.with_name(f"{path.stem}-logs")
        shutil.rmtree(kept, ignore_errors=True)
        shutil.copytree(logs, kept)  # gunicorn's access log (JSON, duration_ms) and error log, the worker's

    result = {
        "conditions": conditions,
        **load_report.as_dict(rows, failures),
        "reports_confirmed": confirmed,
        "reports_made": made,
        "reports_lost": max(confirmed - made, 0),
        "server_errors_logged": errors[:20],
        "server_side": server,
        "emails_delivered": emails,
        "gunicorn_worker_boots": boots,
        "background_tasks": tasks,
        "locust_exit_code": locust.returncode,
    }
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(load_report.markdown_table(rows))
    print(
        json.dumps({key: value for key, value in result.items() if key not in ("by_request",)}, indent=2),
        f"\nWritten to {path}",
    )
    everything = load_report.total(rows)
    # locust exits 1 on a failed request and on an exception in a user's code (which is not a request failure)
    passed = locust.returncode == 0 and everything.requests and not everything.failures
    return 0 if passed and not errors and made >= confirmed else 1


if __name__ == "__main__":
    raise SystemExit(main())
