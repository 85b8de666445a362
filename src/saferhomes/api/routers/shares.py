"""Shares with partner agencies over the API, and a partner's own reads (issue 15 item 7).

For staff (thin: `case_of`, then `referrals.services.shares`): list a case's shares, share parts of it with an agency,
withdraw a share. For a partner's token: the cases actively shared with its agency and the shared parts of one,
through the same selectors as the partner pages (`referrals.selectors.partner`): anything not actively shared with
the agency is a 404 with no hint, and every read is audited. A partner's token sees no case through `/cases`.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as HttpStatus

from saferhomes.accounts.http import actor_of
from saferhomes.api import idempotency
from saferhomes.api.parser import BodyProblemError, EdgeParser
from saferhomes.api.schemas import (
    COMMON_ERRORS,
    ApiIn,
    DbInt,
    EdgeDate,
    ProblemOut,
    RecordReference,
)
from saferhomes.cases.http import case_of
from saferhomes.core.errors import DomainError
from saferhomes.core.idempotency import create_once
from saferhomes.core.permissions import require
from saferhomes.referrals.models import CaseShare, LawfulBasis, SharePart
from saferhomes.referrals.selectors.partner import VIEW_SHARED, SharedCaseView, shared_case_for, shared_cases_for
from saferhomes.referrals.selectors.shares import (
    case_share_by_id,
    case_shares,
    share_agency_by_code,
    share_agreements,
    share_state,
)
from saferhomes.referrals.services.shares import REASON_MAX, case_share, share_withdraw

router = Router(tags=["Sharing with partners"])

READ_ERRORS: dict[int, type[Schema]] = {**COMMON_ERRORS, 403: ProblemOut, 404: ProblemOut}
WRITE_ERRORS: dict[int, type[Schema]] = {**READ_ERRORS, 422: ProblemOut}


class ShareOut(Schema):
    """A share of a case with a partner agency."""

    id: int
    agency: str = Field(description="The agency's code")
    agency_name: str
    parts: list[SharePart]
    ends_on: dt.date = Field(description="The last day the partner may see it (to midnight, Europe/London)")
    lawful_basis: LawfulBasis
    agreement_id: int | None
    reason: str
    state: str = Field(description="active, not_started, ended or withdrawn")
    shared_at: dt.datetime
    shared_by: str
    withdrawn_at: dt.datetime | None
    withdrawn_reason: str


class ShareIn(ApiIn):
    """A share to make: which agency, which parts, until when, on what basis, and why."""

    agency: str = Field(min_length=1, max_length=30, description="The agency's code, from GET /agencies")
    parts: list[SharePart] = Field(description="summary, incidents, risk, documents (at least one)")
    ends_on: EdgeDate = Field(description="The last day the partner may see it: today up to 12 months ahead")
    lawful_basis: LawfulBasis
    reason: str = Field(min_length=1, max_length=REASON_MAX)
    agreement_id: DbInt | None = Field(None, description="An information-sharing agreement that includes the agency")

    columns: ClassVar[dict[str, str]] = {"agency": "referrals.Agency.code"}


class SharedCaseRowOut(Schema):
    """A case shared with the token holder's agency."""

    reference: str
    case_type: str
    parts: list[SharePart]
    ends_on: dt.date


class SharedSummaryOut(Schema):
    case_type: str
    category: str
    status: str
    received_on: dt.date
    summary: str
    description: str


class SharedIncidentOut(Schema):
    occurred_at: dt.datetime
    occurred_until: dt.datetime | None
    description: str
    source: str


class SharedRiskOut(Schema):
    band: str
    instrument: str
    assessed_on: dt.date


class SharedDocumentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    description: str
    added_on: dt.date


class SharedUpdateOut(Schema):
    at: dt.datetime
    text: str
    author: str
    file_name: str


class SharedCaseOut(Schema):
    """The parts of a case shared with the token holder's agency; a part not shared is null."""

    reference: str
    case_type: str
    parts: list[SharePart]
    ends_on: dt.date
    lawful_basis: str
    reason: str
    summary: SharedSummaryOut | None
    incidents: list[SharedIncidentOut] | None
    risk: SharedRiskOut | None = Field(description="Null when not shared, or shared but not assessed yet")
    documents: list[SharedDocumentOut] | None
    updates: list[SharedUpdateOut] = Field(description="The updates your agency sent")


def _share_out(share: CaseShare) -> ShareOut:
    return ShareOut(
        id=share.pk,
        agency=share.agency.code,
        agency_name=share.agency.name,
        parts=[SharePart(part) for part in share.parts],
        ends_on=share.ends_on,
        lawful_basis=LawfulBasis(share.lawful_basis),
        agreement_id=share.agreement_id,
        reason=share.reason,
        state=share_state(share),
        shared_at=share.starts_at,
        shared_by=share.created_by.get_full_name() or share.created_by.get_username(),
        withdrawn_at=share.withdrawn_at,
        withdrawn_reason=share.withdrawn_reason,
    )


def _shared_out(view: SharedCaseView) -> SharedCaseOut:
    def each(items: list[object] | None, schema: type[Schema]) -> list[Schema] | None:
        return None if items is None else [schema.model_validate(item, from_attributes=True) for item in items]

    return SharedCaseOut.model_validate(
        {
            "reference": view.reference,
            "case_type": view.case_type,
            "parts": view.parts,
            "ends_on": view.ends_on,
            "lawful_basis": view.lawful_basis,
            "reason": view.reason,
            "summary": SharedSummaryOut.model_validate(view.summary, from_attributes=True) if view.summary else None,
            "incidents": each(list(view.incidents) if view.incidents is not None else None, SharedIncidentOut),
            "risk": SharedRiskOut.model_validate(view.risk, from_attributes=True) if view.risk else None,
            "documents": each(list(view.documents) if view.documents is not None else None, SharedDocumentOut),
            "updates": each(list(view.updates), SharedUpdateOut),
        }
    )


