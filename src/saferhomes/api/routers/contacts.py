"""Contacts over the API: the case's contacts, and recording one (the Contacts tab's service).

Thin: `case_of` (404 for a case the token holder cannot see), then `cases.services.record.contact_record`. A contact
we made in a way the party's safe-contact instructions rule out needs `override_reason`, or it is refused (422 on
`override_reason`, saying which instruction) — as on the contact form (ADR 0009).
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Router, Schema
from ninja.responses import Status as HttpStatus

from saferhomes.accounts.http import actor_of
from saferhomes.api import idempotency
from saferhomes.api.schemas import (
    COMMON_ERRORS,
    LONG_TEXT_MAX,
    ApiIn,
    DbInt,
    EdgeDatetime,
    ProblemOut,
    RecordReference,
)
from saferhomes.cases.http import case_of
from saferhomes.cases.models import Contact, ContactPurpose, Direction
from saferhomes.cases.permissions import WORK_CASE
from saferhomes.cases.selectors.case import case_parties
from saferhomes.cases.selectors.record import case_contacts
from saferhomes.cases.services.record import OVERRIDE_REASON_MAX, contact_record
from saferhomes.core.errors import DomainError
from saferhomes.core.idempotency import create_once
from saferhomes.core.permissions import require
from saferhomes.housing.models import ContactMethod

router = Router(tags=["Contacts"])

READ_ERRORS: dict[int, type[Schema]] = {**COMMON_ERRORS, 403: ProblemOut, 404: ProblemOut}
WRITE_ERRORS: dict[int, type[Schema]] = {**READ_ERRORS, 422: ProblemOut}


class ContactOut(Schema):
    """One communication with someone on the case, or an attempt."""

    id: int
    party_id: int | None = Field(description="The party it was with (null: no named person)")
    party_name: str
    method: str
    direction: str
    purpose: str
    successful: bool
    occurred_at: dt.datetime
    summary: str
    override_reason: str = Field(
        "", description="Why we contacted them in a way their safe-contact instructions rule out"
    )
    recorded_by: str


class ContactIn(ApiIn):
    """A contact to record."""

    party_id: DbInt | None = Field(None, description="A party on this case (see the case's `parties`); null: nobody")
    method: ContactMethod
    direction: Direction = Direction.OUTBOUND
    purpose: ContactPurpose = ContactPurpose.GENERAL
    successful: bool = True
    occurred_at: EdgeDatetime
    summary: str = Field(min_length=1, max_length=LONG_TEXT_MAX)
    override_reason: str = Field(
        "",
        max_length=OVERRIDE_REASON_MAX,
        description="Needed when we contacted them in a way their safe-contact instructions rule out",
    )

    columns: ClassVar[dict[str, str]] = {"summary": "cases.Contact.summary"}


def _contact_out(contact: Contact) -> ContactOut:
    return ContactOut(
        id=contact.pk,
        party_id=contact.party_id,
        party_name=contact.party.display_name if contact.party is not None else "",
        method=contact.method,
        direction=contact.direction,
        purpose=contact.purpose,
        successful=contact.successful,
        occurred_at=contact.occurred_at,
        summary=contact.summary,
        override_reason=contact.override_reason,
        recorded_by=contact.created_by.get_full_name() if contact.created_by is not None else "",
    )


@router.get(
    "/cases/{reference}/contacts",
    response={200: list[ContactOut], **READ_ERRORS},
    summary="A case's contacts",
    operation_id="cases_contacts",
    url_name="cases-contacts",
)
def contacts(request: HttpRequest, reference: RecordReference) -> list[ContactOut]:
    """Every contact and attempt on the case, newest first."""
    return [_contact_out(contact) for contact in case_contacts(case=case_of(request, reference))]


@router.post(
    "/cases/{reference}/contacts",
    response={201: ContactOut, **WRITE_ERRORS},
    summary="Record a contact",
    operation_id="cases_contact_record",
    url_name="cases-contact-record",
)
def contact_add(
    request: HttpRequest,
    response: HttpResponse,
    reference: RecordReference,
    payload: ContactIn,
    idempotency_key: str = idempotency.key_header(),
) -> HttpStatus[ContactOut]:
    """A contact (or an attempt: `successful` false) with a party. A first response to the reporter stops the response
    clock. Send an `Idempotency-Key` to retry safely."""
    actor, case = actor_of(request), case_of(request, reference)
    require(actor, WORK_CASE)
    key = idempotency.key_of(idempotency_key)

    def create() -> int:
        party = None
        if payload.party_id is not None:
            party = next((each for each in case_parties(case=case) if each.pk == payload.party_id), None)
            if party is None:
                raise DomainError(field_errors={"party_id": "Select someone who is on this case"})
        return contact_record(
            actor=actor,
            case=case,
            party=party,
            request=request,
            **payload.dict(exclude={"party_id"}),
        ).pk

    created = create_once(actor=actor, scope=f"cases.contact_record:{case.pk}", key=key, create=create)
    idempotency.mark_replayed(response, created)
    contact = case_contacts(case=case).filter(pk=created.object_id).first()
    if contact is None:
        raise Http404("The contact this key recorded is no longer on the case")
    return HttpStatus(201, _contact_out(contact))
