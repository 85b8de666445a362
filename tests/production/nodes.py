"""Production processes for the tests (issue 20): a throwaway PostgreSQL database, `saferhomes serve` (gunicorn) and
`saferhomes worker` processes started with production settings, as an operator following docs/operations.md would."""

from __future__ import annotations

import datetime as dt
import hashlib
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
from psycopg import sql
from scripts import with_postgres

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-c", "from saferhomes.cli import main; main()"]
PASSWORD = "synthetic-Nodes-Password-2026"
TEMPLATE_PREFIX = "saferhomes_tpl_"
SEEDED_HOMES = "60"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def http_request(
    port: int, method: str, path: str, *, body: Any = None, headers: dict[str, str] | None = None
) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        payload = json.dumps(body).encode() if body is not None else None
        content = {"Content-Type": "application/json"} if payload else {}
        all_headers = {"Host": "127.0.0.1", **content, **(headers or {})}
        connection.request(method, path, body=payload, headers=all_headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@dataclass
class Deployment:
    """One PostgreSQL database with its settings; web servers and workers started against it."""

    database: str
    var_dir: Path
    env: dict[str, str]
    processes: list[subprocess.Popen[str]] = field(default_factory=list)

    def run(self, *args: str) -> str:
        result = subprocess.run(  # noqa: S603 - our own interpreter and command
            [*CLI, *args], env=self.env, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
        )
        assert result.returncode == 0, f"saferhomes {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
        return result.stdout

    def run_allowing_failure(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603 - our own interpreter and command
            [*CLI, *args], env=self.env, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
        )

    def python(self, code: str) -> str:
        """Run Python with this deployment's settings (Django set up first); returns its output."""
        result = subprocess.run(  # noqa: S603 - our own interpreter, the test's code
            [sys.executable, "-c", f"import django; django.setup()\n{code}"],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    def start(self, *args: str, **extra_env: str) -> subprocess.Popen[str]:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and command
            [*CLI, *args],
            env={**self.env, **extra_env},
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def serve(self, *, workers: int = 1) -> int:
        port = free_port()
        process = self.start("serve", "--bind", f"127.0.0.1:{port}", "--workers", str(workers))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert process.poll() is None, process.communicate()[1]
            try:
                http_request(port, "GET", "/healthz")
                return port
            except OSError:
                time.sleep(0.2)
        raise AssertionError("gunicorn did not answer within a minute")

    def sql(self, query: str, *params: Any) -> list[tuple[Any, ...]]:
        with psycopg.connect(host="127.0.0.1", user="postgres", dbname=self.database, autocommit=True) as db:
            return db.execute(query, params).fetchall()

    def wait_for(self, what: str, check: Any, *, seconds: float = 60) -> Any:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if result := check():
                return result
            time.sleep(0.25)
        raise AssertionError(f"timed out waiting for {what}")

    def stop(self, process: subprocess.Popen[str], *, kill: bool = False) -> None:
        if process.poll() is None:
            process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _production_env(database: str, var_dir: Path, static_root: Path, **settings: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("SAFERHOMES_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="saferhomes.config.settings",
        SAFERHOMES_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{database}",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT="9",  # discard: nothing listens, mail fails fast and is retried by the next run
        SAFERHOMES_BASE_URL="https://casework.calico.example",
        SAFERHOMES_PUBLIC_URL="https://report.calico.example",
        SECURE_SSL_REDIRECT="false",  # the tests talk plain HTTP on loopback; a proxy terminates TLS in production
        SAFERHOMES_VAR_DIR=str(var_dir),
        SAFERHOMES_STATIC_ROOT=str(static_root),
        SAFERHOMES_STATIC_COMPRESS="false",
        PYTHONPATH=str(ROOT),
        **settings,
    )
    return env


def _schema_key() -> str:
    """What a migrated database depends on: every migration file and the locked third-party versions."""
    digest = hashlib.sha256((ROOT / "uv.lock").read_bytes())
    for migration in sorted((ROOT / "src").rglob("migrations/*.py")):
        digest.update(migration.relative_to(ROOT).as_posix().encode() + migration.read_bytes())
    return digest.hexdigest()[:12]


def _databases_like(admin: psycopg.Connection[Any], prefix: str) -> set[str]:
    rows = admin.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [prefix.replace("_", "\\_") + "%"])
    return {row[0] for row in rows.fetchall()}


TEMPLATE_FILES = Path(tempfile.gettempdir()) / "saferhomes-templates"
TEMPLATE_LOCK = "SELECT pg_advisory_lock(hashtext('saferhomes production templates'))"
TEMPLATE_UNLOCK = "SELECT pg_advisory_unlock(hashtext('saferhomes production templates'))"


def template_database(*, seeded: bool) -> str:
    """A PostgreSQL database migrated once (with the manager), or migrated and seeded once with the demo landlord (its
    private files kept in TEMPLATE_FILES/<name>), for `CREATE DATABASE … TEMPLATE`: a copy takes a fraction of a
    second where migrating takes most of a minute. Named by the schema's key (and the day, for seeded data, whose
    dates are relative to today); built under an advisory lock and renamed into place when complete, so a half-built
    template is never used. Templates of other schemas or days are dropped."""
    with_postgres.ensure_running()
    key = _schema_key()
    migrated = f"{TEMPLATE_PREFIX}{key}"
    wanted = [migrated, f"{migrated}_seeded_{dt.datetime.now(ZoneInfo('Europe/London')):%Y%m%d}"]
    with with_postgres._admin_connection() as admin:
        admin.execute(TEMPLATE_LOCK)
        try:
            existing = _databases_like(admin, TEMPLATE_PREFIX)
            for stale in existing - set(wanted):
                admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(stale)))
                shutil.rmtree(TEMPLATE_FILES / stale, ignore_errors=True)
            if migrated not in existing:
                _build_template(admin, migrated, source=None)
            if seeded and not (wanted[1] in existing and (TEMPLATE_FILES / wanted[1]).is_dir()):
                _build_template(admin, wanted[1], source=migrated)
        finally:
            admin.execute(TEMPLATE_UNLOCK)
    return wanted[1] if seeded else migrated


