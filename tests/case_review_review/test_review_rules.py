"""Worked examples of the review's pure rules (case_review/review_rules.py): timescales by London working days, the
overdue flag, the appeal's different chair, small-number suppression (with a property test) and the April-to-March
statistics year."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saferhomes.case_review import review_rules as rules
from saferhomes.core.calendar import LONDON

UTC = dt.UTC


def _london(y: int, m: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, h, mi, s, tzinfo=LONDON)


def test_a_review_is_due_at_the_end_of_the_25th_working_day_after_the_decision() -> None:
    # Decided Mon 2 Nov 2026: 25 working days (no bank holidays) is Mon 7 Dec 2026.
    assert rules.review_due(_london(2026, 11, 2, 15), 25) == _london(2026, 12, 7, 23, 59, 59)


def test_christmas_and_new_year_bank_holidays_do_not_count() -> None:
    # Met on Wed 23 Dec 2026: Thu 24 (1); Fri 25 Christmas, Mon 28 the Boxing Day substitute; Tue 29 (2),
    # Wed 30 (3), Thu 31 (4); Fri 1 Jan New Year's Day; Mon 4 Jan 2027 (5).
    assert rules.outcome_due(dt.date(2026, 12, 23), 5) == _london(2027, 1, 4, 23, 59, 59)


def test_the_decision_date_is_the_london_date_even_late_at_night_in_summer() -> None:
    # 23:30 UTC on Fri 31 Jul 2026 is 00:30 on Sat 1 Aug in London: day 0 is the Saturday, so 1 working day -> Mon.
    decided = dt.datetime(2026, 7, 31, 23, 30, tzinfo=UTC)
    assert rules.review_due(decided, 1) == _london(2026, 8, 3, 23, 59, 59)


def test_across_the_autumn_clock_change_the_due_time_is_still_local_end_of_day() -> None:
    due = rules.outcome_due(dt.date(2026, 10, 23), 1)  # Fri -> Mon 26 Oct, after the clocks went back on the 25th
    assert due == _london(2026, 10, 26, 23, 59, 59)
    assert due.utcoffset() == dt.timedelta(0)


def test_a_leap_day_is_a_working_day_like_any_other() -> None:
    assert rules.outcome_due(dt.date(2028, 2, 28), 1) == _london(2028, 2, 29, 23, 59, 59)


def test_a_timescale_is_at_least_one_working_day() -> None:
    with pytest.raises(ValueError, match="at least one"):
        rules.outcome_due(dt.date(2026, 1, 5), 0)


@pytest.mark.parametrize(
    ("definition", "expected"),
    [
        (None, 25),
        ({}, 25),
        ({"timescales": {"review_working_days": 20}}, 20),
        ({"timescales": {"review_working_days": 0}}, 25),
        ({"timescales": {"review_working_days": "20"}}, 25),
        ({"timescales": {"review_working_days": True}}, 25),
        ({"timescales": "20"}, 25),
    ],
)
def test_a_rule_sets_timescale_wins_only_when_it_is_a_positive_whole_number(definition: object, expected: int) -> None:
    assert rules.timescale_days(definition, "review_working_days", 25) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("status", "due_on", "overdue"),
    [
        ("open", dt.date(2026, 12, 3), True),
        ("in_progress", dt.date(2026, 12, 3), True),
        ("open", dt.date(2026, 12, 4), False),  # due today: not yet overdue
        ("done", dt.date(2026, 1, 1), False),
        ("not_done", dt.date(2026, 1, 1), False),
    ],
)
def test_a_recommendation_is_overdue_only_while_open_after_its_day(status: str, due_on: dt.date, overdue: bool) -> None:
    assert rules.recommendation_overdue(status=status, due_on=due_on, today=dt.date(2026, 12, 4)) is overdue


def test_the_appeal_chair_must_not_be_the_review_chair() -> None:
    assert "someone other than" in rules.appeal_chair_problem(chair_id=7, review_chair_id=7)
    assert rules.appeal_chair_problem(chair_id=8, review_chair_id=7) == ""
    assert rules.appeal_chair_problem(chair_id=None, review_chair_id=7) == "Select who chairs the appeal"


@pytest.mark.parametrize(
    ("count", "threshold", "shown"),
    [(0, 5, "fewer than 5"), (4, 5, "fewer than 5"), (5, 5, "5"), (123, 5, "123"), (9, 10, "fewer than 10")],
)
def test_small_numbers_are_suppressed(count: int, threshold: int, shown: str) -> None:
    assert rules.suppressed(count, threshold) == shown


@given(count=st.integers(min_value=0, max_value=10_000), threshold=st.integers(min_value=1, max_value=50))
def test_no_shown_count_is_ever_below_the_threshold(count: int, threshold: int) -> None:
    shown = rules.suppressed(count, threshold)
    if shown.isdigit():
        assert int(shown) >= threshold
        assert int(shown) == count
    else:
        assert shown == f"fewer than {threshold}"
        assert count < threshold


@pytest.mark.parametrize(
    ("day", "start_year"),
    [
        (dt.date(2026, 3, 31), 2025),
        (dt.date(2026, 4, 1), 2026),
        (dt.date(2027, 1, 1), 2026),
        (dt.date(2028, 2, 29), 2027),
    ],
)
def test_the_statistics_year_runs_april_to_march(day: dt.date, start_year: int) -> None:
    year = rules.statistics_year_of(day)
    assert year.start_year == start_year
    assert (year.start, year.end) == (dt.date(start_year, 4, 1), dt.date(start_year + 1, 3, 31))


@pytest.mark.parametrize(
    ("text", "start_year"),
    [("2025-26", 2025), ("2025", 2025), ("1999-00", 1999), ("2025-27", None), ("25-26", None), ("", None), ("x", None)],
)
def test_a_year_in_a_url_is_read_strictly(text: str, start_year: int | None) -> None:
    year = rules.parse_statistics_year(text)
    assert (year.start_year if year else None) == start_year


def test_a_year_has_a_label_and_a_slug() -> None:
    year = rules.StatisticsYear(2025)
    assert (year.label, year.slug) == ("April 2025 to March 2026", "2025-26")
