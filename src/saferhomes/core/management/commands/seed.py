"""`saferhomes seed --homes N [--seed S]`: build the synthetic demo landlord in an empty database (core.seed)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import Progress, TaskID
from rich.table import Table

from saferhomes.core.console import console_for, progress_bar
from saferhomes.core.seed import SeedError, SeedResult, seed_demo


class Command(BaseCommand):
    help = (
        "Fill an empty database with a synthetic landlord (Faker en_GB): staff for every role, estates, homes, "
        "tenancies and people. The same --seed always gives the same data. Refuses if there are homes already."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--homes", type=int, default=2000, help="How many homes (default 2000).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")

    def handle(self, *args: Any, **options: Any) -> None:
        console = console_for(self.stdout)
        run_seed(console, homes=options["homes"], seed=options["seed"])


def run_seed(console: Console, *, homes: int, seed: int) -> SeedResult:
    """Seed with a progress bar and print what was made; raises CommandError if it cannot."""
    try:
        with progress_bar(console) as progress:
            result = seed_demo(homes=homes, seed=seed, progress=_reporter(progress))
    except SeedError as error:
        raise CommandError(" ".join(error.messages)) from None
    table = Table(title=f"Demo landlord, seed {seed}")
    table.add_column("What")
    table.add_column("How many", justify="right")
    for name, count in result.counts.items():
        table.add_row(name.replace("_", " ").capitalize(), f"{count:,}")
    console.print(table)
    console.print(f"Seeded in {result.seconds:.1f} s.")
    return result


def _reporter(progress: Progress) -> Any:
    tasks: dict[str, TaskID] = {}

    def report(phase: str, done: int, total: int) -> None:
        if phase not in tasks:
            tasks[phase] = progress.add_task(phase, total=total)
        progress.update(tasks[phase], completed=done, total=total)

    return report
