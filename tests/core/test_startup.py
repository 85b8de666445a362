"""Start-up stays quick (issue 14 item 19): heavy libraries load where they are used, not in `django.setup()`."""

from __future__ import annotations

from pathlib import Path

from tests.test_settings import run_with_settings

# Each costs a tenth of a second or more at every start of every command (WeasyPrint a whole second); none is needed
# before it is used.
HEAVY = ("faker", "holidays", "psycopg", "weasyprint", "matplotlib")

SETUP_THEN_LIST_HEAVY = [
    "-c",
    "import sys, django; django.setup(); print(' '.join(name for name in " + repr(HEAVY) + " if name in sys.modules))",
]


def test_django_setup_does_not_import_faker_holidays_or_psycopg(tmp_path: Path) -> None:
    result = run_with_settings(
        SETUP_THEN_LIST_HEAVY, var_dir=tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}"
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [], f"imported by django.setup(): {result.stdout.strip()}"


def test_loading_every_url_does_not_import_faker_holidays_psycopg_or_qrcode(tmp_path: Path) -> None:
    script = (
        "import sys, django; django.setup(); import saferhomes.config.urls; "
        f"print(' '.join(n for n in {(*HEAVY, 'qrcode', 'PIL')!r} if n in sys.modules))"
    )
    result = run_with_settings(["-c", script], var_dir=tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [], f"imported by the URLconf: {result.stdout.strip()}"


def test_totp_code_starts_without_loading_urls_views_or_the_api(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from saferhomes.cli import main\n"
        "sys.argv = ['saferhomes', 'totp-code', 'nobody']\n"
        "try:\n"
        "    main()\n"
        "except BaseException:\n"  # no tables in this empty database: the command fails after start-up
        "    pass\n"
        "print(' '.join(m for m in ('saferhomes.config.urls', 'saferhomes.api.api', 'pydantic.json_schema')"
        " if m in sys.modules))\n"
    )
    result = run_with_settings(["-c", script], var_dir=tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")

    assert result.returncode == 0, result.stderr
    assert "saferhomes.config.urls" not in result.stdout.split(), "the system checks ran before a one-row read"
