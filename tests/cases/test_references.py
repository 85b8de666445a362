"""Case references: ASB-2026-000123, per type prefix, year of receipt in Europe/London, gap-free under concurrency."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from saferhomes.cases.models import ReferenceCounter
from saferhomes.cases.references import format_reference, looks_like_reference, reference_allocate, reference_year

LONDON = ZoneInfo("Europe/London")
UTC = dt.UTC


def test_reference_is_prefix_year_and_six_digit_number() -> None:
    assert format_reference("ASB", 2026, 123) == "ASB-2026-000123"


def test_reference_grows_past_six_digits_rather_than_wrapping() -> None:
    assert format_reference("ASB", 2026, 1_234_567) == "ASB-2026-1234567"


def test_reference_year_is_the_london_year_of_receipt() -> None:
    assert reference_year(dt.datetime(2025, 12, 31, 23, 30, tzinfo=UTC)) == 2025  # 23:30 GMT on New Year's Eve
    assert reference_year(dt.datetime(2026, 1, 1, 0, 30, tzinfo=LONDON)) == 2026


def test_reference_year_converts_other_zones_to_london() -> None:
    # 23:59:59 on 31 December 2025 at UTC-1 is 00:59:59 on 1 January 2026 in London.
    late_evening_west = dt.datetime(2025, 12, 31, 23, 59, 59, tzinfo=dt.timezone(dt.timedelta(hours=-1)))
    assert reference_year(late_evening_west) == 2026


def test_looks_like_reference_accepts_any_case_and_spaces() -> None:
    assert looks_like_reference(" asb-2026-000123 ")
    assert not looks_like_reference("ASB-26-123")
    assert not looks_like_reference("12 High Street")


@pytest.mark.django_db
def test_numbers_run_from_one_per_prefix_and_year() -> None:
    received_2026 = dt.datetime(2026, 3, 1, 12, tzinfo=UTC)
    received_2025 = dt.datetime(2025, 3, 1, 12, tzinfo=UTC)
    with transaction.atomic():
        got = [
            reference_allocate(case_type="asb", received_at=received_2026),
            reference_allocate(case_type="asb", received_at=received_2026),
            reference_allocate(case_type="hate", received_at=received_2026),
            reference_allocate(case_type="da", received_at=received_2026),
            reference_allocate(case_type="asb", received_at=received_2025),
        ]
    assert got == ["ASB-2026-000001", "ASB-2026-000002", "HATE-2026-000001", "DA-2026-000001", "ASB-2025-000001"]


@pytest.mark.django_db
def test_a_rolled_back_case_gives_its_number_back() -> None:
    received = dt.datetime(2026, 3, 1, 12, tzinfo=UTC)

    def create_case_that_fails() -> None:
        with transaction.atomic():
            reference_allocate(case_type="asb", received_at=received)
            raise RuntimeError("the case could not be saved")

    with pytest.raises(RuntimeError):
        create_case_that_fails()
    with transaction.atomic():
        assert reference_allocate(case_type="asb", received_at=received) == "ASB-2026-000001"


@pytest.mark.django_db
def test_allocation_outside_a_transaction_is_refused() -> None:
    # A fresh thread has its own connection in autocommit mode (the test's own transaction is on this thread's).
    errors: list[BaseException] = []

    def outside() -> None:
        try:
            reference_allocate(case_type="asb", received_at=dt.datetime(2026, 3, 1, tzinfo=UTC))
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=outside)
    thread.start()
    thread.join()
    assert len(errors) == 1
    assert isinstance(errors[0], RuntimeError)


@pytest.fixture
def concurrent_alias(request: pytest.FixtureRequest, tmp_path: Path, django_db_blocker: Any) -> Iterator[str]:
    """A database alias on which threads really run at once, with the production connection settings.

    On PostgreSQL that is the test database itself. SQLite's test database lives in memory with a shared cache,
    where a second writer fails at once ("table is locked") instead of waiting, which is not how Saferhomes runs;
    so on SQLite the threads share a throwaway file database opened exactly as settings.py opens the real one
    (WAL, IMMEDIATE transactions, 20 s busy timeout).
    """
    if "sqlite" not in settings.DATABASES[DEFAULT_DB_ALIAS]["ENGINE"]:
        request.getfixturevalue("transactional_db")
        yield DEFAULT_DB_ALIAS
        return
    alias = "references_concurrency"
    connections.settings[alias] = {**connections.settings[DEFAULT_DB_ALIAS], "NAME": str(tmp_path / "refs.sqlite3")}
    with django_db_blocker.unblock():
        with connections[alias].schema_editor() as editor:
            editor.create_model(ReferenceCounter)
        try:
            yield alias
        finally:
            connections[alias].close()
            del connections[alias]
            del connections.settings[alias]


def test_concurrent_allocations_are_gap_free_and_unique(concurrent_alias: str) -> None:
    """N threads, each with its own connection and transactions, take numbers at once: exactly 1..N come out."""
    threads_count, per_thread = 8, 5
    received = dt.datetime(2026, 6, 1, 9, tzinfo=UTC)
    barrier = threading.Barrier(threads_count)
    results: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            barrier.wait(timeout=10)
            for _ in range(per_thread):
                with transaction.atomic(using=concurrent_alias):
                    reference = reference_allocate(case_type="asb", received_at=received, using=concurrent_alias)
                with lock:
                    results.append(reference)
        except BaseException as error:
            with lock:
                errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    total = threads_count * per_thread
    assert sorted(results) == [format_reference("ASB", 2026, n) for n in range(1, total + 1)]
    assert ReferenceCounter.objects.using(concurrent_alias).get(prefix="ASB", year=2026).last_number == total
