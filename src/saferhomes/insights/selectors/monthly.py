"""The monthly performance report's figures (issue 18 part 1, DESIGN.md §4.4): every section the issue lists, each
figure for the month, the month before and the same month last year.

The landlord's figures, not one viewer's: counts over every case (aggregates only, never a person or a case), for
staff holding `insights.view_performance` (managers, coordinators, the DPO) and the worker. Each table is one grouped
query whose conditional counts (`COUNT(*) FILTER (WHERE …)` on PostgreSQL) cover the three months at once; no row is
read into Python except police referral times, which the referrals app works out in working hours per referral.
Months are London calendar months (`core.calendar.local_dates_span`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.case_review.selectors.statistics import case_review_figures
from saferhomes.cases.models import Case, CaseType, Category, Outcome, SurveyInvitation
from saferhomes.core.calendar import local_dates_span
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.insights import rules
from saferhomes.insights.selectors.database import aggregate_reads
from saferhomes.insights.selectors.tsm import VIEW_PERFORMANCE
from saferhomes.intake.models import Channel, Report, ReportStatus
from saferhomes.interventions.models import Intervention, InterventionStatus
from saferhomes.interventions.selectors.interventions import catalogue_kinds
from saferhomes.referrals.models import Referral, ReferralKind
from saferhomes.referrals.selectors.referrals import police_referral_times_all
from saferhomes.referrals.selectors.support import support_offer_counts_all
from saferhomes.risk.models import Assessment
from saferhomes.risk.selectors.assessments import WORKING_STATUSES, reassessments_by_officer

Value = int | Decimal | None
COUNT, HOURS, PERCENT = "count", "hours", "percent"
# The bands of the shipped instruments (risk/instrument_files), lowest first; any other band is listed after them.
BAND_LABELS = (("standard", "Standard (DA checklist)"), ("low", "Low"), ("medium", "Medium"), ("high", "High"))


@dataclass(frozen=True)
class Period:
    key: str
    label: str
    first: dt.date
    last: dt.date


@dataclass(frozen=True)
class Row:
    label: str
    values: tuple[Value, Value, Value]  # this month, the month before, the same month last year
    unit: str = COUNT


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    rows: list[Row]
    note: str = ""
    chart: bool = True  # drawn as a chart (beside this table) when the section's first


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    tables: list[Table]
    note: str = ""


@dataclass(frozen=True)
class MonthlyReport:
    month: dt.date
    label: str
    periods: tuple[Period, Period, Period]
    sections: list[Section]
    built_at: dt.datetime = field(default_factory=timezone.now)


def report_periods(month: dt.date) -> tuple[Period, Period, Period]:
    """The month, the month before and the same month last year."""
    months = (month, rules.previous_month(month), rules.same_month_last_year(month))
    keys = ("this_month", "previous_month", "same_month_last_year")
    return tuple(  # type: ignore[return-value]
        Period(key, rules.month_label(first), first, rules.month_end(first))
        for key, first in zip(keys, months, strict=True)
    )


# --- Building blocks ------------------------------------------------------------------------------------------


def _in(field_name: str, period: Period) -> Q:
    lower, upper = local_dates_span(period.first, period.last)
    return Q(**{f"{field_name}__gte": lower, f"{field_name}__lt": upper})


def _any_period(field_name: str, periods: Sequence[Period]) -> Q:
    condition = Q()
    for period in periods:
        condition |= _in(field_name, period)
    return condition


def _counts_by(
    items: QuerySet[Any],
    *,
    group: str,
    when: str,
    periods: Sequence[Period],
    extra: Q | None = None,
) -> dict[Any, tuple[int, int, int]]:
    """How many of `items` fall in each period by `when`, per value of `group`: one grouped query."""
    counts = {f"p{i}": Count("pk", filter=_in(when, period)) for i, period in enumerate(periods)}
    rows = items.filter(_any_period(when, periods)).filter(extra or Q()).order_by().values(group).annotate(**counts)
    return {row[group]: (row["p0"], row["p1"], row["p2"]) for row in rows}


def _rows(
    counts: Mapping[Any, tuple[int, int, int]],
    labels: Iterable[tuple[Any, str]],
    *,
    blank: str = "Not recorded",
    total: str | None = "Total",
) -> list[Row]:
    """A row per known value (zeros included, in the given order), then any other value seen, then the total."""
    rows: list[Row] = []
    known = set()
    for value, label in labels:
        known.add(value)
        rows.append(Row(str(label), counts.get(value, (0, 0, 0))))
    for value, trio in counts.items():
        if value not in known:
            rows.append(Row(blank if value in ("", None) else str(value), trio))
    if total:
        rows.append(Row(total, _sum(counts.values())))
    return rows


def _sum(trios: Iterable[tuple[int, int, int]]) -> tuple[int, int, int]:
    totals = [0, 0, 0]
    for trio in trios:
        for i, value in enumerate(trio):
            totals[i] += value
    return totals[0], totals[1], totals[2]


# --- Sections -------------------------------------------------------------------------------------------------


def _new_reports_and_cases(periods: Sequence[Period]) -> Section:
    reports = Report.objects.exclude(status=ReportStatus.DRAFT)
    report_totals = reports.filter(_any_period("received_at", periods)).aggregate(
        **{f"r{i}": Count("pk", filter=_in("received_at", p)) for i, p in enumerate(periods)},
        **{
            f"a{i}": Count("pk", filter=_in("received_at", p) & Q(status=ReportStatus.ADDED_TO_CASE))
            for i, p in enumerate(periods)
        },
    )
    cases_by_type = _counts_by(Case.objects.all(), group="case_type", when="received_at", periods=periods)
    totals = [
        Row("Reports received", (report_totals["r0"], report_totals["r1"], report_totals["r2"])),
        Row("Cases opened", _sum(cases_by_type.values())),
        Row(
            "Repeat reports added to an open case",
            (report_totals["a0"], report_totals["a1"], report_totals["a2"]),
        ),
    ]
    by_area = _counts_by(Case.objects.all(), group="estate__area__name", when="received_at", periods=periods)
    area_rows = sorted(
        (Row(str(name), trio) for name, trio in by_area.items() if name), key=lambda row: row.label.lower()
    )
    area_rows.append(Row("No estate recorded", by_area.get(None, (0, 0, 0))))
    area_rows.append(Row("Total", _sum(by_area.values())))
    return Section(
        "new",
        "New reports and cases",
        [
            Table("totals", "Reports and cases", totals),
            Table("by_type", "Cases opened by type", _rows(cases_by_type, CaseType.choices)),
            Table(
                "by_category",
                "Cases opened by category",
                _rows(
                    _counts_by(Case.objects.all(), group="category", when="received_at", periods=periods),
                    Category.choices,
                ),
            ),
            Table(
                "by_channel",
                "Reports received by channel",
                _rows(_counts_by(reports, group="channel", when="received_at", periods=periods), Channel.choices),
            ),
            Table("by_area", "Cases opened by area", area_rows),
        ],
    )


def _response_compliance(periods: Sequence[Period], now: dt.datetime) -> Section:
    states = {
        "met": Q(responded_at__isnull=False, responded_at__lte=F("response_due_at")),
        "late": Q(responded_at__isnull=False, responded_at__gt=F("response_due_at")),
        "overdue": Q(responded_at__isnull=True, response_due_at__lt=now),
        "waiting": Q(responded_at__isnull=True, response_due_at__gte=now),
    }
    counts = {
        f"{state}{i}": Count("pk", filter=_in("received_at", period) & condition)
        for state, condition in states.items()
        for i, period in enumerate(periods)
    }
    rows = (
        Case.objects.filter(_any_period("received_at", periods), response_due_at__isnull=False)
        .order_by()
        .values("urgent")
        .annotate(**counts)
    )
    by_urgency = {row["urgent"]: row for row in rows}
    labels = {
        "met": "Met (responded by the deadline)",
        "late": "Met late",
        "overdue": "Overdue (no response, deadline passed)",
        "waiting": "Not yet due",
    }
    tables = []
    for urgent, key, title in (
        (False, "standard", "Standard: 5 working days"),
        (True, "urgent", "Urgent: 24 working hours"),
    ):
        row = by_urgency.get(urgent, {})
        trios = {state: tuple(row.get(f"{state}{i}", 0) for i in range(3)) for state in states}
        table_rows = [Row(labels[state], trio) for state, trio in trios.items()]
        answered = [trios["met"][i] + trios["late"][i] + trios["overdue"][i] for i in range(3)]
        on_time = tuple(rules.percent(trios["met"][i], answered[i]) for i in range(3))
        table_rows.append(Row("Met on time, % of those due", on_time, PERCENT))  # type: ignore[arg-type]
        tables.append(Table(key, title, table_rows))
    return Section(
        "response",
        "Response compliance",
        tables,
        note="Cases received in the month, by where their first response stood when this report was built.",
    )


def _risk_profile(periods: Sequence[Period], today: dt.date) -> Section:
    bands = _counts_by(Assessment.objects.exclude(band=""), group="band", when="assessed_at", periods=periods)
    band_rows = _rows(bands, BAND_LABELS)
    working = Case.objects.filter(status__in=WORKING_STATUSES)
    overdue = sum(due.overdue for due in reassessments_by_officer(cases=working, today=today).values())
    return Section(
        "risk",
        "Risk profile",
        [
            Table("assessments_by_band", "Risk assessments completed, by band", band_rows),
            Table(
                "reassessments_overdue",
                "Reassessments overdue",
                [Row("Working cases with a reassessment overdue today", (overdue, None, None))],
                note="A count on the day the report was built: earlier months' counts are in their own reports.",
                chart=False,
            ),
        ],
    )


def _hours(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.1"))


def _police_referrals(periods: Sequence[Period]) -> Section:
    figures = [police_referral_times_all(start=p.first, end=p.last).overall for p in periods]
    return Section(
        "police",
        "Time to police referral",
        [
            Table(
                "time_to_refer",
                "Time from report to police referral",
                [
                    Row("Median, working hours", tuple(_hours(f.median_working_hours) for f in figures), HOURS),  # type: ignore[arg-type]
                    Row("90th percentile, working hours", tuple(_hours(f.p90_working_hours) for f in figures), HOURS),  # type: ignore[arg-type]
                    Row("Median, calendar hours", tuple(_hours(f.median_calendar_hours) for f in figures), HOURS),  # type: ignore[arg-type]
                ],
            ),
            Table(
                "police_referrals",
                "Police referrals sent",
                [Row("Police referrals sent", (figures[0].count, figures[1].count, figures[2].count))],
                chart=False,
            ),
        ],
    )


def _partnership(periods: Sequence[Period]) -> Section:
    referrals = Referral.objects.filter(withdrawn_at__isnull=True)
    by_kind = _counts_by(referrals, group="kind", when="sent_at", periods=periods)
    stage_counts = {
        "outcome": Q(outcome_at__isnull=False),
        "acknowledged": Q(outcome_at__isnull=True, acknowledged_at__isnull=False),
        "waiting": Q(outcome_at__isnull=True, acknowledged_at__isnull=True),
    }
    stages = referrals.filter(_any_period("sent_at", periods)).aggregate(
        **{
            f"{stage}{i}": Count("pk", filter=_in("sent_at", period) & condition)
            for stage, condition in stage_counts.items()
            for i, period in enumerate(periods)
        }
    )
    stage_labels = {
        "outcome": "Outcome recorded",
        "acknowledged": "Acknowledged, no outcome yet",
        "waiting": "Not yet acknowledged",
    }
    support = [support_offer_counts_all(start=p.first, end=p.last) for p in periods]
    interventions = Intervention.objects.all()
    kind_names = _intervention_kinds()
    return Section(
        "partnership",
        "Referrals, support offers and interventions",
        [
            Table("referrals_by_kind", "Referrals sent, by kind", _rows(by_kind, ReferralKind.choices)),
            Table(
                "referrals_by_stage",
                "Referrals sent, by where they stand now",
                [
                    Row(label, (stages[f"{key}0"], stages[f"{key}1"], stages[f"{key}2"]))
                    for key, label in stage_labels.items()
                ],
            ),
            Table(
                "support_by_kind",
                "Support offered, by kind",
                [
                    *[
                        Row(row.label, (row.offered, support[1].by_kind[i].offered, support[2].by_kind[i].offered))
                        for i, row in enumerate(support[0].by_kind)
                    ],
                    Row("Total", (support[0].total.offered, support[1].total.offered, support[2].total.offered)),
                ],
            ),
            Table(
                "support_by_answer",
                "Support offered, by answer",
                [
                    Row("Accepted", tuple(s.total.accepted for s in support)),  # type: ignore[arg-type]
                    Row("Declined", tuple(s.total.declined for s in support)),  # type: ignore[arg-type]
                    Row("Waiting for an answer", tuple(s.total.waiting for s in support)),  # type: ignore[arg-type]
                ],
            ),
            Table(
                "interventions_by_kind",
                "Interventions proposed, by kind",
                _rows(_counts_by(interventions, group="kind", when="proposed_at", periods=periods), kind_names),
            ),
            Table(
                "interventions_by_stage",
                "Interventions proposed, by stage now",
                _rows(
                    _counts_by(interventions, group="status", when="proposed_at", periods=periods),
                    InterventionStatus.choices,
                ),
            ),
        ],
    )


def _intervention_kinds() -> list[tuple[str, str]]:
    """The catalogue's kinds, lightest rung first (none before the catalogue is loaded: kinds then show as keys)."""
    try:
        return [(kind["key"], kind["name"]) for kind in catalogue_kinds()]
    except DomainError:
        return []


