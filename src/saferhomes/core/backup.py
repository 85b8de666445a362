"""Backups and restores (issue 20 part 6): the database and every private file in one archive.

`saferhomes backup --out FILE.tar` writes an uncompressed tar holding
- `manifest.json`: when, which database engine, the applied migrations, and every file's name, size and SHA-256;
- `database.dump` (PostgreSQL, `pg_dump --format=custom`) or `database.sqlite3` (SQLite's online backup API, safe
  while the demo serves);
- `files/<name>` for each private file (evidence, letters, forms), read through the configured storage, so an S3
  bucket is backed up the same way as the private folder.

`saferhomes restore FILE.tar` puts all of it back: the database replaced (`pg_restore --clean`, or SQLite's backup
API the other way), the private storage made to hold exactly the archive's files, each checked against its SHA-256.
Archives hold personal data: they are written 0600 and must be kept as carefully as the database.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.recorder import MigrationRecorder

from saferhomes.core.storage import private_files, private_storage

FORMAT_VERSION = 1
Step = Callable[[str, int], None]  # (what is being done, how many units it will take) -> None
Advance = Callable[[int], None]


class BackupError(Exception):
    """A backup or restore could not be done; the message says why and what to do."""


@dataclass(frozen=True)
class Progress:
    """How a command shows progress: `start(what, total)` then `advance(n)` as each unit is done."""

    start: Step
    advance: Advance


QUIET = Progress(start=lambda what, total: None, advance=lambda n: None)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _database() -> dict[str, Any]:
    settings_dict: dict[str, Any] = connections[DEFAULT_DB_ALIAS].settings_dict
    return settings_dict


def _engine() -> str:
    return str(connections[DEFAULT_DB_ALIAS].vendor)


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = _database()
    args = ["--host", str(db.get("HOST") or "127.0.0.1"), "--port", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    return args, env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed: apt-get install postgresql-client (PostgreSQL's client tools)")
    return found


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o600, int(datetime.now(tz=UTC).timestamp())
    archive.addfile(info, io.BytesIO(data))


def backup(out: Path, *, progress: Progress = QUIET) -> dict[str, Any]:
    """Write the archive to `out` (0600) and return its manifest."""
    connection = connections[DEFAULT_DB_ALIAS]
    connection.ensure_connection()
    engine = _engine()
    names = private_files()
    manifest: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "created_at": datetime.now(tz=UTC).isoformat(),
        "engine": engine,
        "migrations": sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()),
        "files": [],
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    with tempfile.TemporaryDirectory() as work, partial.open("wb") as raw:
        os.chmod(partial, 0o600)
        with tarfile.open(fileobj=raw, mode="w") as archive:
            progress.start("Database", 1)
            database_file = Path(work) / ("database.dump" if engine == "postgresql" else "database.sqlite3")
            _dump_database(database_file)
            archive.add(database_file, arcname=database_file.name)
            manifest["database"] = {"name": database_file.name, "sha256": _file_sha256(database_file)}
            progress.advance(1)
            progress.start("Private files", len(names))
            storage = private_storage()
            for name in names:
                with storage.open(name, "rb") as handle:
                    data = handle.read()
                _add_bytes(archive, f"files/{name}", data)
                manifest["files"].append({"name": name, "size": len(data), "sha256": _sha256(data)})
                progress.advance(1)
            _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
    partial.replace(out)
    return manifest


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _dump_database(target: Path) -> None:
    if _engine() == "postgresql":
        args, env = _pg_env()
        name = str(_database()["NAME"])
        command = [_tool("pg_dump"), *args, "--format=custom", "--no-owner", "--file", str(target), name]
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    else:
        source = sqlite3.connect(str(_database()["NAME"]))
        try:
            destination = sqlite3.connect(str(target))
            with destination:
                source.backup(destination)
            destination.close()
        finally:
            source.close()


def read_manifest(archive_path: Path) -> dict[str, Any]:
    """The archive's manifest, or BackupError if it is not a Saferhomes backup."""
    try:
        with tarfile.open(archive_path, mode="r") as archive:
            member = archive.extractfile("manifest.json")
            if member is None:
                raise KeyError("manifest.json")
            manifest: dict[str, Any] = json.loads(member.read())
    except (OSError, KeyError, tarfile.TarError, json.JSONDecodeError) as error:
        raise BackupError(f"{archive_path} is not a Saferhomes backup: {error}") from error
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"{archive_path} is a backup in format {manifest.get('format')}, not {FORMAT_VERSION}")
    return manifest


def restore(archive_path: Path, *, progress: Progress = QUIET) -> dict[str, Any]:
    """Replace the database and the private files with the archive's; returns its manifest. Every file is checked
    against its SHA-256 before anything is replaced, so a damaged archive changes nothing."""
    manifest = read_manifest(archive_path)
    if manifest["engine"] != _engine():
        raise BackupError(f"This backup is of a {manifest['engine']} database; this installation uses {_engine()}")
    with tempfile.TemporaryDirectory() as work, tarfile.open(archive_path, mode="r") as archive:
        progress.start("Checking the archive", len(manifest["files"]) + 1)
        database_file = Path(work) / manifest["database"]["name"]
        member = archive.extractfile(manifest["database"]["name"])
        if member is None:
            raise BackupError("The archive has no database")
        with database_file.open("wb") as handle:
            shutil.copyfileobj(member, handle)
        if _file_sha256(database_file) != manifest["database"]["sha256"]:
            raise BackupError("The database in the archive is damaged (its SHA-256 does not match): nothing restored")
        progress.advance(1)
        files: dict[str, bytes] = {}
        for entry in manifest["files"]:
            item = archive.extractfile(f"files/{entry['name']}")
            data = item.read() if item is not None else b""
            if _sha256(data) != entry["sha256"]:
                raise BackupError(f"{entry['name']} in the archive is damaged: nothing restored")
            files[entry["name"]] = data
            progress.advance(1)
        progress.start("Database", 1)
        _load_database(database_file)
        progress.advance(1)
    progress.start("Private files", len(files))
    storage = private_storage()
    for name in set(private_files()) - set(files):
        storage.delete(name)  # the storage ends up holding exactly what was backed up
    for name, data in files.items():
        if storage.exists(name):
            storage.delete(name)
        saved = storage.save(name, ContentFile(data))
        if saved != name:
            raise BackupError(f"The storage renamed {name} to {saved}: restore into an empty storage")
        progress.advance(1)
    return manifest


def _load_database(database_file: Path) -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    if _engine() == "postgresql":
        connection.close()
        args, env = _pg_env()
        command = [
            _tool("pg_restore"),
            *args,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            str(_database()["NAME"]),
            str(database_file),
        ]
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    else:
        connection.close()
        source = sqlite3.connect(str(database_file))
        try:
            destination = sqlite3.connect(str(_database()["NAME"]))
            with destination:
                source.backup(destination)
            destination.close()
        finally:
            source.close()
