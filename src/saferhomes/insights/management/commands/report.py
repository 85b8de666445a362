"""`saferhomes report monthly --month 2026-10 [--format html|pdf|xlsx] [--output FILE]`: the monthly performance
report, the same figures as the staff page and the worker's email (thin: the selectors and services do the work)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from saferhomes.core.console import console_for
from saferhomes.core.errors import DomainError
from saferhomes.insights import rules
from saferhomes.insights.selectors.monthly import monthly_report_figures
from saferhomes.insights.services.reports import ReportFormat, monthly_report_document, report_filename


class Command(BaseCommand):
    help = "Produce a report: `report monthly --month YYYY-MM [--format html|pdf|xlsx] [--output FILE]`."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("kind", choices=["monthly"], help="Which report (monthly: the performance report).")
        parser.add_argument("--month", default=None, help="YYYY-MM (default: last month).")
        parser.add_argument(
            "--format", dest="report_format", choices=[f.value for f in ReportFormat], default=ReportFormat.PDF.value
        )
        parser.add_argument(
            "--output", type=Path, default=None, help="File to write (default: performance-YYYY-MM.EXT)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        console = console_for(self.stdout)
        try:
            month = (
                rules.parse_month(options["month"])
                if options["month"] is not None
                else rules.last_full_month(timezone.localdate())
            )
        except DomainError as error:
            raise CommandError(f"--month: {error}") from None
        report_format = ReportFormat(options["report_format"])
        output: Path = options["output"] or Path(report_filename(month, report_format))
        with console.status(f"Counting the figures for {rules.month_label(month)}…"):
            report = monthly_report_figures(month)
        with console.status(f"Drawing the {report_format.value.upper()}…"):
            document = monthly_report_document(report, report_format)
        try:
            output.write_bytes(document)
        except OSError as error:
            raise CommandError(f"Could not write {output}: {error.strerror}") from None
        console.print(f"Monthly performance report for {report.label} written to {output} ({len(document):,} bytes).")
