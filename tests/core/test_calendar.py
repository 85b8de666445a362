"""Worked examples for the working-time calendar and response deadlines (DESIGN.md §4.1).

Bank holidays are checked against tests/data/uk-bank-holidays-2025-2027.json (gov.uk's lists, fixed so that an
upgrade of the `holidays` package cannot silently change what these tests expect).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest

from saferhomes.core.calendar import (
    LONDON,
    Nation,
    ResponseStatus,
    WorkingCalendar,
    add_working_days,
    bank_holidays,
    deadline_in_words,
    explain_deadline,
    is_working_day,
    response_deadline,
    response_status,
    working_time_between,
)

REFERENCE = json.loads((Path(__file__).parents[1] / "data" / "uk-bank-holidays-2025-2027.json").read_text())
ENGLAND = WorkingCalendar()
SCOTLAND = WorkingCalendar(nation=Nation.SCOTLAND)
NORTHERN_IRELAND = WorkingCalendar(nation=Nation.NORTHERN_IRELAND)
NINE_TO_FIVE = WorkingCalendar(office_hours=(time(9), time(17)))


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, fold: int = 0) -> datetime:
    """A Europe/London wall-clock time."""
    return datetime(year, month, day, hour, minute, second, tzinfo=LONDON, fold=fold)


def end_of(year: int, month: int, day: int) -> datetime:
    """23:59:59 local: where a standard deadline falls."""
    return at(year, month, day, 23, 59, 59)


def standard(received: datetime, calendar: WorkingCalendar = ENGLAND) -> datetime:
    return response_deadline(received, urgent=False, calendar=calendar)


def urgent(received: datetime, calendar: WorkingCalendar = ENGLAND) -> datetime:
    return response_deadline(received, urgent=True, calendar=calendar)


# --- The package agrees with the published lists ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("nation", "division"),
    [
        (Nation.ENGLAND_AND_WALES, "england-and-wales"),
        (Nation.SCOTLAND, "scotland"),
        (Nation.NORTHERN_IRELAND, "northern-ireland"),
    ],
)
def test_holidays_package_agrees_with_reference_bank_holidays_2025_to_2027(nation: Nation, division: str) -> None:
    expected = {date.fromisoformat(entry["date"]) for entry in REFERENCE["divisions"][division]}
    from_package = {day for year in (2025, 2026, 2027) for day in bank_holidays(nation, year) if day.weekday() < 5}
    assert from_package == expected
    calendar = WorkingCalendar(nation=nation)
    day = date(2025, 1, 1)
    while day <= date(2027, 12, 31):
        assert is_working_day(day, calendar) == (day.weekday() < 5 and day not in expected), day
        day += timedelta(days=1)


def test_uk_clocks_change_only_on_sundays_so_working_days_always_have_24_hours() -> None:
    # The arithmetic runs on local wall time; that is only exact if no working day (a weekday) has a clock change.
    day = date(1996, 1, 1)
    while day <= date(2100, 12, 31):
        start = datetime(day.year, day.month, day.day, tzinfo=LONDON)
        following = day + timedelta(days=1)
        end = datetime(following.year, following.month, following.day, tzinfo=LONDON)
        if end.utcoffset() != start.utcoffset():
            assert day.weekday() == 6, day
        day += timedelta(days=1)


# --- DESIGN.md's own examples --------------------------------------------------------------------------------------


def test_standard_deadline_design_example_christmas_eve_2025_is_end_of_monday_5_january() -> None:
    assert standard(at(2025, 12, 24, 15)) == end_of(2026, 1, 5)


def test_urgent_deadline_design_example_christmas_eve_2025_pauses_over_christmas_and_weekend() -> None:
    assert urgent(at(2025, 12, 24, 15)) == at(2025, 12, 29, 15)


def test_urgent_friday_afternoon_is_due_monday_afternoon() -> None:
    assert urgent(at(2025, 3, 14, 15)) == at(2025, 3, 17, 15)


def test_urgent_saturday_morning_is_due_at_the_end_of_monday_which_is_tuesday_midnight() -> None:
    due = urgent(at(2025, 3, 15, 10))
    assert due == at(2025, 3, 18, 0, 0)
    assert deadline_in_words(due) == "the end of Mon 17 Mar 2025"
    assert working_time_between(at(2025, 3, 15, 10), due) == timedelta(hours=24)


# --- Nations differ ------------------------------------------------------------------------------------------------


def test_second_of_january_is_a_holiday_in_scotland_only() -> None:
    received = at(2025, 12, 31, 10)
    assert standard(received, ENGLAND) == end_of(2026, 1, 8)
    assert standard(received, SCOTLAND) == end_of(2026, 1, 9)
    assert urgent(received, ENGLAND) == at(2026, 1, 2, 10)
    assert urgent(received, SCOTLAND) == at(2026, 1, 5, 10)


def test_st_andrews_day_2026_monday_is_a_holiday_in_scotland_only() -> None:
    received = at(2026, 11, 27, 12)  # Friday
    assert urgent(received, ENGLAND) == at(2026, 11, 30, 12)
    assert urgent(received, SCOTLAND) == at(2026, 12, 1, 12)
    assert standard(received, ENGLAND) == end_of(2026, 12, 4)
    assert standard(received, SCOTLAND) == end_of(2026, 12, 7)


def test_st_andrews_day_2025_on_a_sunday_gives_scotland_monday_1_december() -> None:
    assert not is_working_day(date(2025, 12, 1), SCOTLAND)
    assert is_working_day(date(2025, 12, 1), ENGLAND)
    assert urgent(at(2025, 11, 28, 9, 30), SCOTLAND) == at(2025, 12, 2, 9, 30)


def test_summer_bank_holiday_is_early_august_in_scotland_late_august_in_england() -> None:
    early = at(2025, 8, 1, 9)  # Friday before Scotland's summer holiday (Mon 4 Aug)
    assert standard(early, ENGLAND) == end_of(2025, 8, 8)
    assert standard(early, SCOTLAND) == end_of(2025, 8, 11)
    late = at(2025, 8, 22, 9)  # Friday before England's late summer holiday (Mon 25 Aug)
    assert standard(late, ENGLAND) == end_of(2025, 9, 1)
    assert standard(late, SCOTLAND) == end_of(2025, 8, 29)


def test_st_patricks_day_is_a_holiday_in_northern_ireland_only() -> None:
    assert urgent(at(2025, 3, 14, 15), NORTHERN_IRELAND) == at(2025, 3, 18, 15)
    assert urgent(at(2025, 3, 14, 15), ENGLAND) == at(2025, 3, 17, 15)


def test_easter_monday_pauses_the_clock_in_england_not_in_scotland() -> None:
    received = at(2025, 4, 17, 16, 30)  # Thursday before Good Friday
    assert urgent(received, ENGLAND) == at(2025, 4, 22, 16, 30)
    assert urgent(received, SCOTLAND) == at(2025, 4, 21, 16, 30)


# --- Christmas, New Year and substitute days ----------------------------------------------------------------------


def test_boxing_day_2026_falls_on_saturday_so_monday_28_december_is_the_substitute_holiday() -> None:
    assert not is_working_day(date(2026, 12, 28), ENGLAND)
    assert urgent(at(2026, 12, 24, 14)) == at(2026, 12, 29, 14)
    assert standard(at(2026, 12, 24, 14)) == end_of(2027, 1, 5)
    assert explain_deadline(at(2026, 12, 24, 14), urgent=False) == (
        "5 working days from Thu 24 Dec 2026 — bank holidays 25, 28 Dec and 1 Jan excluded"
    )


def test_new_year_2027_in_scotland_adds_a_substitute_monday_4_january() -> None:
    assert standard(at(2026, 12, 24, 14), SCOTLAND) == end_of(2027, 1, 6)


def test_christmas_2027_on_a_weekend_gives_monday_and_tuesday_substitutes() -> None:
    assert urgent(at(2027, 12, 24, 11)) == at(2027, 12, 29, 11)


# --- Receipt on a weekend or a bank holiday; day of receipt is day 0 ----------------------------------------------


def test_receipt_on_saturday_or_sunday_counts_five_working_days_from_that_day() -> None:
    assert standard(at(2025, 6, 7, 11)) == end_of(2025, 6, 13)
    assert standard(at(2025, 6, 8, 11)) == end_of(2025, 6, 13)


def test_receipt_on_a_bank_holiday_is_day_zero_and_the_urgent_clock_starts_next_working_day() -> None:
    received = at(2025, 5, 26, 10)  # Spring bank holiday
    assert standard(received) == end_of(2025, 6, 2)
    assert urgent(received) == at(2025, 5, 28, 0, 0)


def test_a_closure_day_on_a_weekend_changes_nothing() -> None:
    calendar = WorkingCalendar(closures=frozenset({date(2025, 6, 7)}))
    assert standard(at(2025, 6, 6, 9), calendar) == standard(at(2025, 6, 6, 9))


# --- Receipt at 23:59 and 00:00 -------------------------------------------------------------------------------------


def test_receipt_at_23_59_is_still_that_day() -> None:
    assert standard(at(2025, 6, 9, 23, 59)) == end_of(2025, 6, 16)
    assert urgent(at(2025, 6, 9, 23, 59)) == at(2025, 6, 10, 23, 59)
    assert urgent(at(2025, 6, 13, 23, 59)) == at(2025, 6, 16, 23, 59)


def test_receipt_at_midnight_starts_the_new_day() -> None:
    assert standard(at(2025, 6, 10, 0, 0)) == end_of(2025, 6, 17)
    # 24 working hours from 00:00 on a working day run out at the end of that same day.
    assert urgent(at(2025, 6, 10, 0, 0)) == at(2025, 6, 11, 0, 0)
    assert urgent(at(2025, 6, 13, 0, 0)) == at(2025, 6, 14, 0, 0)


def test_day_of_receipt_is_the_london_date_not_the_utc_date() -> None:
    received = datetime(2025, 6, 9, 23, 30, tzinfo=UTC)  # 00:30 BST on Tuesday 10 June
    assert standard(received) == end_of(2025, 6, 17)
    assert standard(received).astimezone(UTC) == datetime(2025, 6, 17, 22, 59, 59, tzinfo=UTC)


def test_deadline_is_the_same_instant_whatever_time_zone_the_receipt_is_given_in() -> None:
    received = at(2025, 6, 10, 14, 45)
    for zone in (UTC, timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-8))):
        assert urgent(received.astimezone(zone)) == urgent(received)
        assert standard(received.astimezone(zone)) == standard(received)
    assert urgent(received).tzinfo is LONDON


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        response_deadline(datetime(2025, 6, 10, 12), urgent=False)


# --- Clock changes ---------------------------------------------------------------------------------------------------


def test_spring_forward_weekend_does_not_move_an_urgent_deadline() -> None:
    received = at(2025, 3, 28, 15)  # Friday, GMT; clocks go forward on Sunday 30 March
    due = urgent(received)
    assert due == at(2025, 3, 31, 15)
    assert due.utcoffset() == timedelta(hours=1)
    assert due.astimezone(UTC) - received.astimezone(UTC) == timedelta(hours=71)  # an hour vanished on Sunday
    assert working_time_between(received, due) == timedelta(hours=24)


def test_fall_back_weekend_does_not_move_an_urgent_deadline() -> None:
    received = at(2025, 10, 24, 15)  # Friday, BST; clocks go back on Sunday 26 October
    due = urgent(received)
    assert due == at(2025, 10, 27, 15)
    assert due.astimezone(UTC) - received.astimezone(UTC) == timedelta(hours=73)


def test_receipt_in_the_repeated_hour_when_clocks_go_back() -> None:
    first = at(2025, 10, 26, 1, 30, fold=0)  # 01:30 BST
    second = at(2025, 10, 26, 1, 30, fold=1)  # 01:30 GMT, an hour later
    assert second.astimezone(UTC) - first.astimezone(UTC) == timedelta(hours=1)
    for received in (first, second):
        assert urgent(received) == at(2025, 10, 28, 0, 0)
        assert standard(received) == end_of(2025, 10, 31)


def test_standard_deadline_across_clock_changes_is_23_59_59_local() -> None:
    assert standard(at(2026, 3, 27, 12)) == end_of(2026, 4, 7)  # Good Friday 3, Easter Monday 6 April
    assert standard(at(2026, 3, 27, 12)).utcoffset() == timedelta(hours=1)
    assert standard(at(2027, 10, 29, 12)) == end_of(2027, 11, 5)
    assert standard(at(2027, 10, 29, 12)).utcoffset() == timedelta(0)


def test_saturday_night_before_spring_forward_is_due_end_of_monday() -> None:
    assert urgent(at(2025, 3, 29, 23, 30)) == at(2025, 4, 1, 0, 0)


# --- Long weekends ---------------------------------------------------------------------------------------------------


def test_urgent_clock_pauses_over_early_may_bank_holiday_weekend() -> None:
    assert urgent(at(2025, 5, 2, 11)) == at(2025, 5, 6, 11)
    assert explain_deadline(at(2025, 5, 2, 11), urgent=True) == (
        "24 working hours from 11:00 on Fri 2 May 2025 — bank holiday 5 May excluded"
    )


def test_leap_day_2028_is_an_ordinary_working_day() -> None:
    assert is_working_day(date(2028, 2, 29))
    assert urgent(at(2028, 2, 28, 10)) == at(2028, 2, 29, 10)
    assert standard(at(2028, 2, 25, 10)) == end_of(2028, 3, 3)


# --- Closure days ---------------------------------------------------------------------------------------------------

SHUTDOWN = WorkingCalendar(
    closures=frozenset({date(2025, 12, 29), date(2025, 12, 30), date(2025, 12, 31), date(2026, 1, 2)})
)


def test_christmas_shutdown_closure_days_are_not_working_days() -> None:
    assert standard(at(2025, 12, 24, 15), SHUTDOWN) == end_of(2026, 1, 9)
    assert urgent(at(2025, 12, 24, 15), SHUTDOWN) == at(2026, 1, 5, 15)
    assert explain_deadline(at(2025, 12, 24, 15), urgent=False, calendar=SHUTDOWN) == (
        "5 working days from Wed 24 Dec 2025 — bank holidays 25, 26 Dec and 1 Jan excluded; "
        "closure days 29, 30, 31 Dec and 2 Jan excluded"
    )


def test_calendars_with_the_same_settings_are_equal() -> None:
    again = WorkingCalendar(closures=frozenset(SHUTDOWN.closures))
    assert again == SHUTDOWN
    assert hash(again) == hash(SHUTDOWN)
    assert again != ENGLAND


# --- Office hours ---------------------------------------------------------------------------------------------------


def test_office_hours_urgent_clock_runs_only_nine_to_five() -> None:
    # Friday 15:00: 2 hours Friday, 8 Monday, 8 Tuesday, 6 Wednesday.
    assert urgent(at(2025, 3, 14, 15), NINE_TO_FIVE) == at(2025, 3, 19, 15)


def test_office_hours_clock_ending_at_close_is_due_at_close_not_next_opening() -> None:
    assert urgent(at(2025, 3, 17, 8), NINE_TO_FIVE) == at(2025, 3, 19, 17)
    assert urgent(at(2025, 3, 17, 17, 30), NINE_TO_FIVE) == at(2025, 3, 20, 17)


def test_office_hours_standard_deadline_is_closing_time_of_fifth_working_day() -> None:
    due = standard(at(2025, 12, 24, 15), NINE_TO_FIVE)
    assert due == at(2026, 1, 5, 17)
    assert deadline_in_words(due) == "17:00 on Mon 5 Jan 2026"
    assert explain_deadline(at(2025, 12, 24, 15), urgent=False, calendar=NINE_TO_FIVE) == (
        "5 working days from Wed 24 Dec 2025, due by the office's closing time (17:00) — "
        "bank holidays 25, 26 Dec and 1 Jan excluded"
    )


def test_office_hours_must_close_after_they_open() -> None:
    with pytest.raises(ValueError, match="close after"):
        WorkingCalendar(office_hours=(time(17), time(9)))


def test_working_day_length_is_24_hours_or_the_office_day() -> None:
    assert ENGLAND.working_day_length == timedelta(hours=24)
    assert NINE_TO_FIVE.working_day_length == timedelta(hours=8)


# --- Working days and working time ----------------------------------------------------------------------------------


def test_add_working_days_forwards_backwards_and_zero() -> None:
    assert add_working_days(date(2025, 12, 24), 1) == date(2025, 12, 29)
    assert add_working_days(date(2025, 12, 24), 5) == date(2026, 1, 5)
    assert add_working_days(date(2025, 12, 27), 0) == date(2025, 12, 27)
    assert add_working_days(date(2026, 1, 5), -5) == date(2025, 12, 24)
    assert add_working_days(date(2025, 12, 27), -1) == date(2025, 12, 24)
    # 253 working days in each of 2025 and 2026 (261 weekdays less 8 bank holidays).
    assert add_working_days(date(2025, 1, 1), 253) == date(2025, 12, 31)
    assert add_working_days(date(2025, 1, 1), 506) == date(2026, 12, 31)


def test_working_time_between_counts_only_working_days_and_is_signed() -> None:
    assert working_time_between(at(2025, 12, 24, 15), at(2025, 12, 29, 15)) == timedelta(hours=24)
    assert working_time_between(at(2025, 12, 29, 15), at(2025, 12, 24, 15)) == timedelta(hours=-24)
    assert working_time_between(at(2025, 12, 27, 1), at(2025, 12, 28, 23)) == timedelta(0)
    assert working_time_between(at(2025, 3, 14, 15), at(2025, 3, 17, 15), NINE_TO_FIVE) == timedelta(hours=8)


def test_years_outside_the_calendar_range_are_refused() -> None:
    with pytest.raises(ValueError, match="covers the years"):
        is_working_day(date(1800, 1, 6))


# --- Response states ------------------------------------------------------------------------------------------------

DUE = end_of(2025, 6, 16)  # a standard deadline: received Mon 9 June 2025


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(2025, 6, 13, 12), ResponseStatus.ON_TRACK),  # 36 working hours left
        (at(2025, 6, 13, 23), ResponseStatus.ON_TRACK),  # 1 hour Friday + a whole Monday
        (at(2025, 6, 14, 10), ResponseStatus.DUE_SOON),  # Saturday: only Monday is left
        (at(2025, 6, 16, 9), ResponseStatus.DUE_SOON),
        (end_of(2025, 6, 16), ResponseStatus.DUE_SOON),  # the last second still counts
        (at(2025, 6, 17, 0, 0), ResponseStatus.OVERDUE),
    ],
)
def test_response_status_before_a_response(now: datetime, expected: ResponseStatus) -> None:
    assert response_status(DUE, None, now, ENGLAND) is expected


def test_response_status_once_responded_is_met_or_met_late() -> None:
    assert response_status(DUE, at(2025, 6, 16, 23, 59, 59), at(2025, 7, 1), ENGLAND) is ResponseStatus.MET
    assert response_status(DUE, at(2025, 6, 17, 0, 0), at(2025, 7, 1), ENGLAND) is ResponseStatus.MET_LATE


def test_due_soon_threshold_is_configurable_in_working_time() -> None:
    assert response_status(DUE, None, at(2025, 6, 16, 9), ENGLAND, due_soon=timedelta(hours=8)) is (
        ResponseStatus.ON_TRACK
    )
    assert response_status(DUE, None, at(2025, 6, 16, 17), ENGLAND, due_soon=timedelta(hours=8)) is (
        ResponseStatus.DUE_SOON
    )
    # With office hours, one working day is 8 hours: Friday afternoon before a Monday-close deadline is on track.
    office_due = at(2025, 6, 16, 17)
    assert response_status(office_due, None, at(2025, 6, 13, 16), NINE_TO_FIVE) is ResponseStatus.ON_TRACK
    assert response_status(office_due, None, at(2025, 6, 14, 10), NINE_TO_FIVE) is ResponseStatus.ON_TRACK
    assert response_status(office_due, None, at(2025, 6, 16, 9, 30), NINE_TO_FIVE) is ResponseStatus.DUE_SOON


def test_response_status_labels() -> None:
    assert [status.label for status in ResponseStatus] == ["On track", "Due soon", "Overdue", "Met", "Met late"]


# --- Explanations ---------------------------------------------------------------------------------------------------


def test_explanation_names_the_bank_holidays_excluded() -> None:
    assert explain_deadline(at(2025, 12, 24, 15), urgent=False) == (
        "5 working days from Wed 24 Dec 2025 — bank holidays 25, 26 Dec and 1 Jan excluded"
    )
    assert explain_deadline(at(2025, 12, 24, 15), urgent=True) == (
        "24 working hours from 15:00 on Wed 24 Dec 2025 — bank holidays 25, 26 Dec excluded"
    )


def test_explanation_without_holidays_is_just_the_rule() -> None:
    assert explain_deadline(at(2025, 6, 9, 10), urgent=False) == "5 working days from Mon 9 Jun 2025"


def test_explanation_of_an_urgent_report_received_on_a_bank_holiday_names_that_day() -> None:
    assert explain_deadline(at(2025, 12, 25, 9), urgent=True) == (
        "24 working hours from 09:00 on Thu 25 Dec 2025 — bank holidays 25, 26 Dec excluded"
    )


def test_explanation_with_office_hours_says_which_hours_count() -> None:
    assert explain_deadline(at(2025, 3, 14, 15), urgent=True, calendar=NINE_TO_FIVE) == (
        "24 working hours from 15:00 on Fri 14 Mar 2025, counting 09:00 to 17:00 on working days"
    )


def test_deadline_in_words() -> None:
    assert deadline_in_words(end_of(2026, 1, 5)) == "the end of Mon 5 Jan 2026"
    assert deadline_in_words(at(2025, 12, 29, 15)) == "15:00 on Mon 29 Dec 2025"
    assert deadline_in_words(datetime(2026, 1, 5, 23, 59, 59, tzinfo=UTC)) == "the end of Mon 5 Jan 2026"
