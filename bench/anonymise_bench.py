"""Anonymisation rate (issue 19): N due closed cases, with their parties, incidents, contacts, notes, actions,
contact plans, homes, links and audit events, anonymised by `execute_run` exactly as the worker does (one case per
transaction, files, register links, audit redaction, search document, one audit event per case).

The cases come from the case bench's generator (bench/generate.py: COPY on PostgreSQL), which makes a whole
service over seven years; the run is planned seven years ahead, so every closed case is due, and trimmed to N.
Runs against a fresh SQLite database in a temporary folder unless --database-url is given; a database that already
holds cases is refused (the bench never wipes data it did not make).

    uv run python scripts/with_postgres.py sh -c \
        'uv run python bench/anonymise_bench.py --cases 100000 --database-url "$DATABASE_URL"'
    uv run python bench/anonymise_bench.py --cases 2000            # SQLite, throwaway

Prints cases/s and writes it, with the machine, the data's shape and the commit, as JSON (default
var/bench/anonymise-<N>-<vendor>.json).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
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

CLOSED_SHARE = 0.8  # at least this share of generated cases is closed (the generator closes almost all older ones)
AUDIT_EVENTS_SQL = {
    # One event per party (its name and phone in `after`) and one per case (a reason): what the services write.
    "postgresql": [
        "INSERT INTO core_auditevent (at, actor_label, verb, object_type, object_id, object_label, after, reason) "
        "SELECT now(), 'bench', 'party.added', 'cases.party', p.id::text, p.first_name || ' ' || p.last_name, "
        "jsonb_build_object('name', p.first_name || ' ' || p.last_name, 'phone', p.phone), '' FROM cases_party p",
        "INSERT INTO core_auditevent (at, actor_label, verb, object_type, object_id, object_label, reason) "
        "SELECT now(), 'bench', 'case.closed', 'cases.case', c.id::text, c.reference || ' ' || c.summary, "
        "'Closed after talking to ' || c.summary FROM cases_case c",
    ],
    "sqlite": [
        "INSERT INTO core_auditevent (at, actor_label, verb, object_type, object_id, object_label, after, reason) "
        "SELECT datetime('now'), 'bench', 'party.added', 'cases.party', CAST(p.id AS TEXT), "
        "p.first_name || ' ' || p.last_name, json_object('name', p.first_name || ' ' || p.last_name, 'phone', "
        "p.phone), '' FROM cases_party p",
        "INSERT INTO core_auditevent (at, actor_label, verb, object_type, object_id, object_label, reason) "
        "SELECT datetime('now'), 'bench', 'case.closed', 'cases.case', CAST(c.id AS TEXT), "
        "c.reference || ' ' || c.summary, 'Closed after talking to ' || c.summary FROM cases_case c",
    ],
}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000, help="Due cases to anonymise (default 100,000).")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--json", type=Path, default=None)
    options = parser.parse_args(argv)
    throwaway_django(prefix="saferhomes-anonymise-bench-", database_url=options.database_url)

    from django.db import connection
    from django.utils import timezone
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from bench.generate import generate
    from saferhomes.cases.models import Case, Contact, Incident, Note, Party
    from saferhomes.privacy.models import ItemStatus, RetentionItem, RetentionRun, RunStatus
    from saferhomes.privacy.services.execute import execute_run
    from saferhomes.privacy.services.runs import plan_run

    console = Console(stderr=True)
    if Case.objects.exists():
        raise SystemExit("This database already holds cases: give the bench an empty database of its own.")
    started = time.perf_counter()
    with console.status("Generating the service (bench/generate.py)…"):
        generated = generate(cases=math.ceil(options.cases / CLOSED_SHARE) + 50, seed=options.seed)
        with connection.cursor() as cursor:
            for sql in AUDIT_EVENTS_SQL[connection.vendor]:
                cursor.execute(sql)
    seed_seconds = time.perf_counter() - started
    with console.status("Planning the run (the DPO's dry-run list)…"):
        run = plan_run(actor=None, as_of=timezone.localdate() + dt.timedelta(days=7 * 366))
        assert run is not None
        extra = list(
            run.items.order_by("-id").values_list("pk", flat=True)[: max(0, run.items.count() - options.cases)]
        )
        RetentionItem.objects.filter(pk__in=extra).delete()
        RetentionRun.objects.filter(pk=run.pk).update(status=RunStatus.APPROVED, approved_at=timezone.now())
    due = run.items.count()
    due_ids = run.items.values("case_id")
    shape = {
        "parties": Party.objects.filter(case__in=due_ids).count(),
        "incidents": Incident.objects.filter(case__in=due_ids).count(),
        "contacts": Contact.objects.filter(case__in=due_ids).count(),
        "notes": Note.objects.filter(case__in=due_ids).count(),
    }
    console.print(f"{due:,} due cases ({shape}); generated and seeded in {seed_seconds:.0f} s")

    progress = Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console
    )
    with progress:
        bar = progress.add_task("Anonymising", total=due)
        result = execute_run(run, progress=lambda item: progress.advance(bar))
    anonymised = run.items.filter(status=ItemStatus.ANONYMISED).count()
    assert anonymised == due == result.anonymised, (anonymised, due, result)
    rate = result.anonymised / result.seconds
    report = {
        "bench": "anonymise",
        "database": connection.vendor,
        "cases": due,
        "shape": shape,
        "seconds": round(result.seconds, 1),
        "cases_per_second": round(rate, 1),
        "generated_cases": sum(v for k, v in generated.counts.items() if k == "cases_case"),
        "commit": git_commit(),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "load": os.getloadavg()},
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    path = options.json or REPO / "var" / "bench" / f"anonymise-{due}-{connection.vendor}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2))
    print(f"{due:,} cases anonymised on {connection.vendor} in {result.seconds:.1f} s: {rate:.1f} cases/s ({path})")
    return report


if __name__ == "__main__":
    main()
