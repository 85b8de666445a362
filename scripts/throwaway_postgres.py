"""A throwaway PostgreSQL cluster of its own (issue 21 part 4): initdb into a temporary folder, listening on a free
loopback port, so a fault test can stop, crash and restart *its* server without touching the machine's shared
cluster on 5432 (other people's tests run there).

    with throwaway_cluster() as cluster:
        cluster.create_database("saferhomes")
        url = cluster.url("saferhomes")
        cluster.restart(mode="immediate")   # a crash: no checkpoint, recovery from the WAL on start

Uses Debian's server binaries (/usr/lib/postgresql/<version>/bin, the newest installed, or `pg_config --bindir`).
As root, the server runs as the `postgres` user (PostgreSQL refuses to run as root); otherwise as the current user.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

HOST, USER = "127.0.0.1", "postgres"
DEBIAN_BINARIES = Path("/usr/lib/postgresql")
WAIT_SECONDS = 60


def server_binaries() -> Path:
    """The folder holding initdb and pg_ctl."""
    if DEBIAN_BINARIES.is_dir():
        versions = sorted(
            (path for path in DEBIAN_BINARIES.iterdir() if (path / "bin" / "initdb").exists()),
            key=lambda path: float(path.name),
        )
        if versions:
            return versions[-1] / "bin"
    if shutil.which("pg_config"):
        found = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True)  # noqa: S607
        return Path(found.stdout.strip())
    raise SystemExit("PostgreSQL's server binaries (initdb, pg_ctl) are not installed: apt-get install postgresql")


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@dataclass
class Cluster:
    """A running throwaway cluster: its data folder, port and the user its server runs as."""

    data: Path
    port: int
    bin_dir: Path
    run_as: str | None  # "postgres" when we are root; None to run as ourselves

    def _command(self, *args: str) -> list[str]:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        return ["runuser", "-u", self.run_as, "--", *command] if self.run_as else command

    def pg_ctl(self, *args: str) -> None:
        """Run pg_ctl on this cluster's data folder (waiting for it to finish)."""
        result = subprocess.run(  # noqa: S603 - PostgreSQL's own binary, our arguments
            self._command("pg_ctl", "-D", str(self.data), "-w", "-t", str(WAIT_SECONDS), *args),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            log = (self.data / "server.log").read_text(errors="replace")[-2000:] if self.run_as is None else ""
            raise RuntimeError(f"pg_ctl {' '.join(args)} failed:\n{result.stdout}{result.stderr}{log}")

    def start(self) -> None:
        self.pg_ctl("-l", str(self.data / "server.log"), "start")
        self.wait_until_accepting()

    def stop(self, *, mode: str = "fast") -> None:
        """Stop the server: "fast" (what a service manager does) or "immediate" (a crash: no shutdown checkpoint)."""
        self.pg_ctl("-m", mode, "stop")

    def restart(self, *, mode: str = "fast", down_for: float = 0.0) -> None:
        """Stop, stay down `down_for` seconds (clients see refused connections), and start again."""
        self.stop(mode=mode)
        time.sleep(down_for)
        self.start()

    def url(self, database: str) -> str:
        return f"postgres://{USER}@{HOST}:{self.port}/{database}"

    def connect(self, database: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(
            host=HOST, port=self.port, user=USER, dbname=database, autocommit=True, connect_timeout=5
        )

    def wait_until_accepting(self) -> None:
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            try:
                self.connect().close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def create_database(self, name: str) -> None:
        with self.connect() as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    def sql(self, database: str, query: str, *params: object) -> list[tuple[object, ...]]:
        with self.connect(database) as connection:
            cursor = connection.execute(query, params)
            return cursor.fetchall() if cursor.description else []


def _run_as() -> str | None:
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(USER)
    except KeyError as missing:
        raise SystemExit("Running as root needs a `postgres` user to run the throwaway server as") from missing
    return USER


@contextmanager
def throwaway_cluster() -> Iterator[Cluster]:
    """A new cluster (trust authentication on loopback, fsync on: a crash test must be honest), started on a free
    port; stopped and deleted afterwards, whatever happened."""
    bin_dir, run_as = server_binaries(), _run_as()
    folder = Path(tempfile.mkdtemp(prefix="saferhomes-pg-"))
    data = folder / "data"
    if run_as:
        account = pwd.getpwnam(run_as)
        os.chown(folder, account.pw_uid, account.pw_gid)
    cluster = Cluster(data=data, port=free_port(), bin_dir=bin_dir, run_as=run_as)
    try:
        subprocess.run(  # noqa: S603 - PostgreSQL's own binary
            cluster._command("initdb", "-D", str(data), "-U", USER, "--auth=trust", "--encoding=UTF8", "--no-sync"),
            capture_output=True,
            check=True,
        )
        with (data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"\nport = {cluster.port}\nlisten_addresses = '{HOST}'\nunix_socket_directories = '{folder}'\n"
                "max_connections = 100\nshared_buffers = 32MB\nfsync = on\nsynchronous_commit = on\n"
            )
        cluster.start()
        yield cluster
    finally:
        with suppress(RuntimeError, OSError):  # never started, or already stopped
            cluster.stop(mode="immediate")
        shutil.rmtree(folder, ignore_errors=True)
