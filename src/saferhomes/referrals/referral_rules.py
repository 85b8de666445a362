"""Pure referral rules (no ORM): the crime reference format, the time to refer to the police, when a referral is
chased, and the summary figures the monthly report shows.

Policy: "criminal ASB and hate crime is reported quickly to the relevant authorities"; "promptly referring cases to
other agencies for action or support". Plain values in, plain values out; the services and selectors feed them from
the database and the calendar in force (`core.calendar_config.calendar_current`).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from saferhomes.core.calendar import WorkingCalendar, working_time_after, working_time_between

# UK forces number crimes and incidents in many ways ("13/123456/26", "CRI-2026-001234", "1234 12/03/26",
# "NPT2600123"). We accept what any of them could be and refuse only what none could: 4 to 30 characters of letters,
# digits, '/', '-' and spaces, with at least one digit. Control characters, other punctuation, only punctuation and
# anything longer are refused.
CRIME_REFERENCE_MIN = 4
CRIME_REFERENCE_MAX = 30
_CRIME_REFERENCE = re.compile(r"[A-Za-z0-9/\- ]+", re.ASCII)
CRIME_REFERENCE_RULE = (
    f"{CRIME_REFERENCE_MIN} to {CRIME_REFERENCE_MAX} letters, numbers, spaces, / or -, with at least one number "
    "(for example 13/123456/26 or CRI-2026-001234)"
)

HOUR = dt.timedelta(hours=1)


def crime_reference_normalised(value: str) -> str:
    """The reference as it is kept: spaces at either end dropped and runs of spaces inside made one (nothing else is
    changed, so a control character is still there to be refused)."""
    return re.sub(r" {2,}", " ", value.strip(" ")) if value else ""


def crime_reference_problem(value: str) -> str | None:
    """Why `value` cannot be a police crime or incident reference (None when it could be one)."""
    if not CRIME_REFERENCE_MIN <= len(value) <= CRIME_REFERENCE_MAX:
        return f"Enter the crime or incident reference as the police gave it: {CRIME_REFERENCE_RULE}"
    if not _CRIME_REFERENCE.fullmatch(value) or not any(char.isdigit() for char in value):
        return f"Enter the crime or incident reference as the police gave it: {CRIME_REFERENCE_RULE}"
    return None


# Case types and sensitivities as plain values (mirrors cases.models without importing the ORM layer).
DA, RESTRICTED = "da", "restricted"


def da_agency_needed(*, case_type: str, sensitivity: str) -> str:
    """Why a case may go only to an agency entitled to domestic abuse information ('' when it may go to any): a DA
    case, or a restricted one."""
    if case_type == DA or sensitivity == DA:
        return "This is a domestic abuse case"
    if sensitivity == RESTRICTED:
        return "This case is restricted"
    return ""


# Time to refer ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimeToRefer:
    """How long a referral took from when its clock started: working time under the calendar, and elapsed time."""

    working: dt.timedelta
    calendar: dt.timedelta

    @property
    def working_hours(self) -> float:
        return self.working / HOUR

    @property
    def calendar_hours(self) -> float:
        return self.calendar / HOUR


def time_to_refer(started_at: dt.datetime, sent_at: dt.datetime, calendar: WorkingCalendar) -> TimeToRefer:
    """Working and calendar time from `started_at` to `sent_at` (aware datetimes; elapsed time, so a clock change
    in between counts the hour that really passed, not the wall clock's)."""
    # In UTC: two datetimes sharing one zone subtract as wall-clock times, which would miss the clock change.
    elapsed = sent_at.astimezone(dt.UTC) - started_at.astimezone(dt.UTC)
    return TimeToRefer(working=working_time_between(started_at, sent_at, calendar), calendar=elapsed)


def hours_in_words(hours: float, unit: str) -> str:
    """3.0 -> '3 working hours'; 1 -> '1 working hour'; 2.25 -> '2.3 working hours' (to a tenth; 'unit' is
    'working' or 'calendar')."""
    rounded = round(hours, 1)
    shown = f"{rounded:.0f}" if rounded == int(rounded) else f"{rounded:.1f}"
    return f"{shown} {unit} hour" + ("" if shown == "1" else "s")


def time_to_refer_in_words(timing: TimeToRefer, *, from_prompt: bool) -> str:
    """'Referred to the police 3 working hours (5 calendar hours) after the prompt at triage'."""
    since = "after the prompt at triage" if from_prompt else "after the report was received"
    working = hours_in_words(timing.working_hours, "working")
    elapsed = hours_in_words(timing.calendar_hours, "calendar")
    return f"Referred to the police {working} ({elapsed}) {since}"


# Chasing ---------------------------------------------------------------------------------------------------------


def chase_due_at(sent_at: dt.datetime, step: int, after_days: int, calendar: WorkingCalendar) -> dt.datetime:
    """When chase `step` (1, 2, ...) falls due: step x `after_days` working days of working time after `sent_at`
    (bank holidays, weekends and closure days do not count; a referral sent on Monday at 10:00 with 5 days is chased
    the next Monday at 10:00, or on Tuesday when a bank holiday falls in between)."""
    return working_time_after(sent_at, calendar.working_day_length * (step * after_days), calendar)


def chase_step_due(sent_at: dt.datetime, now: dt.datetime, after_days: int, calendar: WorkingCalendar) -> int:
    """The latest chase step that has fallen due by `now` (0 when none has)."""
    if after_days <= 0:
        return 0
    elapsed = working_time_between(sent_at, now, calendar)
    return max(0, elapsed // (calendar.working_day_length * after_days))


# Figures for the monthly report ----------------------------------------------------------------------------------


def median(values: Sequence[float]) -> float | None:
    """The middle value (the mean of the middle two for an even count); None for no values."""
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def percentile(values: Sequence[float], share: float) -> float | None:
    """The nearest-rank percentile: the smallest value that at least `share` (0-1) of the values are at or below
    (the 90th percentile of 10 values is the 9th smallest; of 11 values, the 10th); None for no values."""
    ordered = sorted(values)
    if not ordered:
        return None
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]
