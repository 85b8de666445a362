"""Performance figures over the API (issue 18 part 6): the monthly report's figures and the Tenant Satisfaction
Measures of a year. Thin: the insights selectors, for holders of `insights.view_performance` (403 otherwise, checked
before the query is read); a month or year that is not one is a 422 problem+json naming it."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from saferhomes.accounts.http import actor_of
from saferhomes.api.schemas import COMMON_ERRORS, ApiIn, ProblemOut
from saferhomes.core.permissions import require
from saferhomes.insights import rules
from saferhomes.insights.selectors.monthly import monthly_report_for_actor, report_as_data
from saferhomes.insights.selectors.tsm import VIEW_PERFORMANCE, tsm_year_for_actor

router = Router(tags=["Performance"])

ERRORS: dict[int, type[Schema]] = {**COMMON_ERRORS, 403: ProblemOut, 422: ProblemOut}


class MonthIn(ApiIn):
    """Which month: YYYY-MM (default: last month)."""

    month: str | None = Field(None, max_length=7, description="The month, as YYYY-MM, e.g. 2026-10")


class YearIn(ApiIn):
    """Which TSM year: the year it starts in (default: the year today is in)."""

    year: str | None = Field(None, max_length=4, description="The year the April-March year starts in, e.g. 2026")


class PeriodOut(Schema):
    month: str
    label: str


class FigureOut(Schema):
    label: str
    unit: str
    this_month: int | float | None
    previous_month: int | float | None
    same_month_last_year: int | float | None


class TableOut(Schema):
    key: str
    title: str
    rows: list[FigureOut]


class SectionOut(Schema):
    key: str
    title: str
    tables: list[TableOut]


class MonthlyOut(Schema):
    month: str
    periods: dict[str, PeriodOut]
    sections: list[SectionOut]


class NmOut(Schema):
    cases: int
    per_1000: float | None


class Tp12Out(Schema):
    responses: int
    satisfied: int
    percent: float | None


class TsmOut(Schema):
    year_start: str
    year_end: str
    homes_owned: int
    nm01_1: NmOut
    nm01_2: NmOut
    tp12: Tp12Out


@router.get(
    "/performance/monthly",
    response={200: MonthlyOut, **ERRORS},
    summary="The monthly performance report's figures",
    operation_id="performance_monthly",
    url_name="performance-monthly",
)
def performance_monthly(request: HttpRequest, query: Query[MonthIn]) -> MonthlyOut:
    """Every figure of the report for `month` (YYYY-MM; default last month), beside the month before and the same
    month last year. Counts over every case; for managers, coordinators and the DPO."""
    actor = actor_of(request)
    require(actor, VIEW_PERFORMANCE)
    month = query.month
    first = rules.parse_month(month) if month is not None else rules.last_full_month(timezone.localdate())
    return MonthlyOut(**report_as_data(monthly_report_for_actor(actor=actor, month=first)))


@router.get(
    "/tsm",
    response={200: TsmOut, **ERRORS},
    summary="Tenant Satisfaction Measures NM01 and TP12 for a year",
    operation_id="tsm_year",
    url_name="tsm",
)
def tsm(request: HttpRequest, query: Query[YearIn]) -> TsmOut:
    """NM01(1), NM01(2) (per 1,000 homes owned, 2 decimal places) and TP12 for the year from 1 April `year` to 31 March
    the year after (default: the year today is in)."""
    actor = actor_of(request)
    require(actor, VIEW_PERFORMANCE)
    year = query.year
    start = rules.parse_year(year) if year is not None else rules.tsm_year_of(timezone.localdate())
    figures = tsm_year_for_actor(actor=actor, year=start)

    def rate(value: object) -> float | None:
        return None if value is None else float(value)  # type: ignore[arg-type]

    return TsmOut(
        year_start=figures.year_start.isoformat(),
        year_end=figures.year_end.isoformat(),
        homes_owned=figures.homes_owned,
        nm01_1=NmOut(cases=figures.nm01_1.cases, per_1000=rate(figures.nm01_1.per_1000)),
        nm01_2=NmOut(cases=figures.nm01_2.cases, per_1000=rate(figures.nm01_2.per_1000)),
        tp12=Tp12Out(
            responses=figures.tp12.responses, satisfied=figures.tp12.satisfied, percent=rate(figures.tp12.percent)
        ),
    )
