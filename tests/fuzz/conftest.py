"""Fixtures for the fuzz tests (issue 21 part 2): the seeded database (the tally's hooks are in tests/fuzz/tally.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from pytest_django.fixtures import Settings

from saferhomes.api.api import api
from tests.fuzz.seeded import FUZZ_RATE_LIMIT, Seeded, seed


@pytest.fixture(scope="module")
def seeded_module(django_db_setup: None, django_db_blocker: Any) -> Iterator[Seeded]:
    """The demo landlord seeded once per test module, inside a transaction rolled back after the module: each test
    runs in its own savepoint within it (pytest-django's `db`), so the seed costs seconds once, not per test."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield seed()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def seeded(
    seeded_module: Seeded, db: None, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Seeded]:
    settings.VAR_DIR = tmp_path  # uploads, letters and exports go to a throwaway folder
    monkeypatch.setattr(api.throttle, "num_requests", FUZZ_RATE_LIMIT)
    # Schemathesis calls the WSGI application itself, whose request signals would close the test's database
    # connection (inside the test's transaction) after each request: Django's test client unhooks them the same way.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield seeded_module
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)