def _closures(periods: Sequence[Period]) -> Section:
    closed = _counts_by(
        Case.objects.filter(closed_at__isnull=False), group="outcome", when="closed_at", periods=periods
    )
    return Section(
        "closures",
        "Closures by outcome",
        [Table("by_outcome", "Cases closed, by outcome", _rows(closed, Outcome.choices))],
    )


def _open_caseload(periods: Sequence[Period]) -> Section:
    counts: dict[str, Count] = {}
    for i, period in enumerate(periods):
        _, after = local_dates_span(period.last, period.last)
        open_then = Q(received_at__lt=after) & (Q(closed_at__isnull=True) | Q(closed_at__gte=after))
        for b, (_label, youngest, oldest) in enumerate(rules.AGE_BANDS):
            # Age in whole London days at the month's end: received on or before (last - youngest) ...
            youngest_day = period.last - dt.timedelta(days=youngest)
            _, newest = local_dates_span(youngest_day, youngest_day)
            condition = open_then & Q(received_at__lt=newest)
            if oldest is not None:  # ... and on or after (last - oldest)
                oldest_start, _ = local_dates_span(period.last - dt.timedelta(days=oldest), period.last)
                condition &= Q(received_at__gte=oldest_start)
            counts[f"b{b}p{i}"] = Count("pk", filter=condition)
    _, latest = local_dates_span(periods[0].last, periods[0].last)
    earliest = min(local_dates_span(p.last, p.last)[1] for p in periods)
    result = Case.objects.filter(Q(received_at__lt=latest), Q(closed_at__isnull=True) | Q(closed_at__gte=earliest))
    figures = result.aggregate(**counts)
    rows = [
        Row(label, (figures[f"b{b}p0"], figures[f"b{b}p1"], figures[f"b{b}p2"]))
        for b, (label, _young, _old) in enumerate(rules.AGE_BANDS)
    ]
    rows.append(Row("Total open", _sum(row.values for row in rows)))  # type: ignore[misc]
    return Section(
        "caseload",
        "Open caseload by age",
        [Table("by_age", "Cases open at the end of the month, by age", rows)],
        note="Open at the month's end: received by then and not closed by then. Age counts from the day received.",
    )