def _build_template(admin: psycopg.Connection[Any], name: str, *, source: str | None) -> None:
    """Build `name` as `name_building` (migrated, or a copy of `source` seeded) and rename it into place."""
    building, files = f"{name}_building", TEMPLATE_FILES / name
    for database in (building, name):
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database)))
    shutil.rmtree(files, ignore_errors=True)
    if source is None:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(building)))
    else:
        admin.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(building), sql.Identifier(source))
        )
    scratch = Path(tempfile.mkdtemp(prefix="saferhomes-template-"))
    builder = Deployment(
        database=building, var_dir=scratch / "var", env=_production_env(building, scratch / "var", scratch / "static")
    )
    try:
        if source is None:
            builder.run("migrate", "--noinput", "-v", "0")
            builder.run("createstaff", "manager_nodes", "--role", "manager", "--password", PASSWORD)
        else:
            builder.run("seed", "--homes", SEEDED_HOMES)
            TEMPLATE_FILES.mkdir(parents=True, exist_ok=True)
            shutil.copytree(scratch / "var", files)
    except BaseException:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(building)))
        shutil.rmtree(files, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    admin.execute(sql.SQL("ALTER DATABASE {} RENAME TO {}").format(sql.Identifier(building), sql.Identifier(name)))


_STATIC_ROOT: list[Path] = []


def _static_root() -> Path:
    """Static files collected once per test process and shared by every deployment (they are read-only)."""
    if not _STATIC_ROOT:
        root = Path(tempfile.mkdtemp(prefix="saferhomes-static-"))
        env = _production_env("unused", root / "var", root / "static")
        Deployment(database="unused", var_dir=root / "var", env=env).run("collectstatic", "--noinput", "-v", "0")
        _STATIC_ROOT.append(root / "static")
    return _STATIC_ROOT[0]


@contextmanager
def deployment(tmp_path: Path, *, seeded: bool = False, **settings: str) -> Iterator[Deployment]:
    """A migrated production deployment on a new PostgreSQL database (a copy of the migrated template, or of the
    seeded one: the demo landlord with 60 homes, whose private files are NOT in the copy), with collected static files
    and a manager who can have an API token; every process started in it is stopped and the database dropped
    afterwards."""
    template = template_database(seeded=seeded)
    database = f"saferhomes_nodes_{os.getpid()}_{secrets.token_hex(3)}"
    with with_postgres._admin_connection() as admin:
        admin.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(database), sql.Identifier(template))
        )
    if seeded:
        shutil.copytree(TEMPLATE_FILES / template, tmp_path / "var")  # the seeded landlord's letters and evidence
    live = Deployment(
        database=database,
        var_dir=tmp_path / "var",
        env=_production_env(database, tmp_path / "var", _static_root(), **settings),
    )
    try:
        yield live
    finally:
        for process in live.processes:
            live.stop(process)
        with_postgres.drop_databases(database)


@contextmanager
def embedded_installation(tmp_path: Path) -> Iterator[Deployment]:
    """The embedded default: SQLite under its own VAR_DIR (development settings), migrated."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("SAFERHOMES_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="saferhomes.config.settings",
        SAFERHOMES_ENV="development",
        SAFERHOMES_VAR_DIR=str(tmp_path / "var"),
        PYTHONPATH=str(ROOT),
    )
    live = Deployment(database="", var_dir=tmp_path / "var", env=env)
    try:
        live.run("migrate", "--noinput", "-v", "0")
        yield live
    finally:
        for process in live.processes:
            live.stop(process)
