"""The agency directory over the API (issue 15 item 7): list and search it, read one agency, add one.

Thin: the directory's selectors (`referrals.selectors.agencies`: for staff who refer or share cases, 403 for anyone
else) and its service (`agency_create`: administrators only, 403 otherwise; the same rules as the pages, each broken
rule a 422 naming its field).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, ClassVar

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Path, Query, Router, Schema
from ninja.responses import Status as HttpStatus

from saferhomes.accounts.http import actor_of
from saferhomes.api import idempotency
from saferhomes.api.schemas import COMMON_ERRORS, LONG_TEXT_MAX, ApiIn, ProblemOut
from saferhomes.core.errors import DomainError
from saferhomes.core.idempotency import create_once
from saferhomes.core.permissions import require
from saferhomes.referrals.models import Agency, AgencyKind
from saferhomes.referrals.selectors.agencies import SEARCH_MAX, agencies_for, agency_by_code, agency_get
from saferhomes.referrals.services.agencies import LIMITS, MANAGE_AGENCIES, AgencyDetails, agency_create

router = Router(tags=["Agencies"])

READ_ERRORS: dict[int, type[Schema]] = {**COMMON_ERRORS, 403: ProblemOut, 404: ProblemOut}
LIST_ERRORS: dict[int, type[Schema]] = {**COMMON_ERRORS, 403: ProblemOut, 422: ProblemOut}
AgencyCode = Annotated[str, Path(max_length=LIMITS["code"], description="The agency's code, e.g. COUNCIL-ASB")]


class AgencyOut(Schema):
    """An agency of the directory: who they are, how to reach them, who they help and how to refer."""

    code: str
    name: str
    kind: AgencyKind
    kind_label: str
    handles_da: bool = Field(description="Entitled to domestic abuse information (DA cases may be shared with it)")
    active: bool = Field(description="False when the agency no longer takes referrals")
    description: str
    email: str
    secure_email: str = Field(description="For personal information")
    phone: str
    website: str
    address: str
    area_served: str
    eligibility: str
    how_to_refer: str
    updated_at: dt.datetime


class AgenciesFilter(ApiIn):
    """Which agencies: a name or code (any part, ignoring case), and a kind."""

    q: str = Field("", max_length=SEARCH_MAX, description="Part of the name or code")
    kind: AgencyKind | None = Field(None, description="Only agencies of this kind")


def _text(name: str, description: str = "") -> str:
    return Field("", max_length=LIMITS[name], description=description)


class AgencyIn(ApiIn):
    """An agency to add to the directory."""

    code: str = Field(
        min_length=1,
        max_length=LIMITS["code"],
        description="A short key that stays the same: letters and numbers, hyphens or underscores between them",
    )
    name: str = Field(min_length=1, max_length=LIMITS["name"])
    kind: AgencyKind
    description: str = Field("", max_length=LONG_TEXT_MAX)
    email: str = _text("email")
    secure_email: str = _text("secure_email", "For personal information (e.g. a police .pnn address)")
    phone: str = _text("phone")
    website: str = _text("website", "http:// or https:// address")
    address: str = _text("address")
    area_served: str = _text("area_served")
    eligibility: str = Field("", max_length=LONG_TEXT_MAX, description="Who the service is for")
    how_to_refer: str = Field("", max_length=LONG_TEXT_MAX)
    handles_da: bool = Field(False, description="Entitled to domestic abuse information")
    active: bool = Field(True, description="Still taking referrals")

    columns: ClassVar[dict[str, str]] = {
        name: f"referrals.Agency.{name}"
        for name in ("code", "name", "kind", "email", "secure_email", "phone", "website", "address", "area_served")
    }


def _agency_out(agency: Agency) -> AgencyOut:
    return AgencyOut(
        code=agency.code,
        name=agency.name,
        kind=AgencyKind(agency.kind),
        kind_label=agency.get_kind_display(),
        handles_da=agency.handles_da,
        active=agency.active,
        description=agency.description,
        email=agency.email,
        secure_email=agency.secure_email,
        phone=agency.phone,
        website=agency.website,
        address=agency.address,
        area_served=agency.area_served,
        eligibility=agency.eligibility,
        how_to_refer=agency.how_to_refer,
        updated_at=agency.updated_at,
    )


@router.get(
    "/agencies",
    response={200: list[AgencyOut], **LIST_ERRORS},
    summary="The agency directory",
    operation_id="agencies",
    url_name="agencies",
)
def agencies(request: HttpRequest, filters: Query[AgenciesFilter]) -> list[AgencyOut]:
    """Every agency, by name, or those matching `q` and `kind`. For staff who refer or share cases."""
    found = agencies_for(actor=actor_of(request), q=filters.q, kind=filters.kind.value if filters.kind else "")
    return [_agency_out(agency) for agency in found]


@router.get(
    "/agencies/{code}",
    response={200: AgencyOut, **READ_ERRORS},
    summary="One agency",
    operation_id="agency",
    url_name="agency",
)
def agency(request: HttpRequest, code: AgencyCode) -> AgencyOut:
    """The agency with this code (ignoring case)."""
    try:
        return _agency_out(agency_by_code(actor=actor_of(request), code=code))
    except DomainError:
        raise Http404("No agency has this code") from None


@router.post(
    "/agencies",
    response={201: AgencyOut, **LIST_ERRORS},
    summary="Add an agency",
    operation_id="agency_create",
    url_name="agency-create",
)
def agency_add(
    request: HttpRequest, response: HttpResponse, payload: AgencyIn, idempotency_key: str = idempotency.key_header()
) -> HttpStatus[AgencyOut]:
    """Add an agency to the directory (administrators). A code another agency has (ignoring case), an email address
    or website that is not one, is a 422 naming the field. Send an `Idempotency-Key` to retry safely."""
    actor = actor_of(request)
    require(actor, MANAGE_AGENCIES)
    key = idempotency.key_of(idempotency_key)

    def create() -> int:
        return agency_create(actor=actor, details=AgencyDetails(**payload.dict()), request=request).pk

    created = create_once(actor=actor, scope="referrals.agency_create", key=key, create=create)
    idempotency.mark_replayed(response, created)
    made = agency_get(actor=actor, pk=created.object_id)
    if made is None:
        raise Http404("The agency this key added is no longer in the directory")
    return HttpStatus(201, _agency_out(made))
