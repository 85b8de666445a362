"""The monthly performance report (issue 18 part 1): its figures on a worked example, each beside the month before
and the same month last year, and the same report as a PDF, an XLSX workbook and standalone HTML."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from saferhomes.insights.selectors.monthly import MonthlyReport, monthly_report_figures, report_as_data
from saferhomes.insights.services.reports import monthly_report_html, monthly_report_pdf, monthly_report_xlsx
from tests.insights.helpers import OCTOBER, at, october_example

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]
SCREENSHOT = REPO / "docs" / "screenshots" / "monthly-report-page-1.png"
BUILT = at(dt.date(2026, 11, 2), hour=9)


@pytest.fixture
def report() -> MonthlyReport:
    october_example()
    with time_machine.travel(BUILT, tick=False):
        return monthly_report_figures(OCTOBER)


def _row(report: MonthlyReport, section: str, table: str, label: str) -> tuple[object, object, object]:
    for each in report.sections:
        if each.key != section:
            continue
        for t in each.tables:
            if t.key == table:
                for row in t.rows:
                    if row.label == label:
                        return row.values
    raise AssertionError(f"No {section}/{table}/{label}")


def test_new_cases_by_type_area_and_category_beside_last_month_and_last_year(report: MonthlyReport) -> None:
    assert [p.label for p in report.periods] == ["October 2026", "September 2026", "October 2025"]
    assert _row(report, "new", "totals", "Cases opened") == (4, 1, 2)
    assert _row(report, "new", "by_type", "Anti-social behaviour") == (3, 1, 0)
    assert _row(report, "new", "by_type", "Hate incident or crime") == (1, 0, 0)
    assert _row(report, "new", "by_type", "Domestic abuse") == (0, 0, 2)
    assert _row(report, "new", "by_area", "North") == (2, 0, 0)
    assert _row(report, "new", "by_area", "South") == (1, 1, 0)  # 31 Oct 23:00 is still October in London
    assert _row(report, "new", "by_area", "No estate recorded") == (1, 0, 2)
    assert _row(report, "new", "by_category", "Nuisance") == (2, 0, 0)


def test_response_compliance_standard_and_urgent(report: MonthlyReport) -> None:
    # Standard October cases: one met (responded in 2 days of 7), two with no response yet; on 2 November the one
    # received 5 October (due 12th) and 12 October (due 19th) are overdue, the one of 31 October is not yet due.
    assert _row(report, "response", "standard", "Met (responded by the deadline)")[0] == 1
    assert _row(report, "response", "standard", "Overdue (no response, deadline passed)")[0] == 1
    assert _row(report, "response", "standard", "Not yet due")[0] == 1
    assert _row(report, "response", "urgent", "Overdue (no response, deadline passed)")[0] == 1
    assert _row(report, "response", "standard", "Met on time, % of those due")[0] == Decimal("50.0")


def test_closures_caseload_and_satisfaction(report: MonthlyReport) -> None:
    assert _row(report, "closures", "by_outcome", "Resolved") == (1, 0, 0)
    # Open at the end of October 2026: 3 October cases + the September one (the 5 October one closed) + 2 DA of 2025.
    assert _row(report, "caseload", "by_age", "Total open")[0] == 6
    assert _row(report, "caseload", "by_age", "Under 1 month (0 to 30 days)")[0] == 3  # 6, 12, 31 October
    assert _row(report, "caseload", "by_age", "1 to 3 months (31 to 90 days)")[0] == 1  # 20 September: 41 days
    assert _row(report, "caseload", "by_age", "Over a year (366 days or more)")[0] == 2
    assert _row(report, "satisfaction", "kpi", "Survey answers (n)") == (2, 0, 0)
    assert _row(report, "satisfaction", "kpi", "Very or fairly satisfied, %") == (Decimal("50.0"), None, None)


def test_every_section_the_issue_lists_is_there_with_three_figures_per_row(report: MonthlyReport) -> None:
    keys = [section.key for section in report.sections]
    assert keys == [
        "new",
        "response",
        "risk",
        "police",
        "partnership",
        "closures",
        "caseload",
        "satisfaction",
        "case_review",
    ]
    data = report_as_data(report)
    assert data["month"] == "2026-10"
    for section in data["sections"]:
        for table in section["tables"]:
            for row in table["rows"]:
                assert {"this_month", "previous_month", "same_month_last_year"} <= set(row)


def test_the_report_is_counted_in_a_fixed_number_of_queries(
    django_assert_max_num_queries: Any,
) -> None:
    october_example()
    october_example()
    with django_assert_max_num_queries(34):  # about 30, plus a savepoint and SET LOCAL jit on PostgreSQL
        monthly_report_figures(OCTOBER)


def test_the_pdf_has_every_section_and_the_figures(report: MonthlyReport, tmp_path: Path) -> None:
    pdf = monthly_report_pdf(report)
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Monthly performance report: October 2026" in text
    for title in ("New reports and cases", "Response compliance", "Open caseload by age", "Satisfaction"):
        assert title in text
    assert "Cases opened 4 1 2" in text
    assert "Very or fairly satisfied, % 50.0% — —" in text
    assert "OFFICIAL" in text
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    png = tmp_path / "monthly-report-page-1.png"
    script = REPO / "scripts" / "pdf_screenshot.py"
    subprocess.run([sys.executable, str(script), str(path), str(png)], check=True, timeout=120)  # noqa: S603
    image = png.read_bytes()
    assert image.startswith(b"\x89PNG")
    width, height = int.from_bytes(image[16:20], "big"), int.from_bytes(image[20:24], "big")
    assert (width, height) == (497, 702)  # A4 portrait at 60 dots per inch
    if os.environ.get("SAFERHOMES_SCREENSHOTS") == "1":
        shutil.copyfile(png, SCREENSHOT)


def test_the_xlsx_has_a_sheet_per_section_with_numbers_not_text(report: MonthlyReport) -> None:
    workbook = load_workbook(io.BytesIO(monthly_report_xlsx(report)))
    assert len(workbook.sheetnames) == len(report.sections)
    sheet = workbook["New reports and cases"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Table", "Figure", "Unit", "October 2026", "September 2026", "October 2025")
    cases_opened = next(row for row in rows if row[1] == "Cases opened")
    assert cases_opened[3:] == (4, 1, 2)
    assert all(isinstance(value, int) for value in cases_opened[3:])
    kpi = next(r for r in workbook["Satisfaction"].iter_rows(values_only=True) if r[1] == "Very or fairly satisfied, %")
    assert kpi[3] == 50.0
    assert kpi[2] == "percent"


def test_the_html_has_a_table_beside_every_chart(report: MonthlyReport) -> None:
    html = monthly_report_html(report)
    charts = html.count('<img class="report-chart"')
    assert charts >= 8
    assert html.count("<table") >= charts
    assert "data:image/svg+xml;base64," in html


def test_the_command_writes_each_format(tmp_path: Path) -> None:
    october_example()
    for fmt, magic in (("pdf", b"%PDF"), ("xlsx", b"PK"), ("html", b"<!DOCTYPE html>")):
        output = tmp_path / f"october.{fmt}"
        out = io.StringIO()
        call_command("report", "monthly", "--month", "2026-10", "--format", fmt, "--output", str(output), stdout=out)
        assert output.read_bytes().startswith(magic)
        assert "October 2026" in out.getvalue()


def test_the_command_refuses_a_month_that_is_not_one(tmp_path: Path) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="between 01 and 12"):
        call_command("report", "monthly", "--month", "2026-13", "--output", str(tmp_path / "x.pdf"))
