"""Hotspots and trends (issue 18 part 3): cases by estate and by week or month, and the places and people that come
back. Every count starts at `cases_visible_to(actor)`, so nobody learns of a case they could not open (a DA case
counts only for those who may see it) and is grouped in the database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth, TruncWeek

from saferhomes.accounts.models import User
from saferhomes.cases.models import Case, Incident, Party, PartyRole
from saferhomes.cases.selectors.case import cases_visible_to
from saferhomes.core.calendar import LONDON, local_dates_span
from saferhomes.core.permissions import require
from saferhomes.housing.models import Estate

VIEW_HOTSPOTS = "insights.view_hotspots"
NO_ESTATE = "No estate recorded"
REPEAT_AT_LEAST = 2
REPEAT_LIST_LIMIT = 200


@dataclass(frozen=True)
class HotspotFilters:
    start: dt.date
    end: dt.date
    case_type: str = ""  # "" for every type
    by: str = "month"  # "week" or "month"


@dataclass(frozen=True)
class EstateCount:
    estate_id: int | None
    name: str
    area: str
    count: int
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class PeriodCount:
    starts: dt.date
    label: str
    count: int


@dataclass(frozen=True)
class Repeat:
    """A place or person on more than one case in the period, with the cases (references the actor may open)."""

    key: int
    label: str
    detail: str
    count: int
    references: list[str] = field(default_factory=list)


def hotspot_cases(*, actor: User, filters: HotspotFilters) -> QuerySet[Case]:
    """The cases the actor may see, received in the period (London dates), of the chosen type."""
    require(actor, VIEW_HOTSPOTS)
    lower, upper = local_dates_span(filters.start, filters.end)
    cases = cases_visible_to(actor=actor).filter(received_at__gte=lower, received_at__lt=upper)
    if filters.case_type:
        cases = cases.filter(case_type=filters.case_type)
    return cases


def counts_by_estate(*, actor: User, filters: HotspotFilters) -> list[EstateCount]:
    """Cases per estate, busiest first (cases with no estate last, as one row)."""
    rows = (
        hotspot_cases(actor=actor, filters=filters)
        .values("estate_id", "estate__name", "estate__area__name", "estate__latitude", "estate__longitude")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = [
        EstateCount(
            estate_id=row["estate_id"],
            name=row["estate__name"] or NO_ESTATE,
            area=row["estate__area__name"] or "",
            count=row["n"],
            latitude=float(row["estate__latitude"]) if row["estate__latitude"] is not None else None,
            longitude=float(row["estate__longitude"]) if row["estate__longitude"] is not None else None,
        )
        for row in rows
    ]
    return sorted(counts, key=lambda c: (c.estate_id is None, -c.count, c.name))


def _period_starts(filters: HotspotFilters) -> list[dt.date]:
    """Every week (Monday) or month (1st) the period touches, so a quiet one shows as 0 rather than vanishing."""
    if filters.by == "week":
        day = filters.start - dt.timedelta(days=filters.start.weekday())
        starts = []
        while day <= filters.end:
            starts.append(day)
            day += dt.timedelta(days=7)
        return starts
    month = filters.start.replace(day=1)
    starts = []
    while month <= filters.end:
        starts.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return starts


def counts_by_period(*, actor: User, filters: HotspotFilters) -> list[PeriodCount]:
    """Cases received per week (from Monday) or month, in London time, every period shown."""
    trunc = TruncWeek if filters.by == "week" else TruncMonth
    rows = (
        hotspot_cases(actor=actor, filters=filters)
        .annotate(period=trunc("received_at", tzinfo=LONDON))
        .values("period")
        .annotate(n=Count("pk"))
        .order_by()
    )
    found: dict[dt.date, int] = {}
    for row in rows:
        period = row["period"]
        day = period.astimezone(LONDON).date() if isinstance(period, dt.datetime) else period
        found[day] = found.get(day, 0) + row["n"]
    fmt = "w/c %d %b %Y" if filters.by == "week" else "%B %Y"
    return [PeriodCount(starts=s, label=s.strftime(fmt), count=found.get(s, 0)) for s in _period_starts(filters)]


def _references(cases: QuerySet[Case], field_name: str, keys: list[int]) -> dict[int, list[str]]:
    """For each key, the references of its cases (one query)."""
    refs: dict[int, set[str]] = {}
    for key, reference in cases.filter(**{f"{field_name}__in": keys}).values_list(field_name, "reference"):
        refs.setdefault(key, set()).add(reference)
    return {key: sorted(values) for key, values in refs.items()}


def repeat_locations(*, actor: User, filters: HotspotFilters) -> list[Repeat]:
    """Homes where incidents on two or more of the actor's visible cases happened in the period."""
    cases = hotspot_cases(actor=actor, filters=filters)
    rows = list(
        Incident.objects.filter(case__in=cases.values("pk"), property__isnull=False)
        .values("property_id", "property__address_line_1", "property__postcode", "property__estate__name")
        .annotate(n=Count("case", distinct=True))
        .filter(n__gte=REPEAT_AT_LEAST)
        .order_by("-n", "property__address_line_1")[:REPEAT_LIST_LIMIT]
    )
    refs = _references(cases, "incidents__property_id", [row["property_id"] for row in rows])
    return [
        Repeat(
            key=row["property_id"],
            label=f"{row['property__address_line_1']}, {row['property__postcode']}",
            detail=row["property__estate__name"] or NO_ESTATE,
            count=row["n"],
            references=refs.get(row["property_id"], []),
        )
        for row in rows
    ]


REPEAT_VICTIM_ROLES = (PartyRole.VICTIM, PartyRole.REPORTER)


def repeat_victims(*, actor: User, filters: HotspotFilters) -> list[Repeat]:
    """People in the register who were victims or reporters on two or more of the actor's visible cases."""
    cases = hotspot_cases(actor=actor, filters=filters)
    rows = list(
        Party.objects.filter(case__in=cases.values("pk"), role__in=REPEAT_VICTIM_ROLES, person__isnull=False)
        .values("person_id", "person__first_name", "person__last_name", "person__reference")
        .annotate(n=Count("case", distinct=True))
        .filter(n__gte=REPEAT_AT_LEAST)
        .order_by("-n", "person__last_name", "person__first_name")[:REPEAT_LIST_LIMIT]
    )
    refs: dict[int, set[str]] = {}
    for person_id, reference in Party.objects.filter(
        case__in=cases.values("pk"),
        role__in=REPEAT_VICTIM_ROLES,
        person_id__in=[row["person_id"] for row in rows],
    ).values_list("person_id", "case__reference"):
        refs.setdefault(person_id, set()).add(reference)
    return [
        Repeat(
            key=row["person_id"],
            label=f"{row['person__first_name']} {row['person__last_name']}",
            detail=row["person__reference"] or "",
            count=row["n"],
            references=sorted(refs.get(row["person_id"], set())),
        )
        for row in rows
    ]


def estates_with_coordinates() -> int:
    """How many estates the register places on the map."""
    return Estate.objects.filter(latitude__isnull=False).count()
