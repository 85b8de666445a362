"""The Tenant Satisfaction Measures as the regulator's data return lays them out: one row per measure with its
numerator, denominator and result (the RSH TSM data collection's "measure / numerator / denominator / result" rows).
Written through core/exports.py like every other CSV."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from saferhomes.core.exports import Column
from saferhomes.insights.selectors.tsm import TsmYear


@dataclass(frozen=True)
class ReturnRow:
    code: str
    description: str
    numerator: int
    numerator_label: str
    denominator: int
    denominator_label: str
    result: Decimal | None
    unit: str
    year_start: str
    year_end: str


def data_return_rows(figures: TsmYear) -> list[ReturnRow]:
    """NM01(1), NM01(2), then TP12."""
    start, end = figures.year_start.isoformat(), figures.year_end.isoformat()
    homes = "Homes owned (low-cost rental and low-cost home ownership) at the year end"
    return [
        ReturnRow(
            "NM01(1)",
            "Anti-social behaviour cases relative to the size of the landlord",
            figures.nm01_1.cases,
            "ASB cases opened in the year",
            figures.homes_owned,
            homes,
            figures.nm01_1.per_1000,
            "per 1,000 homes",
            start,
            end,
        ),
        ReturnRow(
            "NM01(2)",
            "Anti-social behaviour cases that involve hate incidents relative to the size of the landlord",
            figures.nm01_2.cases,
            "ASB cases involving hate incidents opened in the year",
            figures.homes_owned,
            homes,
            figures.nm01_2.per_1000,
            "per 1,000 homes",
            start,
            end,
        ),
        ReturnRow(
            "TP12",
            "Satisfaction with the landlord's approach to handling anti-social behaviour",
            figures.tp12.satisfied,
            "Very or fairly satisfied",
            figures.tp12.responses,
            "All answers",
            figures.tp12.percent,
            "percent",
            start,
            end,
        ),
    ]


def data_return_columns() -> list[Column]:
    return [
        Column("TSM code", lambda row: row.code),
        Column("Measure", lambda row: row.description),
        Column("Numerator", lambda row: row.numerator),
        Column("Numerator description", lambda row: row.numerator_label),
        Column("Denominator", lambda row: row.denominator),
        Column("Denominator description", lambda row: row.denominator_label),
        Column("Result", lambda row: row.result),
        Column("Result unit", lambda row: row.unit),
        Column("Period start", lambda row: row.year_start),
        Column("Period end", lambda row: row.year_end),
    ]
