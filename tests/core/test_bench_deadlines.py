"""The deadline benchmark runs, reports every load on every calendar, and its exit status follows the floor."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bench_deadlines_writes_json_and_exits_by_the_floor(tmp_path: Path) -> None:
    out = tmp_path / "deadlines.json"
    finished = subprocess.run(  # noqa: S603 - our own interpreter and script
        [
            sys.executable,
            str(ROOT / "bench" / "bench_deadlines.py"),
            "--receipts",
            "500",
            "--repeats",
            "1",
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    report = json.loads(out.read_text())
    assert report["floor_per_second"] == 100_000
    assert len(report["results"]) == 15
    assert all(row["per_second"] > 0 for row in report["results"])
    assert finished.returncode == (0 if report["meets_floor"] else 1)
    assert "deadlines/s" in finished.stdout
