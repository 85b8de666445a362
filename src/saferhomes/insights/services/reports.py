"""The monthly performance report as documents: the HTML page's context (charts beside their tables), a PDF
(core.pdf, WeasyPrint) and an XLSX workbook with a sheet per section (core.exports, openpyxl; numbers as numbers)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.template.loader import render_to_string

from saferhomes.core.exports import Column, Sheet, xlsx_workbook_bytes
from saferhomes.core.pdf import render_pdf
from saferhomes.insights.charts import Chart, bar_chart_svg
from saferhomes.insights.selectors.monthly import COUNT, HOURS, PERCENT, MonthlyReport, Row, Section, Table


class ReportFormat(StrEnum):
    HTML = "html"
    PDF = "pdf"
    XLSX = "xlsx"


CONTENT_TYPES = {
    ReportFormat.HTML: "text/html; charset=utf-8",
    ReportFormat.PDF: "application/pdf",
    ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
UNIT_WORDS = {COUNT: "", HOURS: " hours", PERCENT: "%"}


def shown(value: int | Decimal | None, unit: str = COUNT) -> str:
    """A figure as the page and the PDF print it: '1,234', '12.5%', '36.0 hours', or '—' for no figure."""
    if value is None:
        return "—"
    number = f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"
    return number + UNIT_WORDS.get(unit, "")


@dataclass(frozen=True)
class ShownTable:
    table: Table
    chart: Chart | None
    rows: list[tuple[str, list[str]]]


@dataclass(frozen=True)
class ShownSection:
    section: Section
    tables: list[ShownTable]


def _charted_rows(table: Table) -> list[Row]:
    """The rows a chart draws: those in the first row's unit, without totals (they would dwarf the rest)."""
    unit = table.rows[0].unit if table.rows else COUNT
    return [row for row in table.rows if row.unit == unit and not row.label.startswith("Total")]


def _chart(report: MonthlyReport, table: Table) -> Chart | None:
    rows = _charted_rows(table)
    if not rows:
        return None
    series = [(period.label, [row.values[i] for row in rows]) for i, period in enumerate(report.periods)]
    return bar_chart_svg(table.title, [row.label for row in rows], series)


def shown_sections(report: MonthlyReport, *, charts: bool = True) -> list[ShownSection]:
    """Each section with its tables' figures in words, and a chart of its first table (when it is charted)."""
    result = []
    for section in report.sections:
        tables = []
        for index, table in enumerate(section.tables):
            chart = _chart(report, table) if charts and index == 0 and table.chart else None
            rows = [(row.label, [shown(value, row.unit) for value in row.values]) for row in table.rows]
            tables.append(ShownTable(table, chart, rows))
        result.append(ShownSection(section, tables))
    return result


def report_context(report: MonthlyReport, *, charts: bool = True) -> dict[str, Any]:
    """What the page and the PDF draw."""
    return {"report": report, "sections": shown_sections(report, charts=charts)}


def monthly_report_pdf(report: MonthlyReport) -> bytes:
    """The report as a PDF (OFFICIAL: aggregate figures only, no person in it)."""
    return render_pdf(
        "insights/pdf/monthly.html",
        report_context(report),
        title=f"Monthly performance report: {report.label}",
        marking="OFFICIAL",
    )


def monthly_report_html(report: MonthlyReport) -> str:
    """The report as a standalone HTML document (the command's --format html)."""
    return render_to_string("insights/monthly_standalone.html", report_context(report))


def _sheet_rows(report: MonthlyReport, section: Section) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for table in section.tables:
        for row in table.rows:
            rows.append(
                {
                    "table": table.title,
                    "label": row.label,
                    "unit": {COUNT: "count", HOURS: "hours", PERCENT: "percent"}.get(row.unit, row.unit),
                    **{period.key: row.values[i] for i, period in enumerate(report.periods)},
                }
            )
    return rows


def monthly_report_xlsx(report: MonthlyReport) -> bytes:
    """The report as a workbook: a sheet per section, one row per figure, the three months as number columns."""

    def month_column(key: str, label: str) -> Column:
        return Column(label, lambda row: row[key])

    columns = [
        Column("Table", lambda row: row["table"]),
        Column("Figure", lambda row: row["label"]),
        Column("Unit", lambda row: row["unit"]),
        *[month_column(period.key, period.label) for period in report.periods],
    ]
    sheets = [Sheet(_sheet_title(section), columns, _sheet_rows(report, section)) for section in report.sections]
    return xlsx_workbook_bytes(sheets)


def _sheet_title(section: Section) -> str:
    """A sheet name Excel accepts: 31 characters, none of []:*?/\\."""
    title = "".join(ch for ch in section.title if ch not in "[]:*?/\\")
    return title[:31]


def monthly_report_document(report: MonthlyReport, report_format: ReportFormat) -> bytes:
    """The report in one of its three formats."""
    if report_format == ReportFormat.PDF:
        return monthly_report_pdf(report)
    if report_format == ReportFormat.XLSX:
        return monthly_report_xlsx(report)
    return monthly_report_html(report).encode()


def report_filename(month: dt.date, report_format: ReportFormat) -> str:
    """'performance-2026-10.pdf'."""
    return f"performance-{month:%Y-%m}.{report_format}"
