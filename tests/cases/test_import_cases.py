"""`saferhomes import cases`: a landlord's case log from a spreadsheet — every row checked first, all-or-nothing,
idempotent by the original reference, deadlines exactly as a new case gets them, one audit event per case."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Sequence
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.importers import cases_import
from saferhomes.cases.models import Case, CaseType, Note, Party, PartyRole, Sensitivity, Status
from saferhomes.cases.search import case_search_q
from saferhomes.cases.services.case import CaseDetails, case_create
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.calendar_config import case_response_due
from saferhomes.core.models import AuditEvent
from saferhomes.housing.importers import ImportRejectedError, ImportRow
from saferhomes.intake.models import Channel, Report, ReportStatus
from tests.factories import TeamFactory

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
UK = ZoneInfo("Europe/London")
TODAY = dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.UTC)

HEADER = [
    "Reference",
    "Case type",
    "Hate strands",
    "Received",
    "Property reference",
    "Address",
    "Summary",
    "Notes",
    "Status",
    "Closed",
    "Outcome",
    "Officer",
    "Reporter name",
    "Alleged perpetrators",
]
GOOD = {
    "Reference": "OLD-1",
    "Case type": "ASB",
    "Hate strands": "",
    "Received": "02/11/2026",
    "Property reference": "EXPRP01",
    "Address": "",
    "Summary": "Noise from the flat above",
    "Notes": "Letter sent.",
    "Status": "Open",
    "Closed": "",
    "Outcome": "",
    "Officer": "officer_olivia",
    "Reporter name": "Amelia Hartley",
    "Alleged perpetrators": "Connor Walsh",
}


def row(**changes: str) -> list[str]:
    values = {**GOOD, **{key.replace("_", " ").capitalize(): value for key, value in changes.items()}}
    return [values[column] for column in HEADER]


def write_csv(path: Path, rows: Sequence[Sequence[object]], header: Sequence[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def run(path: Path, *args: str) -> str:
    out = StringIO()
    call_command("import", "cases", str(path), *args, stdout=out, stderr=StringIO())
    return " ".join(out.getvalue().split())  # the console wraps long lines


@pytest.fixture
def landlord(make_staff: Callable[..., User]) -> dict[str, User]:
    """The example homes and people, and the demo's staff the example case log names."""
    for kind in ("properties", "people"):
        call_command("import", kind, str(EXAMPLES / f"{kind}.csv"), stdout=StringIO())
    north = TeamFactory.create(name="North neighbourhood team")
    safety = TeamFactory.create(name="Community safety team")
    da_team = TeamFactory.create(name="Domestic abuse team")
    return {
        "officer": make_staff(Role.OFFICER, team=north, email="olivia.bennett@example.org"),
        "coordinator": make_staff(Role.COORDINATOR, team=safety),
        "da": make_staff(Role.DA_SPECIALIST, team=da_team),
        "manager": make_staff(Role.MANAGER, team=safety),
    }


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_example_case_log_imports_with_references_deadlines_parties_and_one_audit_each(
    landlord: dict[str, User],
) -> None:
    output = run(EXAMPLES / "cases.csv", "--user", landlord["manager"].username)
    imported = Case.objects.exclude(legacy_reference="")
    assert imported.count() == 12
    open_cases = imported.exclude(status=Status.CLOSED)
    overdue = open_cases.filter(response_due_at__lt=TODAY).count()
    assert f"12 created, 0 already imported; {open_cases.count()} open ({overdue} overdue" in output
    assert "by type: ASB 6, DA 3, hate 3" in output
    assert overdue >= 6  # cases received weeks ago and never answered are overdue: that is the truth
    for case in imported:
        assert case.reference.startswith(f"{case.case_type.upper()}-{case.received_at.astimezone(UK).year}-")
        assert (case.response_due_at is None) == (case.status == Status.CLOSED)
        if case.status != Status.CLOSED:
            assert case.response_due_at == case_response_due(case.received_at, urgent=case.urgent)
            assert case.assigned_officer is not None
        assert case.created_by == landlord["manager"]
    da = imported.get(legacy_reference="DA/2026/0015")
    assert da.sensitivity == Sensitivity.DA
    assert da.assigned_officer == landlord["da"]
    hate = imported.get(legacy_reference="HATE/2026/0009")
    assert hate.case_type == CaseType.HATE
    assert hate.hate_strands == ["religion", "sexual_orientation"]
    closed = imported.get(legacy_reference="ASB/2025/0412")
    assert closed.status == Status.CLOSED
    assert closed.outcome == "resolved"
    assert closed.closed_at is not None
    assert closed.closed_at.astimezone(UK).date() == dt.date(2025, 9, 29)
    asb = imported.get(legacy_reference="ASB/2026/0087")
    assert asb.received_at == dt.datetime(2026, 9, 14, 16, 40, tzinfo=UK)
    assert asb.urgent
    assert asb.priority == "high"
    assert sorted(asb.parties.values_list("role", "last_name")) == [
        (PartyRole.ALLEGED_PERPETRATOR, "Doyle"),
        (PartyRole.ALLEGED_PERPETRATOR, "Doyle"),
        (PartyRole.REPORTER, "Nowak"),
        (PartyRole.VICTIM, "Hartley"),
    ]
    assert asb.properties.get().reference == "EXPRP02"
    assert asb.estate is not None
    assert Note.objects.get(case=asb).text == "Acceptable behaviour contract offered on 02/10."
    reports = Report.objects.filter(case__in=imported)
    assert reports.count() == 12
    assert set(reports.values_list("channel", "status")) == {(Channel.IMPORT, ReportStatus.CASE_OPENED)}
    first_report = reports.get(case=asb)
    assert first_report.received_at == asb.received_at
    assert first_report.response_due_at == asb.response_due_at
    assert (first_report.first_name, first_report.last_name) == ("Tomasz", "Nowak")
    assert "ASB/2026/0087" in first_report.triage_note
    events = AuditEvent.objects.filter(verb=AuditVerb.CASE_IMPORTED)
    assert events.count() == 12
    assert set(events.values_list("actor_id", flat=True)) == {landlord["manager"].pk}


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_re_running_the_case_log_creates_nothing_and_says_so(landlord: dict[str, User]) -> None:
    run(EXAMPLES / "cases.csv")

    def counts() -> tuple[int, ...]:
        return tuple(model.objects.count() for model in (Case, Party, Note, Report, AuditEvent))

    before = counts()
    output = run(EXAMPLES / "cases.csv")
    assert "0 created, 12 already imported" in output
    assert counts() == before


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_the_original_reference_is_searchable_and_shown_on_the_case_page(
    landlord: dict[str, User], staff_client: Callable[..., object], tmp_path: Path
) -> None:
    run(write_csv(tmp_path / "c.csv", [row(reference="LEGACY/ASB/77")]))
    case = Case.objects.filter(case_search_q("legacy/asb/77")).get()
    client = staff_client(Role.MANAGER, username="manager_2")
    page = client.get(reverse("cases:detail", args=[case.reference]))  # type: ignore[attr-defined]
    assert "Imported from the previous case log, reference LEGACY/ASB/77" in page.content.decode()


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("changes", "column", "reason"),
    [
        ({"officer": "nobody_here"}, "officer", "no active member of staff"),
        ({"property_reference": "NOPE99"}, "property_reference", "no property 'NOPE99'"),
        ({"status": "Closed", "closed": "01/12/2026"}, "outcome", "a closed case needs its outcome"),
        ({"status": "Closed", "outcome": "Resolved"}, "closed", "a closed case needs the date it was closed"),
        ({"case_type": "Hate"}, "hate_strands", "needs at least one hate strand"),
        ({"received": "31/02/2026"}, "received", "not a real date"),
        ({"received": "05/01/2027"}, "received", "in the future"),
        ({"case_type": "burglary"}, "case_type", "'burglary' is not one of"),
        ({"status": "pending"}, "status", "'pending' is not open"),
        ({"property_reference": "", "address": ""}, "property_reference", "property reference or an address"),
        ({"case_type": "DA"}, "officer", "not DA-trained"),
        ({"officer": ""}, "officer", "an open case needs the officer"),
    ],
)
def test_each_bad_row_is_reported_by_row_and_column_and_nothing_is_written(
    landlord: dict[str, User], tmp_path: Path, changes: dict[str, str], column: str, reason: str
) -> None:
    path = write_csv(tmp_path / "bad.csv", [row(), row(reference="OLD-2", **changes)])
    with pytest.raises(CommandError, match="nothing was imported"):
        run(path)
    rows = [
        ImportRow(number=n, values=_keyed(values)) for n, values in ((2, row()), (3, row(reference="OLD-2", **changes)))
    ]
    with pytest.raises(ImportRejectedError) as rejected:
        cases_import(rows=rows, actor=None)
    assert [(p.row, p.column) for p in rejected.value.problems] == [(3, column)]
    assert reason in rejected.value.problems[0].reason
    assert not Case.objects.exists()
    assert not AuditEvent.objects.filter(verb=AuditVerb.CASE_IMPORTED).exists()


