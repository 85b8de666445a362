"""The monthly report and the TSM year as operations of `saferhomes bench` (bench/README.md), each beside a raw-SQL
floor: hand-written grouped queries returning the same key figures. Registered from InsightsConfig.ready() through
`cases.extensions.register_bench_timing` (the bench command lives in cases, which never imports insights).

The monthly report's floor computes only its core figures (cases opened by type, closures by outcome, the open
caseload and the survey answers of the three months); the application builds all nine sections, so its ratio to the
floor shows what the rest of the report costs. The TSM floor computes everything the TSM year does.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.utils import timezone

from saferhomes.cases.extensions import BenchTiming, register_bench_timing
from saferhomes.cases.models import CaseType, Outcome
from saferhomes.core.calendar import local_dates_span
from saferhomes.housing.models import TenancyType
from saferhomes.insights import rules
from saferhomes.insights.selectors.database import aggregate_reads
from saferhomes.insights.selectors.monthly import MonthlyReport, monthly_report_figures, report_periods
from saferhomes.insights.selectors.tsm import tsm_year_figures


def _sql(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """One hand-written query, run as the application runs its own (`aggregate_reads`: no JIT on PostgreSQL)."""
    with aggregate_reads(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _table(report: MonthlyReport, section: str, table: str) -> dict[str, tuple[Any, ...]]:
    for each in report.sections:
        for t in each.tables:
            if each.key == section and t.key == table:
                return {row.label: tuple(row.values) for row in t.rows}
    raise KeyError(f"{section}/{table}")


def monthly_app(month: dt.date) -> list[tuple[Any, ...]]:
    """The whole report; returns its core figures for comparison with the floor."""
    report = monthly_report_figures(month)
    by_type = _table(report, "new", "by_type")
    closures = _table(report, "closures", "by_outcome")
    caseload = _table(report, "caseload", "by_age")
    answers = _table(report, "satisfaction", "kpi")
    return [
        *[("type", str(label), *by_type[str(label)]) for _v, label in CaseType.choices],
        *[("outcome", str(label), *closures[str(label)]) for _v, label in Outcome.choices],
        ("open", "Total open", *caseload["Total open"]),
        ("answers", "Survey answers (n)", *answers["Survey answers (n)"]),
    ]


def _three(column: str, spans: list[tuple[dt.datetime, dt.datetime]]) -> tuple[str, list[Any], str, list[Any]]:
    sums = ", ".join(f"SUM(CASE WHEN {column} >= %s AND {column} < %s THEN 1 ELSE 0 END)" for _ in spans)
    where = " OR ".join(f"({column} >= %s AND {column} < %s)" for _ in spans)
    params = [moment for span in spans for moment in span]
    return sums, params, where, params


def monthly_floor(month: dt.date) -> list[tuple[Any, ...]]:
    """The same core figures with four hand-written grouped queries."""
    spans = [local_dates_span(p.first, p.last) for p in report_periods(month)]
    sums, sum_params, where, where_params = _three("received_at", spans)
    types = {
        row[0]: row[1:]
        for row in _sql(
            f"SELECT case_type, {sums} FROM cases_case WHERE {where} GROUP BY case_type",  # noqa: S608
            [*sum_params, *where_params],
        )
    }
    sums, sum_params, where, where_params = _three("closed_at", spans)
    outcomes = {
        row[0]: row[1:]
        for row in _sql(
            f"SELECT outcome, {sums} FROM cases_case WHERE closed_at IS NOT NULL AND ({where}) GROUP BY outcome",  # noqa: S608
            [*sum_params, *where_params],
        )
    }
    ends = [span[1] for span in spans]
    open_sums = ", ".join(
        "SUM(CASE WHEN received_at < %s AND (closed_at IS NULL OR closed_at >= %s) THEN 1 ELSE 0 END)" for _ in ends
    )
    (open_row,) = _sql(
        f"SELECT {open_sums} FROM cases_case WHERE received_at < %s AND (closed_at IS NULL OR closed_at >= %s)",  # noqa: S608
        [*[e for end in ends for e in (end, end)], max(ends), min(ends)],
    )
    sums, sum_params, where, where_params = _three("answered_at", spans)
    (answers,) = _sql(
        f"SELECT {sums} FROM cases_surveyinvitation WHERE satisfaction IS NOT NULL AND ({where})",  # noqa: S608
        [*sum_params, *where_params],
    )

    def trio(row: tuple[Any, ...] | None) -> tuple[int, ...]:
        return tuple(int(v or 0) for v in row) if row else (0, 0, 0)

    return [
        *[("type", str(label), *trio(types.get(value))) for value, label in CaseType.choices],
        *[("outcome", str(label), *trio(outcomes.get(value))) for value, label in Outcome.choices],
        ("open", "Total open", *trio(open_row)),
        ("answers", "Survey answers (n)", *trio(answers)),
    ]


def tsm_app(year: int) -> list[tuple[Any, ...]]:
    figures = tsm_year_figures(year, count_da=False)
    return [(figures.nm01_1.cases, figures.nm01_2.cases, figures.homes_owned, figures.tp12.responses)]


def tsm_floor(year: int) -> list[tuple[Any, ...]]:
    """NM01's counts, homes owned at the year end and TP12's answers with three hand-written queries."""
    first, last = rules.tsm_year_bounds(year)
    lower, upper = local_dates_span(first, last)
    strands = " OR ".join("CAST(hate_strands AS TEXT) LIKE %s" for _ in rules.MONITORED_STRANDS)
    (counts,) = _sql(
        f"SELECT COUNT(*), SUM(CASE WHEN {strands} THEN 1 ELSE 0 END) FROM cases_case "  # noqa: S608
        "WHERE received_at >= %s AND received_at < %s AND case_type IN (%s, %s) AND outcome <> %s",
        [*[f'%"{s}"%' for s in rules.MONITORED_STRANDS], lower, upper, CaseType.ASB, CaseType.HATE, Outcome.MERGED],
    )
    (homes,) = _sql(
        "SELECT COUNT(*) FROM housing_property p WHERE "
        "(p.is_owned = %s OR EXISTS (SELECT 1 FROM insights_homesale s WHERE s.property_id = p.id AND s.sold_on > %s))"
        " AND NOT EXISTS (SELECT 1 FROM insights_homesale s WHERE s.property_id = p.id AND s.sold_on <= %s)"
        " AND NOT EXISTS (SELECT 1 FROM housing_tenancy t WHERE t.property_id = p.id AND t.tenancy_type = %s"
        " AND t.start_date <= %s AND (t.end_date IS NULL OR t.end_date >= %s))",
        [True, last, last, TenancyType.LEASEHOLD, last, last],
    )
    (answers,) = _sql(
        "SELECT COUNT(*) FROM cases_surveyinvitation WHERE satisfaction IS NOT NULL "
        "AND answered_at >= %s AND answered_at < %s",
        [lower, upper],
    )
    return [(int(counts[0]), int(counts[1] or 0), int(homes[0]), int(answers[0]))]


def register() -> None:
    """Add both operations to the bench: last month's report, and the last complete TSM year."""
    register_bench_timing(
        BenchTiming(
            "insights: monthly report",
            "The whole monthly performance report (9 sections, 3 months); floor: its core figures by hand",
            monthly_app,
            monthly_floor,
            lambda: [rules.last_full_month(timezone.localdate())],
        )
    )
    register_bench_timing(
        BenchTiming(
            "insights: TSM year",
            "NM01(1), NM01(2), homes owned and TP12 for the last complete April-March year",
            tsm_app,
            tsm_floor,
            lambda: [rules.tsm_year_of(timezone.localdate()) - 1],
        )
    )