# Staff: a case's shares -------------------------------------------------------------------------------------------


@router.get(
    "/cases/{reference}/shares",
    response={200: list[ShareOut], **READ_ERRORS},
    summary="A case's shares with partner agencies",
    operation_id="cases_shares",
    url_name="cases-shares",
)
def shares_list(request: HttpRequest, reference: RecordReference) -> list[ShareOut]:
    """Every share of the case (active, not started, ended and withdrawn), newest first."""
    return [_share_out(share) for share in case_shares(case=case_of(request, reference))]


@router.post(
    "/cases/{reference}/shares",
    response={201: ShareOut, **WRITE_ERRORS},
    summary="Share parts of a case with a partner agency",
    operation_id="cases_share",
    url_name="cases-share",
)
def share_add(
    request: HttpRequest,
    response: HttpResponse,
    reference: RecordReference,
    payload: ShareIn,
    idempotency_key: str = idempotency.key_header(),
) -> HttpStatus[ShareOut]:
    """Share named parts of the case with an agency until the end of `ends_on` (Europe/London). A DA or restricted
    case only with an agency entitled to DA information; at most one active share per agency. Recorded in the
    disclosure log. Send an `Idempotency-Key` to retry safely."""
    actor, case = actor_of(request), case_of(request, reference)
    require(actor, "referrals.share_case")
    key = idempotency.key_of(idempotency_key)

    def create() -> int:
        agency = share_agency_by_code(code=payload.agency)
        if agency is None:
            raise DomainError(field_errors={"agency": "No agency has that code: see GET /api/v1/agencies"})
        agreement = None
        if payload.agreement_id is not None:
            agreement = share_agreements().filter(pk=payload.agreement_id).first()
            if agreement is None:
                raise DomainError(field_errors={"agreement_id": "No agreement in force has that id"})
        return case_share(
            actor=actor,
            case=case,
            agency=agency,
            parts=[str(part) for part in payload.parts],
            ends_on=payload.ends_on,
            lawful_basis=str(payload.lawful_basis),
            reason=payload.reason,
            agreement=agreement,
            request=request,
        ).pk

    created = create_once(actor=actor, scope=f"referrals.case_share:{case.pk}", key=key, create=create)
    idempotency.mark_replayed(response, created)
    share = case_share_by_id(case=case, share_id=created.object_id)
    if share is None:
        raise Http404("The share this key made is no longer on the case")
    return HttpStatus(201, _share_out(share))


@router.delete(
    "/cases/{reference}/shares/{share_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Withdraw a share",
    operation_id="cases_share_withdraw",
    url_name="cases-share-withdraw",
)
def share_delete(
    request: HttpRequest,
    reference: RecordReference,
    share_id: DbInt,
    reason: str = Query("", max_length=REASON_MAX, description='Why (or send {"reason": ...} as the body)'),
) -> HttpStatus[None]:
    """Stop the agency seeing the case now; `reason` is required, in the query or a JSON body. The share stays on
    record, withdrawn."""
    actor, case = actor_of(request), case_of(request, reference)
    require(actor, "referrals.share_case")
    share = case_share_by_id(case=case, share_id=share_id)
    if share is None:
        raise Http404("This case has no share with that id")
    words = reason or _body_reason(request)
    share_withdraw(actor=actor, share=share, reason=words, request=request)
    return HttpStatus(204, None)


def _body_reason(request: HttpRequest) -> str:
    """`reason` from a JSON body, if one was sent with the DELETE, checked as every body is (`EdgeParser`)."""
    if not request.body:
        return ""
    try:
        data = EdgeParser().parse_body(request)
    except BodyProblemError as problem:
        raise DomainError(field_errors={error["field"]: error["message"] for error in problem.errors}) from None
    except ValueError:
        raise DomainError(field_errors={"body": 'Send the reason as JSON, like {"reason": "..."}'}) from None
    reason = data.get("reason", "")
    if not isinstance(reason, str):
        raise DomainError(field_errors={"body.reason": "Send the reason as text"})
    if len(reason) > REASON_MAX:
        raise DomainError(field_errors={"body.reason": f"Must be {REASON_MAX:,} characters or fewer"})
    return reason


# Partners: the cases shared with their agency -------------------------------------------------------------------


@router.get(
    "/shared-cases",
    response={200: list[SharedCaseRowOut], **READ_ERRORS},
    summary="Cases shared with your agency (partner tokens)",
    operation_id="shared_cases",
    url_name="shared-cases",
)
def shared_cases(request: HttpRequest) -> list[SharedCaseRowOut]:
    """The cases actively shared with your agency, the soonest to end first (an empty list if your account is not
    linked to an agency). Recorded in the audit trail."""
    actor = actor_of(request)
    require(actor, VIEW_SHARED)
    return [
        SharedCaseRowOut(
            reference=row.reference,
            case_type=row.case_type,
            parts=[SharePart(p) for p in row.parts],
            ends_on=row.ends_on,
        )
        for row in shared_cases_for(actor=actor, request=request)
    ]


@router.get(
    "/shared-cases/{reference}",
    response={200: SharedCaseOut, **READ_ERRORS},
    summary="The shared parts of a case (partner tokens)",
    operation_id="shared_case",
    url_name="shared-case",
)
def shared_case(request: HttpRequest, reference: RecordReference) -> SharedCaseOut:
    """The parts of the case shared with your agency; 404 for any case not actively shared with it. Recorded in the
    audit trail."""
    actor = actor_of(request)
    require(actor, VIEW_SHARED)
    return _shared_out(shared_case_for(actor=actor, reference=reference, request=request))
