"""Time only the API case list (issue 21 part 1) on the bench's synthetic service, without the rest of
`saferhomes bench` (which runs these operations too):

    uv run python -m bench.api_cases_bench --cases 1000000 \\
        --database-url postgres://postgres@127.0.0.1:5432/saferhomes_bench --json var/bench/api-cases-1000000.json

The data is the bench's own (bench/README.md): reused when the database already holds it for the same --cases and
--seed, generated otherwise. Prints one line per operation: rows, queries, p50/p95 of the application and of its
floor.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import django


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--iterations", type=int, default=30)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferhomes.config.settings")
    django.setup()
    from bench import cases_bench
    from bench.api_list import api_list_operations
    from bench.harness import measure
    from bench.throwaway import git_commit

    if args.database_url:
        cases_bench.use_database(args.database_url)
    meta = cases_bench.prepare_data(cases=args.cases, seed=args.seed, reuse=True)
    actors = cases_bench._actors()
    samples = cases_bench._samples(actors, args.seed)
    operations = api_list_operations(
        coordinator=actors.coordinator,
        officer=actors.officer,
        officer_id=samples.officer_ids[0] if samples.officer_ids else None,
        visibility=cases_bench._visibility_sql,
    )
    results = []
    print(f"{'Operation':<44} {'Rows':>5} {'Q':>3} {'p50':>7} {'p95':>7} {'floor50':>8} {'floor95':>8} same")
    for operation in operations:
        result = measure(operation, iterations=args.iterations)
        results.append(result.as_dict())
        print(
            f"{result.name:<44} {result.rows:>5.0f} {result.queries:>3.0f} {result.p50:>7.1f} {result.p95:>7.1f} "
            f"{result.floor_p50:>8.1f} {result.floor_p95:>8.1f} {result.same_rows}",
            flush=True,
        )
    report = {
        "bench": "api-cases",
        "cases": args.cases,
        "database": cases_bench.database_label(),
        "data_reused": meta.get("reused"),
        "iterations": args.iterations,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "commit": git_commit(),
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "operations": results,
    }
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    return report


if __name__ == "__main__":
    main()
