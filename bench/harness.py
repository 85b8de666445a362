"""Timing harness: each operation runs through the application's code and beside its floor (the same rows from
one hand-written SQL query), alternately, in the same run; p50/p95 in milliseconds from wall-clock time."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

TARGET_P95_MS = 150.0
TARGET_RATIO = 2.0


@dataclass
class Operation:
    """One thing an officer does, as the application does it (`app`) and as one raw SQL query (`floor`).

    Both take one of `params` and return the keys of the rows they fetched, in order, so the harness can check
    that the floor really fetched the same rows.
    """

    name: str
    description: str
    app: Callable[[Any], Sequence[Any]]
    floor: Callable[[Any], Sequence[Any]]
    params: list[Any]


@dataclass
class Result:
    """Timings of one operation."""

    name: str
    description: str
    app_ms: list[float]
    floor_ms: list[float]
    rows: float
    queries: float
    same_rows: bool
    mismatches: list[str] = field(default_factory=list)

    @property
    def p50(self) -> float:
        return percentile(self.app_ms, 50)

    @property
    def p95(self) -> float:
        return percentile(self.app_ms, 95)

    @property
    def floor_p50(self) -> float:
        return percentile(self.floor_ms, 50)

    @property
    def floor_p95(self) -> float:
        return percentile(self.floor_ms, 95)

    @property
    def ratio(self) -> float:
        """p95 of the application's path over p95 of the floor."""
        return self.p95 / self.floor_p95 if self.floor_p95 > 0 else float("inf")

    @property
    def p95_met(self) -> bool:
        return self.p95 <= TARGET_P95_MS

    @property
    def ratio_met(self) -> bool:
        return self.ratio <= TARGET_RATIO

    @property
    def target_met(self) -> bool:
        return self.p95_met and self.ratio_met

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "iterations": len(self.app_ms),
            "rows": self.rows,
            "queries": self.queries,
            "same_rows": self.same_rows,
            "mismatches": self.mismatches,
            "p50_ms": round(self.p50, 2),
            "p95_ms": round(self.p95, 2),
            "floor_p50_ms": round(self.floor_p50, 2),
            "floor_p95_ms": round(self.floor_p95, 2),
            "ratio": round(self.ratio, 2),
            "over_floor_ms": round(self.p95 - self.floor_p95, 2),
            "p95_met": self.p95_met,
            "ratio_met": self.ratio_met,
            "target_met": self.target_met,
        }


def percentile(values: Sequence[float], pct: int) -> float:
    """The pct-th percentile (linear interpolation between closest ranks); 0 for no values."""
    if not values:
        return 0.0
    if len(values) == 1:
        return float(values[0])
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def _timed(call: Callable[[Any], Sequence[Any]], param: Any) -> float:
    started = time.perf_counter()
    call(param)
    return (time.perf_counter() - started) * 1000


def measure(operation: Operation, *, iterations: int, progress: Callable[[int], None] | None = None) -> Result:
    """Check the rows match for every parameter (also the warm-up), then time both paths `iterations` times."""
    params = operation.params
    if not params:
        raise ValueError(f"{operation.name}: no parameters to run with")
    mismatches: list[str] = []
    rows: list[int] = []
    queries: list[int] = []
    for param in params:
        with CaptureQueriesContext(connection) as captured:
            app_keys = list(operation.app(param))
        queries.append(len(captured.captured_queries))
        floor_keys = list(operation.floor(param))
        rows.append(len(app_keys))
        if app_keys != floor_keys and len(mismatches) < 5:
            mismatches.append(f"{param!r}: app {app_keys[:5]}… ({len(app_keys)}) floor {floor_keys[:5]}…")
    app_ms: list[float] = []
    floor_ms: list[float] = []
    for i in range(iterations):
        param = params[i % len(params)]
        # Alternate which goes first, so neither always finds the other's pages in the cache.
        if i % 2:
            floor_ms.append(_timed(operation.floor, param))
            app_ms.append(_timed(operation.app, param))
        else:
            app_ms.append(_timed(operation.app, param))
            floor_ms.append(_timed(operation.floor, param))
        if progress is not None:
            progress(i + 1)
    return Result(
        name=operation.name,
        description=operation.description,
        app_ms=app_ms,
        floor_ms=floor_ms,
        rows=statistics.mean(rows),
        queries=statistics.mean(queries),
        same_rows=not mismatches,
        mismatches=mismatches,
    )
