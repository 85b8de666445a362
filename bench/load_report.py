"""What a load run measured, read from locust's CSV files (issue 21 part 3): per request name and in all, the count,
failures, p50/p95/p99 and requests per second; the failures grouped by cause; a Markdown table for
docs/reliability.md. Pure functions: no Django, no locust."""

from __future__ import annotations

import csv
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

TOTAL = "Aggregated"


@dataclass(frozen=True)
class Row:
    """One line of locust's `<prefix>_stats.csv`: a request name (or the total), times in milliseconds."""

    method: str
    name: str
    requests: int
    failures: int
    p50: float
    p95: float
    p99: float
    max: float
    per_second: float

    @property
    def is_total(self) -> bool:
        return self.name == TOTAL


@dataclass(frozen=True)
class Failure:
    """One line of `<prefix>_failures.csv`: what failed, why, how often."""

    method: str
    name: str
    error: str
    occurrences: int


def _number(value: str) -> float:
    """Locust writes "N/A" for a percentile of no requests."""
    try:
        return float(value)
    except ValueError:
        return 0.0


def read_stats(path: Path) -> list[Row]:
    """Every row of a locust stats CSV, the total last."""
    with path.open(newline="") as handle:
        rows = [
            Row(
                method=line["Type"],
                name=line["Name"],
                requests=int(line["Request Count"]),
                failures=int(line["Failure Count"]),
                p50=_number(line["50%"]),
                p95=_number(line["95%"]),
                p99=_number(line["99%"]),
                max=_number(line["Max Response Time"]),
                per_second=_number(line["Requests/s"]),
            )
            for line in csv.DictReader(handle)
        ]
    return sorted(rows, key=lambda row: (row.is_total, row.name, row.method))


def read_failures(path: Path) -> list[Failure]:
    """Every line of a locust failures CSV (none if the file is missing: locust writes it only with --csv)."""
    if not path.exists():
        return []
    with path.open(newline="") as handle:
        return [
            Failure(method=line["Method"], name=line["Name"], error=line["Error"], occurrences=int(line["Occurrences"]))
            for line in csv.DictReader(handle)
        ]


def total(rows: list[Row]) -> Row:
    """The all-requests row (a run that made no request has none: then zeros)."""
    for row in rows:
        if row.is_total:
            return row
    return Row(method="", name=TOTAL, requests=0, failures=0, p50=0, p95=0, p99=0, max=0, per_second=0)


def as_dict(rows: list[Row], failures: list[Failure]) -> dict[str, Any]:
    everything = total(rows)
    return {
        "requests": everything.requests,
        "failures": everything.failures,
        "p50_ms": everything.p50,
        "p95_ms": everything.p95,
        "p99_ms": everything.p99,
        "max_ms": everything.max,
        "requests_per_second": round(everything.per_second, 1),
        "by_request": [asdict(row) for row in rows if not row.is_total],
        "failure_causes": [asdict(failure) for failure in failures],
    }


def _ms(value: float) -> str:
    return f"{value:,.0f}"


def markdown_table(rows: list[Row]) -> str:
    """The figures as docs/reliability.md shows them: one line per request name, the total in bold last."""
    lines = [
        "| Request | Count | Errors | p50 ms | p95 ms | p99 ms | max ms | req/s |",
        "|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for row in rows:
        name = "**All requests**" if row.is_total else f"`{row.method} {row.name}`"
        lines.append(
            f"| {name} | {row.requests:,} | {row.failures:,} | {_ms(row.p50)} | {_ms(row.p95)} | {_ms(row.p99)} "
            f"| {_ms(row.max)} | {row.per_second:.1f} |"
        )
    return "\n".join(lines)


def server_times(access_log: Path, *, since: str = "") -> dict[str, Any]:
    """From gunicorn's JSON access log: how many requests it answered and p50/p95/p99 of the time each took inside
    the server (from a worker taking it to the response; the client's figures add the wait for a free worker), with
    the status codes it sent. `since` (ISO 8601 UTC, as the log writes it) leaves out what came before, the warm-up."""
    durations: list[float] = []
    statuses: dict[str, int] = {}
    for line in access_log.read_text(errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if not isinstance(entry, dict) or entry.get("logger") != "gunicorn.access":
            continue
        if str(entry.get("time", "")) < since:
            continue
        if isinstance(entry.get("duration_ms"), int | float):
            durations.append(float(entry["duration_ms"]))
        status = str(entry.get("status"))
        statuses[status] = statuses.get(status, 0) + 1
    durations.sort()

    def at(share: float) -> float:
        return durations[min(len(durations) - 1, int(share * len(durations)))] if durations else 0.0

    return {
        "requests": len(durations),
        "p50_ms": at(0.50),
        "p95_ms": at(0.95),
        "p99_ms": at(0.99),
        "statuses": dict(sorted(statuses.items())),
    }
