"""The working-time calendar and response deadlines (DESIGN.md §4.1): pure functions over a `WorkingCalendar` value.

Nothing here touches the database: `saferhomes.core.calendar_config.calendar_current()` builds the landlord's
calendar from its settings; these functions take it as an argument. Aware datetimes in, aware datetimes out
(Europe/London). The decisions behind the exact instants are in docs/adr/0005-response-deadlines.md:

- Standard: due at 23:59:59 local on the 5th working day after the day of receipt (day 0, working or not); with
  office hours, at the office's closing time on that day.
- Urgent: a 24-hour clock that runs only on working days (00:00-24:00 local, or within office hours) and pauses on
  every other day. The deadline is the first instant at which 24 working hours have run, so "end of Monday" is
  Tuesday 00:00:00 local and `working_time_between(received, due) == 24 h` holds exactly.

Every working day is a weekday and British clock changes happen on Sundays, so a working day always has 24 hours of
wall-clock time; the arithmetic below runs on local wall time, which on working days is the same as elapsed time.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
STANDARD_WORKING_DAYS = 5
URGENT_WORKING_HOURS = 24
MIN_YEAR = 1900
MAX_YEAR = 2199

_DAY_US = 86_400_000_000
_HOUR_US = 3_600_000_000
_END_OF_DAY = time(23, 59, 59)


class Nation(StrEnum):
    """Whose bank holidays apply: the landlord's nation (GB subdivisions in the `holidays` package)."""

    ENGLAND_AND_WALES = "england-and-wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern-ireland"

    @property
    def label(self) -> str:
        """The nation's name in words."""
        return NATION_LABELS[self]


NATION_LABELS: dict[Nation, str] = {
    Nation.ENGLAND_AND_WALES: "England and Wales",
    Nation.SCOTLAND: "Scotland",
    Nation.NORTHERN_IRELAND: "Northern Ireland",
}
_SUBDIVISION: dict[Nation, str] = {
    Nation.ENGLAND_AND_WALES: "ENG",
    Nation.SCOTLAND: "SCT",
    Nation.NORTHERN_IRELAND: "NIR",
}


@lru_cache(maxsize=1024)
def bank_holidays(nation: Nation, year: int) -> dict[date, str]:
    """The bank holidays of `nation` in `year` (weekend dates included, as the package lists them), by date."""
    import holidays  # a seventh of a second to import; only a deadline needs it (issue 14 item 19)

    found = holidays.country_holidays("GB", subdiv=_SUBDIVISION[Nation(nation)], years=[year])
    return {day: str(name) for day, name in sorted(found.items())}


@dataclass(frozen=True)
class _Span:
    """Sorted ordinals of every working day in years first..last, and the weekday ordinals that are not working."""

    first: int
    last: int
    ordinals: list[int]
    closed_weekdays: frozenset[int]


class _Index:
    """The working days of one (nation, closures) pair, built a few years at a time and shared by equal calendars."""

    def __init__(self, nation: Nation, closures: frozenset[date]) -> None:
        self.nation = nation
        self.closures = closures
        self.span: _Span | None = None
        self._lock = threading.Lock()

    def covering(self, first: int, last: int) -> _Span:
        """A snapshot covering at least years first..last (built or widened when needed)."""
        span = self.span
        if span is not None and span.first <= first and last <= span.last:
            return span
        if first < MIN_YEAR or last > MAX_YEAR:
            raise ValueError(f"The working-time calendar covers the years {MIN_YEAR} to {MAX_YEAR}.")
        with self._lock:
            span = self.span
            if span is not None:
                first, last = min(first, span.first), max(last, span.last)
            # Widen generously so that most later calls find their years already built.
            first, last = max(MIN_YEAR, first - 1), min(MAX_YEAR, last + 2)
            self.span = span = self._build(first, last)
        return span

    def _build(self, first: int, last: int) -> _Span:
        closed: set[int] = {day.toordinal() for day in self.closures if first <= day.year <= last}
        for year in range(first, last + 1):
            closed.update(day.toordinal() for day in bank_holidays(self.nation, year))
        start, stop = date(first, 1, 1).toordinal(), date(last, 12, 31).toordinal()
        weekday_of_start = date(first, 1, 1).weekday()
        ordinals = [o for o in range(start, stop + 1) if (weekday_of_start + o - start) % 7 < 5 and o not in closed]
        closed_weekdays = frozenset(o for o in closed if (weekday_of_start + o - start) % 7 < 5)
        return _Span(first, last, ordinals, closed_weekdays)