def _keyed(values: Sequence[str]) -> dict[str, object]:
    return {name.lower().replace(" ", "_"): value for name, value in zip(HEADER, values, strict=True)}


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_a_reference_twice_in_the_file_is_reported_against_the_later_row(landlord: dict[str, User]) -> None:
    rows = [ImportRow(number=n, values=_keyed(row())) for n in (2, 3)]
    with pytest.raises(ImportRejectedError) as rejected:
        cases_import(rows=rows, actor=None)
    assert [str(p) for p in rejected.value.problems] == ["Row 3, reference: 'OLD-1' also appears on row 2"]


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_the_problems_table_names_rows_and_the_command_exits_nonzero(landlord: dict[str, User], tmp_path: Path) -> None:
    out = StringIO()
    path = write_csv(tmp_path / "bad.csv", [row(), row(reference="OLD-2", officer="ghost")])
    with pytest.raises(CommandError, match="1 problem found; nothing was imported"):
        call_command("import", "cases", str(path), stdout=out)
    assert "ghost" in out.getvalue()
    assert "officer" in out.getvalue()
    assert not Case.objects.exists()


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_a_formula_in_a_cell_is_kept_as_text(landlord: dict[str, User], tmp_path: Path) -> None:
    formula = '=HYPERLINK("http://evil.example/x","Click me")'
    run(write_csv(tmp_path / "f.csv", [row(summary=formula, notes="+cmd|' /C calc'!A0")]))
    case = Case.objects.get()
    assert case.summary == formula
    assert Note.objects.get(case=case).text == "+cmd|' /C calc'!A0"


