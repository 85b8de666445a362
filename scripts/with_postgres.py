"""Run a command against a throwaway PostgreSQL database, then drop it.

Usage: uv run python scripts/with_postgres.py pytest -m "not browser"

1. Install PostgreSQL with apt-get if it is not installed at all (never skip silently), and start the local
   cluster if it is not running.
2. Wait for 127.0.0.1:5432, create `saferhomes_ci_<pid>` as user postgres.
3. Run the command with DATABASE_URL pointing at it (pytest-django then creates and uses `test_<name>`,
   or `test_<name>_gw<n>` per xdist worker).
4. Drop the database and any test databases left behind, whatever happened, and exit with the command's code.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg
from psycopg import sql
from rich.console import Console

HOST, PORT, USER = "127.0.0.1", 5432, "postgres"
CONFIG_DIR = Path("/etc/postgresql")
WAIT_SECONDS = 60

console = Console(stderr=True)


def _root_prefix() -> list[str]:
    """Run privileged commands directly as root, or through sudo."""
    return [] if os.geteuid() == 0 else ["sudo", "-n"]


def _cluster_versions() -> list[str]:
    """Installed cluster versions, e.g. ["15"]."""
    if not CONFIG_DIR.is_dir():
        return []
    return sorted((path.name for path in CONFIG_DIR.iterdir() if (path / "main").is_dir()), key=float)


def _port_open() -> bool:
    """Whether something accepts connections on HOST:PORT."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(1)
        return probe.connect_ex((HOST, PORT)) == 0


def _trust_local_connections(version: str) -> None:
    """On a cluster we have just installed, let the postgres user connect over loopback without a password."""
    hba = CONFIG_DIR / version / "main" / "pg_hba.conf"
    lines = "host all postgres 127.0.0.1/32 trust\nhost all postgres ::1/128 trust\n"
    hba.write_text(lines + hba.read_text())


def install_postgresql() -> None:
    """Install Debian's PostgreSQL server (one-off, on a machine that has none)."""
    if shutil.which("apt-get") is None:
        raise SystemExit("PostgreSQL is not installed and apt-get is not available: install PostgreSQL by hand.")
    console.rule("PostgreSQL is not installed: installing it with apt-get")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*_root_prefix(), "apt-get", "update", "-qq"], check=True, env=env)  # noqa: S603
    subprocess.run([*_root_prefix(), "apt-get", "install", "-y", "-qq", "postgresql"], check=True, env=env)  # noqa: S603
    console.rule()
    versions = _cluster_versions()
    if not versions:
        raise SystemExit("apt-get installed PostgreSQL but created no cluster under /etc/postgresql.")
    _trust_local_connections(versions[-1])


def ensure_running() -> None:
    """Start the local cluster unless it already listens, installing PostgreSQL first if needed."""
    if _port_open():
        console.print(f"[green]✓[/green] PostgreSQL is listening on {HOST}:{PORT}")
        return
    if not _cluster_versions():
        install_postgresql()
    version = _cluster_versions()[-1]
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"]
    if os.geteuid() != 0:
        command = ["sudo", "-n", *command]
    with console.status(f"Starting PostgreSQL {version} (cluster main)..."):
        result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        deadline = time.monotonic() + WAIT_SECONDS
        while not _port_open():
            if time.monotonic() > deadline:
                raise SystemExit(
                    f"PostgreSQL did not start within {WAIT_SECONDS}s on {HOST}:{PORT}.\n{result.stdout}{result.stderr}"
                )
            time.sleep(0.5)
    console.print(f"[green]✓[/green] Started PostgreSQL {version} on {HOST}:{PORT}")


def _admin_connection() -> psycopg.Connection:
    """An autocommit connection to the maintenance database as the postgres superuser."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        try:
            return psycopg.connect(
                host=HOST, port=PORT, user=USER, dbname="postgres", autocommit=True, connect_timeout=5
            )
        except psycopg.OperationalError as exc:
            # The server may accept TCP a moment before it accepts logins (still starting up / recovering).
            if time.monotonic() > deadline or ("starting up" not in str(exc) and "recovery" not in str(exc)):
                raise
            time.sleep(0.5)


def create_database(name: str) -> None:
    """Create an empty database `name`."""
    with _admin_connection() as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_databases(name: str) -> list[str]:
    """Drop `name` and every test database derived from it; return what was dropped."""
    with _admin_connection() as connection:
        rows = connection.execute(
            "SELECT datname FROM pg_database WHERE datname = %s OR datname LIKE %s",
            [name, f"test\\_{name}%"],
        ).fetchall()
        dropped = [row[0] for row in rows]
        for database in dropped:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database)))
    return dropped


def main(argv: list[str]) -> int:
    """Run argv against a throwaway database and return its exit code."""
    if not argv:
        console.print("usage: with_postgres.py COMMAND [ARGS...]")
        return 2
    ensure_running()
    name = f"saferhomes_ci_{os.getpid()}"
    create_database(name)
    url = f"postgres://{USER}@{HOST}:{PORT}/{name}"
    console.print(f"[green]✓[/green] Created database {name}; running: {' '.join(argv)}")
    returncode = 1
    try:
        returncode = subprocess.run(argv, env={**os.environ, "DATABASE_URL": url}, check=False).returncode  # noqa: S603
    except KeyboardInterrupt:
        returncode = 130
    finally:
        dropped = drop_databases(name)
        console.print(f"[green]✓[/green] Dropped {', '.join(dropped) or 'nothing'}")
    return returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
