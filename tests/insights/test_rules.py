"""The pure rules of the measures (insights/rules.py): months, TSM years, per-1,000 rates, TP12 and age bands,
with worked examples."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saferhomes.core.errors import DomainError
from saferhomes.insights import rules


def test_month_parses_and_its_neighbours_cross_year_ends() -> None:
    month = rules.parse_month("2026-01")
    assert month == dt.date(2026, 1, 1)
    assert rules.previous_month(month) == dt.date(2025, 12, 1)
    assert rules.same_month_last_year(month) == dt.date(2025, 1, 1)
    assert rules.month_end(dt.date(2028, 2, 1)) == dt.date(2028, 2, 29)  # leap year
    assert rules.month_end(dt.date(2026, 12, 1)) == dt.date(2026, 12, 31)
    assert rules.last_full_month(dt.date(2026, 11, 2)) == dt.date(2026, 10, 1)


@pytest.mark.parametrize("text", ["", "2026-13", "2026-00", "26-10", "2026/10", "October", "1999-12", "2026-1"])
def test_a_month_that_is_not_one_is_a_domain_error_on_the_field(text: str) -> None:
    with pytest.raises(DomainError) as error:
        rules.parse_month(text)
    assert "month" in error.value.field_errors


@pytest.mark.parametrize("text", ["", "26", "20266", "abcd", "1999", None])
def test_a_year_that_is_not_one_is_a_domain_error_on_the_field(text: str | None) -> None:
    with pytest.raises(DomainError) as error:
        rules.parse_year(text)
    assert "year" in error.value.field_errors


def test_tsm_year_runs_1_april_to_31_march() -> None:
    assert rules.tsm_year_bounds(2026) == (dt.date(2026, 4, 1), dt.date(2027, 3, 31))
    assert rules.tsm_year_of(dt.date(2027, 3, 31)) == 2026
    assert rules.tsm_year_of(dt.date(2027, 4, 1)) == 2027
    assert rules.tsm_year_label(2026) == "2026/27"
    assert rules.tsm_year_label(2099) == "2099/00"


def test_per_1000_rounds_half_up_to_two_places() -> None:
    assert rules.per_1000(3, 1000) == Decimal("3.00")
    assert rules.per_1000(2, 3000) == Decimal("0.67")  # 0.6666…
    assert rules.per_1000(1, 8000) == Decimal("0.13")  # 0.125 rounds half up
    assert rules.per_1000(5, 0) is None


def test_tp12_worked_example_with_margin_of_error() -> None:
    # 40 very, 20 fairly satisfied, 10 neither, 20 fairly, 10 very dissatisfied: 60 of 100 satisfied.
    result = rules.satisfaction({5: 40, 4: 20, 3: 10, 2: 20, 1: 10})
    assert result.responses == 100
    assert result.satisfied == 60
    assert result.percent == Decimal("60.0")
    # 1.96 * sqrt(0.6 * 0.4 / 100) = 0.0960 -> 9.6 percentage points
    assert result.margin_of_error == Decimal("9.6")


def test_tp12_with_no_answers_has_no_percentage() -> None:
    result = rules.satisfaction({})
    assert (result.responses, result.satisfied, result.percent, result.margin_of_error) == (0, 0, None, None)


@given(st.dictionaries(st.integers(1, 5), st.integers(0, 10_000)))
def test_tp12_percent_is_between_0_and_100_and_satisfied_never_exceeds_answers(scores: dict[int, int]) -> None:
    result = rules.satisfaction(scores)
    assert result.satisfied <= result.responses
    if result.percent is not None:
        assert Decimal(0) <= result.percent <= Decimal(100)
        assert result.margin_of_error is not None
        assert result.margin_of_error >= 0


@pytest.mark.parametrize(
    ("days", "band"),
    [(0, 0), (30, 0), (31, 1), (90, 1), (91, 2), (182, 2), (183, 3), (365, 3), (366, 4), (4000, 4)],
)
def test_age_bands_have_no_gaps_at_their_edges(days: int, band: int) -> None:
    assert rules.age_band(days) == rules.AGE_BANDS[band][0]
