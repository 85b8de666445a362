"""Pure rules of the review, its outcome and the published figures (issue 17 parts 3, 4 and 7; ADR 0014). No ORM.

- Timescales: the review panel is due by the end (23:59:59 London) of the N-th working day after the London date of
  the threshold decision; the outcome letter by the end of the M-th working day after the panel met. N and M come
  from the rule set's `timescales` (`review_working_days`, `outcome_working_days`) when it has them, else settings.
- A recommendation is overdue when it is still open (not started or in progress) after the London date it was due.
- An appeal is heard by someone other than the review panel's chair.
- Published counts below the small-number threshold are shown as "fewer than N", never as the number.
- The statistics year runs 1 April to 31 March, named by the year it starts in ("2026 to 2027").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from saferhomes.core.calendar import DEFAULT_CALENDAR, LONDON, WorkingCalendar, end_of_working_day_after


def timescale_days(definition: Mapping[str, Any] | None, key: str, default: int) -> int:
    """The rule set's `timescales.<key>` when it is a positive whole number, else `default`."""
    timescales = (definition or {}).get("timescales") or {}
    value = timescales.get(key) if isinstance(timescales, Mapping) else None
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else default


def review_due(decided_at: dt.datetime, working_days: int, calendar: WorkingCalendar = DEFAULT_CALENDAR) -> dt.datetime:
    """When the review panel should have met: from the London date of the threshold decision."""
    return end_of_working_day_after(decided_at.astimezone(LONDON).date(), working_days, calendar)


def outcome_due(held_on: dt.date, working_days: int, calendar: WorkingCalendar = DEFAULT_CALENDAR) -> dt.datetime:
    """When the outcome letter should have gone: from the date the panel met."""
    return end_of_working_day_after(held_on, working_days, calendar)


def recommendation_overdue(*, status: str, due_on: dt.date, today: dt.date) -> bool:
    """Still open (not started or in progress) after the day it was due."""
    return status in ("open", "in_progress") and today > due_on


def appeal_chair_problem(*, chair_id: int | None, review_chair_id: int | None) -> str:
    """Why this person may not chair the appeal ('' when they may)."""
    if chair_id is None:
        return "Select who chairs the appeal"
    if review_chair_id is not None and chair_id == review_chair_id:
        return "The appeal must be chaired by someone other than the review panel's chair"
    return ""


def suppressed(count: int, threshold: int) -> str:
    """A count as published: the number at or above the threshold, otherwise 'fewer than <threshold>'."""
    if count < 0:
        raise ValueError("A count is never negative")
    return str(count) if count >= threshold else f"fewer than {threshold}"


@dataclass(frozen=True)
class StatisticsYear:
    """A year of published figures: 1 April `start_year` to 31 March the year after."""

    start_year: int

    @property
    def start(self) -> dt.date:
        return dt.date(self.start_year, 4, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.start_year + 1, 3, 31)

    @property
    def label(self) -> str:
        return f"April {self.start_year} to March {self.start_year + 1}"

    @property
    def slug(self) -> str:
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"


def statistics_year_of(day: dt.date) -> StatisticsYear:
    """The April-to-March year a London date falls in."""
    return StatisticsYear(day.year if day.month >= 4 else day.year - 1)


def parse_statistics_year(value: str) -> StatisticsYear | None:
    """'2025-26' (or '2025') as the year starting 1 April 2025; None for anything else."""
    value = value.strip()
    head, _, tail = value.partition("-")
    if not (head.isascii() and head.isdigit() and len(head) == 4):
        return None
    start = int(head)
    if tail and tail != f"{(start + 1) % 100:02d}":
        return None
    return StatisticsYear(start)
