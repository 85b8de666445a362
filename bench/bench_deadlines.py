"""How many response deadlines per second `saferhomes.core.calendar.response_deadline` computes on one core.

    uv run python bench/bench_deadlines.py [--receipts 200000] [--repeats 5] [--seed 1] [--json PATH]

Receipts are spread at random over 2025-2027 (30% urgent) and timed against three calendars: the default (England
and Wales, all day), Scotland with a Christmas shutdown, and 09:00-17:00 office hours. Each figure is the median of
the repeats, after one warm-up pass (which builds each calendar's working days once, as a long-running process
would). The process is pinned to one CPU where the OS allows; JSON goes to var/bench/deadlines.json unless --json
says otherwise. The floor is 100,000 deadlines per second for the mixed load on the default calendar (issue 4);
below it, the script exits with status 1.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from saferhomes.core.calendar import (  # noqa: E402
    Nation,
    WorkingCalendar,
    response_deadline,
    response_status,
    working_time_between,
)

FLOOR_PER_SECOND = 100_000
STATUS_AT = datetime(2026, 6, 15, 12, tzinfo=UTC)
URGENT_SHARE = 0.3
START = datetime(2025, 1, 1, tzinfo=UTC)
END = datetime(2028, 1, 1, tzinfo=UTC)

CALENDARS: dict[str, WorkingCalendar] = {
    "England and Wales (default)": WorkingCalendar(),
    "Scotland + Christmas shutdown": WorkingCalendar(
        nation=Nation.SCOTLAND,
        closures=frozenset(
            date(year, 12, day)
            for year in (2025, 2026, 2027)
            for day in (29, 30, 31)
            if date(year, 12, day).weekday() < 5
        ),
    ),
    "Office hours 09:00-17:00": WorkingCalendar(office_hours=(clock(9), clock(17))),
}


def receipts(count: int, seed: int) -> list[tuple[datetime, bool]]:
    """`count` (received_at, urgent) pairs, uniformly over 2025-2027, deterministic for a seed."""
    rng = random.Random(seed)
    span = (END - START).total_seconds()
    return [(START + timedelta(seconds=rng.random() * span), rng.random() < URGENT_SHARE) for _ in range(count)]


def rate(work: Callable[[], int], repeats: int) -> tuple[float, list[float]]:
    """Median items per second over `repeats` timed runs (after one untimed warm-up run)."""
    work()
    rates = []
    for _ in range(repeats):
        started = time.perf_counter()
        done = work()
        rates.append(done / (time.perf_counter() - started))
    return statistics.median(rates), rates


def pin_to_one_cpu() -> str:
    """Pin this process to one CPU (Linux); returns which, or why not."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity on this OS)"
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu}"


def run(count: int, repeats: int, seed: int) -> dict[str, Any]:
    """Time every load on every calendar; returns the results as a JSON-ready dict."""
    sample = receipts(count, seed)
    standard_only = [received for received, urgent in sample if not urgent]
    urgent_only = [received for received, urgent in sample if urgent]
    results: list[dict[str, Any]] = []
    for calendar_name, calendar in CALENDARS.items():

        def mixed(calendar: WorkingCalendar = calendar) -> int:
            for received, urgent in sample:
                response_deadline(received, urgent=urgent, calendar=calendar)
            return len(sample)

        def standard(calendar: WorkingCalendar = calendar) -> int:
            for received in standard_only:
                response_deadline(received, urgent=False, calendar=calendar)
            return len(standard_only)

        def urgent(calendar: WorkingCalendar = calendar) -> int:
            for received in urgent_only:
                response_deadline(received, urgent=True, calendar=calendar)
            return len(urgent_only)

        dues = [response_deadline(received, urgent=u, calendar=calendar) for received, u in sample]

        def statuses(calendar: WorkingCalendar = calendar, dues: list[datetime] = dues) -> int:
            for due in dues:
                response_status(due, None, STATUS_AT, calendar)
            return len(dues)

        def working_time(calendar: WorkingCalendar = calendar, dues: list[datetime] = dues) -> int:
            for (received, _urgent), due in zip(sample, dues, strict=True):
                working_time_between(received, due, calendar)
            return len(dues)

        loads: list[tuple[str, Callable[[], int]]] = [
            ("deadlines, mixed (30% urgent)", mixed),
            ("deadlines, standard only", standard),
            ("deadlines, urgent only", urgent),
            ("response_status", statuses),
            ("working_time_between", working_time),
        ]
        for load, work in loads:
            median, rates = rate(work, repeats)
            results.append(
                {
                    "calendar": calendar_name,
                    "load": load,
                    "per_second": round(median),
                    "runs": [round(r) for r in rates],
                }
            )
    headline: int = next(
        r["per_second"]
        for r in results
        if r["calendar"] == "England and Wales (default)" and r["load"] == "deadlines, mixed (30% urgent)"
    )
    return {
        "benchmark": "response deadlines per second on one core",
        "floor_per_second": FLOOR_PER_SECOND,
        "deadlines_per_second": headline,
        "meets_floor": headline >= FLOOR_PER_SECOND,
        "receipts": count,
        "urgent_share": URGENT_SHARE,
        "repeats": repeats,
        "seed": seed,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "processor": platform.processor() or platform.machine(),
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "results": results,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print a table, write JSON; exit status 1 below the floor."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--receipts", type=int, default=200_000, help="Receipts per pass (default 200000).")
    parser.add_argument("--repeats", type=int, default=5, help="Timed passes per load (default 5).")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, default=ROOT / "var" / "bench" / "deadlines.json")
    options = parser.parse_args(argv)
    if options.receipts < 1 or options.repeats < 1:
        parser.error("--receipts and --repeats must be 1 or more")
    console = Console()
    pinned = pin_to_one_cpu()
    console.print(f"Timing {options.receipts:,} receipts x {options.repeats} passes per load ({pinned})…")
    report = run(options.receipts, options.repeats, options.seed)
    report["cpu"] = pinned
    table = Table(title="Response deadlines: items per second on one core (median of passes)")
    table.add_column("Calendar")
    table.add_column("Load")
    table.add_column("Per second", justify="right")
    for row in report["results"]:
        table.add_row(row["calendar"], row["load"], f"{row['per_second']:,}")
    console.print(table)
    options.json.parent.mkdir(parents=True, exist_ok=True)
    options.json.write_text(json.dumps(report, indent=2) + "\n")
    verdict = "meets" if report["meets_floor"] else "is BELOW"
    console.print(
        f"Headline: {report['deadlines_per_second']:,} deadlines/s (default calendar, mixed load) {verdict} the floor "
        f"of {FLOOR_PER_SECOND:,}/s. JSON written to {options.json}."
    )
    return 0 if report["meets_floor"] else 1


if __name__ == "__main__":
    sys.exit(main())
