"""The DPO's oversight of access over the API (issue 19 part 5; ADR 0020): the same three lists as the pages under
/staff/privacy/oversight/, metadata only, for holders of `privacy.view_oversight` (403 otherwise). Each call is
audited (`oversight.viewed`). Dates are London dates, inclusive, at most 366 days apart (default: the last 30 days);
bad filters are a 422 problem naming the field."""

from __future__ import annotations

import datetime as dt
import math

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from saferhomes.accounts.http import actor_of
from saferhomes.accounts.models import User
from saferhomes.api.schemas import COMMON_ERRORS, ApiIn, EdgeDate, ProblemOut
from saferhomes.core.permissions import require
from saferhomes.privacy.selectors.anomalies import anomalies_for
from saferhomes.privacy.selectors.oversight import (
    VIEW_OVERSIGHT,
    CaseFacts,
    OversightFilters,
    break_glass_uses,
    grant_rows,
    oversight_viewed,
    read_rows,
    restricted_reads,
)

router = Router(tags=["Access oversight"])

ERRORS: dict[int, type[Schema]] = {**COMMON_ERRORS, 403: ProblemOut, 422: ProblemOut}


class OversightIn(ApiIn):
    """Which period, person and case; and which page."""

    date_from: EdgeDate | None = Field(None, description="First London date, YYYY-MM-DD (default: 29 days ago)")
    date_to: EdgeDate | None = Field(None, description="Last London date, YYYY-MM-DD (default: today)")
    user: str = Field("", max_length=150, description="A username: only this person's access")
    case: str = Field("", max_length=20, description="A case reference: only this case")
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=200)


class CaseMetaOut(Schema):
    """A case named by its metadata only."""

    reference: str
    case_type: str = Field(description="asb, hate or da")
    sensitivity: str = Field(description="normal, restricted or da (as it is now)")


class ReadOut(Schema):
    at: dt.datetime
    username: str
    case: CaseMetaOut | None
    how: str = Field(description="How the read came about, in words")
    detail: str = Field(description="Who gave the access, or which partner agency read it")
    page: str = Field(description="The page or download read")


class GrantOut(Schema):
    kind: str = Field(description="Break glass, or access given to the DPO")
    username: str
    given_by: str
    case: CaseMetaOut | None
    reason: str
    granted_at: dt.datetime
    expires_at: dt.datetime
    pages_read: list[str]
    other_actions: list[str]


class AnomalyOut(Schema):
    key: str
    kind: str = Field(description="burst, out_of_hours or unused_break_glass")
    kind_label: str
    username: str
    first_at: dt.datetime
    last_at: dt.datetime
    cases: list[str]
    reads: int
    explanation: str


class Page(Schema):
    count: int
    page: int
    page_size: int
    pages: int


class ReadsPageOut(Page):
    results: list[ReadOut]


class GrantsPageOut(Page):
    results: list[GrantOut]


class AnomaliesPageOut(Page):
    results: list[AnomalyOut]


def _filters(query: OversightIn) -> OversightFilters:
    today = timezone.localdate()
    recent = OversightFilters.recent(today)
    date_from = query.date_from or (min(query.date_to, recent.date_from) if query.date_to else recent.date_from)
    date_to = query.date_to or max(today, date_from)
    return OversightFilters(
        date_from=date_from, date_to=date_to, user=query.user.strip(), case=query.case.strip().upper()
    )


def _case(facts: CaseFacts | None) -> CaseMetaOut | None:
    if facts is None:
        return None
    return CaseMetaOut(reference=facts.reference, case_type=facts.case_type, sensitivity=facts.sensitivity)


def _begin(request: HttpRequest, query: OversightIn, section: str) -> tuple[User, OversightFilters]:
    actor = actor_of(request)
    require(actor, VIEW_OVERSIGHT)
    filters = _filters(query)
    oversight_viewed(actor=actor, section=f"api:{section}", filters=filters, request=request)
    return actor, filters


def _page(count: int, query: OversightIn) -> dict[str, int]:
    return {
        "count": count,
        "page": query.page,
        "page_size": query.page_size,
        "pages": max(1, math.ceil(count / query.page_size)),
    }


def _slice(query: OversightIn) -> slice:
    start = (query.page - 1) * query.page_size
    return slice(start, start + query.page_size)


@router.get(
    "/oversight/restricted-reads",
    response={200: ReadsPageOut, **ERRORS},
    summary="Reads of restricted and DA cases",
    operation_id="oversight_restricted_reads",
    url_name="oversight-restricted-reads",
)
def restricted_reads_list(request: HttpRequest, query: Query[OversightIn]) -> ReadsPageOut:
    """Who read which restricted or DA case (and partners' reads of shared cases), when and how; newest first."""
    actor, filters = _begin(request, query, "reads")
    events = restricted_reads(actor=actor, filters=filters)
    rows = read_rows(events[_slice(query)])
    return ReadsPageOut(
        **_page(events.count(), query),
        results=[
            ReadOut(at=r.at, username=r.username, case=_case(r.case), how=r.how, detail=r.detail, page=r.page)
            for r in rows
        ],
    )


@router.get(
    "/oversight/break-glass",
    response={200: GrantsPageOut, **ERRORS},
    summary="Break-glass uses and access given to the DPO",
    operation_id="oversight_break_glass",
    url_name="oversight-break-glass",
)
def break_glass_list(request: HttpRequest, query: Query[OversightIn]) -> GrantsPageOut:
    """Every break glass and access given to the DPO in the period, with the reason, expiry and what was read."""
    actor, filters = _begin(request, query, "break-glass")
    grants = break_glass_uses(actor=actor, filters=filters)
    rows = grant_rows(grants[_slice(query)])
    return GrantsPageOut(
        **_page(grants.count(), query),
        results=[
            GrantOut(
                kind=g.kind,
                username=g.username,
                given_by=g.given_by,
                case=_case(g.case),
                reason=g.reason,
                granted_at=g.grant.granted_at,
                expires_at=g.grant.expires_at,
                pages_read=[page for _at, page in g.reads],
                other_actions=[what for _at, what in g.actions],
            )
            for g in rows
        ],
    )


@router.get(
    "/oversight/anomalies",
    response={200: AnomaliesPageOut, **ERRORS},
    summary="Access anomalies, explained",
    operation_id="oversight_anomalies",
    url_name="oversight-anomalies",
)
def anomalies_list(request: HttpRequest, query: Query[OversightIn]) -> AnomaliesPageOut:
    """Bursts of reads, reads out of hours and break glass left unused that began in the period; newest first."""
    actor, filters = _begin(request, query, "anomalies")
    found = anomalies_for(actor=actor, filters=filters)
    return AnomaliesPageOut(
        **_page(len(found), query),
        results=[
            AnomalyOut(
                key=a.key,
                kind=str(a.kind),
                kind_label=a.kind_label,
                username=a.username,
                first_at=a.first_at,
                last_at=a.last_at,
                cases=list(a.cases),
                reads=a.reads,
                explanation=a.explanation,
            )
            for a in found[_slice(query)]
        ],
    )
