"""Reading an import file (.csv or .xlsx) into a table of rows keyed by canonical column names."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from saferhomes.housing import rules
from saferhomes.housing.importers.columns import COLUMNS, KINDS, Column, ImportFileError, ImportRow


@dataclass
class Table:
    """Headers (normalised, aliases resolved) and data rows of an import file."""

    headers: list[str]
    rows: list[ImportRow]
    ignored: list[str] = field(default_factory=list)


def _canonical_headers(columns: Sequence[Column]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for column in columns:
        mapping[column.name] = column.name
        for alias in column.aliases:
            mapping.setdefault(alias, column.name)
    return mapping


def read_table(path: Path | str, *, kind: str) -> Table:
    """Read a .csv or .xlsx file into rows keyed by column name; raises ImportFileError if it cannot be read."""
    if kind not in KINDS:
        raise ImportFileError(f"Unknown import '{kind}'. Choose one of: {', '.join(KINDS)}.")
    return read_columns(path, columns=COLUMNS[kind], columns_hint=f"saferhomes import {kind} --columns")


def read_columns(path: Path | str, *, columns: Sequence[Column], columns_hint: str) -> Table:
    """Read a .csv or .xlsx file of these `columns` (another app's import, e.g. the agency directory) into rows keyed
    by column name; raises ImportFileError if it cannot be read. `columns_hint` is the command that lists them."""
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise ImportFileError(f"There is no file at {path}.")
    if suffix == ".csv":
        raw_rows = _csv_rows(path)
    elif suffix in {".xlsx", ".xlsm"}:
        raw_rows = _xlsx_rows(path)
    elif suffix == ".xls":
        raise ImportFileError(f"{path.name} is an old-style Excel file: save it as .xlsx or .csv and try again.")
    else:
        raise ImportFileError(f"{path.name} is not a .csv or .xlsx file.")
    return _table_from(raw_rows, columns=columns, columns_hint=columns_hint, name=path.name)


def _csv_rows(path: Path) -> Iterator[list[object]]:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        raise ImportFileError(f"{path.name} is not a text file in UTF-8.")
    if "\x00" in text:
        raise ImportFileError(f"{path.name} is not a CSV text file.")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        yield from csv.reader(io.StringIO(text), dialect)
    except csv.Error as exc:
        raise ImportFileError(f"{path.name} is not a readable CSV file ({exc}).") from None


def _xlsx_rows(path: Path) -> Iterator[list[object]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds: zip, XML, key errors
        raise ImportFileError(f"{path.name} could not be read as an Excel workbook.") from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise ImportFileError(f"{path.name} has no worksheets.")
        try:
            for values in sheet.iter_rows(min_row=1, values_only=True):
                yield list(values)
        except ImportFileError:
            raise
        except Exception:
            raise ImportFileError(f"{path.name} could not be read as an Excel workbook.") from None
    finally:
        workbook.close()


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _table_from(raw_rows: Iterable[list[object]], *, columns: Sequence[Column], columns_hint: str, name: str) -> Table:
    iterator = iter(raw_rows)
    header_cells = next(iterator, None)
    if header_cells is None or all(is_blank(cell) for cell in header_cells):
        raise ImportFileError(f"{name} is empty: the first row must hold the column headers.")
    canonical = _canonical_headers(columns)
    headers: list[str] = []
    positions: list[tuple[int, str]] = []
    unknown: list[str] = []
    for index, cell in enumerate(header_cells):
        if is_blank(cell):
            continue
        key = rules.normalise_header(str(cell))
        column = canonical.get(key)
        if column is None:
            unknown.append(str(cell).strip())
            continue
        if column in headers:
            raise ImportFileError(f"{name} has the column '{column}' more than once.")
        headers.append(column)
        positions.append((index, column))
    check_required(columns, headers, unknown=unknown, columns_hint=columns_hint)
    rows: list[ImportRow] = []
    for number, cells in enumerate(iterator, start=2):
        if all(is_blank(cell) for cell in cells):
            continue
        values = {column: (cells[index] if index < len(cells) else None) for index, column in positions}
        rows.append(ImportRow(number=number, values=values))
    if not rows:
        raise ImportFileError(f"{name} has headers but no data rows.")
    return Table(headers=headers, rows=rows, ignored=unknown)


def check_columns(kind: str, headers: Iterable[str], *, unknown: Sequence[str] = ()) -> None:
    """Raise ImportFileError if required columns are missing (naming any headers we did not recognise)."""
    check_required(COLUMNS[kind], headers, unknown=unknown, columns_hint=f"saferhomes import {kind} --columns")


def check_required(
    columns: Sequence[Column], headers: Iterable[str], *, unknown: Sequence[str] = (), columns_hint: str
) -> None:
    """Raise ImportFileError if any of the required `columns` is missing (naming headers we did not recognise)."""
    present = set(headers)
    missing = [column.name for column in columns if column.required and column.name not in present]
    if not missing:
        return
    messages = [f"Required column{'s' if len(missing) > 1 else ''} missing: {', '.join(missing)}."]
    if unknown:
        messages.append(f"Columns not recognised: {', '.join(repr(u) for u in unknown)}.")
    messages.append(f"See `{columns_hint}` for the column names.")
    raise ImportFileError(messages)
