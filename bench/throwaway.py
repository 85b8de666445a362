"""What the stand-alone intake benches share: the commit measured, and a throwaway migrated Django to measure in.

Importing this module does not import Django: the scripts must set the environment before Django reads it.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def git_commit() -> str:
    """The short commit being measured ('' outside a git checkout)."""
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def throwaway_django(*, prefix: str, database_url: str = "") -> Path:
    """Set up Django on a database of its own (a fresh SQLite file unless `database_url`), with files, the secret
    key and outgoing mail kept away from the real var/ and mailbox; migrate it. Returns the temporary folder."""
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, workdir, ignore_errors=True)
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("SAFERHOMES_VAR_DIR", str(workdir))  # evidence, secret key: nothing in the real var/
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferhomes.config.settings")
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's own hosts and the in-memory mail backend
    call_command("migrate", verbosity=0)
    return workdir
