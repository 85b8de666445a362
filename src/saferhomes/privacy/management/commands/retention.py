"""`saferhomes retention run`: the anonymisation runs of the retention schedule from the command line (issue 19).

    saferhomes retention run --dry-run [--as-of YYYY-MM-DD]   plan a run: list the cases due, for the DPO to approve
    saferhomes retention run --dry-run --run N                list run N's cases again
    saferhomes retention run [--run N] [--yes]                carry out the runs the DPO has approved

Nothing is anonymised that the DPO has not approved (on /staff/privacy/retention/runs/<id>/). Each case is done in
its own transaction: stopping the command (Ctrl-C, kill) leaves the run resumable, and running it again goes on
where it stopped.
"""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.table import Table

from saferhomes.core.console import console_for, progress_bar
from saferhomes.core.errors import DomainError
from saferhomes.privacy.models import ItemStatus, RetentionItem, RetentionRun, RunStatus
from saferhomes.privacy.services.execute import RunResult, execute_run, runs_to_execute
from saferhomes.privacy.services.runs import plan_run

BAD_INPUT = 2
INTERRUPTED = 130
LIST_LIMIT = 200


def run_page_path(run: RetentionRun) -> str:
    return f"/staff/privacy/retention/runs/{run.pk}/"


class Command(BaseCommand):
    help = (
        "Anonymisation runs under the retention schedule: --dry-run lists the cases due for the DPO to approve; "
        "without it, carries out the runs the DPO has approved (one case per transaction, resumable)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        run = actions.add_parser("run", help="Plan (--dry-run) or carry out approved anonymisation runs.")
        run.add_argument("--dry-run", action="store_true", help="List the cases due; anonymise nothing.")
        run.add_argument("--as-of", type=date.fromisoformat, help="Compare retention dates with this day (dry run).")
        run.add_argument("--run", type=int, help="Only this run.")
        run.add_argument("--yes", action="store_true", help="Do not ask before anonymising.")

    def handle(self, *args: Any, **options: Any) -> None:
        console = console_for(self.stdout)
        try:
            if options["dry_run"]:
                self._dry_run(console, options)
            else:
                self._execute(console, options)
        except DomainError as error:
            raise CommandError(" ".join(error.messages), returncode=BAD_INPUT) from None

    def _dry_run(self, console: Console, options: dict[str, Any]) -> None:
        if options.get("run"):
            run = _get_run(options["run"])
        else:
            planned = plan_run(actor=None, as_of=options.get("as_of"))
            if planned is None:
                console.print("No case is due for anonymisation. Nothing to approve.")
                return
            run = planned
        items = list(run.items.select_related("case", "rule").order_by("due_on", "id")[: LIST_LIMIT + 1])
        console.print(_items_table(run, items[:LIST_LIMIT]))
        total = run.items.count()
        if total > LIST_LIMIT:
            console.print(f"… and {total - LIST_LIMIT:,} more ({total:,} in all).")
        console.print(
            f"Run {run.pk} is {run.get_status_display().lower()}. Nothing has been anonymised. "
            f"The DPO reviews and approves it at {run_page_path(run)}"
        )

    def _execute(self, console: Console, options: dict[str, Any]) -> None:
        if options.get("run"):
            run = _get_run(options["run"])
            if run.status not in (RunStatus.APPROVED, RunStatus.RUNNING):
                raise CommandError(
                    f"Run {run.pk} is {run.get_status_display().lower()}: only a run the DPO has approved is carried "
                    f"out (approve it at {run_page_path(run)}).",
                    returncode=BAD_INPUT,
                )
            runs = [run]
        else:
            runs = runs_to_execute()
        if not runs:
            console.print(
                "No anonymisation run is approved: nothing was anonymised. Plan one with "
                "`saferhomes retention run --dry-run` and ask the DPO to approve it."
            )
            return
        for run in runs:
            pending = run.items.filter(status=ItemStatus.PENDING).count()
            if not options["yes"] and not _confirmed(run, pending):
                console.print(f"Run {run.pk} left as it was.")
                continue
            try:
                result = _with_progress(console, run, pending)
            except KeyboardInterrupt:
                # The case being done when stopped rolled back with its transaction; the rest are still pending.
                raise CommandError(
                    f"Stopped. Run {run.pk} is resumable: run `saferhomes retention run` again to go on.",
                    returncode=INTERRUPTED,
                ) from None
            console.print(_result_line(result))


def _get_run(pk: int) -> RetentionRun:
    try:
        return RetentionRun.objects.get(pk=pk)
    except RetentionRun.DoesNotExist:
        raise CommandError(f"There is no run {pk}.", returncode=BAD_INPUT) from None


def _confirmed(run: RetentionRun, pending: int) -> bool:
    if not sys.stdin.isatty():
        raise CommandError("Add --yes to anonymise without being asked (standard input is not a terminal).")
    answer = input(f"Anonymise the {pending:,} pending cases of run {run.pk}? This cannot be undone. [y/N] ")
    return answer.strip().lower() in ("y", "yes")


def _with_progress(console: Console, run: RetentionRun, pending: int) -> RunResult:
    with progress_bar(console) as progress:
        bar = progress.add_task(f"Run {run.pk}: anonymising", total=pending)
        return execute_run(run, progress=lambda item: progress.advance(bar))


def _result_line(result: RunResult) -> str:
    state = "finished" if result.finished else f"stopped with {result.pending:,} cases still pending"
    return (
        f"Run {result.run_id} {state}: {result.anonymised:,} anonymised, {result.skipped_held:,} skipped (legal "
        f"hold), {result.skipped_not_due:,} skipped (no longer due) in {result.seconds:.1f} s "
        f"({result.rate:.1f} cases/s)."
    )


def _items_table(run: RetentionRun, items: list[RetentionItem]) -> Table:
    table = Table(title=f"Run {run.pk}: cases due on {run.as_of:%d %B %Y}")
    for column in ("Reference", "Type", "Closed", "Due on", "Rule", "Status"):
        table.add_column(column)
    for item in items:
        closed = item.case.closed_at
        table.add_row(
            item.reference,
            item.case.get_case_type_display(),
            f"{closed:%d %b %Y}" if closed else "",
            f"{item.due_on:%d %b %Y}",
            str(item.rule) if item.rule else "default",
            item.get_status_display(),
        )
    return table
