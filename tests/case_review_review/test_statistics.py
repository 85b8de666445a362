"""The four published figures (issue 17 part 7): the annual figures equal a hand count, by London dates, April to
March; the public page suppresses small numbers (a property test: nothing shown is below the threshold) and works
without an account; staff download every year's true counts as CSV or XLSX."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from pytest_django.fixtures import Settings

from saferhomes.accounts.roles import Role
from saferhomes.case_review.review_rules import StatisticsYear
from saferhomes.case_review.selectors.statistics import (
    CaseReviewFigures,
    figures_for_year,
    published_figures,
    statistics_years,
)
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.calendar import LONDON
from saferhomes.core.models import AuditEvent
from tests.factories import ApplicationFactory

UTC = dt.UTC
YEAR = StatisticsYear(2025)  # 1 April 2025 to 31 March 2026


def _utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=UTC)


def _make_year() -> None:
    """Applications around the year's edges. London is an hour ahead of UTC from 30 March 2025 and 29 March 2026."""
    rows = [
        # received (UTC),        decided (UTC),          met,   held (UTC),             recommendations
        (_utc(2025, 3, 31, 22, 30), None, None, None, None),  # 31 Mar 23:30 London: 2024-25, not this year
        (_utc(2025, 3, 31, 23, 30), None, None, None, None),  # 1 Apr 00:30 London: counts
        (_utc(2025, 3, 10, 12), _utc(2025, 4, 2, 12), False, None, None),  # received last year, refused this year
        (_utc(2025, 6, 1, 9), _utc(2025, 6, 10, 9), False, None, None),
        (_utc(2025, 7, 1, 9), _utc(2025, 7, 8, 9), True, _utc(2025, 8, 1, 9), True),
        (_utc(2025, 9, 1, 9), _utc(2025, 9, 8, 9), True, _utc(2025, 10, 1, 9), False),
        (_utc(2026, 1, 5, 9), _utc(2026, 1, 12, 9), True, _utc(2026, 3, 31, 22, 30), True),  # 31 Mar 23:30 BST: in
        (_utc(2026, 2, 2, 9), _utc(2026, 2, 9, 9), True, _utc(2026, 3, 31, 23, 30), True),  # 1 Apr 00:30 BST: out
        (_utc(2026, 3, 31, 22, 59), None, None, None, None),  # 31 Mar 23:59 London: in
        (_utc(2026, 3, 31, 23, 0), None, None, None, None),  # 1 Apr 00:00 London: next year
    ]
    for received, decided, met, held, recommended in rows:
        ApplicationFactory.create(
            received_at=received,
            decided_at=decided,
            threshold_met=met,
            review_held_at=held,
            recommendations_made=recommended,
            status="review" if met else ("threshold_not_met" if met is False else "received"),
        )


@pytest.mark.django_db
def test_the_annual_figures_equal_a_hand_count() -> None:
    _make_year()
    figures = figures_for_year(YEAR)
    # By hand: received 1 Apr 2025 - 31 Mar 2026 London: rows 2, 4, 5, 6, 7, 8, 9 -> 7.
    # Not met, decided in the year: rows 3 and 4 -> 2. Held in the year: rows 5, 6, 7 -> 3; with recommendations:
    # rows 5 and 7 -> 2.
    assert (
        figures.applications,
        figures.threshold_not_met,
        figures.reviews_carried_out,
        figures.reviews_with_recommendations,
    ) == (7, 2, 3, 2)
    previous = figures_for_year(StatisticsYear(2024))
    assert (previous.applications, previous.threshold_not_met) == (2, 0)
    following = figures_for_year(StatisticsYear(2026))
    assert (following.applications, following.reviews_carried_out, following.reviews_with_recommendations) == (1, 1, 1)


@pytest.mark.django_db
def test_the_years_offered_run_from_the_first_application_to_this_year() -> None:
    ApplicationFactory.create(received_at=dt.datetime(2024, 5, 1, 12, tzinfo=LONDON))
    years = statistics_years(dt.date(2026, 12, 4))
    assert [year.slug for year in years] == ["2026-27", "2025-26", "2024-25"]


@given(
    counts=st.tuples(*[st.integers(min_value=0, max_value=500)] * 4),
    threshold=st.integers(min_value=1, max_value=20),
)
def test_no_published_figure_shows_a_count_below_the_threshold(counts: tuple[int, ...], threshold: int) -> None:
    figures = CaseReviewFigures(dt.date(2025, 4, 1), dt.date(2026, 3, 31), *counts)
    for figure, true_count in zip(published_figures(figures, threshold), counts, strict=True):
        if figure.shown.isdigit():
            assert int(figure.shown) == true_count >= threshold
        else:
            assert figure.shown == f"fewer than {threshold}"
            assert true_count < threshold


@pytest.mark.django_db
def test_the_public_page_shows_the_chosen_year_with_small_numbers_suppressed(settings: Settings) -> None:
    settings.SUPPRESSION_THRESHOLD = 3
    _make_year()
    response = Client().get("/case-review/statistics/", {"year": "2025-26"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "April 2025 to March 2026" in html
    assert 'data-figure="applications">7<' in html
    assert 'data-figure="threshold_not_met">fewer than 3<' in html
    assert 'data-figure="reviews_carried_out">3<' in html
    assert 'data-figure="reviews_with_recommendations">fewer than 3<' in html
    assert "<script" not in html.split("<main")[1].split("</main>")[0]  # nothing on the page needs JavaScript


@pytest.mark.django_db
def test_the_default_five_hides_counts_below_five() -> None:
    _make_year()
    html = Client().get("/case-review/statistics/", {"year": "2025-26"}).content.decode()
    assert 'data-figure="applications">7<' in html
    assert 'data-figure="reviews_carried_out">fewer than 5<' in html


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["1066-67", "2025-27", "<script>", "9" * 50])
def test_a_year_not_offered_is_a_clear_400_not_a_crash(year: str) -> None:
    response = Client().get("/case-review/statistics/", {"year": year})
    assert response.status_code == 400
    assert "Select a year from the list" in response.content.decode()


@pytest.mark.django_db
def test_staff_download_every_years_true_counts_and_the_download_is_audited(
    staff_client: Callable[..., Client],
) -> None:
    _make_year()
    client = staff_client(Role.COORDINATOR)
    response = client.get("/staff/case-reviews/statistics/download/", {"format": "csv"})
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()  # type: ignore[attr-defined]
    assert lines[0].startswith("Year,From,To,Applications for an ASB Case Review")
    assert "April 2025 to March 2026,2025-04-01,2026-03-31,7,2,3,2" in lines
    xlsx = client.get("/staff/case-reviews/statistics/download/", {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "Year"
    assert [row[3:] for row in rows if row[0] == "April 2025 to March 2026"] == [[7, 2, 3, 2]]
    assert AuditEvent.objects.filter(verb=AuditVerb.CASE_REVIEW_STATISTICS_EXPORTED).count() == 2


@pytest.mark.django_db
def test_people_who_do_not_see_applications_cannot_download(staff_client: Callable[..., Client]) -> None:
    assert staff_client(Role.DPO).get("/staff/case-reviews/statistics/download/").status_code == 404
    assert Client().get("/staff/case-reviews/statistics/download/").status_code in (302, 403)
