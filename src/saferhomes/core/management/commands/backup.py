"""`saferhomes backup --out FILE.tar`: the database and every private file in one archive (core.backup)."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from saferhomes.core.backup import BackupError, backup
from saferhomes.core.console import console_for, progress_bar
from saferhomes.core.management.backup_progress import rich_progress


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, or SQLite's online backup) and every private file (evidence, letters, forms) "
        "into one tar archive, written readable by its owner only. Restore it with `saferhomes restore`."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--out", default="", help="Where to write the archive (default: VAR_DIR/backups/saferhomes-<time>.tar)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        out = Path(options["out"] or Path(settings.VAR_DIR) / "backups" / f"saferhomes-{stamp}.tar")
        console = console_for(self.stdout)
        started = time.perf_counter()
        try:
            with progress_bar(console) as bar:
                manifest = backup(out, progress=rich_progress(bar))
        except BackupError as error:
            raise CommandError(str(error)) from error
        console.print(
            f"Backed up the {manifest['engine']} database and {len(manifest['files'])} private file(s) to {out} "
            f"({out.stat().st_size:,} bytes) in {time.perf_counter() - started:.1f}s."
        )
