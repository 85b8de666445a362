"""`saferhomes agencies import FILE.csv|FILE.xlsx [--dry-run] [--user USERNAME]`: load the agency directory;
`saferhomes agencies columns`: the columns such a file may have.

Every row is checked before anything is written; if any row is wrong, nothing is imported and a table names each
problem by row and column (exit 2). Rows are matched to agencies by code, so importing a file again changes nothing.
An example: docs/examples/agencies.csv.
"""

from __future__ import annotations

from argparse import ArgumentParser
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.table import Table

from saferhomes.accounts.commands import command_actor
from saferhomes.accounts.models import User
from saferhomes.core.console import console_for, progress_bar
from saferhomes.core.errors import DomainError
from saferhomes.housing.importers import ImportRejectedError, ImportResult, ImportRow, read_columns
from saferhomes.referrals.services.agency_import import AGENCY_COLUMNS, COLUMNS_HINT, agencies_import

BAD_INPUT = 2
MAX_PROBLEMS_SHOWN = 200


class Command(BaseCommand):
    help = (
        "Import the agency directory from a .csv or .xlsx file (header on row 1), or list its columns. Every row is "
        "checked first; if any is invalid nothing is written. Rows are matched to agencies by code, so importing "
        "the same file again changes nothing."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        load = actions.add_parser("import", help="Check a file and add or update the agencies it lists.")
        load.add_argument("file", help="The .csv or .xlsx file (header on row 1).")
        load.add_argument("--dry-run", action="store_true", help="Check the file and report; write nothing.")
        load.add_argument("--user", help="Record the import as done by this staff username (needs permission).")
        actions.add_parser("columns", help="The columns an agencies file may have.")

    def handle(self, *args: Any, **options: Any) -> None:
        console = console_for(self.stdout)
        if options["action"] == "columns":
            console.print(_columns_table())
            return
        path = Path(options["file"])
        actor = command_actor(options.get("user"), returncode=BAD_INPUT)
        try:
            table = read_columns(path, columns=AGENCY_COLUMNS, columns_hint=COLUMNS_HINT)
            if table.ignored:
                ignored = ", ".join(repr(name) for name in table.ignored)
                console.print(f"[yellow]Ignoring columns not recognised:[/] {ignored}", highlight=False)
            result = _import(console, table.rows, actor=actor, dry_run=options["dry_run"], source=path.name)
        except ImportRejectedError as rejected:
            console.print(_problems_table(rejected))
            raise CommandError(f"{path.name}: {rejected.messages[0]}", returncode=BAD_INPUT) from None
        except DomainError as error:
            raise CommandError(" ".join(error.messages), returncode=BAD_INPUT) from None
        except PermissionDenied as denied:
            raise CommandError(str(denied), returncode=BAD_INPUT) from None
        prefix = "Dry run, nothing written: would have " if result.dry_run else f"Imported {result.rows} agencies: "
        console.print(f"{prefix}{result.summary()}.", highlight=False)


def _import(
    console: Console, rows: Sequence[ImportRow], *, actor: User | None, dry_run: bool, source: str
) -> ImportResult:
    """Run the import with a progress bar for checking and writing."""
    with progress_bar(console) as progress:
        tasks: dict[str, Any] = {}

        def report(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                tasks[phase] = progress.add_task(phase, total=total)
            progress.update(tasks[phase], completed=done, total=total)

        return agencies_import(rows=rows, actor=actor, dry_run=dry_run, source=source, progress=report)


def _columns_table() -> Table:
    table = Table(title="Columns of an agencies file (headers ignore case and spaces)")
    table.add_column("Column")
    table.add_column("Required")
    table.add_column("What it holds")
    for column in AGENCY_COLUMNS:
        table.add_row(column.name, "yes" if column.required else "no", column.help)
    return table


def _problems_table(rejected: ImportRejectedError) -> Table:
    shown = rejected.problems[:MAX_PROBLEMS_SHOWN]
    hidden = len(rejected.problems) - len(shown)
    table = Table(title="Rows that cannot be imported", caption=f"…and {hidden} more problems" if hidden else None)
    table.add_column("Row", justify="right")
    table.add_column("Column")
    table.add_column("Problem")
    for problem in shown:
        table.add_row(str(problem.row), problem.column, problem.reason)
    return table
