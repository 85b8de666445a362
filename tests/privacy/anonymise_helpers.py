"""Shared pieces for the anonymisation tests: staff, a throwaway evidence folder, approved runs, and a search of
every table and column of the database and of every stored file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone
from pytest_django.fixtures import Settings

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.privacy.models import RetentionRun
from saferhomes.privacy.services.runs import approve_run, plan_run

SEVEN_YEARS = dt.timedelta(days=7 * 366)


@pytest.fixture(name="evidence_dir")
def evidence_dir_fixture(settings: Settings, tmp_path: Path) -> Path:
    """Evidence (and letters, forms, attachments) are written under a throwaway VAR_DIR for the test."""
    settings.VAR_DIR = tmp_path
    return tmp_path / "evidence"


@pytest.fixture(name="officer")
def officer_fixture(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.OFFICER)


@pytest.fixture(name="manager")
def manager_fixture(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.MANAGER)


def approved_run(dpo: User, *, as_of: dt.date | None = None) -> RetentionRun:
    """Plan a run as of seven years from now (every closed case is due) and approve it as the DPO."""
    run = plan_run(actor=None, as_of=as_of or timezone.localdate() + SEVEN_YEARS)
    assert run is not None
    return approve_run(actor=dpo, run=run)


def _all_rows() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, as the database returns it."""
    out = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            out[table] = [tuple(row) for row in cursor.fetchall()]
    return out


def database_hits(values: list[str]) -> list[tuple[str, str]]:
    """(table, value) for each sentinel `value` found anywhere in any column of any table (case-insensitive)."""
    wanted = [value.lower() for value in values]
    hits: list[tuple[str, str]] = []
    for table, rows in _all_rows().items():
        for row in rows:
            for cell in row:
                if cell is None or isinstance(cell, int | float | bool | dt.date | dt.time):
                    continue
                text = bytes(cell).decode("utf-8", "replace") if isinstance(cell, bytes | memoryview) else str(cell)
                lowered = text.lower()
                hits.extend((table, value) for value in wanted if value in lowered)
    return hits


def storage_hits(root: Path, values: list[str]) -> list[tuple[str, str]]:
    """(file, value) for each sentinel found in the name or contents of any file under `root`."""
    hits: list[tuple[str, str]] = []
    for path in root.rglob("*") if root.exists() else []:
        if path.is_file():
            text = (path.name + path.read_bytes().decode("utf-8", "replace")).lower()
            hits.extend((str(path), value) for value in values if value.lower() in text)
    return hits


def table_snapshot(exclude: tuple[str, ...] = ()) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table except those named, sorted (to compare before and after)."""
    return {table: sorted(rows, key=repr) for table, rows in _all_rows().items() if not table.startswith(exclude)}
