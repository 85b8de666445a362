"""Pure rules of the registers (issue 18 part 5): when the next policy review falls due, what state a review is in,
and whether a training record is in force. Plain values in, plain values out; no ORM."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# "Reviewed annually, with a full review every three years."
YEARS_BETWEEN = {"annual": 1, "full": 3}


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` later; 29 February becomes 28 February in a year that has none."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def next_review_due(kind: str, due_on: dt.date) -> dt.date:
    """When the next review of this kind falls due after one due on `due_on` (counted from the due date, so a late
    review does not push the cycle back)."""
    return add_years(due_on, YEARS_BETWEEN[kind])


@dataclass(frozen=True)
class ReviewState:
    key: str  # "approved", "overdue", "due", "scheduled"
    label: str
    tag_class: str


APPROVED = ReviewState("approved", "Approved", "govuk-tag--green")
OVERDUE = ReviewState("overdue", "Overdue", "govuk-tag--red")
DUE = ReviewState("due", "Due soon", "govuk-tag--yellow")
SCHEDULED = ReviewState("scheduled", "Scheduled", "govuk-tag--grey")


def review_state(*, due_on: dt.date, approved: bool, today: dt.date, notice_days: int) -> ReviewState:
    """Approved; overdue once its due date has passed; due soon within `notice_days` of it; scheduled before."""
    if approved:
        return APPROVED
    if today > due_on:
        return OVERDUE
    if (due_on - today).days <= notice_days:
        return DUE
    return SCHEDULED


def training_in_force(*, completed_on: dt.date, expires_on: dt.date | None, on: dt.date) -> bool:
    """Completed by `on` and not run out (the expiry day itself still counts); the same rule as the visibility
    filter's query (accounts.models.TrainingRecordQuerySet.current)."""
    return completed_on <= on and (expires_on is None or expires_on >= on)
