"""Insights over the API (issue 18 parts 3-5): hotspot counts, the published "action we've taken" (approved quarters,
suppressed exactly as on the public page), and the registers. Thin: the insights selectors, with the token's user."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from saferhomes.accounts.http import actor_of
from saferhomes.api.schemas import COMMON_ERRORS, ApiIn, EdgeDate, ProblemOut
from saferhomes.cases.models import CaseType
from saferhomes.cases.permissions import VIEW_CASE
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.insights.forms.hotspots import MAX_DAYS, default_filters
from saferhomes.insights.selectors import action_taken, hotspots, registers

router = Router(tags=["Insights"])

READ_ERRORS: dict[int, type[Schema]] = {**COMMON_ERRORS, 403: ProblemOut, 422: ProblemOut}


class HotspotQuery(ApiIn):
    start: EdgeDate | None = Field(None, description="First London date received (default: a year ago)")
    end: EdgeDate | None = Field(None, description="Last London date received (default: today)")
    case_type: CaseType | None = Field(None, description="Only cases of this type")
    by: Literal["week", "month"] = Field("month", description="Count by week (from Monday) or by month")


class EstateCountOut(Schema):
    estate: str
    area: str
    cases: int
    latitude: float | None
    longitude: float | None


class PeriodCountOut(Schema):
    starts: dt.date
    cases: int


class HotspotsOut(Schema):
    start: dt.date
    end: dt.date
    by: str
    case_type: str | None
    estates: list[EstateCountOut]
    periods: list[PeriodCountOut]


@router.get(
    "/insights/hotspots",
    response={200: HotspotsOut, **READ_ERRORS},
    summary="Cases by estate and by week or month",
    operation_id="insights_hotspots",
)
def hotspot_counts(request: HttpRequest, filters: Query[HotspotQuery]) -> HotspotsOut:
    """Counts of the cases the token's user may see, received in the period. For coordinators and managers."""
    actor = actor_of(request)
    require(actor, hotspots.VIEW_HOTSPOTS)
    defaults = default_filters(timezone.localdate())
    chosen = hotspots.HotspotFilters(
        start=filters.start or defaults.start,
        end=filters.end or defaults.end,
        case_type=filters.case_type.value if filters.case_type else "",
        by=filters.by,
    )
    if chosen.end < chosen.start:
        raise DomainError(field_errors={"end": "The end date must be the same as or after the start date"})
    if (chosen.end - chosen.start).days > MAX_DAYS[chosen.by]:
        raise DomainError(field_errors={"end": f"The period is too long to count by {chosen.by}"})
    return HotspotsOut(
        start=chosen.start,
        end=chosen.end,
        by=chosen.by,
        case_type=chosen.case_type or None,
        estates=[
            EstateCountOut(estate=e.name, area=e.area, cases=e.count, latitude=e.latitude, longitude=e.longitude)
            for e in hotspots.counts_by_estate(actor=actor, filters=chosen)
        ],
        periods=[
            PeriodCountOut(starts=p.starts, cases=p.count)
            for p in hotspots.counts_by_period(actor=actor, filters=chosen)
        ],
    )


class PublishedCellOut(Schema):
    heading: str
    value: int | None = Field(description="The count, or null when suppressed or withheld")
    text: str = Field(description="As shown on the public page: '12', 'fewer than 5' or 'withheld'")


class PublishedAreaOut(Schema):
    area: str
    figures: list[PublishedCellOut]


class PublishedQuarterOut(Schema):
    quarter_start: dt.date
    label: str
    approved_at: dt.datetime
    threshold: int
    areas: list[PublishedAreaOut]
    totals: list[PublishedCellOut]


