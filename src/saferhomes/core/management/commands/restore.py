"""`saferhomes restore FILE.tar`: put back the database and private files from `saferhomes backup` (core.backup)."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from saferhomes.core.backup import BackupError, read_manifest, restore
from saferhomes.core.console import console_for, progress_bar
from saferhomes.core.management.backup_progress import rich_progress


class Command(BaseCommand):
    help = (
        "Replace this installation's database and private files with those in a backup archive. Stop the web "
        "servers and workers first. Asks for confirmation unless --yes."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("archive", help="A tar archive written by `saferhomes backup`.")
        parser.add_argument("--yes", action="store_true", help="Do not ask: replace everything now.")

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(options["archive"])
        console = console_for(self.stdout)
        try:
            manifest = read_manifest(archive)
        except BackupError as error:
            raise CommandError(str(error)) from error
        console.print(
            f"{archive}: a {manifest['engine']} backup made {manifest['created_at']} with "
            f"{len(manifest['files'])} private file(s)."
        )
        if not options["yes"]:
            answer = input("This replaces the database and every private file here. Type 'restore' to go on: ")
            if answer.strip() != "restore":
                raise CommandError("Nothing restored.")
        started = time.perf_counter()
        try:
            with progress_bar(console) as bar:
                restore(archive, progress=rich_progress(bar))
        except BackupError as error:
            raise CommandError(str(error)) from error
        seconds = time.perf_counter() - started
        console.print(f"Restored in {seconds:.1f}s. Run `saferhomes migrate` if this build is newer than the backup.")
