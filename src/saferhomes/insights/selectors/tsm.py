"""Tenant Satisfaction Measures NM01(1), NM01(2) and TP12 for an April-March year (issue 18 part 2; ADR 0015).

- NM01(1): ASB cases (the ASB, Crime and Policing Act 2014 sense, so hate cases too) opened in the year, per 1,000
  homes owned. A case is opened by a report that is not added to a case already open (intake refuses to add a report
  to a closed case: a report after closure opens a new one), so counting cases counts exactly that; a case closed
  as "merged into another case" was a duplicate report and is not counted. Domestic abuse cases count only when
  `MeasureSettings.count_domestic_abuse_in_nm01` is on (default off).
- NM01(2): of those, the cases whose hate strands include one of the five monitored strands (`rules.MONITORED_STRANDS`);
  a case whose only strand is "other" is in (1), not (2).
- A case belongs to the year of the London date of its `received_at` (back-entered cases land in the right year).
- Homes owned at the year's end: homes in the register marked owned (or sold only after the year end), less those
  sold on or before it (`HomeSale`), less those let on a tenure that is neither low-cost rental nor low-cost home
  ownership at the year end (`EXCLUDED_TENURES`: leasehold).
- TP12: the satisfaction survey's answers given in the year, on the 5-point scale.
Everything is counted in the database (one aggregate per measure); the lists of cases counted are querysets a page
paginates and an export streams.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.cases.models import Case, CaseType, HateStrand, Outcome, SatisfactionScore, SurveyInvitation
from saferhomes.core.calendar import local_dates_span
from saferhomes.core.permissions import require
from saferhomes.housing.models import Property, Tenancy, TenancyType
from saferhomes.insights import rules
from saferhomes.insights.models import HomeSale, MeasureSettings
from saferhomes.insights.selectors.database import aggregate_reads

VIEW_PERFORMANCE = "insights.view_performance"
# Tenures that are neither low-cost rental nor low-cost home ownership: a home let on one is not counted as owned.
EXCLUDED_TENURES = (TenancyType.LEASEHOLD,)


def measure_settings_current() -> MeasureSettings:
    """The landlord's measure settings (the defaults when none were saved)."""
    return MeasureSettings.objects.filter(pk=MeasureSettings.SINGLETON_ID).first() or MeasureSettings(
        pk=MeasureSettings.SINGLETON_ID
    )


def counted_case_types(*, count_da: bool) -> list[str]:
    """The case types NM01 counts: ASB and hate, and domestic abuse when the setting says so."""
    return [CaseType.ASB, CaseType.HATE, *([CaseType.DA] if count_da else [])]


def monitored_strand_q(field: str = "strands_text") -> Q:
    """Cases with at least one monitored strand, on `hate_strands` cast to text (a JSON list of quoted values, the
    same on SQLite and PostgreSQL): the quotes make `"race"` match the strand, never part of another value."""
    condition = Q()
    for strand in rules.MONITORED_STRANDS:
        condition |= Q(**{f"{field}__contains": f'"{strand}"'})
    return condition


def nm01_cases(*, first: dt.date, last: dt.date, count_da: bool) -> QuerySet[Case]:
    """Cases NM01(1) counts among those received on London dates first..last, annotated with `strands_text`."""
    lower, upper = local_dates_span(first, last)
    return (
        Case.objects.filter(
            received_at__gte=lower, received_at__lt=upper, case_type__in=counted_case_types(count_da=count_da)
        )
        .exclude(outcome=Outcome.MERGED)
        .annotate(strands_text=Cast("hate_strands", TextField()))
    )


def homes_owned_at(day: dt.date) -> int:
    """Homes owned (low-cost rental and low-cost home ownership) at the end of London date `day`.

    The homes marked owned, counted alone (one plain count over the register), corrected from the two small tables:
    less owned homes sold by then or let on an excluded tenure, plus homes no longer marked owned that were sold only
    after `day` (and not on an excluded tenure then). Same answer as filtering every home with EXISTS, without an
    anti-join per home (0.3 s at 500,000 homes)."""
    sold_by = Exists(HomeSale.objects.filter(property=OuterRef("pk"), sold_on__lte=day))
    excluded_tenure = Exists(
        Tenancy.objects.filter(property=OuterRef("pk"), tenancy_type__in=EXCLUDED_TENURES, start_date__lte=day).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)
        )
    )
    sold_ids = HomeSale.objects.values("property_id")
    excluded_ids = Tenancy.objects.filter(tenancy_type__in=EXCLUDED_TENURES).values("property_id")
    owned = Property.objects.filter(is_owned=True).count()
    owned_but_not_then = (
        Property.objects.filter(is_owned=True)
        .filter(Q(pk__in=sold_ids) | Q(pk__in=excluded_ids))
        .filter(sold_by | excluded_tenure)
        .count()
    )
    sold_since = Property.objects.filter(is_owned=False, sale__sold_on__gt=day).exclude(excluded_tenure).count()
    return owned - owned_but_not_then + sold_since