@pytest.mark.django_db
def test_the_deadline_over_christmas_is_the_one_a_new_case_received_then_gets(
    landlord: dict[str, User], tmp_path: Path
) -> None:
    received = dt.datetime(2026, 12, 24, 17, 30, tzinfo=UK)  # Christmas Eve, after hours; bank holidays follow
    with time_machine.travel(dt.datetime(2027, 1, 20, 12, tzinfo=dt.UTC), tick=False):
        run(write_csv(tmp_path / "x.csv", [row(received="24/12/2026 17:30")]))
        imported = Case.objects.get(legacy_reference="OLD-1")
        new = case_create(
            actor=landlord["officer"],
            details=CaseDetails(case_type=CaseType.ASB, summary="Same evening", received_at=received),
        )
    assert imported.received_at == received
    assert imported.response_due_at == new.response_due_at
    assert imported.response_due_at is not None
    assert imported.response_due_at.astimezone(UK).date() > dt.date(2026, 12, 31)  # holidays skipped


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_an_xlsx_case_log_reads_excel_dates_and_times(landlord: dict[str, User], tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER)
    values: list[object] = list(row(reference="X-1"))
    values[HEADER.index("Received")] = dt.datetime(2026, 10, 5, 14, 20)
    sheet.append(values)
    closed: list[object] = list(row(reference="X-2", status="Closed", outcome="NFA"))
    closed[HEADER.index("Received")] = dt.date(2026, 6, 1)
    closed[HEADER.index("Closed")] = dt.date(2026, 7, 15)
    sheet.append(closed)
    workbook.save(tmp_path / "log.xlsx")
    assert "2 created, 0 already imported; 1 open" in run(tmp_path / "log.xlsx")
    first = Case.objects.get(legacy_reference="X-1")
    assert first.received_at == dt.datetime(2026, 10, 5, 14, 20, tzinfo=UK)
    second = Case.objects.get(legacy_reference="X-2")
    assert second.received_at == dt.datetime(2026, 6, 1, 9, 0, tzinfo=UK)
    assert second.outcome == "no_further_action"
    assert second.closed_at is not None
    assert second.closed_at.astimezone(UK).date() == dt.date(2026, 7, 15)


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_dry_run_reports_and_writes_nothing(landlord: dict[str, User]) -> None:
    output = run(EXAMPLES / "cases.csv", "--dry-run")
    assert "Dry run, nothing written: would have 12 created" in output
    assert not Case.objects.exists()
    assert not AuditEvent.objects.filter(verb=AuditVerb.CASE_IMPORTED).exists()


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_an_officer_without_the_right_to_assign_cases_cannot_import(landlord: dict[str, User]) -> None:
    with pytest.raises(CommandError):
        run(EXAMPLES / "cases.csv", "--user", landlord["officer"].username)
    assert not Case.objects.exists()


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_checking_reads_officers_and_homes_once_not_per_row(landlord: dict[str, User]) -> None:
    def queries(count: int, *, dry_run: bool) -> int:
        rows = [
            ImportRow(
                number=n + 2,
                values=_keyed(row(reference=f"Q{dry_run}-{count}-{n}", officer="olivia.bennett@example.org")),
            )
            for n in range(count)
        ]
        with CaptureQueriesContext(connection) as captured:
            cases_import(rows=rows, actor=None, dry_run=dry_run)
        return len(captured)

    assert queries(3, dry_run=True) == queries(30, dry_run=True)
    per_row = (queries(30, dry_run=False) - queries(10, dry_run=False)) / 20
    # Per case: its reference and its report's (counter rows locked and read) and its audit event; never a query per
    # column or per lookup.
    assert per_row <= 8


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_a_case_imported_meanwhile_by_another_run_rolls_the_whole_import_back(
    landlord: dict[str, User], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from saferhomes.cases import importers

    run(write_csv(tmp_path / "one.csv", [row(reference="RACE-1")]))
    looked_up = importers._lookups

    def before_the_other_run_committed(rows: Sequence[ImportRow]) -> object:
        found = looked_up(rows)
        found.existing.clear()  # as if checked before the other import committed RACE-1
        return found

    monkeypatch.setattr(importers, "_lookups", before_the_other_run_committed)
    with pytest.raises(CommandError, match="another import running at the same time; nothing was imported"):
        run(write_csv(tmp_path / "two.csv", [row(reference="RACE-2"), row(reference="RACE-1")]))
    assert list(Case.objects.values_list("legacy_reference", flat=True)) == ["RACE-1"]
    assert Report.objects.count() == 1