def _satisfaction(periods: Sequence[Period]) -> Section:
    answered = SurveyInvitation.objects.filter(satisfaction__isnull=False)
    scores = _counts_by(answered, group="satisfaction", when="answered_at", periods=periods)
    results = [rules.satisfaction({score: trio[i] for score, trio in scores.items()}) for i in range(3)]
    return Section(
        "satisfaction",
        "Satisfaction",
        [
            Table(
                "kpi",
                "Satisfaction KPI: very or fairly satisfied",
                [
                    Row("Very or fairly satisfied, %", tuple(r.percent for r in results), PERCENT),  # type: ignore[arg-type]
                    Row("Survey answers (n)", tuple(r.responses for r in results)),  # type: ignore[arg-type]
                    Row("Very or fairly satisfied", tuple(r.satisfied for r in results)),  # type: ignore[arg-type]
                ],
                note="Answers to the closure survey given in the month (TP12's 5-point scale).",
            )
        ],
    )


def _case_review(periods: Sequence[Period]) -> Section:
    figures = [case_review_figures(p.first, p.last) for p in periods]
    names = (
        ("applications", "Applications received"),
        ("threshold_not_met", "Threshold not met"),
        ("reviews_carried_out", "Reviews carried out"),
        ("reviews_with_recommendations", "Reviews with recommendations"),
    )
    return Section(
        "case_review",
        "ASB Case Review (Community Trigger)",
        [
            Table(
                "figures",
                "Case Review figures",
                [Row(label, tuple(getattr(f, key) for f in figures)) for key, label in names],
            )
        ],
    )


