"""`saferhomes agencies import`: the housing importer's report (each problem by row and column), all or nothing,
idempotent (rows matched by code), .csv and .xlsx, a dry run, one audit event with the counts."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.models import AuditEvent
from saferhomes.housing.importers import ImportRejectedError, ImportRow
from saferhomes.referrals.models import Agency
from saferhomes.referrals.services.agency_import import agencies_import
from tests.referrals.factories import AgencyFactory

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "agencies.csv"
HEADER = ["Code", "Name", "Kind", "Email", "Secure email", "Phone", "Website", "Area served", "Handles DA", "Active"]
ROWS: list[list[object]] = [
    ["HW-NPT", "Exampleshire Police: Hartwick NPT", "Police force", "npt@example.org", "npt@pnn.example.net",
     "01632 960 301", "https://www.example.org/npt", "Hartwick", "no", "yes"],
    ["HW-IDVA", "Hartwick IDVA Service", "IDVA service", "idva@example.org", "", "01632 960 302", "", "Hartwick",
     "yes", ""],
    ["HW-YOT", "Hartwick Youth Justice Service", "Youth offending team", "", "", "", "", "", "", "yes"],
]  # fmt: skip


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, header: Sequence[str], rows: Sequence[Sequence[object]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def run(path: Path, *args: str) -> str:
    out = StringIO()
    call_command("agencies", "import", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def fingerprint() -> list[tuple[object, ...]]:
    return list(Agency.objects.order_by("code").values_list("code", "name", "kind", "handles_da", "active", "email"))


def test_a_good_file_adds_every_agency_with_kinds_read_from_their_words(tmp_path: Path) -> None:
    output = run(write_csv(tmp_path / "agencies.csv", HEADER, ROWS))
    assert "Imported 3 agencies: 3 created, 0 updated, 0 unchanged." in output
    assert fingerprint() == [
        ("HW-IDVA", "Hartwick IDVA Service", "idva", True, True, "idva@example.org"),
        ("HW-NPT", "Exampleshire Police: Hartwick NPT", "police", False, True, "npt@example.org"),
        ("HW-YOT", "Hartwick Youth Justice Service", "yot", False, True, ""),
    ]
    event = AuditEvent.objects.get(verb=AuditVerb.AGENCIES_IMPORTED)
    assert event.actor_label == "system"
    assert event.after is not None
    assert (event.after["rows"], event.after["created"], event.after["updated"], event.after["unchanged"]) == (
        3,
        3,
        0,
        0,
    )
    assert event.after["source"] == "agencies.csv"


def test_re_running_the_same_file_changes_nothing(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "agencies.csv", HEADER, ROWS)
    run(path)
    before = list(Agency.objects.order_by("code").values_list("code", "updated_at"))
    assert "0 created, 0 updated, 3 unchanged" in run(path)
    assert list(Agency.objects.order_by("code").values_list("code", "updated_at")) == before


def test_rows_are_matched_by_code_ignoring_case_and_changes_are_updates(tmp_path: Path) -> None:
    AgencyFactory.create(code="hw-idva", name="Old name", handles_da=False, description="Kept as it is")
    rows = [list(row) for row in ROWS]
    output = run(write_csv(tmp_path / "agencies.csv", HEADER, rows))
    assert "2 created, 1 updated, 0 unchanged" in output
    idva = Agency.objects.get(code="hw-idva")  # the stored code stays as it was
    assert (idva.name, idva.handles_da, idva.description) == ("Hartwick IDVA Service", True, "Kept as it is")
    assert Agency.objects.count() == 3


def test_an_xlsx_file_is_read_as_a_csv_is(tmp_path: Path) -> None:
    rows = [[*row[:8], True if row[8] == "yes" else row[8], row[9]] for row in ROWS]
    assert "3 created" in run(write_xlsx(tmp_path / "agencies.xlsx", HEADER, rows))
    assert Agency.objects.get(code="HW-IDVA").handles_da is True


def test_each_bad_cell_is_reported_by_row_and_column_and_nothing_is_written(tmp_path: Path) -> None:
    rows = [list(row) for row in ROWS]
    rows[0][2] = "Fire and rescue"
    rows[1][3] = "idva.example.org"
    rows[1][8] = "perhaps"
    rows[2][0] = "HW YOT"
    rows.append(["HW-NPT", "", "", "", "", "", "ftp://example.org", "", "", ""])
    out = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("agencies", "import", str(write_csv(tmp_path / "bad.csv", HEADER, rows)), stdout=out)
    assert failed.value.returncode == 2
    assert "bad.csv: 8 problems found; nothing was imported." in str(failed.value)
    report = out.getvalue()
    for row, column, words in [
        (2, "kind", "'Fire and rescue' is not one of: police, council"),
        (3, "email", "Enter an email address in the correct format"),
        (3, "handles_da", "'perhaps' is not yes or no"),
        (4, "code", "Code must be letters and numbers"),
        (5, "code", "'HW-NPT' also appears on row 2"),
        (5, "name", "is required"),
        (5, "kind", "is required"),
        (5, "website", "Enter the website address in the correct format"),
    ]:
        assert any(
            line.split("│")[1:4] and str(row) in line.split("│")[1] and column in line and words in line
            for line in report.splitlines()
        ), (row, column, words, report)
    assert not Agency.objects.exists()
    assert not AuditEvent.objects.filter(verb=AuditVerb.AGENCIES_IMPORTED).exists()


def test_the_service_names_each_problem_as_row_column_and_reason() -> None:
    rows = [ImportRow(2, {"code": "A", "name": "A team", "kind": "council", "website": "example"})]
    with pytest.raises(ImportRejectedError) as rejected:
        agencies_import(rows=rows, actor=None)
    assert [str(problem) for problem in rejected.value.problems] == [
        "Row 2, website: Enter the website address in the correct format, like https://www.example.org"
    ]


def test_one_bad_row_leaves_existing_agencies_untouched(tmp_path: Path) -> None:
    AgencyFactory.create(code="HW-NPT", name="Before")
    rows = [list(row) for row in ROWS]
    rows[2][2] = "nonsense"
    with pytest.raises(CommandError):
        run(write_csv(tmp_path / "agencies.csv", HEADER, rows))
    assert list(Agency.objects.values_list("code", "name")) == [("HW-NPT", "Before")]


def test_a_dry_run_reports_what_would_change_and_writes_nothing(tmp_path: Path) -> None:
    output = run(write_csv(tmp_path / "agencies.csv", HEADER, ROWS), "--dry-run")
    assert "Dry run, nothing written: would have 3 created, 0 updated, 0 unchanged." in output
    assert not Agency.objects.exists()
    assert not AuditEvent.objects.filter(verb=AuditVerb.AGENCIES_IMPORTED).exists()


@pytest.mark.parametrize(
    ("header", "rows", "words"),
    [
        (["Code", "Name"], [["A", "B"]], "Required column missing: kind."),
        (HEADER, [], "has headers but no data rows"),
    ],
)
def test_a_file_that_cannot_be_an_import_says_why(tmp_path: Path, header: list[str], rows: list, words: str) -> None:
    with pytest.raises(CommandError) as failed:
        run(write_csv(tmp_path / "agencies.csv", header, rows))
    assert words in str(failed.value)


def test_a_missing_or_unreadable_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="There is no file at"):
        run(tmp_path / "missing.csv")
    (tmp_path / "agencies.xlsx").write_bytes(b"not a workbook")
    with pytest.raises(CommandError, match="could not be read as an Excel workbook"):
        run(tmp_path / "agencies.xlsx")


def test_an_import_run_as_a_user_needs_manage_agencies(tmp_path: Path, make_staff: Callable[..., User]) -> None:
    path = write_csv(tmp_path / "agencies.csv", HEADER, ROWS)
    make_staff(Role.OFFICER)
    with pytest.raises(CommandError, match="permission"):
        run(path, "--user", "officer_olivia")
    make_staff(Role.ADMIN)
    run(path, "--user", "admin_ada")
    assert AuditEvent.objects.get(verb=AuditVerb.AGENCIES_IMPORTED).actor_label == "admin_ada"


def test_columns_lists_every_column() -> None:
    out = StringIO()
    call_command("agencies", "columns", stdout=out)
    for column in ("code", "kind", "secure_email", "area_served", "how_to_refer", "handles_da", "active"):
        assert column in out.getvalue()


def test_the_example_file_imports_and_then_reimports_unchanged() -> None:
    assert "7 created, 0 updated, 0 unchanged" in run(EXAMPLE)
    assert "0 created, 0 updated, 7 unchanged" in run(EXAMPLE)
    assert Agency.objects.filter(handles_da=True).count() == 3
    emails = Agency.objects.values_list("email", "secure_email")
    assert all(e.endswith(("example.org", "example.net")) for pair in emails for e in pair if e)
