"""Charts load matplotlib when drawn, never at start-up (issue 18; tests/core/test_startup.py's rule)."""

from __future__ import annotations

from pathlib import Path

from tests.test_settings import run_with_settings


def test_loading_every_url_does_not_import_matplotlib(tmp_path: Path) -> None:
    script = (
        "import sys, django; django.setup(); import saferhomes.config.urls; "
        "print(' '.join(n for n in ('matplotlib', 'PIL') if n in sys.modules))"
    )
    result = run_with_settings(["-c", script], var_dir=tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == []
