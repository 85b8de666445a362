"""Import the housing register from the housing management system's CSV or XLSX exports.

`register_import(kind=..., rows=..., actor=...)` checks every row first, then writes all of them in one
transaction, or nothing. Records are matched by `reference`, so running the same file twice changes nothing.
Columns are documented in `COLUMNS` (and by `saferhomes import KIND --columns`); headers are matched ignoring
case, spaces and hyphens. Import people and properties before tenancies, which refer to both by reference.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import models, transaction
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.housing import rules
from saferhomes.housing.extensions import register_changed
from saferhomes.housing.models import (
    Area,
    Estate,
    Person,
    PreferredFormat,
    Property,
    PropertyType,
    Tenancy,
    TenancyMember,
    TenancyRelationship,
    TenancyType,
    VulnerabilityCategory,
)

KINDS = ("properties", "tenancies", "people")
BATCH_SIZE = 1000
LOOKUP_CHUNK = 500
PROGRESS_EVERY = 250

ProgressCallback = Callable[[str, int, int], None]
"""Called as progress(phase, done, total) while checking rows and while writing them."""


@dataclass(frozen=True)
class Column:
    """One documented column of an import file."""

    name: str
    required: bool
    help: str
    aliases: tuple[str, ...] = ()


COLUMNS: dict[str, list[Column]] = {
    "properties": [
        Column("reference", True, "The housing system's property reference (unique).", ("property_reference",)),
        Column("address_line_1", True, "First line of the address, e.g. '12 Tennyson Road'.", ("address_1",)),
        Column("address_line_2", False, "Second line of the address.", ("address_2",)),
        Column("address_line_3", False, "Third line of the address.", ("address_3",)),
        Column("town", True, "Town or city.", ("city",)),
        Column("postcode", True, "UK postcode in any spacing or case; stored as 'AB1 2CD'.", ("post_code",)),
        Column("uprn", False, "Unique Property Reference Number, 1 to 12 digits."),
        Column("estate_code", False, "Code of the estate; blank if the home is on no estate.", ("estate",)),
        Column("estate_name", False, "Name of the estate; needed the first time an estate code appears."),
        Column(
            "area_code", False, "Code of the estate's area; needed the first time an estate code appears.", ("area",)
        ),
        Column("area_name", False, "Name of the area; needed the first time an area code appears."),
        Column("property_type", False, "House, flat, maisonette, bungalow, bedsit or other (blank: other).", ("type",)),
        Column("bedrooms", False, "Number of bedrooms, 0 to 20."),
        Column(
            "owned", False, "Yes if the landlord owns the home, no if it only manages it (blank: yes).", ("is_owned",)
        ),
    ],
    "people": [
        Column("reference", True, "The housing system's person reference (unique).", ("person_reference",)),
        Column("title", False, "Mr, Mrs, Ms, Mx, Dr..."),
        Column("first_name", True, "First name.", ("forename", "given_name")),
        Column("last_name", True, "Last name.", ("surname", "family_name")),
        Column("preferred_name", False, "The name they like to be called."),
        Column("date_of_birth", False, "31/03/2024 or 2024-03-31, or an Excel date.", ("dob",)),
        Column("email", False, "Email address."),
        Column("phone", False, "Landline or main phone number.", ("telephone",)),
        Column("mobile", False, "Mobile phone number.", ("mobile_phone",)),
        Column("safe_contact_notes", False, "How and when it is safe to make contact.", ("safe_contact",)),
        Column("vulnerabilities", False, "What staff should know, in plain words."),
        Column(
            "vulnerability_categories",
            False,
            "Categories separated by ';': " + "; ".join(str(label) for label in VulnerabilityCategory.labels) + ".",
        ),
        Column("reasonable_adjustments", False, "Adjustments the person needs."),
        Column("preferred_language", False, "Preferred language (blank: English).", ("language",)),
        Column(
            "preferred_format",
            False,
            "Standard, large print, easy read, braille, audio, British Sign Language or email only (blank: standard).",
            ("format",),
        ),
        Column("needs_interpreter", False, "Yes or no (blank: no).", ("interpreter",)),
    ],
    "tenancies": [
        Column("reference", True, "The housing system's tenancy reference (unique).", ("tenancy_reference",)),
        Column("property_reference", True, "Reference of the property (import properties first).", ("property",)),
        Column(
            "tenancy_type",
            True,
            "Secure, assured, starter (or introductory), fixed-term, leasehold or licence.",
            ("type",),
        ),
        Column("start_date", True, "31/03/2024 or 2024-03-31, or an Excel date.", ("start",)),
        Column("end_date", False, "Blank while the tenancy is current; not before the start date.", ("end",)),
        Column(
            "tenants",
            True,
            "Person references separated by ';' (import people first). The first is the lead tenant, "
            "the others joint tenants.",
        ),
        Column("household_members", False, "Person references of others in the household, separated by ';'."),
    ],
}


@dataclass(frozen=True)
class ImportRow:
    """One data row of a file: its row number as the spreadsheet shows it (header is row 1) and its cells."""

    number: int
    values: Mapping[str, object]


@dataclass(frozen=True)
class RowProblem:
    """Why one cell of one row cannot be imported."""

    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"Row {self.row}, {self.column}: {self.reason}"


@dataclass
class ImportResult:
    """What an import did (or, for a dry run, would do)."""

    kind: str
    rows: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """'3 created, 1 updated, 10 unchanged'."""
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


class ImportFileError(DomainError):
    """The file itself cannot be read as an import (type, emptiness, headers)."""


class ImportRejectedError(DomainError):
    """One or more rows are invalid, so nothing was imported."""

    def __init__(self, problems: Sequence[RowProblem]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} found; nothing was imported.")


# ---------------------------------------------------------------------------------------------------------------
# Reading files


@dataclass
class Table:
    """Headers (normalised, aliases resolved) and data rows of an import file."""

    headers: list[str]
    rows: list[ImportRow]
    ignored: list[str] = field(default_factory=list)


def _canonical_headers(kind: str) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for column in COLUMNS[kind]:
        mapping[column.name] = column.name
        for alias in column.aliases:
            mapping.setdefault(alias, column.name)
    return mapping


def read_table(path: Path | str, *, kind: str) -> Table:
    """Read a .csv or .xlsx file into rows keyed by column name; raises ImportFileError if it cannot be read."""
    if kind not in KINDS:
        raise ImportFileError(f"Unknown import '{kind}'. Choose one of: {', '.join(KINDS)}.")
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
    return _table_from(raw_rows, kind=kind, name=path.name)


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


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _table_from(raw_rows: Iterable[list[object]], *, kind: str, name: str) -> Table:
    iterator = iter(raw_rows)
    header_cells = next(iterator, None)
    if header_cells is None or all(_is_blank(cell) for cell in header_cells):
        raise ImportFileError(f"{name} is empty: the first row must hold the column headers.")
    canonical = _canonical_headers(kind)
    headers: list[str] = []
    positions: list[tuple[int, str]] = []
    unknown: list[str] = []
    for index, cell in enumerate(header_cells):
        if _is_blank(cell):
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
    check_columns(kind, headers, unknown=unknown)
    rows: list[ImportRow] = []
    for number, cells in enumerate(iterator, start=2):
        if all(_is_blank(cell) for cell in cells):
            continue
        values = {column: (cells[index] if index < len(cells) else None) for index, column in positions}
        rows.append(ImportRow(number=number, values=values))
    if not rows:
        raise ImportFileError(f"{name} has headers but no data rows.")
    return Table(headers=headers, rows=rows, ignored=unknown)


def check_columns(kind: str, headers: Iterable[str], *, unknown: Sequence[str] = ()) -> None:
    """Raise ImportFileError if required columns are missing (naming any headers we did not recognise)."""
    present = set(headers)
    missing = [column.name for column in COLUMNS[kind] if column.required and column.name not in present]
    if not missing:
        return
    messages = [f"Required column{'s' if len(missing) > 1 else ''} missing: {', '.join(missing)}."]
    if unknown:
        messages.append(f"Columns not recognised: {', '.join(repr(u) for u in unknown)}.")
    messages.append(f"See `saferhomes import {kind} --columns` for the column names.")
    raise ImportFileError(messages)


# ---------------------------------------------------------------------------------------------------------------
# Checking cells


class _Cells:
    """Typed reads of one row's cells that collect problems instead of raising."""

    def __init__(self, row: ImportRow, problems: list[RowProblem]) -> None:
        self.row = row
        self.problems = problems
        self.start = len(problems)

    @property
    def ok(self) -> bool:
        return len(self.problems) == self.start

    def has(self, column: str) -> bool:
        return column in self.row.values

    def error(self, column: str, reason: str) -> None:
        self.problems.append(RowProblem(self.row.number, column, reason))

    def raw(self, column: str) -> object:
        return self.row.values.get(column)

    def text(self, column: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = _cell_text(self.raw(column))
        if required and not value:
            self.error(column, "is required")
        elif max_length is not None and len(value) > max_length:
            self.error(column, f"is {len(value)} characters long; the most allowed is {max_length}")
        return value

    def date(self, column: str, *, required: bool = False) -> dt.date | None:
        value = self.raw(column)
        if _is_blank(value):
            if required:
                self.error(column, "is required")
            return None
        try:
            return _cell_date(value)
        except ValueError as exc:
            self.error(column, str(exc))
            return None

    def choice(
        self,
        column: str,
        choices: type[models.TextChoices],
        *,
        synonyms: Mapping[str, str] | None = None,
        required: bool = False,
    ) -> str:
        value = self.text(column, required=required)
        if not value:
            return ""
        key = rules.choice_key(value)
        lookup = _choice_lookup(choices, tuple(sorted((synonyms or {}).items())))
        if key in lookup:
            return lookup[key]
        allowed = ", ".join(str(label).lower() for label in choices.labels)
        self.error(column, f"'{value}' is not one of: {allowed}")
        return ""

    def yes_no(self, column: str, *, default: bool) -> bool:
        value = self.raw(column)
        if isinstance(value, bool):
            return value
        if _is_blank(value):
            return default
        try:
            return rules.parse_yes_no(_cell_text(value))
        except ValueError as exc:
            self.error(column, str(exc))
            return default

    def integer(self, column: str, *, low: int, high: int) -> int | None:
        text = self.text(column)
        if not text:
            return None
        if not text.isdigit() or not low <= int(text) <= high:
            self.error(column, f"'{text}' is not a whole number from {low} to {high}")
            return None
        return int(text)


@functools.cache
def _choice_lookup(choices: type[models.TextChoices], synonyms: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """Typed key -> stored value for a set of choices: their values, labels and synonyms."""
    lookup = {rules.choice_key(v): v for v in choices.values}
    lookup.update({rules.choice_key(str(label)): v for v, label in choices.choices})
    lookup.update(synonyms)
    return lookup


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _cell_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        from openpyxl.utils.datetime import from_excel

        try:
            converted = from_excel(value)
        except (ValueError, OverflowError, TypeError):
            raise ValueError(f"'{value}' is not a date") from None
        if not isinstance(converted, dt.datetime | dt.date) or not 1900 < converted.year < 2200:
            raise ValueError(f"'{value}' is not a date")
        return converted.date() if isinstance(converted, dt.datetime) else converted
    return rules.parse_date(_cell_text(value))


_email = EmailValidator()


def _max_length(model: type[models.Model], name: str) -> int:
    length = model._meta.get_field(name).max_length  # type: ignore[union-attr]
    assert isinstance(length, int)
    return length


# ---------------------------------------------------------------------------------------------------------------
# The service


@dataclass
class _Plan:
    """The outcome of checking: objects to create and to update (with changed fields), and unchanged count."""

    create: list[Any] = field(default_factory=list)
    update: list[Any] = field(default_factory=list)
    update_fields: set[str] = field(default_factory=set)
    unchanged: int = 0
    before_writing: list[Callable[[], None]] = field(default_factory=list)
    after_writing: list[Callable[[], None]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


M = TypeVar("M", bound=models.Model)


def _by_key(queryset: models.QuerySet[M], key: str, values: Iterable[Any]) -> dict[Any, M]:
    found: dict[Any, M] = {}
    wanted = list(dict.fromkeys(v for v in values if v not in ("", None)))
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        for obj in queryset.filter(**{f"{key}__in": wanted[start : start + LOOKUP_CHUNK]}):
            found[getattr(obj, key)] = obj
    return found


def _duplicates(rows: Sequence[ImportRow], problems: list[RowProblem]) -> None:
    seen: dict[str, int] = {}
    for row in rows:
        reference = _cell_text(row.values.get("reference"))
        if not reference:
            continue
        if reference in seen:
            problems.append(RowProblem(row.number, "reference", f"'{reference}' also appears on row {seen[reference]}"))
        else:
            seen[reference] = row.number


def _apply(obj: Any, values: Mapping[str, Any], plan: _Plan, *, also_changed: bool = False) -> None:
    """Set changed values on an existing object and plan its update, or count it unchanged."""
    changed = []
    for name, value in values.items():
        model_field = obj._meta.get_field(name)
        if model_field.is_relation:
            # Compare ids without loading the related row; an unsaved (new) related object always differs.
            wanted_id = None if value is None else value.pk
            differs = getattr(obj, model_field.attname) != wanted_id or (value is not None and value.pk is None)
        else:
            differs = getattr(obj, name) != value
        if differs:
            setattr(obj, name, value)
            changed.append(name)
    if changed or also_changed:
        plan.update.append(obj)
        plan.update_fields.update(changed)
    else:
        plan.unchanged += 1


def _tick(progress: ProgressCallback | None, phase: str, done: int, total: int) -> None:
    if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
        progress(phase, done, total)


def _plan_properties(rows: Sequence[ImportRow], problems: list[RowProblem], progress: ProgressCallback | None) -> _Plan:
    plan = _Plan()
    existing = _by_key(Property.objects.all(), "reference", (_cell_text(r.values.get("reference")) for r in rows))
    uprn_owners = dict(_uprn_owners(rows))
    estates = {e.code: e for e in Estate.objects.select_related("area")}
    areas = {a.code: a for a in Area.objects.all()}
    new_estates: dict[str, Estate] = {}
    new_areas: dict[str, Area] = {}
    uprns_in_file: dict[int, int] = {}
    length = {name: _max_length(Property, name) for name in ("reference", "address_line_1", "town")}
    length.update({name: _max_length(Property, name) for name in ("address_line_2", "address_line_3")})
    total = len(rows)
    for done, row in enumerate(rows, start=1):
        cells = _Cells(row, problems)
        reference = cells.text("reference", required=True, max_length=length["reference"])
        values: dict[str, Any] = {
            "address_line_1": cells.text("address_line_1", required=True, max_length=length["address_line_1"]),
            "town": cells.text("town", required=True, max_length=length["town"]),
        }
        for optional in ("address_line_2", "address_line_3"):
            if cells.has(optional):
                values[optional] = cells.text(optional, max_length=length[optional])
        postcode_text = cells.text("postcode", required=True)
        if postcode_text:
            try:
                values["postcode"] = rules.normalise_postcode(postcode_text)
            except rules.InvalidPostcodeError as exc:
                cells.error("postcode", str(exc))
        if cells.has("uprn"):
            uprn_text = cells.text("uprn")
            uprn: int | None = None
            if uprn_text:
                try:
                    uprn = rules.parse_uprn(uprn_text)
                except ValueError as exc:
                    cells.error("uprn", str(exc))
            if uprn is not None:
                owner = uprn_owners.get(uprn)
                if owner is not None and owner != reference:
                    cells.error("uprn", f"{uprn} already belongs to property {owner}")
                elif uprn in uprns_in_file:
                    cells.error("uprn", f"{uprn} also appears on row {uprns_in_file[uprn]}")
                else:
                    uprns_in_file[uprn] = row.number
            values["uprn"] = uprn
        if cells.has("estate_code"):
            values["estate"] = _resolve_estate(cells, estates, areas, new_estates, new_areas)
        if cells.has("property_type"):
            values["property_type"] = cells.choice("property_type", PropertyType) or PropertyType.OTHER
        if cells.has("bedrooms"):
            values["bedrooms"] = cells.integer("bedrooms", low=0, high=20)
        if cells.has("owned"):
            values["is_owned"] = cells.yes_no("owned", default=True)
        if cells.ok:
            current = existing.get(reference)
            if current is None:
                plan.create.append(Property(reference=reference, **values))
            else:
                _apply(current, values, plan)
        _tick(progress, "Checking rows", done, total)
    if new_areas or new_estates:
        plan.notes.append(f"New areas: {len(new_areas)}; new estates: {len(new_estates)}.")

    def create_places() -> None:
        Area.objects.bulk_create(new_areas.values(), batch_size=BATCH_SIZE)
        Estate.objects.bulk_create(new_estates.values(), batch_size=BATCH_SIZE)

    plan.before_writing.append(create_places)
    return plan


def _uprn_owners(rows: Sequence[ImportRow]) -> Iterator[tuple[int, str]]:
    """(uprn, property reference) for the file's UPRNs that are already in the register."""
    uprns = []
    for row in rows:
        try:
            uprns.append(rules.parse_uprn(_cell_text(row.values.get("uprn"))))
        except ValueError:
            continue
    for start in range(0, len(uprns), LOOKUP_CHUNK):
        chunk = uprns[start : start + LOOKUP_CHUNK]
        for uprn, reference in Property.objects.filter(uprn__in=chunk).values_list("uprn", "reference"):
            if uprn is not None:
                yield uprn, reference


def _resolve_estate(
    cells: _Cells,
    estates: dict[str, Estate],
    areas: dict[str, Area],
    new_estates: dict[str, Estate],
    new_areas: dict[str, Area],
) -> Estate | None:
    code = cells.text("estate_code", max_length=_max_length(Estate, "code"))
    if not code:
        return None
    if code in estates:
        return estates[code]
    if code in new_estates:
        return new_estates[code]
    name = cells.text("estate_name", max_length=_max_length(Estate, "name"))
    area_code = cells.text("area_code", max_length=_max_length(Area, "code"))
    if not name:
        cells.error("estate_name", f"is needed to create the new estate '{code}'")
    if not area_code:
        cells.error("area_code", f"is needed to create the new estate '{code}'")
        return None
    area = areas.get(area_code) or new_areas.get(area_code)
    if area is None:
        area_name = cells.text("area_name", max_length=_max_length(Area, "name"))
        if not area_name:
            cells.error("area_name", f"is needed to create the new area '{area_code}'")
            return None
        area = new_areas[area_code] = Area(code=area_code, name=area_name)
    if not name:
        return None
    estate = new_estates[code] = Estate(code=code, name=name, area=area)
    return estate


_FORMAT_SYNONYMS = {
    "bsl": PreferredFormat.BSL,
    "sign_language": PreferredFormat.BSL,
    "email": PreferredFormat.EMAIL_ONLY,
    "large": PreferredFormat.LARGE_PRINT,
}


def _plan_people(rows: Sequence[ImportRow], problems: list[RowProblem], progress: ProgressCallback | None) -> _Plan:
    plan = _Plan()
    existing = _by_key(
        Person.objects.exclude(reference=""), "reference", (_cell_text(r.values.get("reference")) for r in rows)
    )
    texts = [
        "title",
        "preferred_name",
        "phone",
        "mobile",
        "safe_contact_notes",
        "vulnerabilities",
        "reasonable_adjustments",
    ]
    length = {name: _max_length(Person, name) for name in ("reference", "first_name", "last_name", "email")}
    length.update({name: _max_length(Person, name) for name in ("title", "preferred_name", "phone", "mobile")})
    length["preferred_language"] = _max_length(Person, "preferred_language")
    category_lookup = _choice_lookup(VulnerabilityCategory, ())
    today = timezone.localdate()
    total = len(rows)
    for done, row in enumerate(rows, start=1):
        cells = _Cells(row, problems)
        reference = cells.text("reference", required=True, max_length=length["reference"])
        values: dict[str, Any] = {
            "first_name": cells.text("first_name", required=True, max_length=length["first_name"]),
            "last_name": cells.text("last_name", required=True, max_length=length["last_name"]),
        }
        for name in texts:
            if cells.has(name):
                values[name] = cells.text(name, max_length=length.get(name))
        for name in ("phone", "mobile"):
            number = values.get(name, "")
            if number and not _plausible_phone(number):
                cells.error(name, f"'{number}' is not a phone number")
        if cells.has("date_of_birth"):
            born = cells.date("date_of_birth")
            if born is not None and born > today:
                cells.error("date_of_birth", f"{born:%d/%m/%Y} is in the future")
            values["date_of_birth"] = born
        if cells.has("email"):
            email = cells.text("email", max_length=length["email"])
            if email:
                try:
                    _email(email)
                except ValidationError:
                    cells.error("email", f"'{email}' is not an email address")
            values["email"] = email
        if cells.has("vulnerability_categories"):
            categories: list[str] = []
            for item in rules.split_list(cells.text("vulnerability_categories")):
                code = category_lookup.get(rules.choice_key(item))
                if code is None:
                    cells.error("vulnerability_categories", f"'{item}' is not a vulnerability category")
                elif code not in categories:
                    categories.append(code)
            values["vulnerability_categories"] = categories
        if cells.has("preferred_language"):
            language = cells.text("preferred_language", max_length=length["preferred_language"])
            values["preferred_language"] = language or "English"
        if cells.has("preferred_format"):
            values["preferred_format"] = (
                cells.choice("preferred_format", PreferredFormat, synonyms=_FORMAT_SYNONYMS) or PreferredFormat.STANDARD
            )
        if cells.has("needs_interpreter"):
            values["needs_interpreter"] = cells.yes_no("needs_interpreter", default=False)
        if cells.ok:
            current = existing.get(reference)
            if current is None:
                plan.create.append(Person(reference=reference, **values))
            else:
                _apply(current, values, plan)
        _tick(progress, "Checking rows", done, total)
    return plan


def _plausible_phone(number: str) -> bool:
    allowed = set("0123456789 +()-.")
    digits = sum(ch.isdigit() for ch in number)
    return set(number) <= allowed and 7 <= digits <= 15


_TENANCY_SYNONYMS = {
    "introductory": TenancyType.STARTER,
    "starter_introductory": TenancyType.STARTER,
    "fixed": TenancyType.FIXED_TERM,
    "fixedterm": TenancyType.FIXED_TERM,
    "license": TenancyType.LICENCE,
    "lease": TenancyType.LEASEHOLD,
}


def _plan_tenancies(rows: Sequence[ImportRow], problems: list[RowProblem], progress: ProgressCallback | None) -> _Plan:
    plan = _Plan()
    references = [_cell_text(r.values.get("reference")) for r in rows]
    existing = _by_key(Tenancy.objects.all(), "reference", references)
    properties = _by_key(
        Property.objects.only("id", "reference"),
        "reference",
        (_cell_text(r.values.get("property_reference")) for r in rows),
    )
    person_refs: list[str] = []
    for row in rows:
        person_refs += rules.split_list(_cell_text(row.values.get("tenants")))
        person_refs += rules.split_list(_cell_text(row.values.get("household_members")))
    people = _by_key(Person.objects.exclude(reference="").only("id", "reference"), "reference", person_refs)
    current_members: dict[int, set[tuple[int, str]]] = {}
    tenancy_ids = [t.pk for t in existing.values()]
    for start in range(0, len(tenancy_ids), LOOKUP_CHUNK):
        chunk = TenancyMember.objects.filter(tenancy_id__in=tenancy_ids[start : start + LOOKUP_CHUNK])
        for tenancy_id, person_id, relationship in chunk.values_list("tenancy_id", "person_id", "relationship"):
            current_members.setdefault(tenancy_id, set()).add((person_id, relationship))
    wanted_members: dict[str, list[tuple[Person, str]]] = {}
    replace: set[str] = set()
    ref_length = _max_length(Tenancy, "reference")
    total = len(rows)
    for done, row in enumerate(rows, start=1):
        cells = _Cells(row, problems)
        reference = cells.text("reference", required=True, max_length=ref_length)
        values: dict[str, Any] = {}
        property_ref = cells.text("property_reference", required=True)
        if property_ref:
            home = properties.get(property_ref)
            if home is None:
                cells.error("property_reference", f"no property has the reference '{property_ref}'")
            values["property"] = home
        values["tenancy_type"] = cells.choice("tenancy_type", TenancyType, synonyms=_TENANCY_SYNONYMS, required=True)
        start_date = cells.date("start_date", required=True)
        values["start_date"] = start_date
        if cells.has("end_date"):
            end_date = cells.date("end_date")
            if end_date is not None and start_date is not None and end_date < start_date:
                cells.error("end_date", f"{end_date:%d/%m/%Y} is before the start date {start_date:%d/%m/%Y}")
            values["end_date"] = end_date
        members = _tenancy_members(cells, people)
        if cells.ok:
            wanted_members[reference] = members
            current = existing.get(reference)
            if current is None:
                plan.create.append(Tenancy(reference=reference, **values))
            else:
                wanted = {(person.pk, relationship) for person, relationship in members}
                household_changed = wanted != current_members.get(current.pk, set())
                if household_changed:
                    replace.add(reference)
                _apply(current, values, plan, also_changed=household_changed)
        _tick(progress, "Checking rows", done, total)

    def write_members() -> None:
        tenancies = _by_key(Tenancy.objects.only("id", "reference"), "reference", wanted_members)
        stale = [tenancies[ref].pk for ref in replace]
        for start in range(0, len(stale), LOOKUP_CHUNK):
            TenancyMember.objects.filter(tenancy_id__in=stale[start : start + LOOKUP_CHUNK]).delete()
        fresh = {t.reference for t in plan.create} | replace
        TenancyMember.objects.bulk_create(
            (
                TenancyMember(tenancy=tenancies[ref], person=person, relationship=relationship)
                for ref in fresh
                for person, relationship in wanted_members[ref]
            ),
            batch_size=BATCH_SIZE,
        )

    plan.after_writing.append(write_members)
    return plan


def _tenancy_members(cells: _Cells, people: Mapping[str, Person]) -> list[tuple[Person, str]]:
    members: list[tuple[Person, str]] = []
    seen: set[str] = set()
    tenants_text = cells.text("tenants", required=True)
    tenants = rules.split_list(tenants_text)
    if tenants_text and not tenants:
        cells.error("tenants", "needs at least one person reference")
    household = rules.split_list(cells.text("household_members")) if cells.has("household_members") else []
    for column, refs in (("tenants", tenants), ("household_members", household)):
        for position, ref in enumerate(refs):
            if ref in seen:
                cells.error(column, f"'{ref}' is listed more than once in this tenancy")
                continue
            seen.add(ref)
            person = people.get(ref)
            if person is None:
                cells.error(column, f"no person has the reference '{ref}' (import people first)")
                continue
            if column == "household_members":
                relationship = TenancyRelationship.HOUSEHOLD_MEMBER
            elif position == 0:
                relationship = TenancyRelationship.LEAD_TENANT
            else:
                relationship = TenancyRelationship.JOINT_TENANT
            members.append((person, relationship))
    return members


_PLANNERS: dict[str, Callable[[Sequence[ImportRow], list[RowProblem], ProgressCallback | None], _Plan]] = {
    "properties": _plan_properties,
    "people": _plan_people,
    "tenancies": _plan_tenancies,
}
_MODELS: dict[str, type[models.Model]] = {"properties": Property, "people": Person, "tenancies": Tenancy}


def register_import(
    *,
    kind: str,
    rows: Sequence[ImportRow],
    actor: User | None,
    dry_run: bool = False,
    source: str = "",
    progress: ProgressCallback | None = None,
) -> ImportResult:
    """Check every row, then create or update the records all together (or, if any row is invalid, none)."""
    if actor is not None:
        require(actor, "housing.import_register")
    if kind not in _PLANNERS:
        raise ImportFileError(f"Unknown import '{kind}'. Choose one of: {', '.join(KINDS)}.")
    if not rows:
        raise ImportFileError("There are no rows to import.")
    check_columns(kind, rows[0].values.keys())
    problems: list[RowProblem] = []
    _duplicates(rows, problems)
    plan = _PLANNERS[kind](rows, problems, progress)
    if problems:
        raise ImportRejectedError(sorted(problems, key=lambda p: p.row))
    result = ImportResult(
        kind=kind,
        rows=len(rows),
        created=len(plan.create),
        updated=len(plan.update),
        unchanged=plan.unchanged,
        dry_run=dry_run,
        notes=plan.notes,
    )
    if dry_run:
        return result
    model = _MODELS[kind]
    with transaction.atomic():
        steps = len(plan.create) + len(plan.update)
        written = 0
        for step in plan.before_writing:
            step()
        for start in range(0, len(plan.create), BATCH_SIZE):
            batch = plan.create[start : start + BATCH_SIZE]
            model._default_manager.bulk_create(batch)
            written += len(batch)
            if progress is not None:
                progress("Writing", written, steps)
        if plan.update:
            now = timezone.now()
            fields = sorted(plan.update_fields | {"updated_at"})
            for obj in plan.update:
                obj.updated_at = now
            for start in range(0, len(plan.update), BATCH_SIZE):
                batch = plan.update[start : start + BATCH_SIZE]
                model._default_manager.bulk_update(batch, fields)
                written += len(batch)
                if progress is not None:
                    progress("Writing", written, steps)
        for step in plan.after_writing:
            step()
        changed = [obj.pk for obj in plan.update]
        if model is Person:
            register_changed(person_ids=changed)
        elif model is Property:
            register_changed(property_ids=changed)
        audit(
            actor=actor,
            verb=AuditVerb.HOUSING_IMPORTED,
            object_type=model._meta.label_lower,
            object_label=f"{kind} import" + (f" from {source}" if source else ""),
            after={
                "kind": kind,
                "source": source,
                "rows": result.rows,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
            },
        )
    return result
