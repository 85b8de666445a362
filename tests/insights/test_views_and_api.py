"""The performance pages under /staff/insights/ and the API (issue 18 parts 1, 2 and 6): who may see them, bad
months and years as errors on the field (never a 500), the downloads, and the API's exact shape."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.test import Client
from openpyxl import load_workbook

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.accounts.services import token_create
from saferhomes.cases.models import CaseType, HateStrand
from saferhomes.core.models import AuditEvent
from saferhomes.insights.models import MeasureSettings
from tests.api.conftest import assert_problem, bearer
from tests.cases.factories import CaseFactory
from tests.conftest import client_verified_as
from tests.housing.factories import PropertyFactory
from tests.insights.helpers import at, october_example
from tests.referrals.partner_helpers import council_agency, partner_of

pytestmark = pytest.mark.django_db

import datetime as dt  # noqa: E402

NOVEMBER = at(dt.date(2026, 11, 2), hour=9)
PAGES = ["/staff/insights/", "/staff/insights/monthly/?month=2026-10", "/staff/insights/tsm/?year=2026"]


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.MANAGER, True),
        (Role.COORDINATOR, True),
        (Role.DPO, True),
        (Role.OFFICER, False),
        (Role.DA_SPECIALIST, False),
        (Role.ADMIN, False),
    ],
)
def test_performance_pages_are_for_managers_coordinators_and_the_dpo(
    make_staff: Callable[..., User], role: str, allowed: bool
) -> None:
    client = client_verified_as(make_staff(role))
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == (200 if allowed else 403), (url, response.status_code)


def test_the_staff_menu_offers_performance_to_a_coordinator_not_an_officer(make_staff: Callable[..., User]) -> None:
    from saferhomes.accounts.selectors import staff_links

    assert "Performance" in [link.label for link in staff_links(user=make_staff(Role.COORDINATOR))]
    assert "Performance" not in [link.label for link in staff_links(user=make_staff(Role.OFFICER))]


def test_the_monthly_page_shows_each_figure_beside_last_month_and_last_year(make_staff: Callable[..., User]) -> None:
    october_example()
    client = client_verified_as(make_staff(Role.COORDINATOR))
    with time_machine.travel(NOVEMBER, tick=False):
        page = client.get("/staff/insights/monthly/?month=2026-10").content.decode()
    assert "Monthly performance report: October 2026" in page
    assert "September 2026" in page
    assert "October 2025" in page
    assert page.count('<img src="data:image/svg+xml;base64,') >= 8
    assert page.count("<table") >= page.count("<img src=")  # a table for every chart


@pytest.mark.parametrize("month", ["2026-13", "October", "2026-1", "<script>", ""])
def test_a_month_that_is_not_one_is_an_error_on_the_field_not_a_crash(
    make_staff: Callable[..., User], month: str
) -> None:
    client = client_verified_as(make_staff(Role.MANAGER))
    response = client.get("/staff/insights/monthly/", {"month": month})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert '<input type="text" name="month" value="<script>"' not in page


def test_a_month_with_a_control_character_is_refused_with_a_400(make_staff: Callable[..., User]) -> None:
    client = client_verified_as(make_staff(Role.MANAGER))
    assert client.get("/staff/insights/monthly/", {"month": "2026-10\x00"}).status_code == 400


def test_a_download_for_a_month_that_is_not_one_is_a_400_with_the_error(make_staff: Callable[..., User]) -> None:
    client = client_verified_as(make_staff(Role.MANAGER))
    response = client.get("/staff/insights/monthly/report.pdf?month=2026-13")
    assert response.status_code == 400
    assert "The month must be between 01 and 12" in response.content.decode()


def test_the_downloads_are_a_pdf_and_a_workbook_and_are_audited(make_staff: Callable[..., User]) -> None:
    october_example()
    client = client_verified_as(make_staff(Role.MANAGER))
    pdf = client.get("/staff/insights/monthly/report.pdf?month=2026-10")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    xlsx = client.get("/staff/insights/monthly/report.xlsx?month=2026-10")
    workbook = load_workbook(io.BytesIO(xlsx.content))
    assert "Closures by outcome" in workbook.sheetnames
    assert AuditEvent.objects.filter(verb="insights.monthly_report_downloaded").count() == 2


def _tsm_example() -> None:
    PropertyFactory.create_batch(40, is_owned=True)
    june = at(dt.date(2026, 6, 1))
    CaseFactory.create(case_type=CaseType.ASB, received_at=june)
    CaseFactory.create(case_type=CaseType.HATE, hate_strands=[HateStrand.RACE], received_at=june)
    CaseFactory.create(case_type=CaseType.HATE, hate_strands=[HateStrand.OTHER], received_at=june)
    CaseFactory.create(case_type=CaseType.DA, received_at=june)


def test_the_tsm_page_lists_the_cases_counted_and_the_data_return(make_staff: Callable[..., User]) -> None:
    _tsm_example()
    client = client_verified_as(make_staff(Role.COORDINATOR))
    page = client.get("/staff/insights/tsm/?year=2026").content.decode()
    assert "Tenant Satisfaction Measures 2026/27" in page
    assert page.count('class="govuk-table__row"') >= 3
    assert "75.00" in page  # 3 / 40 * 1000
    assert "25.00" in page  # 1 / 40 * 1000
    assert "are not counted" in page  # domestic abuse
    only_hate = client.get("/staff/insights/tsm/?year=2026&measure=nm01_2").content.decode()
    assert only_hate.count("Race or ethnicity") == 1
    response = client.get("/staff/insights/tsm/data-return.csv?year=2026")
    rows = _csv_rows(response)
    assert rows[0][:3] == ["TSM code", "Measure", "Numerator"]
    assert [row[0] for row in rows[1:]] == ["NM01(1)", "NM01(2)", "TP12"]
    assert rows[1][2] == "3"
    assert rows[1][4] == "40"
    assert rows[1][6] == "75.00"
    cases = client.get("/staff/insights/tsm/cases.csv?year=2026&measure=nm01_1")
    case_rows = _csv_rows(cases)
    assert len(case_rows) == 4  # heading + 3 cases
    assert AuditEvent.objects.filter(verb="insights.tsm_cases_exported").count() == 2


def _csv_rows(response: Any) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode().lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def test_a_bad_year_is_an_error_on_the_field(make_staff: Callable[..., User]) -> None:
    client = client_verified_as(make_staff(Role.MANAGER))
    response = client.get("/staff/insights/tsm/", {"year": "twenty"})
    assert response.status_code == 200
    assert "Enter the year the TSM year starts in" in response.content.decode()


def _api(user: User, url: str) -> Any:
    _token, raw = token_create(actor=None, user=user, name="tests")
    return Client().get(url, headers=bearer(raw))


def test_api_tsm_has_exactly_the_documented_shape(make_staff: Callable[..., User]) -> None:
    _tsm_example()
    MeasureSettings.objects.create(pk=1, count_domestic_abuse_in_nm01=True)
    response = _api(make_staff(Role.MANAGER), "/api/v1/tsm?year=2026")
    assert response.status_code == 200
    assert response.json() == {
        "year_start": "2026-04-01",
        "year_end": "2027-03-31",
        "homes_owned": 40,
        "nm01_1": {"cases": 4, "per_1000": 100.0},
        "nm01_2": {"cases": 1, "per_1000": 25.0},
        "tp12": {"responses": 0, "satisfied": 0, "percent": None},
    }


def test_api_per_1000_is_rounded_to_two_decimals(make_staff: Callable[..., User]) -> None:
    PropertyFactory.create_batch(3, is_owned=True)
    CaseFactory.create(case_type=CaseType.ASB, received_at=at(dt.date(2026, 6, 1)))
    body = _api(make_staff(Role.MANAGER), "/api/v1/tsm?year=2026").json()
    assert body["nm01_1"]["per_1000"] == 333.33


def test_api_monthly_gives_the_reports_figures(make_staff: Callable[..., User]) -> None:
    october_example()
    response = _api(make_staff(Role.COORDINATOR), "/api/v1/performance/monthly?month=2026-10")
    assert response.status_code == 200
    body = response.json()
    assert body["month"] == "2026-10"
    new = next(section for section in body["sections"] if section["key"] == "new")
    totals = next(table for table in new["tables"] if table["key"] == "totals")
    opened = next(row for row in totals["rows"] if row["label"] == "Cases opened")
    assert (opened["this_month"], opened["previous_month"], opened["same_month_last_year"]) == (4, 1, 2)


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/performance/monthly?month=2026-13", "month"),
        ("/api/v1/performance/monthly?month=last", "month"),
        ("/api/v1/tsm?year=26", "year"),
        ("/api/v1/tsm?year=1800", "year"),
    ],
)
def test_api_bad_month_or_year_is_a_422_naming_the_field(make_staff: Callable[..., User], url: str, field: str) -> None:
    body = assert_problem(_api(make_staff(Role.MANAGER), url), 422)
    assert [error["field"] for error in body["errors"]] == [field]


@pytest.mark.parametrize("url", ["/api/v1/performance/monthly?month=2026-10", "/api/v1/tsm?year=2026"])
def test_api_refuses_officers_and_partners(make_staff: Callable[..., User], url: str) -> None:
    assert_problem(_api(make_staff(Role.OFFICER), url), 403)
    partner = partner_of(council_agency(), "partner_pete")
    assert _api(partner, url).status_code in (403, 404)
