"""Data protection rights requests over the API (issue 19 part 4), for holders of `privacy.handle_rights_request`
(the DPO): list and record requests, read one, extend its deadline once with a reason, decide it.

Thin: the services in `privacy/services/rights.py` and the selectors in `privacy/selectors/rights.py`. A broken rule
(no one named, a refusal without a reason, an extension after the deadline) is a 422 problem+json naming the field.
Subject access exports are produced and downloaded on the staff website only.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, ClassVar, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema
from ninja.responses import Status as HttpStatus

from saferhomes.accounts.http import actor_of
from saferhomes.api import idempotency
from saferhomes.api.schemas import COMMON_ERRORS, ApiIn, EdgeDate, ProblemOut
from saferhomes.core.idempotency import create_once
from saferhomes.core.permissions import require
from saferhomes.privacy.models_rights import RightsRequest
from saferhomes.privacy.rights_rules import deadline_words
from saferhomes.privacy.selectors.rights import (
    HANDLE,
    RequestFilters,
    rights_request_for,
    rights_requests_for,
    rights_subject_person,
)
from saferhomes.privacy.services.rights import (
    RequestDetails,
    rights_request_decide,
    rights_request_extend,
    rights_request_record,
)

router = Router(tags=["Rights requests"])

READ_ERRORS: dict[int, type[Schema]] = {**COMMON_ERRORS, 403: ProblemOut, 404: ProblemOut}
WRITE_ERRORS: dict[int, type[Schema]] = {**COMMON_ERRORS, 403: ProblemOut, 404: ProblemOut, 422: ProblemOut}
RequestId = Annotated[int, Path(ge=1, le=2_147_483_647, description="The request's number (RR-00042 is 42)")]
TEXT_MAX = 5000


class RightsRequestOut(Schema):
    """A rights request: what was asked, its deadline and where it stands (no subject details)."""

    id: int
    reference: str
    kind: str = Field(description="access, erasure, rectification, restriction, objection or portability")
    status: str = Field(description="received, identity_checked, in_progress, completed or refused")
    received_on: dt.date
    due_on: dt.date = Field(description="The deadline in force (the extended one, once extended)")
    original_due_on: dt.date
    extended: bool
    extension_reason: str
    deadline: str = Field(description="The deadline in words, e.g. 'Due in 5 days (Wed 9 Dec 2026)'")
    identity_checked: bool
    decision: str = Field(description="complied, partly or refused; empty until decided")
    decision_reason: str
    action_taken: str
    decided_at: dt.datetime | None


class RightsRequestIn(ApiIn):
    """A new request. Name who it is about: a register `person_reference`, full names, emails or phone numbers."""

    columns: ClassVar[dict[str, str]] = {
        "requester_name": "privacy.RightsRequest.requester_name",
        "requester_email": "privacy.RightsRequest.requester_email",
        "requester_phone": "privacy.RightsRequest.requester_phone",
        "requester_address": "privacy.RightsRequest.requester_address",
    }

    kind: Literal["access", "erasure", "rectification", "restriction", "objection", "portability"]
    requester_name: str = Field(min_length=1, max_length=200)
    received_on: EdgeDate
    requester_email: str = Field("", max_length=254)
    requester_phone: str = Field("", max_length=30)
    requester_address: str = Field("", max_length=250)
    acting_for_subject: bool = False
    authority: str = Field("", max_length=TEXT_MAX)
    identity_verified_how: str = Field("", max_length=TEXT_MAX, description="Empty when not checked yet")
    person_reference: str = Field("", max_length=40)
    subject_names: list[Annotated[str, Field(max_length=200)]] = Field(default_factory=list, max_length=20)
    subject_dob: EdgeDate | None = None
    subject_emails: list[Annotated[str, Field(max_length=254)]] = Field(default_factory=list, max_length=20)
    subject_phones: list[Annotated[str, Field(max_length=30)]] = Field(default_factory=list, max_length=20)
    subject_postcodes: list[Annotated[str, Field(max_length=10)]] = Field(default_factory=list, max_length=20)
    details: str = Field("", max_length=TEXT_MAX)


class ExtendIn(ApiIn):
    reason: str = Field(min_length=1, max_length=TEXT_MAX, description="Why the deadline needs two further months")


class DecisionIn(ApiIn):
    decision: Literal["complied", "partly", "refused"]
    reason: str = Field("", max_length=TEXT_MAX, description="Needed for partly and refused")
    action_taken: str = Field("", max_length=TEXT_MAX)


class ListQuery(Schema):
    show: Literal["open", "due_soon", "overdue", "closed", "all"] = "open"
    kind: Literal["", "access", "erasure", "rectification", "restriction", "objection", "portability"] = ""


def _out(rights_request: RightsRequest) -> RightsRequestOut:
    return RightsRequestOut(
        id=rights_request.pk,
        reference=rights_request.reference,
        kind=rights_request.kind,
        status=rights_request.status,
        received_on=rights_request.received_on,
        due_on=rights_request.current_due_on,
        original_due_on=rights_request.due_on,
        extended=rights_request.extended_due_on is not None,
        extension_reason=rights_request.extension_reason,
        deadline=deadline_words(
            due_on=rights_request.current_due_on, today=timezone.localdate(), is_open=rights_request.is_open
        ),
        identity_checked=rights_request.identity_verified_at is not None,
        decision=rights_request.decision,
        decision_reason=rights_request.decision_reason,
        action_taken=rights_request.action_taken,
        decided_at=rights_request.decided_at,
    )


@router.get(
    "/rights-requests",
    response={200: list[RightsRequestOut], **READ_ERRORS},
    summary="Rights requests",
    operation_id="rights_requests_list",
    url_name="rights-requests-list",
)
def rights_requests_list(request: HttpRequest, filters: Query[ListQuery]) -> list[RightsRequestOut]:
    """Open requests by default, soonest deadline first; `show` picks due_soon (7 days), overdue, closed or all."""
    rows = rights_requests_for(
        actor=actor_of(request),
        filters=RequestFilters(show=filters.show, kind=filters.kind),
        today=timezone.localdate(),
    )
    return [_out(row) for row in rows[:500]]


@router.post(
    "/rights-requests",
    response={201: RightsRequestOut, **WRITE_ERRORS},
    summary="Record a rights request",
    operation_id="rights_requests_create",
    url_name="rights-requests-create",
)
def rights_requests_create(
    request: HttpRequest,
    response: HttpResponse,
    payload: RightsRequestIn,
    idempotency_key: str = idempotency.key_header(),
) -> HttpStatus[RightsRequestOut]:
    """Record a request; its deadline is one month from `received_on` (the next working day when that is not one).

    **Idempotency.** Send an `Idempotency-Key` header to retry safely: a repeat with the same key from the same token
    holder creates nothing and answers 201 with the same request, plus `Idempotent-Replayed: true`."""
    actor = actor_of(request)
    require(actor, HANDLE)
    key = idempotency.key_of(idempotency_key)
    person = (
        rights_subject_person(actor=actor, reference=payload.person_reference) if payload.person_reference else None
    )
    details = RequestDetails(
        kind=payload.kind,
        requester_name=payload.requester_name,
        received_on=payload.received_on,
        requester_email=payload.requester_email,
        requester_phone=payload.requester_phone,
        requester_address=payload.requester_address,
        acting_for_subject=payload.acting_for_subject,
        authority=payload.authority,
        identity_verified_how=payload.identity_verified_how,
        person=person,
        subject_names=payload.subject_names,
        subject_dob=payload.subject_dob,
        subject_emails=payload.subject_emails,
        subject_phones=payload.subject_phones,
        subject_postcodes=payload.subject_postcodes,
        details=payload.details,
    )
    created = create_once(
        actor=actor,
        scope="privacy.rights_request_record",
        key=key,
        create=lambda: rights_request_record(actor=actor, details=details, request=request).pk,
    )
    idempotency.mark_replayed(response, created)
    return HttpStatus(201, _out(rights_request_for(actor=actor, pk=created.object_id)))


@router.get(
    "/rights-requests/{request_id}",
    response={200: RightsRequestOut, **READ_ERRORS},
    summary="A rights request",
    operation_id="rights_requests_get",
    url_name="rights-requests-get",
)
def rights_requests_get(request: HttpRequest, request_id: RequestId) -> RightsRequestOut:
    """One request, with its deadline in words."""
    return _out(rights_request_for(actor=actor_of(request), pk=request_id))


@router.post(
    "/rights-requests/{request_id}/extend",
    response={200: RightsRequestOut, **WRITE_ERRORS},
    summary="Extend a rights request's deadline",
    operation_id="rights_requests_extend",
    url_name="rights-requests-extend",
)
def rights_requests_extend(request: HttpRequest, request_id: RequestId, payload: ExtendIn) -> RightsRequestOut:
    """By two further months (three months from receipt), once, with a reason, before the deadline passes."""
    actor = actor_of(request)
    rights_request = rights_request_for(actor=actor, pk=request_id)
    return _out(
        rights_request_extend(actor=actor, rights_request=rights_request, reason=payload.reason, request=request)
    )


@router.post(
    "/rights-requests/{request_id}/decision",
    response={200: RightsRequestOut, **WRITE_ERRORS},
    summary="Decide a rights request",
    operation_id="rights_requests_decide",
    url_name="rights-requests-decide",
)
def rights_requests_decide(request: HttpRequest, request_id: RequestId, payload: DecisionIn) -> RightsRequestOut:
    """Complied, partly or refused; partly and refused need a reason (e.g. Article 17(3), or Article 12(5))."""
    actor = actor_of(request)
    rights_request = rights_request_for(actor=actor, pk=request_id)
    decided = rights_request_decide(
        actor=actor,
        rights_request=rights_request,
        decision=payload.decision,
        reason=payload.reason,
        action_taken=payload.action_taken,
        request=request,
    )
    return _out(decided)
