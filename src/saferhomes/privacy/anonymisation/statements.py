"""Statements compiled once per process and run with each case's id (and the time) bound in: anonymising 100,000
cases should cost the database's work, not the ORM building the same forty-odd statements 100,000 times.

A statement is built by the ORM with a marker id (and a marker time) where the case's id (and now) go; its SQL and
parameters are kept, and each use swaps the markers for the real values. So the SQL is exactly what the ORM writes
(joins through relations included), compiled once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from django.db import connections, models
from django.db.models.sql import UpdateQuery

CASE_MARK = -7_000_000_001  # never a primary key
NOW_MARK = dt.datetime(1900, 1, 1, 0, 0, 7, tzinfo=dt.UTC)  # never a time anything happens


@dataclass(frozen=True)
class Statement:
    sql: str
    params: tuple[Any, ...]
    alias: str

    def bind(self, case_id: int, now: dt.datetime | None = None) -> list[Any]:
        out: list[Any] = []
        for param in self.params:
            if type(param) is int and param == CASE_MARK:
                out.append(case_id)
            elif isinstance(param, dt.datetime) and param == NOW_MARK:
                out.append(now)
            else:
                out.append(param)
        return out

    def execute(self, case_id: int, now: dt.datetime | None = None) -> int:
        """Run it; returns the number of rows changed (for an UPDATE or DELETE)."""
        with connections[self.alias].cursor() as cursor:
            cursor.execute(self.sql, self.bind(case_id, now))
            return int(cursor.rowcount)

    def fetchall(self, case_id: int, now: dt.datetime | None = None) -> list[tuple[Any, ...]]:
        with connections[self.alias].cursor() as cursor:
            cursor.execute(self.sql, self.bind(case_id, now))
            return list(cursor.fetchall())


def select_statement(queryset: models.QuerySet[Any]) -> Statement:
    """The SELECT `queryset` (built with CASE_MARK/NOW_MARK) runs."""
    sql, params = queryset.query.sql_with_params()
    return Statement(sql=sql, params=tuple(params), alias=queryset.db)


def update_statement(queryset: models.QuerySet[Any], changes: dict[str, Any]) -> Statement:
    """The UPDATE `queryset.update(**changes)` runs (built with CASE_MARK/NOW_MARK)."""
    query = cast(UpdateQuery, queryset.query.chain(UpdateQuery))
    query.add_update_values(changes)
    compiler = query.get_compiler(queryset.db)
    compiler.pre_sql_setup()  # a filter through a relation becomes `pk IN (SELECT ...)`, as update() does it
    sql, params = compiler.as_sql()
    return Statement(sql=sql, params=tuple(params), alias=queryset.db)
