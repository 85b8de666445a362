"""The case list as CSV and XLSX (issue 14 item 17): the filtered cases the user may see, audited, and safe to open in
a spreadsheet (formula injection); one shared export helper (core/exports.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Sensitivity
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.exports import cell, safe_text
from saferhomes.core.models import AuditEvent
from tests.access.surfaces import RoleSurface
from tests.cases.factories import CaseFactory
from tests.conftest import client_verified_as

pytestmark = pytest.mark.django_db

CSV_URL = "/staff/cases/all/download/csv/"
XLSX_URL = "/staff/cases/all/download/xlsx/"


def _csv(response: Any) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


@pytest.mark.parametrize("value", ['=HYPERLINK("http://x","click")', "+1+1", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_text_a_spreadsheet_would_run_is_written_as_text(value: str) -> None:
    assert safe_text(value) == "'" + value
    assert cell(value) == "'" + value


def test_ordinary_values_are_kept_as_they_are() -> None:
    assert safe_text("Loud music, flat 3") == "Loud music, flat 3"
    assert cell(True) == "Yes"
    assert cell(None) == ""
    assert cell(7) == 7
    assert cell(dt.datetime(2026, 7, 1, 12, 30, tzinfo=dt.UTC)) == dt.datetime(2026, 7, 1, 13, 30)  # BST


def test_the_csv_holds_the_filtered_cases_the_officer_may_see(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER)
    mine = CaseFactory.create(
        assigned_officer=officer, team=officer.team, summary="=cmd|' /C calc'!A0", case_type="asb"
    )
    CaseFactory.create(assigned_officer=officer, team=officer.team, summary="Hate graffiti", case_type="hate")
    CaseFactory.create(summary="Someone else's case")  # another team: not visible to this officer
    response = client_verified_as(officer).get(CSV_URL, {"case_type": "asb"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="cases-')
    rows = _csv(response)
    assert rows[0][:5] == ["Reference", "Type", "Category", "Summary", "Status"]
    assert [row[0] for row in rows[1:]] == [mine.reference]
    assert rows[1][3] == "'=cmd|' /C calc'!A0"


def test_the_xlsx_opens_with_text_cells_never_formulas(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER)
    case = CaseFactory.create(assigned_officer=officer, team=officer.team, summary="=1+1")
    response = client_verified_as(officer).get(XLSX_URL)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Reference"
    assert rows[1][0] == case.reference
    assert rows[1][3] == "'=1+1"
    assert isinstance(rows[1][11], dt.datetime)  # Received, a real date a spreadsheet can sort


def test_a_download_is_audited_with_its_filters_and_each_restricted_case_read(
    make_staff: Callable[..., User],
) -> None:
    manager = make_staff(Role.MANAGER)
    CaseFactory.create(sensitivity=Sensitivity.NORMAL)
    restricted = CaseFactory.create(sensitivity=Sensitivity.DA, case_type="da")
    client_verified_as(manager).get(CSV_URL, {"status": "new"})
    exported = AuditEvent.objects.get(verb=AuditVerb.CASE_LIST_EXPORTED)
    assert exported.actor == manager
    assert exported.after is not None
    assert exported.after["format"] == "csv"
    assert exported.after["filters"] == "status=new"
    reads = AuditEvent.objects.filter(verb="case.viewed", object_id=str(restricted.pk))
    assert reads.count() == 1
    assert "CSV download" in reads.get().reason


def test_a_da_case_is_never_in_an_officers_download(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER)
    CaseFactory.create(assigned_officer=None, team=officer.team, sensitivity=Sensitivity.DA, case_type="da")
    rows = _csv(client_verified_as(officer).get(CSV_URL))
    assert rows[1:] == []


SEE_NO_CASES = [Role.DPO, Role.ADMIN]
DOWNLOAD = RoleSurface(
    "Case pages", "Download the case list (CSV)", "GET", CSV_URL, "cases.view_case", tried=frozenset(SEE_NO_CASES)
)


@pytest.mark.parametrize("role", SEE_NO_CASES)
def test_roles_that_see_no_cases_cannot_download(staff_client: Callable[..., Client], role: str) -> None:
    assert staff_client(role).get(DOWNLOAD.url()).status_code == DOWNLOAD.expected(role) == 403


def test_an_unknown_format_is_a_404(staff_client: Callable[..., Client]) -> None:
    assert staff_client(Role.OFFICER).get("/staff/cases/all/download/pdf/").status_code == 404


def test_bad_filters_go_back_to_the_list_to_be_put_right(staff_client: Callable[..., Client]) -> None:
    response = staff_client(Role.OFFICER).get(CSV_URL, {"officer": "nobody_at_all"})
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/cases/all/?")


def test_the_download_reads_a_fixed_number_of_queries_however_many_cases(
    make_staff: Callable[..., User], django_assert_max_num_queries: Callable[..., object]
) -> None:
    manager = make_staff(Role.MANAGER)
    CaseFactory.create_batch(30)
    client = client_verified_as(manager)
    with django_assert_max_num_queries(25):  # type: ignore[attr-defined]
        _csv(client.get(CSV_URL))


def test_the_list_page_links_to_both_downloads_with_its_filters(staff_client: Callable[..., Client]) -> None:
    CaseFactory.create()
    page = staff_client(Role.COORDINATOR).get("/staff/cases/all/", {"status": "new", "page": "1"}).content.decode()
    assert 'href="/staff/cases/all/download/csv/?status=new"' in page
    assert 'href="/staff/cases/all/download/xlsx/?status=new"' in page
