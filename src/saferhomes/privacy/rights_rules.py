"""The deadline of a data protection rights request (UK GDPR Article 12(3), as the ICO reads it): pure functions.

- One month from the day of receipt, to the corresponding calendar date in the next month (received 3 September,
  due 3 October); when that month has no such date, the last day of that month (31 January -> 28 or 29 February).
- When that date is a weekend or a bank holiday (or one of the landlord's closure days), the next working day.
- An extension, once and with a reason, while the request is not overdue: two further months, so the deadline is
  three months from the day of receipt, by the same rules.
Dates only: a clock change has no effect on a deadline.
"""

from __future__ import annotations

import datetime as dt

from saferhomes.core.calendar import DEFAULT_CALENDAR, WorkingCalendar, add_months, add_working_days, is_working_day

MONTHS_TO_RESPOND = 1
MONTHS_WITH_EXTENSION = 3
DUE_SOON_DAYS = 7


def next_working_day_from(day: dt.date, calendar: WorkingCalendar = DEFAULT_CALENDAR) -> dt.date:
    """`day` itself when it is a working day, else the next working day after it."""
    return day if is_working_day(day, calendar) else add_working_days(day, 1, calendar)


def rights_due_on(
    received_on: dt.date, *, extended: bool = False, calendar: WorkingCalendar = DEFAULT_CALENDAR
) -> dt.date:
    """When a request received on `received_on` must be answered: one month (three months once extended)."""
    months = MONTHS_WITH_EXTENSION if extended else MONTHS_TO_RESPOND
    return next_working_day_from(add_months(received_on, months), calendar)


def extension_problem(*, due_on: dt.date, already_extended: bool, is_open: bool, today: dt.date) -> str | None:
    """Why a request's deadline may not be extended now, or None when it may."""
    if not is_open:
        return "A request that has been decided cannot be extended"
    if already_extended:
        return "The deadline has already been extended once: it can be extended only once"
    if today > due_on:
        return "The request is overdue: the deadline can be extended only before it passes"
    return None


def deadline_words(*, due_on: dt.date, today: dt.date, is_open: bool) -> str:
    """'Due in 5 days (Mon 7 Dec 2026)', 'Due today', 'Overdue by 3 days', or just the date once decided."""
    stamp = f"{due_on:%a} {due_on.day} {due_on:%b %Y}"
    if not is_open:
        return f"Was due {stamp}"
    days = (due_on - today).days
    if days == 0:
        return f"Due today ({stamp})"
    if days > 0:
        return f"Due in {days} day{'s' if days != 1 else ''} ({stamp})"
    return f"Overdue by {-days} day{'s' if days != -1 else ''} (was due {stamp})"
