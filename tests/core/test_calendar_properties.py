"""Properties every response deadline keeps, for any receipt time, nation, closure days and office hours.

No deadline per example: the first call for a new calendar builds its years of working days (a one-off cost).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from saferhomes.core.calendar import (
    LONDON,
    Nation,
    WorkingCalendar,
    add_working_days,
    is_working_day,
    response_deadline,
    working_time_between,
)

MICROSECOND = timedelta(microseconds=1)

instants = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 12, 31), timezones=st.just(UTC))
near_instants = st.datetimes(min_value=datetime(2024, 6, 1), max_value=datetime(2028, 6, 30), timezones=st.just(UTC))


@st.composite
def office_hours(draw: st.DrawFn) -> tuple[time, time] | None:
    if draw(st.booleans()):
        return None
    opens = draw(st.integers(min_value=0, max_value=22 * 60))
    closes = draw(st.integers(min_value=opens + 30, max_value=23 * 60 + 59))
    return time(opens // 60, opens % 60), time(closes // 60, closes % 60)


calendars = st.builds(
    WorkingCalendar,
    nation=st.sampled_from(list(Nation)),
    closures=st.frozensets(st.dates(min_value=date(2024, 6, 1), max_value=date(2028, 9, 30)), max_size=20),
    office_hours=office_hours(),
)


def _working_days_after(first: date, last: date, calendar: WorkingCalendar) -> int:
    """Working days in (first, last], counted one by one (independent of the calendar's own index)."""
    count, day = 0, first + timedelta(days=1)
    while day <= last:
        count += is_working_day(day, calendar)
        day += timedelta(days=1)
    return count


@settings(max_examples=300, deadline=None)
@given(received=instants, is_urgent=st.booleans(), calendar=calendars)
def test_deadline_is_never_earlier_than_receipt(received: datetime, is_urgent: bool, calendar: WorkingCalendar) -> None:
    assert response_deadline(received, urgent=is_urgent, calendar=calendar) > received


@settings(max_examples=300, deadline=None)
@given(first=near_instants, second=near_instants, is_urgent=st.booleans(), calendar=calendars)
def test_deadline_is_monotonic_in_receipt_time(
    first: datetime, second: datetime, is_urgent: bool, calendar: WorkingCalendar
) -> None:
    earlier, later = sorted((first, second))
    assert response_deadline(earlier, urgent=is_urgent, calendar=calendar) <= response_deadline(
        later, urgent=is_urgent, calendar=calendar
    )


@settings(max_examples=300, deadline=None)
@given(received=near_instants, gap=st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=30)))
def test_deadline_is_monotonic_for_receipts_close_together(received: datetime, gap: timedelta) -> None:
    for is_urgent in (False, True):
        assert response_deadline(received, urgent=is_urgent) <= response_deadline(received + gap, urgent=is_urgent)


@settings(max_examples=300, deadline=None)
@given(received=near_instants, calendar=calendars)
def test_standard_deadline_is_the_end_of_the_fifth_working_day_after_receipt(
    received: datetime, calendar: WorkingCalendar
) -> None:
    due = response_deadline(received, urgent=False, calendar=calendar).astimezone(LONDON)
    expected_time = time(23, 59, 59) if calendar.office_hours is None else calendar.office_hours[1]
    assert due.time() == expected_time
    assert is_working_day(due.date(), calendar)
    assert _working_days_after(received.astimezone(LONDON).date(), due.date(), calendar) == 5


@settings(max_examples=300, deadline=None)
@given(received=instants, calendar=calendars)
def test_urgent_deadline_is_the_first_instant_after_exactly_24_working_hours(
    received: datetime, calendar: WorkingCalendar
) -> None:
    due = response_deadline(received, urgent=True, calendar=calendar)
    assert working_time_between(received, due, calendar) == timedelta(hours=24)
    assert working_time_between(received, due - MICROSECOND, calendar) < timedelta(hours=24)


@settings(max_examples=200, deadline=None)
@given(a=instants, b=instants, c=instants, calendar=calendars)
def test_working_time_adds_up_and_changes_sign_when_reversed(
    a: datetime, b: datetime, c: datetime, calendar: WorkingCalendar
) -> None:
    assert working_time_between(a, b, calendar) + working_time_between(b, c, calendar) == working_time_between(
        a, c, calendar
    )
    assert working_time_between(b, a, calendar) == -working_time_between(a, b, calendar)
    if a <= b:
        assert working_time_between(a, b, calendar) <= b - a  # working time never outruns the clock


@settings(max_examples=200, deadline=None)
@given(day=st.dates(min_value=date(2024, 6, 1), max_value=date(2028, 6, 30)), n=st.integers(-40, 40), cal=calendars)
def test_add_working_days_lands_on_a_working_day_n_working_days_away(day: date, n: int, cal: WorkingCalendar) -> None:
    result = add_working_days(day, n, cal)
    if n == 0:
        assert result == day
    elif n > 0:
        assert is_working_day(result, cal)
        assert _working_days_after(day, result, cal) == n
    else:
        assert is_working_day(result, cal)
        assert result < day
        assert _working_days_after(result, day - timedelta(days=1), cal) == -n - 1  # working days strictly between
