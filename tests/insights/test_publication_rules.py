"""Publication rules (issue 18 part 4; ADR 0016): quarters, and small-number suppression that never shows a count
below the threshold, with worked examples and a hypothesis property."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from saferhomes.insights import publication
from saferhomes.insights.publication import HEADINGS, publish_table, shown_numbers, suppress


def test_quarter_of_a_day_and_its_end() -> None:
    assert publication.quarter_start(dt.date(2026, 5, 17)) == dt.date(2026, 4, 1)
    assert publication.quarter_end(dt.date(2026, 4, 1)) == dt.date(2026, 6, 30)
    assert publication.quarter_end(dt.date(2026, 10, 1)) == dt.date(2026, 12, 31)


def test_quarter_end_in_a_leap_year_february_quarter() -> None:
    assert publication.quarter_end(dt.date(2028, 1, 1)) == dt.date(2028, 3, 31)


def test_previous_quarter_crosses_the_new_year() -> None:
    assert publication.previous_quarter_start(dt.date(2027, 1, 1)) == dt.date(2026, 10, 1)
    assert publication.previous_quarter_start(dt.date(2027, 2, 28)) == dt.date(2026, 10, 1)


def test_quarter_label_and_start_check() -> None:
    assert publication.quarter_label(dt.date(2026, 7, 1)) == "July to September 2026"
    assert publication.is_quarter_start(dt.date(2026, 10, 1))
    assert not publication.is_quarter_start(dt.date(2026, 11, 1))
    assert not publication.is_quarter_start(dt.date(2026, 10, 2))


def test_quarter_ends_only_after_its_last_day() -> None:
    start = dt.date(2026, 7, 1)
    assert not publication.quarter_has_ended(start, dt.date(2026, 9, 30))
    assert publication.quarter_has_ended(start, dt.date(2026, 10, 1))


def test_counts_below_the_threshold_read_fewer_than() -> None:
    assert suppress(4, 5).text == "fewer than 5"
    assert suppress(4, 5).value is None
    assert suppress(0, 5).text == "fewer than 5"  # a zero is small too: showing it would single out the others
    assert suppress(5, 5).text == "5"
    assert suppress(1234, 5).text == "1,234"


def test_a_total_that_would_give_away_one_small_cell_is_withheld() -> None:
    table = publish_table([("North", {"warnings": 9}), ("South", {"warnings": 3})], threshold=5)
    warnings = list(HEADINGS).index("warnings")
    assert [row.cells[warnings].text for row in table.rows] == ["9", "fewer than 5"]
    assert table.totals[warnings].text == "withheld"  # 12 - 9 would tell a reader South had 3


def test_a_total_is_shown_when_its_small_cells_add_up_to_the_threshold() -> None:
    rows = [("North", {"warnings": 9}), ("South", {"warnings": 3}), ("East", {"warnings": 2})]
    table = publish_table(rows, threshold=5)
    warnings = list(HEADINGS).index("warnings")
    assert table.totals[warnings].text == "14"  # 14 - 9 = 5 is shared by two areas: neither can be worked out


def test_a_total_below_the_threshold_is_suppressed_too() -> None:
    table = publish_table([("North", {"injunctions": 1}), ("South", {"injunctions": 2})], threshold=5)
    injunctions = list(HEADINGS).index("injunctions")
    assert table.totals[injunctions].text == "fewer than 5"


counts = st.dictionaries(st.sampled_from(list(HEADINGS)), st.integers(min_value=0, max_value=60), max_size=6)
areas = st.lists(st.tuples(st.text(min_size=1, max_size=12), counts), max_size=8)


@given(areas, st.integers(min_value=1, max_value=20))
def test_no_published_number_is_ever_below_the_threshold(rows: list, threshold: int) -> None:
    table = publish_table(rows, threshold=threshold)
    assert all(n >= threshold for n in shown_numbers(table))
    for row in table.rows:
        for cell in row.cells:
            assert cell.value is not None or cell.text == f"fewer than {threshold}"


@given(areas, st.integers(min_value=1, max_value=20))
def test_a_single_small_cell_can_never_be_worked_out_from_a_total(rows: list, threshold: int) -> None:
    table = publish_table(rows, threshold=threshold)
    for index in range(len(HEADINGS)):
        total = table.totals[index].value
        if total is None:
            continue
        hidden = [row.cells[index] for row in table.rows if row.cells[index].value is None]
        shown = sum(row.cells[index].value or 0 for row in table.rows)
        if hidden:
            assert total - shown >= threshold  # what is left over is shared and at least the threshold
