"""Settings read from the environment: production refuses to start unsafely, the demo looks after itself."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

# Variables that would leak from the developer's or CI's environment into the settings under test.
_SETTINGS_VARIABLES = (
    "SECRET_KEY",
    "DEBUG",
    "DATABASE_URL",
    "ALLOWED_HOSTS",
    "SAFERHOMES_ENV",
    "SAFERHOMES_VAR_DIR",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "SAFERHOMES_BASE_URL",
    "SAFERHOMES_PUBLIC_URL",
    "EMAIL_HOST",
    "EMAIL_BACKEND",
)


def run_with_settings(args: list[str], *, var_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `python args...` in a fresh process with only the given settings variables set."""
    clean = {key: value for key, value in os.environ.items() if key not in _SETTINGS_VARIABLES}
    clean.update(DJANGO_SETTINGS_MODULE="saferhomes.config.settings", SAFERHOMES_VAR_DIR=str(var_dir), **env)
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, *args], env=clean, capture_output=True, text=True, timeout=120, check=False
    )


SETUP_DJANGO = ["-c", "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"]
SAFERHOMES_CLI = ["-c", "from saferhomes.cli import main; main()"]


def test_production_names_every_missing_setting_in_one_message(tmp_path: Path) -> None:
    result = run_with_settings(SETUP_DJANGO, var_dir=tmp_path, SAFERHOMES_ENV="production")

    assert result.returncode != 0
    message = result.stderr.strip().splitlines()[-1]
    assert message.startswith("RuntimeError: Saferhomes will not start with SAFERHOMES_ENV=production")
    for name in PRODUCTION_ENV:
        assert name in message, name
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "EMAIL_HOST"])
def test_production_refuses_to_start_without_one_setting_and_names_only_it(tmp_path: Path, missing: str) -> None:
    env = {name: value for name, value in PRODUCTION_ENV.items() if name != missing}
    result = run_with_settings(SETUP_DJANGO, var_dir=tmp_path, **env)

    assert result.returncode != 0
    message = result.stderr.strip().splitlines()[-1]
    assert missing in message
    assert [name for name in PRODUCTION_ENV if name in message and name != "SAFERHOMES_ENV"] == [missing]


@pytest.mark.parametrize(
    ("variable", "value", "words"),
    [
        ("DATABASE_URL", "sqlite:///saferhomes.sqlite3", "SQLite is the demo's database"),
        ("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend", "sends nothing"),
    ],
)
def test_production_refuses_sqlite_and_a_mail_backend_that_sends_nothing(
    tmp_path: Path, variable: str, value: str, words: str
) -> None:
    result = run_with_settings(SETUP_DJANGO, var_dir=tmp_path, **{**PRODUCTION_ENV, variable: value})

    assert result.returncode != 0
    assert words in result.stderr