@lru_cache(maxsize=256)
def _index_for(nation: Nation, closures: frozenset[date]) -> _Index:
    return _Index(nation, closures)


@dataclass(frozen=True)
class WorkingCalendar:
    """A landlord's working time: Monday to Friday less its nation's bank holidays and its own closure days,
    all day (00:00-24:00 local) or, if `office_hours` is set, between opening and closing time."""

    nation: Nation = Nation.ENGLAND_AND_WALES
    closures: frozenset[date] = frozenset()
    office_hours: tuple[time, time] | None = None
    _index: _Index = field(init=False, repr=False, compare=False, hash=False)
    _open_us: int = field(init=False, repr=False, compare=False, hash=False)
    _day_us: int = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "nation", Nation(self.nation))
        object.__setattr__(self, "closures", frozenset(self.closures))
        if self.office_hours is None:
            opens_us, day_us = 0, _DAY_US
        else:
            opens, closes = self.office_hours
            if opens.tzinfo is not None or closes.tzinfo is not None:
                raise ValueError("Office hours are local times without a time zone.")
            if not opens < closes:
                raise ValueError("Office hours must close after they open.")
            opens_us, day_us = _time_us(opens), _time_us(closes) - _time_us(opens)
        object.__setattr__(self, "_index", _index_for(self.nation, self.closures))
        object.__setattr__(self, "_open_us", opens_us)
        object.__setattr__(self, "_day_us", day_us)

    @property
    def working_day_length(self) -> timedelta:
        """How much working time one working day holds: 24 hours, or the length of the office day."""
        return timedelta(microseconds=self._day_us)

    def _span(self, first: int, last: int) -> _Span:
        return self._index.covering(first, last)


DEFAULT_CALENDAR = WorkingCalendar()


class ResponseStatus(StrEnum):
    """Where a response deadline stands (DESIGN.md §4.1)."""

    ON_TRACK = "on_track"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    MET = "met"
    MET_LATE = "met_late"

    @property
    def label(self) -> str:
        """The state in words, for pages and emails."""
        return RESPONSE_STATUS_LABELS[self]


RESPONSE_STATUS_LABELS: dict[ResponseStatus, str] = {
    ResponseStatus.ON_TRACK: "On track",
    ResponseStatus.DUE_SOON: "Due soon",
    ResponseStatus.OVERDUE: "Overdue",
    ResponseStatus.MET: "Met",
    ResponseStatus.MET_LATE: "Met late",
}


def _time_us(value: time) -> int:
    return ((value.hour * 60 + value.minute) * 60 + value.second) * 1_000_000 + value.microsecond