def satisfaction_scores(*, first: dt.date, last: dt.date) -> dict[int, int]:
    """How many survey answers gave each score, answered on London dates first..last (one grouped query)."""
    lower, upper = local_dates_span(first, last)
    rows = (
        SurveyInvitation.objects.filter(answered_at__gte=lower, answered_at__lt=upper, satisfaction__isnull=False)
        .order_by()
        .values("satisfaction")
        .annotate(n=Count("pk"))
    )
    return {int(row["satisfaction"]): int(row["n"]) for row in rows}


@dataclass(frozen=True)
class Measure:
    code: str
    title: str
    cases: int
    per_1000: Decimal | None


@dataclass(frozen=True)
class ScoreCount:
    score: int
    label: str
    count: int


@dataclass(frozen=True)
class TsmYear:
    """The three measures of one TSM year, and how they were counted."""

    year: int
    label: str
    year_start: dt.date
    year_end: dt.date
    homes_owned: int
    count_da: bool
    nm01_1: Measure
    nm01_2: Measure
    tp12: rules.Satisfaction
    scores: list[ScoreCount]


def tsm_year_figures(year: int, *, count_da: bool | None = None) -> TsmYear:
    """The measures for the year starting 1 April `year` (no permission check: callers check VIEW_PERFORMANCE)."""
    if count_da is None:
        count_da = measure_settings_current().count_domestic_abuse_in_nm01
    first, last = rules.tsm_year_bounds(year)
    with aggregate_reads():
        counts = nm01_cases(first=first, last=last, count_da=count_da).aggregate(
            all_cases=Count("pk"), hate_cases=Count("pk", filter=monitored_strand_q())
        )
        homes = homes_owned_at(last)
        scores = satisfaction_scores(first=first, last=last)
    return TsmYear(
        year=year,
        label=rules.tsm_year_label(year),
        year_start=first,
        year_end=last,
        homes_owned=homes,
        count_da=count_da,
        nm01_1=Measure(
            "NM01(1)",
            "Anti-social behaviour cases relative to the size of the landlord",
            counts["all_cases"],
            rules.per_1000(counts["all_cases"], homes),
        ),
        nm01_2=Measure(
            "NM01(2)",
            "Anti-social behaviour cases that involve hate incidents relative to the size of the landlord",
            counts["hate_cases"],
            rules.per_1000(counts["hate_cases"], homes),
        ),
        tp12=rules.satisfaction(scores),
        scores=[ScoreCount(score.value, str(score.label), scores.get(score.value, 0)) for score in SatisfactionScore],
    )


def tsm_year_for_actor(*, actor: User, year: int) -> TsmYear:
    """The measures for staff allowed to see performance figures (managers, coordinators, the DPO)."""
    require(actor, VIEW_PERFORMANCE)
    return tsm_year_figures(year)


@dataclass(frozen=True)
class CountedCase:
    """One case a measure counted, as the audit list shows it: reference and facts only, no one's details."""

    reference: str
    received_on: dt.date
    case_type: str
    strands: str
    in_nm01_2: bool


STRAND_LABELS = dict(HateStrand.choices)
TYPE_LABELS = dict(CaseType.choices)


def counted_cases_for_actor(*, actor: User, year: int, measure: str = "nm01_1") -> QuerySet[Case]:
    """The cases behind NM01(1) (or NM01(2) with measure="nm01_2"), oldest first, for the audit list."""
    require(actor, VIEW_PERFORMANCE)
    first, last = rules.tsm_year_bounds(year)
    cases = nm01_cases(first=first, last=last, count_da=measure_settings_current().count_domestic_abuse_in_nm01)
    if measure == "nm01_2":
        cases = cases.filter(monitored_strand_q())
    in_nm01_2 = ExpressionWrapper(monitored_strand_q(), output_field=BooleanField())
    return (
        cases.annotate(in_nm01_2=in_nm01_2)
        .only("reference", "received_at", "case_type", "hate_strands")
        .order_by("received_at", "pk")
    )


def counted_case_row(case: Case) -> CountedCase:
    """A counted case as the list and the export show it (London date received, type and strands in words)."""
    return CountedCase(
        reference=case.reference,
        received_on=timezone.localtime(case.received_at).date(),
        case_type=str(TYPE_LABELS.get(case.case_type, case.case_type)),
        strands=", ".join(str(STRAND_LABELS.get(s, s)) for s in case.hate_strands or []),
        in_nm01_2=bool(getattr(case, "in_nm01_2", False)),
    )
