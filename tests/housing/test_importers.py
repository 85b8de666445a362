"""Importing the register: every row checked first, all-or-nothing, idempotent, clear reasons by row and column."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from saferhomes.accounts.roles import Role
from saferhomes.core.models import AuditEvent
from saferhomes.housing.importers import (
    ImportFileError,
    ImportRejectedError,
    ImportRow,
    read_table,
    register_import,
)
from saferhomes.housing.models import (
    Area,
    Estate,
    Person,
    PreferredFormat,
    Property,
    PropertyType,
    Tenancy,
    TenancyRelationship,
    TenancyType,
)
from tests.housing.factories import PersonFactory, PropertyFactory

pytestmark = pytest.mark.django_db

PROPERTY_HEADER = [
    "Reference",
    "Address line 1",
    "Address line 2",
    "Town",
    "Postcode",
    "UPRN",
    "Estate code",
    "Estate name",
    "Area code",
    "Area name",
    "Property type",
    "Bedrooms",
    "Owned",
]
PROPERTY_ROWS: list[list[object]] = [
    ["PRP1", "Flat 1 Tennyson House", "Ashcombe Road", "Hartwick", "hw4 2ab", "100023456701", "ASH", "Ashcombe", "N",
     "North", "Flat", "1", "yes"],
    ["PRP2", "Flat 2 Tennyson House", "Ashcombe Road", "Hartwick", "HW42AB", "", "ASH", "", "", "", "flat", "2", ""],
    ["PRP3", "3 Mill Lane", "", "Collinsford", "CF1 7QT", "", "", "", "", "", "Bungalow", "", "no"],
]  # fmt: skip
PEOPLE_HEADER = ["Reference", "Title", "First name", "Last name", "Date of birth", "Email", "Mobile",
                 "Safe contact notes", "Vulnerability categories", "Preferred language", "Preferred format",
                 "Needs interpreter"]  # fmt: skip
PEOPLE_ROWS: list[list[object]] = [
    ["PER1", "Ms", "Amelia", "Hartley", "14/02/1986", "amelia@example.org", "07700 900123",
     "Do not call before 6pm; partner checks phone", "", "English", "Standard", "no"],
    ["PER2", "Mr", "Tomasz", "Nowak", "1983-07-30", "", "", "", "Mental health; older person", "Polish",
     "Large print", "yes"],
    ["PER3", "", "Lily", "Hartley", "29/02/2012", "", "", "", "", "", "", ""],
]  # fmt: skip
TENANCY_HEADER = ["Reference", "Property reference", "Tenancy type", "Start date", "End date", "Tenants",
                  "Household members"]  # fmt: skip
TENANCY_ROWS: list[list[object]] = [
    ["TEN1", "PRP1", "Secure", "01/04/2015", "", "PER1;PER2", "PER3"],
    ["TEN2", "PRP3", "Introductory", "2025-06-02", "", "PER3", ""],
]


def write_csv(path: Path, header: list[str], rows: Sequence[Sequence[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, header: list[str], rows: Sequence[Sequence[object]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def run_import(kind: str, path: Path, *args: str) -> str:
    out = StringIO()
    call_command("import", kind, str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def rows_of(header: list[str], rows: Sequence[Sequence[object]]) -> list[ImportRow]:
    keys = [h.lower().replace(" ", "_") for h in header]
    return [ImportRow(number=n, values=dict(zip(keys, row, strict=True))) for n, row in enumerate(rows, start=2)]


def load_register(tmp_path: Path) -> None:
    run_import("properties", write_csv(tmp_path / "p.csv", PROPERTY_HEADER, PROPERTY_ROWS))
    run_import("people", write_csv(tmp_path / "pe.csv", PEOPLE_HEADER, PEOPLE_ROWS))
    run_import("tenancies", write_csv(tmp_path / "t.csv", TENANCY_HEADER, TENANCY_ROWS))


# --- properties -------------------------------------------------------------------------------------------------


def test_property_csv_creates_homes_estates_and_areas_with_normalised_postcodes(tmp_path: Path) -> None:
    output = run_import("properties", write_csv(tmp_path / "homes.csv", PROPERTY_HEADER, PROPERTY_ROWS))
    assert "3 created, 0 updated, 0 unchanged" in output
    first = Property.objects.get(reference="PRP1")
    assert first.postcode == "HW4 2AB"
    assert first.uprn == 100023456701
    assert first.property_type == PropertyType.FLAT
    assert first.estate is not None
    assert first.estate.name == "Ashcombe"
    assert first.estate.area.code == "N"
    assert Property.objects.get(reference="PRP2").estate == first.estate
    bungalow = Property.objects.get(reference="PRP3")
    assert bungalow.estate is None
    assert bungalow.is_owned is False
    assert bungalow.bedrooms is None
    assert (Estate.objects.count(), Area.objects.count()) == (1, 1)


def test_property_xlsx_reads_numbers_as_numbers(tmp_path: Path) -> None:
    rows = [list(row) for row in PROPERTY_ROWS]
    for row in rows:
        row[5] = int(str(row[5])) if row[5] else None
        row[11] = int(str(row[11])) if row[11] else None
    output = run_import("properties", write_xlsx(tmp_path / "homes.xlsx", PROPERTY_HEADER, rows))
    assert "3 created" in output
    assert Property.objects.get(reference="PRP1").uprn == 100023456701
    assert Property.objects.get(reference="PRP2").bedrooms == 2


def test_re_running_the_same_file_changes_nothing(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "homes.csv", PROPERTY_HEADER, PROPERTY_ROWS)
    run_import("properties", path)
    stamps = dict(Property.objects.values_list("reference", "updated_at"))
    output = run_import("properties", path)
    assert "0 created, 0 updated, 3 unchanged" in output
    assert dict(Property.objects.values_list("reference", "updated_at")) == stamps


def test_changed_rows_are_updated_by_reference(tmp_path: Path) -> None:
    run_import("properties", write_csv(tmp_path / "a.csv", PROPERTY_HEADER, PROPERTY_ROWS))
    changed = [list(row) for row in PROPERTY_ROWS]
    changed[2][3] = "New Collinsford"
    output = run_import("properties", write_csv(tmp_path / "b.csv", PROPERTY_HEADER, changed))
    assert "0 created, 1 updated, 2 unchanged" in output
    assert Property.objects.get(reference="PRP3").town == "New Collinsford"


def test_columns_missing_from_the_file_are_left_as_they_are(tmp_path: Path) -> None:
    run_import("properties", write_csv(tmp_path / "a.csv", PROPERTY_HEADER, PROPERTY_ROWS))
    narrow = [[row[0], row[1], row[3], row[4]] for row in PROPERTY_ROWS]
    output = run_import("properties", write_csv(tmp_path / "b.csv", ["reference", "address_line_1", "town",
                                                                     "postcode"], narrow))  # fmt: skip
    assert "3 unchanged" in output
    assert Property.objects.get(reference="PRP1").uprn == 100023456701


def test_one_audit_event_records_the_counts_of_an_import(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "homes.csv", PROPERTY_HEADER, PROPERTY_ROWS)
    run_import("properties", path)
    run_import("properties", path)
    events = list(AuditEvent.objects.filter(verb="housing.imported").order_by("id"))
    assert len(events) == 2
    assert events[0].after == {
        "kind": "properties", "source": "homes.csv", "rows": 3, "created": 3, "updated": 0, "unchanged": 0,
    }  # fmt: skip
    assert events[1].after is not None
    assert events[1].after["unchanged"] == 3
    assert events[0].object_type == "housing.property"


def test_dry_run_writes_nothing_and_audits_nothing(tmp_path: Path) -> None:
    output = run_import("properties", write_csv(tmp_path / "h.csv", PROPERTY_HEADER, PROPERTY_ROWS), "--dry-run")
    assert "Dry run" in output
    assert "3 created" in output
    assert not Property.objects.exists()
    assert not Estate.objects.exists()
    assert not AuditEvent.objects.filter(verb="housing.imported").exists()


PROPERTY_PROBLEMS = [
    ("Postcode", "XYZ", "postcode", "'XYZ' is not a UK postcode"),
    ("Postcode", "", "postcode", "is required"),
    ("Address line 1", "", "address_line_1", "is required"),
    ("Town", "x" * 101, "town", "the most allowed is 100"),
    ("UPRN", "12a", "uprn", "'12a' is not a UPRN"),
    ("UPRN", "1234567890123", "uprn", "is not a UPRN (1 to 12 digits)"),
    ("Property type", "castle", "property_type", "'castle' is not one of: house, flat"),
    ("Bedrooms", "44", "bedrooms", "'44' is not a whole number from 0 to 20"),
    ("Owned", "perhaps", "owned", "'perhaps' is not yes or no"),
]


@pytest.mark.parametrize(("header", "value", "column", "reason"), PROPERTY_PROBLEMS)
def test_each_invalid_property_cell_is_reported_by_row_and_column(
    tmp_path: Path, header: str, value: str, column: str, reason: str
) -> None:
    rows: list[list[object]] = [list(row) for row in PROPERTY_ROWS]
    rows[2][PROPERTY_HEADER.index(header)] = value
    with pytest.raises(ImportRejectedError) as caught:
        register_import(kind="properties", rows=read_table(write_csv(tmp_path / "h.csv", PROPERTY_HEADER, rows),
                                                           kind="properties").rows, actor=None)  # fmt: skip
    assert [(p.row, p.column) for p in caught.value.problems] == [(4, column)]
    assert reason in caught.value.problems[0].reason
    assert str(caught.value.problems[0]).startswith(f"Row 4, {column}: ")
    assert not Property.objects.exists()


def test_a_new_estate_needs_a_name_and_an_area_and_a_new_area_needs_a_name() -> None:
    rows: list[list[object]] = [list(row) for row in PROPERTY_ROWS]
    rows[2][6:10] = ["NEW", "", "", ""]
    rows[1][6:10] = ["NEW2", "Newtown", "S", ""]
    with pytest.raises(ImportRejectedError) as caught:
        register_import(kind="properties", rows=rows_of(PROPERTY_HEADER, rows), actor=None)
    assert [str(p) for p in caught.value.problems] == [
        "Row 3, area_name: is needed to create the new area 'S'",
        "Row 4, estate_name: is needed to create the new estate 'NEW'",
        "Row 4, area_code: is needed to create the new estate 'NEW'",
    ]


def test_a_uprn_already_held_by_another_home_is_an_error(tmp_path: Path) -> None:
    PropertyFactory(reference="OLD1", uprn=100023456701)
    with pytest.raises(ImportRejectedError) as caught:
        register_import(kind="properties", rows=rows_of(PROPERTY_HEADER, PROPERTY_ROWS), actor=None)
    assert str(caught.value.problems[0]) == "Row 2, uprn: 100023456701 already belongs to property OLD1"


def test_a_reference_twice_in_one_file_is_an_error(tmp_path: Path) -> None:
    rows = [*PROPERTY_ROWS, list(PROPERTY_ROWS[0])]
    rows[3][5] = ""
    with pytest.raises(CommandError, match="1 problem found; nothing was imported"):
        run_import("properties", write_csv(tmp_path / "h.csv", PROPERTY_HEADER, rows))
    assert not Property.objects.exists()


def test_duplicate_reference_is_reported_against_the_later_row(tmp_path: Path) -> None:
    rows = [*PROPERTY_ROWS, list(PROPERTY_ROWS[1])]
    with pytest.raises(ImportRejectedError) as caught:
        register_import(kind="properties", rows=rows_of(PROPERTY_HEADER, rows), actor=None)
    assert [str(p) for p in caught.value.problems] == ["Row 5, reference: 'PRP2' also appears on row 3"]


def test_one_bad_row_at_row_500_leaves_the_register_untouched(tmp_path: Path) -> None:
    PropertyFactory(reference="PRP00001", town="Before")
    rows = [[f"PRP{n:05d}", f"{n} High Street", "", "After", "LS1 4AP", "", "", "", "", "", "House", "3", "yes"]
            for n in range(1, 500)]  # fmt: skip
    rows[-1][4] = "NOT A POSTCODE"
    out = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import", "properties", str(write_csv(tmp_path / "big.csv", PROPERTY_HEADER, rows)), stdout=out)
    assert "500" in out.getvalue()
    assert "is not a UK postcode" in out.getvalue()
    assert list(Property.objects.values_list("reference", "town")) == [("PRP00001", "Before")]
    assert not AuditEvent.objects.filter(verb="housing.imported").exists()


def test_problems_are_printed_as_a_table_of_row_column_and_reason(tmp_path: Path) -> None:
    rows: list[list[object]] = [list(row) for row in PROPERTY_ROWS]
    rows[0][4] = "XYZ"
    rows[2][11] = "lots"
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("import", "properties", str(write_csv(tmp_path / "h.csv", PROPERTY_HEADER, rows)), stdout=out)
    lines = [line for line in out.getvalue().splitlines() if "│" in line]
    assert any("2" in line and "postcode" in line and "'XYZ' is not a UK postcode" in line for line in lines)
    assert any("4" in line and "bedrooms" in line and "'lots' is not a whole number" in line for line in lines)


# --- people -----------------------------------------------------------------------------------------------------


def test_people_csv_reads_uk_and_iso_dates_categories_and_preferences(tmp_path: Path) -> None:
    output = run_import("people", write_csv(tmp_path / "people.csv", PEOPLE_HEADER, PEOPLE_ROWS))
    assert "3 created" in output
    amelia = Person.objects.get(reference="PER1")
    assert amelia.date_of_birth == dt.date(1986, 2, 14)
    assert amelia.safe_contact_notes == "Do not call before 6pm; partner checks phone"
    tomasz = Person.objects.get(reference="PER2")
    assert tomasz.date_of_birth == dt.date(1983, 7, 30)
    assert tomasz.vulnerability_categories == ["mental_health", "older_person"]
    assert tomasz.preferred_format == PreferredFormat.LARGE_PRINT
    assert tomasz.needs_interpreter is True
    lily = Person.objects.get(reference="PER3")
    assert lily.preferred_language == "English"
    assert lily.preferred_format == PreferredFormat.STANDARD
    assert lily.is_minor_on(dt.date(2030, 2, 28))
    assert not lily.is_minor_on(dt.date(2030, 3, 1))
    assert "0 created, 0 updated, 3 unchanged" in run_import("people", tmp_path / "people.csv")


def test_people_xlsx_reads_real_excel_dates(tmp_path: Path) -> None:
    rows: list[list[object]] = [list(row) for row in PEOPLE_ROWS]
    rows[0][4] = dt.datetime(1986, 2, 14)
    rows[1][4] = dt.date(1983, 7, 30)
    output = run_import("people", write_xlsx(tmp_path / "people.xlsx", PEOPLE_HEADER, rows))
    assert "3 created" in output
    assert Person.objects.get(reference="PER1").date_of_birth == dt.date(1986, 2, 14)
    assert Person.objects.get(reference="PER2").date_of_birth == dt.date(1983, 7, 30)
    assert "3 unchanged" in run_import("people", tmp_path / "people.xlsx")


PEOPLE_PROBLEMS = [
    ("Date of birth", "31/02/1990", "date_of_birth", "'31/02/1990' is not a real date"),
    ("Date of birth", "tomorrow", "date_of_birth", "'tomorrow' is not a date"),
    ("Date of birth", "01/01/2999", "date_of_birth", "01/01/2999 is in the future"),
    ("Email", "not-an-email", "email", "'not-an-email' is not an email address"),
    ("Mobile", "call me", "mobile", "'call me' is not a phone number"),
    ("Vulnerability categories", "werewolf", "vulnerability_categories", "'werewolf' is not a vulnerability"),
    ("Preferred format", "smoke signals", "preferred_format", "'smoke signals' is not one of: standard"),
    ("Needs interpreter", "sometimes", "needs_interpreter", "'sometimes' is not yes or no"),
    ("Last name", "", "last_name", "is required"),
]


@pytest.mark.parametrize(("header", "value", "column", "reason"), PEOPLE_PROBLEMS)
def test_each_invalid_person_cell_is_reported_by_row_and_column(
    header: str, value: str, column: str, reason: str
) -> None:
    rows: list[list[object]] = [list(row) for row in PEOPLE_ROWS]
    rows[1][PEOPLE_HEADER.index(header)] = value
    with pytest.raises(ImportRejectedError) as caught:
        register_import(kind="people", rows=rows_of(PEOPLE_HEADER, rows), actor=None)
    assert [(p.row, p.column) for p in caught.value.problems] == [(3, column)]
    assert reason in caught.value.problems[0].reason
    assert not Person.objects.exists()


# --- tenancies --------------------------------------------------------------------------------------------------


def test_tenancies_link_homes_and_people_with_the_first_tenant_as_lead(tmp_path: Path) -> None:
    load_register(tmp_path)
    tenancy = Tenancy.objects.get(reference="TEN1")
    assert tenancy.property.reference == "PRP1"
    assert tenancy.tenancy_type == TenancyType.SECURE
    assert tenancy.start_date == dt.date(2015, 4, 1)
    roles = {m.person.reference: m.relationship for m in tenancy.members.select_related("person")}
    assert roles == {
        "PER1": TenancyRelationship.LEAD_TENANT,
        "PER2": TenancyRelationship.JOINT_TENANT,
        "PER3": TenancyRelationship.HOUSEHOLD_MEMBER,
    }
    assert Tenancy.objects.get(reference="TEN2").tenancy_type == TenancyType.STARTER


def test_re_running_tenancies_is_unchanged_and_a_changed_household_is_an_update(tmp_path: Path) -> None:
    load_register(tmp_path)
    assert "0 created, 0 updated, 2 unchanged" in run_import("tenancies", tmp_path / "t.csv")
    rows: list[list[object]] = [list(row) for row in TENANCY_ROWS]
    rows[0][5] = "PER2;PER1"  # the joint tenant becomes the lead tenant
    output = run_import("tenancies", write_csv(tmp_path / "t2.csv", TENANCY_HEADER, rows))
    assert "0 created, 1 updated, 1 unchanged" in output
    lead = Tenancy.objects.get(reference="TEN1").members.get(relationship=TenancyRelationship.LEAD_TENANT)
    assert lead.person.reference == "PER2"


TENANCY_PROBLEMS = [
    ("Property reference", "PRP404", "property_reference", "no property has the reference 'PRP404'"),
    ("Tenants", "PER1;PER404", "tenants", "no person has the reference 'PER404' (import people first)"),
    ("Tenants", "", "tenants", "is required"),
    ("Household members", "PER1", "household_members", "'PER1' is listed more than once in this tenancy"),
    ("Tenancy type", "council", "tenancy_type", "'council' is not one of: secure, assured"),
    ("Start date", "", "start_date", "is required"),
    ("End date", "31/03/2015", "end_date", "31/03/2015 is before the start date 01/04/2015"),
]


@pytest.mark.parametrize(("header", "value", "column", "reason"), TENANCY_PROBLEMS)
def test_each_invalid_tenancy_cell_is_reported_by_row_and_column(
    tmp_path: Path, header: str, value: str, column: str, reason: str
) -> None:
    run_import("properties", write_csv(tmp_path / "p.csv", PROPERTY_HEADER, PROPERTY_ROWS))
    run_import("people", write_csv(tmp_path / "pe.csv", PEOPLE_HEADER, PEOPLE_ROWS))
    rows: list[list[object]] = [list(row) for row in TENANCY_ROWS]
    rows[0][TENANCY_HEADER.index(header)] = value
    with pytest.raises(ImportRejectedError) as caught:
        register_import(kind="tenancies", rows=rows_of(TENANCY_HEADER, rows), actor=None)
    assert [(p.row, p.column) for p in caught.value.problems] == [(2, column)]
    assert reason in caught.value.problems[0].reason
    assert not Tenancy.objects.exists()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("Starter", "starter"), ("introductory", "starter"), ("Fixed-term", "fixed_term"), ("fixed term", "fixed_term"),
     ("Leasehold", "leasehold"), ("Licence", "licence"), ("license", "licence"), ("ASSURED", "assured")],
)  # fmt: skip
def test_tenancy_types_are_read_from_their_common_spellings(tmp_path: Path, typed: str, stored: str) -> None:
    PropertyFactory(reference="PRP1")
    PersonFactory(reference="PER1")
    rows = [["TEN1", "PRP1", typed, "01/04/2020", "", "PER1", ""]]
    register_import(kind="tenancies", rows=rows_of(TENANCY_HEADER, rows), actor=None)
    assert Tenancy.objects.get().tenancy_type == stored


# --- files and permissions --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("homes.txt", b"reference\n", "is not a .csv or .xlsx file"),
        ("homes.xls", b"\xd0\xcf\x11\xe0", "old-style Excel file"),
        ("homes.csv", b"", "is empty"),
        ("homes.csv", b"Reference,Town\n", "Required columns missing: address_line_1, postcode"),
        ("homes.csv", PROPERTY_HEADER[0].encode() + b",Address line 1,Town,Postcode\n", "has headers but no data"),
        ("homes.xlsx", b"this is not a zip file", "could not be read as an Excel workbook"),
    ],
)
def test_unreadable_files_give_a_clear_error_and_no_traceback(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run_import("properties", path)


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="There is no file at"):
        run_import("properties", tmp_path / "nowhere.csv")


def test_unknown_columns_are_ignored_with_a_warning(tmp_path: Path) -> None:
    header = [*PROPERTY_HEADER, "Weekly rent"]
    rows = [[*row, "98.50"] for row in PROPERTY_ROWS]
    output = run_import("properties", write_csv(tmp_path / "homes.csv", header, rows))
    assert "Ignoring columns not recognised: 'Weekly rent'" in output
    assert Property.objects.count() == 3


def test_semicolon_separated_csv_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_text("\ufeffReference;Address line 1;Town;Postcode\nPRP1;1 Mill Lane;Hartwick;HW4 2AB\n")
    assert "1 created" in run_import("properties", path)


def test_columns_option_lists_the_documented_columns() -> None:
    out = StringIO()
    call_command("import", "tenancies", "--columns", stdout=out)
    assert "property_reference" in out.getvalue()
    assert "household_members" in out.getvalue()


def test_an_import_run_as_a_user_needs_the_import_permission(make_staff) -> None:
    officer = make_staff(Role.OFFICER)
    with pytest.raises(PermissionDenied):
        register_import(kind="properties", rows=rows_of(PROPERTY_HEADER, PROPERTY_ROWS), actor=officer)
    admin = make_staff(Role.ADMIN)
    result = register_import(kind="properties", rows=rows_of(PROPERTY_HEADER, PROPERTY_ROWS), actor=admin)
    assert result.created == 3
    assert AuditEvent.objects.get(verb="housing.imported").actor == admin


def test_import_command_can_name_the_user_it_runs_as(tmp_path: Path, make_staff) -> None:
    make_staff(Role.OFFICER)
    with pytest.raises(CommandError, match="You do not have permission"):
        run_import("properties", write_csv(tmp_path / "h.csv", PROPERTY_HEADER, PROPERTY_ROWS), "--user",
                   "officer_olivia")  # fmt: skip
    with pytest.raises(CommandError, match="no active staff account called 'nobody'"):
        run_import("properties", tmp_path / "h.csv", "--user", "nobody")


def test_reading_a_table_skips_blank_rows_but_keeps_spreadsheet_row_numbers(tmp_path: Path) -> None:
    rows: list[list[object]] = [list(PROPERTY_ROWS[0]), [""] * len(PROPERTY_HEADER), list(PROPERTY_ROWS[1])]
    table = read_table(write_csv(tmp_path / "h.csv", PROPERTY_HEADER, rows), kind="properties")
    assert [row.number for row in table.rows] == [2, 4]


def test_register_import_refuses_an_empty_list_of_rows() -> None:
    with pytest.raises(ImportFileError, match="no rows"):
        register_import(kind="people", rows=[], actor=None)
