"""Production processes for the tests (issue 20): a throwaway PostgreSQL database, `saferhomes serve` (gunicorn) and
`saferhomes worker` processes started with production settings, as an operator following docs/operations.md would."""

from __future__ import annotations

import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from scripts import with_postgres

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-c", "from saferhomes.cli import main; main()"]
PASSWORD = "synthetic-Nodes-Password-2026"


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


@contextmanager
def deployment(tmp_path: Path, **settings: str) -> Iterator[Deployment]:
    """A migrated production deployment on a new PostgreSQL database, with collected static files and a manager who
    has an API token; every process started in it is stopped and the database dropped afterwards."""
    with_postgres.ensure_running()
    database = f"saferhomes_nodes_{os.getpid()}_{secrets.token_hex(3)}"
    with_postgres.create_database(database)
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
        SAFERHOMES_VAR_DIR=str(tmp_path / "var"),
        SAFERHOMES_STATIC_ROOT=str(tmp_path / "static"),
        SAFERHOMES_STATIC_COMPRESS="false",
        PYTHONPATH=str(ROOT),
        **settings,
    )
    live = Deployment(database=database, var_dir=tmp_path / "var", env=env)
    try:
        live.run("migrate", "--noinput", "-v", "0")
        live.run("collectstatic", "--noinput", "-v", "0")
        live.run("createstaff", "manager_nodes", "--role", "manager", "--password", PASSWORD)
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