# --- The report -----------------------------------------------------------------------------------------------


def monthly_report_figures(month: dt.date, *, now: dt.datetime | None = None) -> MonthlyReport:
    """Every section for `month` (its first day), no permission check: for the worker and the checked callers."""
    now = now or timezone.now()
    periods = report_periods(month)
    with aggregate_reads():
        sections = [
            _new_reports_and_cases(periods),
            _response_compliance(periods, now),
            _risk_profile(periods, timezone.localdate(now)),
            _police_referrals(periods),
            _partnership(periods),
            _closures(periods),
            _open_caseload(periods),
            _satisfaction(periods),
            _case_review(periods),
        ]
    return MonthlyReport(month=month, label=rules.month_label(month), periods=periods, sections=sections, built_at=now)


def monthly_report_for_actor(*, actor: User, month: dt.date) -> MonthlyReport:
    """The report for staff allowed to see performance figures (managers, coordinators, the DPO)."""
    require(actor, VIEW_PERFORMANCE)
    return monthly_report_figures(month)


def _json_value(value: Value) -> int | float | None:
    return float(value) if isinstance(value, Decimal) else value


def report_as_data(report: MonthlyReport) -> dict[str, Any]:
    """The report's figures as plain JSON data (the API's shape; also kept with each monthly run)."""
    return {
        "month": f"{report.month:%Y-%m}",
        "periods": {p.key: {"month": f"{p.first:%Y-%m}", "label": p.label} for p in report.periods},
        "sections": [
            {
                "key": section.key,
                "title": section.title,
                "tables": [
                    {
                        "key": table.key,
                        "title": table.title,
                        "rows": [
                            {
                                "label": row.label,
                                "unit": row.unit,
                                **{
                                    period.key: _json_value(value)
                                    for period, value in zip(report.periods, row.values, strict=True)
                                },
                            }
                            for row in table.rows
                        ],
                    }
                    for table in section.tables
                ],
            }
            for section in report.sections
        ],
    }
