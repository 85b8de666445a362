"""Reporting reads on a read replica (issue 20 part 5).

With DATABASE_REPLICA_URL set, the reads made inside `reporting_reads()` — the monthly report and the other
insights figures, CSV/XLSX exports — go to the `replica` database, a streaming copy of the primary, so that the heavy
counts of a month or a year do not compete with officers' work. Everything else, and every write, uses the primary.
Without a replica, `reporting_reads()` changes nothing. A replica may lag the primary by a moment: reports and exports
can show a record a second later than a case page.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

REPLICA = "replica"
_reporting: ContextVar[bool] = ContextVar("saferhomes_reporting_reads", default=False)
T = TypeVar("T")


def replica_configured() -> bool:
    return bool(getattr(settings, "DATABASE_REPLICA_CONFIGURED", False))


def reporting_alias() -> str:
    """The database reporting reads use at this moment: the replica inside `reporting_reads()`, if configured."""
    return REPLICA if _reporting.get() and replica_configured() else DEFAULT_DB_ALIAS


@contextmanager
def reporting_reads() -> Iterator[str]:
    """Send the reads made inside to the replica (when configured); yields the alias in use."""
    token = _reporting.set(True)
    try:
        yield reporting_alias()
    finally:
        _reporting.reset(token)


def on_replica(rows: Iterable[T]) -> Iterator[T]:
    """`rows` consumed with reporting reads (a lazily streamed export evaluates after its view has returned)."""
    with reporting_reads():
        yield from rows


class ReportingRouter:
    """Django database router: reads inside `reporting_reads()` from the replica; all else from the primary."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return REPLICA if _reporting.get() and replica_configured() else None

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica is a copy of the same data

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS  # the replica follows the primary by replication, never by migrations
