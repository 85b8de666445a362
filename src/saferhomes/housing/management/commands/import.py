# ruff: noqa: N999 - the command is `saferhomes import`, so the module must be called import
"""`saferhomes import properties|tenancies|people FILE.csv|FILE.xlsx [--dry-run]`: load the housing register; other
apps add kinds through `housing.importers.registry` (the case log: `saferhomes import cases FILE`)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from rich.table import Table

from saferhomes.accounts.commands import command_actor
from saferhomes.core.console import console_for, progress_bar
from saferhomes.core.errors import DomainError
from saferhomes.housing.importers import (
    COLUMNS,
    KINDS,
    ImportRejectedError,
    read_columns,
    read_table,
    register_import,
)
from saferhomes.housing.importers.registry import IMPORT_KINDS

MAX_PROBLEMS_SHOWN = 200


class Command(BaseCommand):
    help = (
        "Import properties, people or tenancies from a .csv or .xlsx export of the housing management system "
        "(or, with `cases`, a case log of open and recent cases). "
        "Every row is checked first; if any row is invalid nothing is written. Records are matched by reference, "
        "so re-running a file changes nothing. Import properties and people before tenancies. "
        "Use --columns to list the columns of a kind."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("kind", choices=(*KINDS, *IMPORT_KINDS), help="What the file holds.")
        parser.add_argument("file", nargs="?", help="The .csv or .xlsx file (header on row 1).")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report; write nothing.")
        parser.add_argument("--columns", action="store_true", help="List the columns this kind of file may have.")
        parser.add_argument("--user", help="Record the import as done by this staff username (needs permission).")

    def handle(self, *args: Any, **options: Any) -> None:
        console = console_for(self.stdout)
        kind: str = options["kind"]
        if options["columns"]:
            console.print(_columns_table(kind))
            return
        if not options["file"]:
            raise CommandError(f"Give the file to import, e.g. `saferhomes import {kind} {kind}.csv`.")
        path = Path(options["file"])
        actor = command_actor(options.get("user"))
        try:
            extra = IMPORT_KINDS.get(kind)
            if extra is None:
                table = read_table(path, kind=kind)
            else:
                table = read_columns(path, columns=extra.columns, columns_hint=f"saferhomes import {kind} --columns")
            if table.ignored:
                ignored = ", ".join(repr(name) for name in table.ignored)
                console.print(f"[yellow]Ignoring columns not recognised:[/] {ignored}", highlight=False)
            with progress_bar(console) as progress:
                tasks: dict[str, Any] = {}

                def report(phase: str, done: int, total: int) -> None:
                    if phase not in tasks:
                        tasks[phase] = progress.add_task(phase, total=total)
                    progress.update(tasks[phase], completed=done, total=total)

                run = register_import if extra is None else extra.run
                arguments = {} if extra is not None else {"kind": kind}
                result = run(
                    **arguments,
                    rows=table.rows,
                    actor=actor,
                    dry_run=options["dry_run"],
                    source=path.name,
                    progress=report,
                )
        except ImportRejectedError as rejected:
            console.print(_problems_table(rejected))
            raise CommandError(f"{path.name}: {rejected.messages[0]}") from None
        except DomainError as error:
            raise CommandError(" ".join(error.messages)) from None
        except PermissionDenied as denied:
            raise CommandError(str(denied)) from None
        for note in result.notes:
            console.print(note)
        prefix = "Dry run, nothing written: would have " if result.dry_run else f"Imported {result.rows} {kind}: "
        console.print(f"{prefix}{result.summary()}.", highlight=False)


def _columns_table(kind: str) -> Table:
    table = Table(title=f"Columns of a {kind} file (headers ignore case and spaces)")
    table.add_column("Column")
    table.add_column("Required")
    table.add_column("What it holds")
    columns = IMPORT_KINDS[kind].columns if kind in IMPORT_KINDS else COLUMNS[kind]
    for column in columns:
        table.add_row(column.name, "yes" if column.required else "no", column.help)
    return table


def _problems_table(rejected: ImportRejectedError) -> Table:
    shown = rejected.problems[:MAX_PROBLEMS_SHOWN]
    hidden = len(rejected.problems) - len(shown)
    caption = f"…and {hidden} more problems" if hidden else None
    table = Table(title="Rows that cannot be imported", caption=caption)
    table.add_column("Row", justify="right")
    table.add_column("Column")
    table.add_column("Problem")
    for problem in shown:
        table.add_row(str(problem.row), problem.column, problem.reason)
    return table
