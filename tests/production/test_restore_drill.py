"""The restore drill (issue 20 part 6): back up a working installation, destroy its database and files, restore, and
compare every table and every private file with what was there — on PostgreSQL (production settings) and on the
embedded SQLite default."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest

from tests.production.nodes import Deployment, deployment, embedded_installation

pytestmark = pytest.mark.production

# Every table's row count and a digest of its rows (sorted, so row order does not matter), and every private file's
# SHA-256, as the installation itself reads them.
FINGERPRINT = """
import hashlib, json
from django.db import connection
from saferhomes.core.storage import private_files, private_storage
tables = {}
with connection.cursor() as cursor:
    for table in sorted(connection.introspection.table_names()):
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        rows = sorted(repr(row) for row in cursor.fetchall())
        tables[table] = [len(rows), hashlib.sha256("\\n".join(rows).encode()).hexdigest()]
files = {}
for name in private_files():
    with private_storage().open(name, "rb") as handle:
        files[name] = hashlib.sha256(handle.read()).hexdigest()
print(json.dumps({"tables": tables, "files": files}))
"""

DESTROY_POSTGRES = """
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
"""


def _destroy_embedded(live: Deployment) -> None:
    for name in ("saferhomes.sqlite3", "saferhomes.sqlite3-wal", "saferhomes.sqlite3-shm"):
        (live.var_dir / name).unlink(missing_ok=True)
    shutil.rmtree(live.var_dir / "evidence")
    live.run("migrate", "--noinput", "-v", "0")  # an empty installation to restore into


def _destroy_postgres(live: Deployment) -> None:
    live.python(DESTROY_POSTGRES)
    shutil.rmtree(live.var_dir / "evidence")


def _seed_embedded(tmp_path: Path) -> AbstractContextManager[Deployment]:
    @contextmanager
    def seeded() -> Iterator[Deployment]:
        with embedded_installation(tmp_path) as live:
            live.run("seed", "--homes", "60")
            yield live

    return seeded()


@pytest.mark.parametrize(
    ("installation", "destroy"),
    [
        pytest.param(lambda tmp: deployment(tmp, seeded=True), _destroy_postgres, id="postgresql"),
        pytest.param(_seed_embedded, _destroy_embedded, id="sqlite"),
    ],
)
def test_back_up_destroy_restore_and_every_table_and_file_is_as_it_was_and_a_damaged_archive_restores_nothing(
    tmp_path: Path,
    installation: Callable[[Path], AbstractContextManager[Deployment]],
    destroy: Callable[[Deployment], None],
) -> None:
    with installation(tmp_path) as live:
        before = json.loads(live.python(FINGERPRINT))
        assert before["files"], "the demo writes letters and evidence into private storage"
        assert sum(count for count, _digest in before["tables"].values()) > 1000
        archive = tmp_path / "backup.tar"

        output = live.run("backup", "--out", str(archive))
        assert f"private file(s) to {archive}" in output
        assert archive.stat().st_mode & 0o077 == 0, "the archive holds personal data: owner only"

        destroy(live)
        assert json.loads(live.python(FINGERPRINT)) != before

        live.run("restore", str(archive), "--yes")
        after = json.loads(live.python(FINGERPRINT))

        _a_damaged_archive_restores_nothing(live, archive, after)

    assert after["files"] == before["files"]
    different = {t: (before["tables"].get(t), after["tables"].get(t)) for t in before["tables"] | after["tables"]}
    assert {t: pair for t, pair in different.items() if pair[0] != pair[1]} == {}


def _a_damaged_archive_restores_nothing(live: Deployment, archive: Path, now: dict[str, object]) -> None:
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte in the middle (the database or a file)
    archive.write_bytes(bytes(data))

    result = live.run_allowing_failure("restore", str(archive), "--yes")

    assert result.returncode != 0
    assert "damaged" in result.stderr or "not a Saferhomes backup" in result.stderr
    assert json.loads(live.python(FINGERPRINT)) == now
