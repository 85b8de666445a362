"""Pure rules for publishing figures (issue 18 part 4; ADR 0016): quarters, what each published heading counts,
and small-number suppression. Plain values in, plain values out; no ORM.

Suppression: a count below the threshold is shown as "fewer than N", never as its number (zero included: a zero
next to "fewer than 5" would tell a reader which cells are small). A column total is withheld when the cells
suppressed in its column add up to less than the threshold, since the total less the cells shown would give it away.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# What the public page reports, in its order: heading key -> words.
HEADINGS: dict[str, str] = {
    "warnings": "Warnings given",
    "mediations": "Mediations",
    "injunctions": "Civil injunctions",
    "closure_orders": "Closure orders",
    "possession": "Possession action",
    "case_reviews": "ASB Case Reviews carried out",
}

# Intervention kinds (interventions/catalogue) counted under each heading. A kind not listed is not published.
KIND_HEADING: dict[str, str] = {
    "verbal_warning": "warnings",
    "warning_letter": "warnings",
    "cpw": "warnings",
    "mediation": "mediations",
    "civil_injunction": "injunctions",
    "closure_order": "closure_orders",
    "nosp": "possession",
    "absolute_ground": "possession",
}

NOT_RECORDED_AREA = "Area not recorded"
WITHHELD = "withheld"


def quarter_start(day: dt.date) -> dt.date:
    """The first day of the calendar quarter `day` falls in (1 January, April, July or October)."""
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_end(start: dt.date) -> dt.date:
    """The last day of the quarter that begins on `start`."""
    month = start.month + 3
    year = start.year + (month > 12)
    return dt.date(year, (month - 1) % 12 + 1, 1) - dt.timedelta(days=1)


def previous_quarter_start(day: dt.date) -> dt.date:
    """The first day of the quarter before the one `day` falls in."""
    return quarter_start(quarter_start(day) - dt.timedelta(days=1))


def is_quarter_start(day: dt.date) -> bool:
    return day.day == 1 and day.month in (1, 4, 7, 10)


def quarter_label(start: dt.date) -> str:
    """'April to June 2026'; a quarter spanning no new year always names one year."""
    end = quarter_end(start)
    return f"{start:%B} to {end:%B} {end.year}"


def quarter_has_ended(start: dt.date, today: dt.date) -> bool:
    """A quarter can be approved for publication only once it is over (its figures are then complete)."""
    return today > quarter_end(start)


@dataclass(frozen=True)
class Cell:
    """One published figure: the number when it may be shown, else None, and the words shown either way."""

    value: int | None
    text: str


def fewer_than(threshold: int) -> str:
    return f"fewer than {threshold}"


def suppress(count: int, threshold: int) -> Cell:
    """The count, or "fewer than N" when it is below the threshold."""
    if count < threshold:
        return Cell(value=None, text=fewer_than(threshold))
    return Cell(value=count, text=f"{count:,}")


@dataclass(frozen=True)
class PublishedRow:
    area: str
    cells: list[Cell]


@dataclass(frozen=True)
class PublishedTable:
    headings: list[str]  # words, in HEADINGS order
    rows: list[PublishedRow]
    totals: list[Cell]
    threshold: int


def publish_table(rows: Sequence[tuple[str, Mapping[str, int]]], *, threshold: int) -> PublishedTable:
    """Areas' true counts (heading key -> n) as the public may see them: every cell and total suppressed below the
    threshold, and a total withheld when it would give away the small cells of its column."""
    keys = list(HEADINGS)
    published = [
        PublishedRow(area=area, cells=[suppress(counts.get(k, 0), threshold) for k in keys]) for area, counts in rows
    ]
    totals: list[Cell] = []
    for key in keys:
        column = [counts.get(key, 0) for _, counts in rows]
        hidden = [n for n in column if n < threshold]
        total = suppress(sum(column), threshold)
        if hidden and sum(hidden) < threshold and total.value is not None:
            total = Cell(value=None, text=WITHHELD)
        totals.append(total)
    return PublishedTable(headings=[HEADINGS[k] for k in keys], rows=published, totals=totals, threshold=threshold)


def shown_numbers(table: PublishedTable) -> list[int]:
    """Every number a reader can see in the table (for the property that none is below the threshold)."""
    cells = [cell for row in table.rows for cell in row.cells] + table.totals
    return [cell.value for cell in cells if cell.value is not None]
