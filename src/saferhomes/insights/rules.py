"""Pure rules of the performance measures (DESIGN.md §4.4): months and TSM years, per-1,000 rates, the TP12
satisfaction percentage and its margin of error, open-case age bands. No ORM: worked-example tests in
tests/insights/test_rules.py."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from saferhomes.core.errors import DomainError

MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
EARLIEST_YEAR = 2000
LATEST_YEAR = 2100

# NM01(2) counts only the five strands the regulator monitors; "other" is in NM01(1), never in (2).
MONITORED_STRANDS = ("disability", "race", "religion", "sexual_orientation", "transgender")

# TP12's 5-point scale: 5 very satisfied ... 1 very dissatisfied; "satisfied" is very or fairly satisfied.
SATISFIED_SCORES = (5, 4)
Z_95 = 1.96


def parse_month(text: str | None, *, field: str = "month") -> dt.date:
    """'2026-10' -> 1 October 2026; anything else is a DomainError naming the field."""
    match = MONTH_PATTERN.match((text or "").strip())
    if not match:
        raise DomainError(field_errors={field: "Enter a month as YYYY-MM, for example 2026-10"})
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise DomainError(field_errors={field: "The month must be between 01 and 12"})
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise DomainError(field_errors={field: f"The year must be between {EARLIEST_YEAR} and {LATEST_YEAR}"})
    return dt.date(year, month, 1)


def parse_year(text: str | int | None, *, field: str = "year") -> int:
    """The first year of a TSM year (2026 for April 2026 to March 2027); a DomainError naming the field otherwise."""
    raw = str(text if text is not None else "").strip()
    if not raw.isdigit() or len(raw) != 4:
        raise DomainError(field_errors={field: "Enter the year the TSM year starts in, for example 2026"})
    year = int(raw)
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise DomainError(field_errors={field: f"The year must be between {EARLIEST_YEAR} and {LATEST_YEAR}"})
    return year


def month_end(first: dt.date) -> dt.date:
    """The last day of the month starting on `first`."""
    following = dt.date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def previous_month(first: dt.date) -> dt.date:
    """The first day of the month before."""
    return dt.date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)


def same_month_last_year(first: dt.date) -> dt.date:
    return dt.date(first.year - 1, first.month, 1)


def last_full_month(today: dt.date) -> dt.date:
    """The month before the one `today` is in (what the monthly report is about on the first working day)."""
    return previous_month(today.replace(day=1))


def month_label(first: dt.date) -> str:
    """'October 2026'."""
    return f"{first:%B %Y}"


def tsm_year_bounds(year: int) -> tuple[dt.date, dt.date]:
    """1 April `year` to 31 March `year + 1`, both included."""
    return dt.date(year, 4, 1), dt.date(year + 1, 3, 31)


def tsm_year_of(day: dt.date) -> int:
    """The TSM year a London date belongs to: 31 March 2027 is in 2026's, 1 April 2027 in 2027's."""
    return day.year if day.month >= 4 else day.year - 1


def tsm_year_label(year: int) -> str:
    """'2026/27'."""
    return f"{year}/{(year + 1) % 100:02d}"


def per_1000(cases: int, homes: int) -> Decimal | None:
    """Cases per 1,000 homes owned, rounded half up to 2 decimal places; None when no homes are owned."""
    if homes <= 0:
        return None
    return (Decimal(cases) * 1000 / Decimal(homes)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def percent(part: int, whole: int) -> Decimal | None:
    """part/whole as a percentage to 1 decimal place (half up); None with nothing to divide by."""
    if whole <= 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Satisfaction:
    """TP12 from the answers' 5-point scores: how many answered, how many were satisfied, the percentage and the
    95 % margin of error in percentage points (normal approximation, no finite-population correction)."""

    responses: int
    satisfied: int
    percent: Decimal | None
    margin_of_error: Decimal | None


def satisfaction(scores: dict[int, int]) -> Satisfaction:
    """From a count per score (5 very satisfied ... 1 very dissatisfied)."""
    responses = sum(count for score, count in scores.items() if 1 <= score <= 5)
    satisfied = sum(scores.get(score, 0) for score in SATISFIED_SCORES)
    if responses == 0:
        return Satisfaction(0, 0, None, None)
    share = satisfied / responses
    margin = Z_95 * math.sqrt(share * (1 - share) / responses) * 100
    return Satisfaction(
        responses=responses,
        satisfied=satisfied,
        percent=percent(satisfied, responses),
        margin_of_error=Decimal(str(margin)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP),
    )


# Open caseload by age at the end of the month: (label, youngest age in days, oldest age in days or None).
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("Under 1 month (0 to 30 days)", 0, 30),
    ("1 to 3 months (31 to 90 days)", 31, 90),
    ("3 to 6 months (91 to 182 days)", 91, 182),
    ("6 to 12 months (183 to 365 days)", 183, 365),
    ("Over a year (366 days or more)", 366, None),
)


def age_band(age_days: int) -> str:
    """The label of the band an open case of this age (in whole days) is in."""
    for label, youngest, oldest in AGE_BANDS:
        if age_days >= youngest and (oldest is None or age_days <= oldest):
            return label
    raise ValueError("An age cannot be negative.")
