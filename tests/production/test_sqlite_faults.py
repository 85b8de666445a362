"""SQLite faults (issue 21 part 4), in an embedded installation's own database file with DEBUG off: concurrent
writers all get their report stored (SQLite's busy timeout makes each wait its turn, BEGIN IMMEDIATE means no
deadlock); a write lock held past the timeout ("database is locked"), a full disk ("database or disk is full") and a
read-only database ("attempt to write a readonly database") are each a clear 503 — problem+json on the API, the
friendly page with the way back on the form — storing nothing, and the same report sent again afterwards is stored
once. Runs in tests/production/sqlite_faults.py; `make faults` runs it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.production.nodes import embedded_installation

pytestmark = [pytest.mark.production, pytest.mark.faults]


def test_sqlite_locked_full_or_read_only_is_a_clear_503_and_never_a_lost_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with embedded_installation(tmp_path) as live:
        live.env["DEBUG"] = "false"
        results = json.loads(live.python("from tests.production.sqlite_faults import main; main()").splitlines()[-1])

    concurrent = results["concurrent"]
    assert concurrent["answers"] == {"201": concurrent["sent"]}, "every concurrent writer waited its turn"
    assert concurrent["stored"] == concurrent["sent"]
    for fault in ("locked", "disk_full", "read_only"):
        seen = results[fault]
        assert seen["during"] == {
            "api": 503,
            "api_type": "application/problem+json",
            "form": 503,
            "form_retry_link": True,
            "form_traceback": False,
            "stored": 0,
        }, fault
        assert seen["answers_kept"], fault
        assert seen["after"] == {"api": 201, "form": 302, "confirmed": True}, fault
        assert seen["stored"] == 2, f"{fault}: the two reports sent again are stored once each"
    with capsys.disabled():
        print(f"\nSQLite faults: {json.dumps(results)}")
