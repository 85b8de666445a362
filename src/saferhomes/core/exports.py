"""The one export helper: a list as CSV (streamed) or XLSX (openpyxl), safe to open in a spreadsheet.

Every export in Saferhomes goes through `export_response`: the case list today; the audit trail, the monthly report
and subject access exports as they arrive. A cell a spreadsheet would run as a formula (text starting with =, +, -,
@, a tab or a carriage return — "formula injection", OWASP CSV injection) is written with a leading apostrophe, so
it shows as the text typed and never runs. Dates and times are written in Europe/London.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

from saferhomes.core.replica import on_replica

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
MAX_ROWS = 100_000  # a spreadsheet of more is no longer read by a person; narrow the filters instead


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


@dataclass(frozen=True)
class Column:
    """One column: its heading and how to read its value from a row."""

    heading: str
    value: Callable[[Any], Any]


def safe_text(value: str) -> str:
    """Text a spreadsheet shows as typed: a leading apostrophe before anything it would run as a formula."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def cell(value: Any) -> Any:
    """A value as a cell holds it: numbers and dates as themselves (local time, no zone), text made safe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.replace(tzinfo=None, microsecond=0)
    if isinstance(value, dt.date):
        return value
    return safe_text(str(value))


def _csv_text(value: Any) -> str:
    value = cell(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


class _Echo:
    """A file-like object whose write() hands back the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def csv_lines(columns: list[Column], rows: Iterable[Any]) -> Iterator[str]:
    """The export as CSV lines, heading first (a byte-order mark so Excel reads UTF-8)."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([column.heading for column in columns])
    for row in rows:
        yield writer.writerow([_csv_text(column.value(row)) for column in columns])


@dataclass(frozen=True)
class Sheet:
    """One sheet of a workbook: its name (31 characters at most), columns and rows."""

    title: str
    columns: list[Column]
    rows: Iterable[Any]


def xlsx_bytes(columns: list[Column], rows: Iterable[Any], *, title: str) -> bytes:
    """The export as an XLSX workbook of one sheet, headings in bold and frozen."""
    return xlsx_workbook_bytes([Sheet(title, columns, rows)])


def xlsx_workbook_bytes(sheets: Iterable[Sheet]) -> bytes:
    """A workbook of several sheets (the monthly report: a sheet per section), each as `xlsx_bytes` writes one:
    headings in bold and frozen, numbers and dates as themselves, text never a formula."""
    from openpyxl import Workbook  # loaded only when someone exports: it is slow to import
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for each in sheets:
        sheet = workbook.create_sheet(title=each.title[:31])
        sheet.freeze_panes = "A2"
        headings = []
        for column in each.columns:
            heading = WriteOnlyCell(sheet, value=column.heading)
            heading.font = bold
            headings.append(heading)
        sheet.append(headings)
        for row in each.rows:
            values = []
            for column in each.columns:
                value = cell(column.value(row))
                item = WriteOnlyCell(sheet, value=value)
                if isinstance(value, str):
                    item.data_type = "s"  # never a formula, whatever the text
                elif isinstance(value, dt.datetime):
                    item.number_format = "yyyy-mm-dd hh:mm"
                elif isinstance(value, dt.date):
                    item.number_format = "yyyy-mm-dd"
                values.append(item)
            sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_response(
    export_format: ExportFormat, columns: list[Column], rows: Iterable[Any], *, name: str, title: str
) -> HttpResponse | StreamingHttpResponse:
    """A download of `rows`: `name-YYYYMMDD-HHMMSS.csv` streamed, or `.xlsx` built in memory."""
    filename = f"{name}-{timezone.localtime():%Y%m%d-%H%M%S}.{export_format}"
    response: HttpResponse | StreamingHttpResponse
    # Exports read from the replica when one is configured (core.replica), while the rows are consumed.
    if export_format == ExportFormat.XLSX:
        response = HttpResponse(xlsx_bytes(columns, on_replica(rows), title=title), content_type=XLSX_CONTENT_TYPE)
    else:
        response = StreamingHttpResponse(csv_lines(columns, on_replica(rows)), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