def test_production_starts_with_every_setting(tmp_path: Path) -> None:
    result = run_with_settings(SETUP_DJANGO, var_dir=tmp_path, **PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == PRODUCTION_ENV["SECRET_KEY"]


def test_the_embedded_database_and_its_folder_are_private(tmp_path: Path) -> None:
    var_dir = tmp_path / "var"
    result = run_with_settings(
        ["-c", "import django; django.setup(); from django.db import connection; connection.ensure_connection()"],
        var_dir=var_dir,
        SAFERHOMES_ENV="development",
    )

    assert result.returncode == 0, result.stderr
    assert var_dir.stat().st_mode & 0o777 == 0o700
    database = var_dir / "saferhomes.sqlite3"
    assert database.exists()
    assert database.stat().st_mode & 0o077 == 0, oct(database.stat().st_mode)


def test_demo_generates_a_private_secret_key_once_and_reuses_it(tmp_path: Path) -> None:
    first = run_with_settings(SETUP_DJANGO, var_dir=tmp_path, SAFERHOMES_ENV="development")
    second = run_with_settings(SETUP_DJANGO, var_dir=tmp_path, SAFERHOMES_ENV="development")

    assert first.returncode == 0, first.stderr
    key_file = tmp_path / "secret_key"
    assert key_file.exists()
    assert key_file.stat().st_mode & 0o077 == 0, "the generated key must be readable by its owner only"
    assert len(key_file.read_text().strip()) >= 50
    assert first.stdout.strip() == second.stdout.strip() == key_file.read_text().strip()


def test_unknown_environment_name_is_refused(tmp_path: Path) -> None:
    result = run_with_settings(SETUP_DJANGO, var_dir=tmp_path, SAFERHOMES_ENV="prod")

    assert result.returncode != 0
    assert "SAFERHOMES_ENV must be development, test or production" in result.stderr


def test_deploy_checks_are_clean_with_production_settings(tmp_path: Path) -> None:
    result = run_with_settings(
        [*SAFERHOMES_CLI, "check", "--deploy", "--fail-level", "WARNING"],
        var_dir=tmp_path,
        **PRODUCTION_ENV,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


SITE_ADDRESSES = {
    "SAFERHOMES_BASE_URL": "https://casework.calico.example",
    "SAFERHOMES_PUBLIC_URL": "https://report.calico.example/",
}
# Everything production needs, synthetic: the tests take one away at a time.
PRODUCTION_ENV = {
    "SAFERHOMES_ENV": "production",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "casework.calico.example,report.calico.example",
    "DATABASE_URL": "postgres://saferhomes@db.calico.example:5432/saferhomes",
    "EMAIL_HOST": "smtp.calico.example",
    **SITE_ADDRESSES,
}
PRINT_ADDRESSES = [
    "-c",
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.SAFERHOMES_BASE_URL, settings.PUBLIC_BASE_URL)",
]


def test_production_refuses_to_start_without_the_staff_and_public_addresses(tmp_path: Path) -> None:
    env = {name: value for name, value in PRODUCTION_ENV.items() if name not in SITE_ADDRESSES}
    result = run_with_settings(PRINT_ADDRESSES, var_dir=tmp_path, **env)

    assert result.returncode != 0
    assert "SAFERHOMES_PUBLIC_URL (the site's public https address" in result.stderr
    assert "SAFERHOMES_BASE_URL (the site's public https address" in result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("SAFERHOMES_BASE_URL", "http://127.0.0.1:8000"),
        ("SAFERHOMES_BASE_URL", "http://casework.calico.example"),
        ("SAFERHOMES_PUBLIC_URL", "https://localhost"),
        ("SAFERHOMES_PUBLIC_URL", "report.calico.example"),
        ("SAFERHOMES_PUBLIC_URL", "https://report.calico.example/?x=1"),
    ],
)
def test_production_refuses_a_local_plain_http_or_malformed_address(tmp_path: Path, variable: str, value: str) -> None:
    result = run_with_settings(PRINT_ADDRESSES, var_dir=tmp_path, **{**PRODUCTION_ENV, variable: value})

    assert result.returncode != 0
    assert variable in result.stderr
    assert repr(value.rstrip("/")) in result.stderr


def test_production_starts_with_both_addresses_and_drops_a_trailing_slash(tmp_path: Path) -> None:
    result = run_with_settings(PRINT_ADDRESSES, var_dir=tmp_path, **PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["https://casework.calico.example", "https://report.calico.example"]


def test_the_demo_builds_links_on_its_own_runserver_address(tmp_path: Path) -> None:
    result = run_with_settings(PRINT_ADDRESSES, var_dir=tmp_path, SAFERHOMES_ENV="development")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["http://127.0.0.1:8000", "http://127.0.0.1:8000"]


def test_times_are_stored_aware_and_shown_in_london() -> None:
    assert settings.USE_TZ is True
    assert settings.TIME_ZONE == "Europe/London"
    assert settings.LANGUAGE_CODE == "en-gb"