@router.get(
    "/insights/action-taken",
    response={200: list[PublishedQuarterOut], **READ_ERRORS},
    summary="The published 'action we've taken'",
    operation_id="insights_action_taken",
)
def published_action_taken(request: HttpRequest) -> list[PublishedQuarterOut]:
    """Every approved quarter, newest first, suppressed exactly as on the public page /action-taken/."""
    require(actor_of(request), VIEW_CASE)
    out = []
    for snapshot in action_taken.published_snapshots():
        quarter = action_taken.published_quarter(snapshot)
        table = quarter.table

        def cells(row: list, headings: list[str] = table.headings) -> list[PublishedCellOut]:
            return [PublishedCellOut(heading=h, value=c.value, text=c.text) for h, c in zip(headings, row, strict=True)]

        out.append(
            PublishedQuarterOut(
                quarter_start=quarter.start,
                label=quarter.label,
                approved_at=quarter.approved_at,
                threshold=table.threshold,
                areas=[PublishedAreaOut(area=row.area, figures=cells(row.cells)) for row in table.rows],
                totals=cells(table.totals),
            )
        )
    return out


class InitiativeOut(Schema):
    id: int
    kind: str
    title: str
    description: str
    area: str | None
    estate: str | None
    starts_on: dt.date
    ends_on: dt.date | None
    partners: list[str] = Field(description="Agency codes")
    reach: int | None
    cost: Decimal | None
    published: bool


@router.get(
    "/insights/initiatives",
    response={200: list[InitiativeOut], **READ_ERRORS},
    summary="Prevention initiatives and publicity campaigns",
    operation_id="insights_initiatives",
)
def initiatives(request: HttpRequest) -> list[InitiativeOut]:
    """The register of initiatives and campaigns, latest first. For managers."""
    return [
        InitiativeOut(
            id=i.pk,
            kind=i.kind,
            title=i.title,
            description=i.description,
            area=i.area.name if i.area else None,
            estate=i.estate.name if i.estate else None,
            starts_on=i.starts_on,
            ends_on=i.ends_on,
            partners=[agency.code for agency in i.partners.all()],
            reach=i.reach,
            cost=i.cost,
            published=i.published,
        )
        for i in registers.initiatives_list(actor=actor_of(request))
    ]


class TrainingOut(Schema):
    id: int
    username: str
    course: str
    title: str
    completed_on: dt.date
    expires_on: dt.date | None
    in_force: bool


@router.get(
    "/insights/training",
    response={200: list[TrainingOut], **READ_ERRORS},
    summary="Staff training records",
    operation_id="insights_training",
)
def training(request: HttpRequest) -> list[TrainingOut]:
    """Every training record, by member of staff, with whether it is in force today. For managers."""
    rows = registers.training_list(actor=actor_of(request), today=timezone.localdate())
    return [
        TrainingOut(
            id=row.record.pk,
            username=row.record.user.username,
            course=row.record.course,
            title=row.record.title,
            completed_on=row.record.completed_on,
            expires_on=row.record.expires_on,
            in_force=row.in_force,
        )
        for row in rows
    ]


class PolicyReviewOut(Schema):
    id: int
    kind: str
    due_on: dt.date
    state: str = Field(description="approved, overdue, due or scheduled")
    completed_on: dt.date | None
    approved_by: str | None
    approved_at: dt.datetime | None
    approval_body: str


@router.get(
    "/insights/policy-reviews",
    response={200: list[PolicyReviewOut], **READ_ERRORS},
    summary="The policy review register",
    operation_id="insights_policy_reviews",
)
def policy_reviews(request: HttpRequest) -> list[PolicyReviewOut]:
    """Every policy review, soonest due first, with its state. For managers."""
    rows = registers.policy_reviews_list(actor=actor_of(request), today=timezone.localdate())
    return [
        PolicyReviewOut(
            id=row.review.pk,
            kind=row.review.kind,
            due_on=row.review.due_on,
            state=row.state.key,
            completed_on=row.review.completed_on,
            approved_by=row.review.approved_by.username if row.review.approved_by else None,
            approved_at=row.review.approved_at,
            approval_body=row.review.approval_body,
        )
        for row in rows
    ]