def _local(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("Pass a timezone-aware datetime (naive datetimes are ambiguous).")
    return moment.astimezone(LONDON)


def _at(ordinal: int, microseconds: int) -> datetime:
    """Local wall time `microseconds` after midnight on the day `ordinal`, as an aware Europe/London datetime."""
    day = date.fromordinal(ordinal)
    return datetime(day.year, day.month, day.day, tzinfo=LONDON) + timedelta(microseconds=microseconds)


def is_working_day(day: date, calendar: WorkingCalendar = DEFAULT_CALENDAR) -> bool:
    """True on Monday to Friday unless it is a bank holiday of the calendar's nation or a closure day."""
    if day.weekday() >= 5:
        return False
    return day.toordinal() not in calendar._span(day.year, day.year).closed_weekdays


def add_working_days(day: date, n: int, calendar: WorkingCalendar = DEFAULT_CALENDAR) -> date:
    """The n-th working day after `day` (before it if n < 0); `day` itself, working or not, when n == 0."""
    if n == 0:
        return day
    ordinal = day.toordinal()
    years = max(1, abs(n) // 200 + 1)
    first, last = (day.year, day.year + years) if n > 0 else (day.year - years, day.year)
    while True:
        span = calendar._span(first, last)
        position = bisect_right(span.ordinals, ordinal) + n - 1 if n > 0 else bisect_left(span.ordinals, ordinal) + n
        if 0 <= position < len(span.ordinals):
            return date.fromordinal(span.ordinals[position])
        first, last = (first, last + 1) if n > 0 else (first - 1, last)


def _position(span: _Span, local: datetime, calendar: WorkingCalendar) -> int:
    """Working microseconds from the start of the span to `local` (a Europe/London datetime)."""
    ordinal = local.toordinal()
    ordinals = span.ordinals
    rank = bisect_left(ordinals, ordinal)
    position = rank * calendar._day_us
    if rank < len(ordinals) and ordinals[rank] == ordinal:
        since_midnight = (
            ((local.hour * 60 + local.minute) * 60 + local.second) * 1_000_000 + local.microsecond - calendar._open_us
        )
        if since_midnight > 0:
            position += min(since_midnight, calendar._day_us)
    return position


def working_time_between(start: datetime, end: datetime, calendar: WorkingCalendar = DEFAULT_CALENDAR) -> timedelta:
    """Working time from `start` to `end` (negative if `end` is earlier): only working days, only office hours."""
    local_start, local_end = _local(start), _local(end)
    span = calendar._span(min(local_start.year, local_end.year), max(local_start.year, local_end.year))
    return timedelta(
        microseconds=_position(span, local_end, calendar) - _position(span, local_start, calendar),
    )


def _after_working_time(local: datetime, amount_us: int, calendar: WorkingCalendar) -> datetime:
    """The first instant at which `amount_us` (> 0) of working time has run since `local`."""
    last = local.year + 1 + amount_us // (calendar._day_us * 200)
    while True:
        span = calendar._span(local.year, last)
        target = _position(span, local, calendar) + amount_us
        days, remainder = divmod(target, calendar._day_us)
        if remainder == 0 and days <= len(span.ordinals):
            # The clock runs out exactly at the end of a working day: that end, not the next day's start.
            ordinal = span.ordinals[days - 1]
            if calendar.office_hours is None:
                return _at(ordinal + 1, 0)
            return _at(ordinal, calendar._open_us + calendar._day_us)
        if days < len(span.ordinals):
            return _at(span.ordinals[days], calendar._open_us + remainder)
        last += 1


def working_time_after(start: datetime, amount: timedelta, calendar: WorkingCalendar = DEFAULT_CALENDAR) -> datetime:
    """The first instant by which `amount` of working time has run since `start` (`start` itself for none)."""
    amount_us = amount // timedelta(microseconds=1)
    if amount_us <= 0:
        return start
    return _after_working_time(_local(start), amount_us, calendar)


def response_deadline(received_at: datetime, *, urgent: bool, calendar: WorkingCalendar = DEFAULT_CALENDAR) -> datetime:
    """When a response to a report received at `received_at` is due (DESIGN.md §4.1), in Europe/London."""
    local = _local(received_at)
    if urgent:
        return _after_working_time(local, URGENT_WORKING_HOURS * _HOUR_US, calendar)
    ordinal = local.toordinal()
    year = local.year
    while True:
        span = calendar._span(year, year + 1)
        position = bisect_right(span.ordinals, ordinal) + STANDARD_WORKING_DAYS - 1
        if position < len(span.ordinals):
            break
        year += 1
    due = span.ordinals[position]
    if calendar.office_hours is None:
        return _at(due, _time_us(_END_OF_DAY))
    return _at(due, calendar._open_us + calendar._day_us)


def response_status(
    due_at: datetime,
    responded_at: datetime | None,
    now: datetime,
    calendar: WorkingCalendar = DEFAULT_CALENDAR,
    due_soon: timedelta | None = None,
) -> ResponseStatus:
    """Met or met late once responded; otherwise overdue, due soon (less than `due_soon` of working time left,
    one working day by default) or on track."""
    if responded_at is not None:
        return ResponseStatus.MET if responded_at <= due_at else ResponseStatus.MET_LATE
    if now > due_at:
        return ResponseStatus.OVERDUE
    threshold = calendar.working_day_length if due_soon is None else due_soon
    if working_time_between(now, due_at, calendar) < threshold:
        return ResponseStatus.DUE_SOON
    return ResponseStatus.ON_TRACK


def end_of_working_day_after(start: date, working_days: int, calendar: WorkingCalendar = DEFAULT_CALENDAR) -> datetime:
    """23:59:59 London on the `working_days`-th working day after the date `start` (day 0, working or not): the
    deadlines counted in whole working days (a Case Review decision in 10, its panel in 25, its letter in 5)."""
    if working_days < 1:
        raise ValueError("A timescale is at least one working day")
    return datetime.combine(add_working_days(start, working_days, calendar), _END_OF_DAY, tzinfo=LONDON)


def local_dates_span(first: date, last: date) -> tuple[datetime, datetime]:
    """London dates first..last inclusive as [start, end) moments: midnight of `first` to midnight after `last`.

    The one way a report counts "in a period" by London calendar date (whatever the clocks did in between)."""
    return datetime.combine(first, time(0), tzinfo=LONDON), datetime.combine(
        last + timedelta(days=1), time(0), tzinfo=LONDON
    )


def day_in_words(day: date) -> str:
    """'Wed 24 Dec 2025'."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def deadline_in_words(due_at: datetime) -> str:
    """'the end of Mon 5 Jan 2026' for a deadline at the end of a day, else '15:00 on Mon 29 Dec 2025'."""
    local = _local(due_at)
    if local.timetz().replace(tzinfo=None) == _END_OF_DAY:
        return f"the end of {day_in_words(local.date())}"
    if local.time() == time(0, 0):
        return f"the end of {day_in_words(local.date() - timedelta(days=1))}"
    return f"{local:%H:%M} on {day_in_words(local.date())}"


def _dates_in_words(days: Iterable[date]) -> str:
    """'25, 26 Dec and 1 Jan': day numbers grouped by month, in order."""
    groups: list[tuple[tuple[int, int], list[int]]] = []
    for day in sorted(days):
        key = (day.year, day.month)
        if groups and groups[-1][0] == key:
            groups[-1][1].append(day.day)
        else:
            groups.append((key, [day.day]))
    parts = [f"{', '.join(str(n) for n in numbers)} {date(y, m, 1):%b}" for (y, m), numbers in groups]
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def non_working_weekdays(first: date, last: date, calendar: WorkingCalendar = DEFAULT_CALENDAR) -> list[date]:
    """Weekdays from `first` to `last` inclusive that are not working days (bank holidays and closure days)."""
    days = []
    day = first
    while day <= last:
        if day.weekday() < 5 and not is_working_day(day, calendar):
            days.append(day)
        day += timedelta(days=1)
    return days


def explain_deadline(received_at: datetime, *, urgent: bool, calendar: WorkingCalendar = DEFAULT_CALENDAR) -> str:
    """The rule behind a deadline, in words: '5 working days from Wed 24 Dec 2025 — bank holidays 25, 26 Dec and
    1 Jan excluded'."""
    local = _local(received_at)
    due = response_deadline(received_at, urgent=urgent, calendar=calendar)
    if urgent:
        rule = f"{URGENT_WORKING_HOURS} working hours from {local:%H:%M} on {day_in_words(local.date())}"
        if calendar.office_hours is not None:
            opens, closes = calendar.office_hours
            rule += f", counting {opens:%H:%M} to {closes:%H:%M} on working days"
        # The days the clock paused over: from the day of receipt up to the last day it ran.
        skipped = non_working_weekdays(local.date(), (due - timedelta(microseconds=1)).date(), calendar)
    else:
        rule = f"{STANDARD_WORKING_DAYS} working days from {day_in_words(local.date())}"
        if calendar.office_hours is not None:
            rule += f", due by the office's closing time ({calendar.office_hours[1]:%H:%M})"
        skipped = non_working_weekdays(local.date() + timedelta(days=1), due.date(), calendar)
    bank = [day for day in skipped if day in bank_holidays(calendar.nation, day.year)]
    closed = [day for day in skipped if day not in bank_holidays(calendar.nation, day.year)]
    notes = []
    if bank:
        notes.append(f"bank holiday{'s' if len(bank) > 1 else ''} {_dates_in_words(bank)} excluded")
    if closed:
        notes.append(f"closure day{'s' if len(closed) > 1 else ''} {_dates_in_words(closed)} excluded")
    return rule + (" — " + "; ".join(notes) if notes else "")


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later, clamped to the month's end (29 Feb 2028 + 12 = 28 Feb 2029)."""
    year, month_zero = divmod(day.year * 12 + day.month - 1 + months, 12)
    month = month_zero + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))
