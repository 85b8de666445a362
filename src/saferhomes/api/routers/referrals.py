"""Referrals over the API (issue 15 items 2 and 7): a case's referrals, making one, and recording what became of it.

Thin: `case_of` (404 for a case the token holder cannot see, never a hint that it exists), then the services in
`referrals.services.referrals` (the same rules as the Partnership tab: 422 naming the field a rule is about, e.g.
`crime_reference` or `lawful_basis`). The agency is named by its directory code.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Router, Schema
from ninja.responses import Status as HttpStatus

from saferhomes.accounts.http import actor_of
from saferhomes.accounts.models import User
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
from saferhomes.cases.models import Case
from saferhomes.core.calendar_config import calendar_current
from saferhomes.core.errors import DomainError
from saferhomes.core.idempotency import create_once
from saferhomes.core.permissions import require
from saferhomes.referrals.models import Consent, LawfulBasis, Referral, ReferralKind
from saferhomes.referrals.referral_rules import CRIME_REFERENCE_MAX, time_to_refer
from saferhomes.referrals.selectors.referrals import agency_by_code, case_referrals, referral_for_case
from saferhomes.referrals.services import referrals as services

router = Router(tags=["Referrals"])

READ_ERRORS: dict[int, type[Schema]] = {**COMMON_ERRORS, 403: ProblemOut, 404: ProblemOut}
WRITE_ERRORS: dict[int, type[Schema]] = {**READ_ERRORS, 422: ProblemOut}


class TimeToReferOut(Schema):
    """Police referrals: from the prompt at triage (or the report's receipt) to when the referral was sent."""

    working_hours: float = Field(description="Working hours under the landlord's calendar (bank holidays excluded)")
    calendar_hours: float = Field(description="Hours that really passed (clock changes counted as they happened)")
    from_prompt: bool = Field(description="True: timed from the police prompt at triage; false: from the receipt")


class ReferralOut(Schema):
    """A referral of the case to an agency."""

    id: int
    agency: str = Field(description="The agency's directory code")
    agency_name: str
    kind: str = Field(description="police, marac, safeguarding, support, mediation or other")
    status: str = Field(description="sent, acknowledged, outcome or withdrawn")
    reason: str
    information_shared: str
    lawful_basis: str
    consent: str
    consent_note: str
    crime_reference: str
    clock_started_at: dt.datetime
    sent_at: dt.datetime
    acknowledged_at: dt.datetime | None
    outcome: str
    outcome_at: dt.datetime | None
    withdrawn_at: dt.datetime | None
    withdrawn_reason: str
    chases: int = Field(description="How many times the officer was reminded to chase the agency")
    time_to_refer: TimeToReferOut | None = Field(description="Police referrals only")
    version: int = Field(description="Send it back with a change: a stale version is refused (422)")


class ReferralIn(ApiIn):
    """A referral that was sent: to which agency, what kind, why, what was shared, the lawful basis and consent."""

    agency: str = Field(min_length=1, max_length=30, description="The agency's directory code")
    kind: ReferralKind
    reason: str = Field(min_length=1, max_length=services.TEXT_MAX)
    information_shared: str = Field(min_length=1, max_length=services.TEXT_MAX)
    lawful_basis: LawfulBasis = Field(
        description="consent, legal_obligation, vital_interests, public_task or legitimate_interests"
    )
    consent: Consent = Field(description="given, refused or not_sought (then say why in consent_note)")
    consent_note: str = Field("", max_length=services.NOTE_MAX)
    crime_reference: str = Field(
        "", max_length=CRIME_REFERENCE_MAX, description="Needed for police referrals, e.g. 13/123456/26"
    )
    sent_at: EdgeDatetime | None = Field(None, description="When it was sent (default: now); not in the future")

    columns: ClassVar[dict[str, str]] = {
        "reason": "referrals.Referral.reason",
        "information_shared": "referrals.Referral.information_shared",
        "consent_note": "referrals.Referral.consent_note",
        "crime_reference": "referrals.Referral.crime_reference",
        "agency": "referrals.Agency.code",
    }


class AcknowledgeIn(ApiIn):
    acknowledged_at: EdgeDatetime | None = Field(None, description="Default: now")
    version: DbInt | None = None


class OutcomeIn(ApiIn):
    outcome: str = Field(min_length=1, max_length=LONG_TEXT_MAX)
    outcome_at: EdgeDatetime | None = Field(None, description="Default: now")
    version: DbInt | None = None

    columns: ClassVar[dict[str, str]] = {"outcome": "referrals.Referral.outcome"}


class WithdrawIn(ApiIn):
    reason: str = Field(min_length=1, max_length=services.NOTE_MAX)
    version: DbInt | None = None

    columns: ClassVar[dict[str, str]] = {"reason": "referrals.Referral.withdrawn_reason"}


def _status(referral: Referral) -> str:
    if referral.withdrawn_at is not None:
        return "withdrawn"
    if referral.outcome_at is not None:
        return "outcome"
    return "acknowledged" if referral.acknowledged_at is not None else "sent"


def _referral_out(referral: Referral, case: Case, chases: int) -> ReferralOut:
    timing = None
    if referral.kind == ReferralKind.POLICE:
        measured = time_to_refer(referral.clock_started_at, referral.sent_at, calendar_current())
        timing = TimeToReferOut(
            working_hours=round(measured.working_hours, 2),
            calendar_hours=round(measured.calendar_hours, 2),
            from_prompt=referral.clock_started_at != case.received_at,
        )
    return ReferralOut(
        id=referral.pk,
        agency=referral.agency.code,
        agency_name=referral.agency.name,
        kind=referral.kind,
        status=_status(referral),
        reason=referral.reason,
        information_shared=referral.information_shared,
        lawful_basis=referral.lawful_basis,
        consent=referral.consent,
        consent_note=referral.consent_note,
        crime_reference=referral.crime_reference,
        clock_started_at=referral.clock_started_at,
        sent_at=referral.sent_at,
        acknowledged_at=referral.acknowledged_at,
        outcome=referral.outcome,
        outcome_at=referral.outcome_at,
        withdrawn_at=referral.withdrawn_at,
        withdrawn_reason=referral.withdrawn_reason,
        chases=chases,
        time_to_refer=timing,
        version=referral.version,
    )


def _one(case: Case, pk: int, actor: User) -> ReferralOut:
    referral = case_referrals(case=case, actor=actor).filter(pk=pk).first()
    if referral is None:
        raise Http404("No such referral on this case")
    return _referral_out(referral, case, getattr(referral, "chase_count", 0))


@router.get(
    "/cases/{reference}/referrals",
    response={200: list[ReferralOut], **READ_ERRORS},
    summary="A case's referrals",
    operation_id="cases_referrals",
    url_name="cases-referrals",
)
def referrals(request: HttpRequest, reference: RecordReference) -> list[ReferralOut]:
    """Every referral of the case to the police and other agencies, newest sent first."""
    case = case_of(request, reference)
    return [
        _referral_out(each, case, getattr(each, "chase_count", 0))
        for each in case_referrals(case=case, actor=actor_of(request))
    ]


@router.post(
    "/cases/{reference}/referrals",
    response={201: ReferralOut, **WRITE_ERRORS},
    summary="Record a referral",
    operation_id="cases_referral_make",
    url_name="cases-referral-make",
)
def referral_make(
    request: HttpRequest,
    response: HttpResponse,
    reference: RecordReference,
    payload: ReferralIn,
    idempotency_key: str = idempotency.key_header(),
) -> HttpStatus[ReferralOut]:
    """A referral that was sent to an agency (by its directory code). A police referral needs the crime or incident
    reference; a DA or restricted case goes only to an agency entitled to DA information; consent refused cannot be
    the lawful basis. Recorded as a disclosure. Send an `Idempotency-Key` to retry safely."""
    actor, case = actor_of(request), case_of(request, reference)
    require(actor, services.REFER_CASE)
    key = idempotency.key_of(idempotency_key)

    def create() -> int:
        agency = agency_by_code(payload.agency)
        if agency is None:
            raise DomainError(field_errors={"agency": f"There is no agency with the code {payload.agency!r}"})
        return services.referral_make(
            actor=actor, case=case, agency=agency, request=request, **payload.dict(exclude={"agency"})
        ).pk

    created = create_once(actor=actor, scope=f"referrals.referral_make:{case.pk}", key=key, create=create)
    idempotency.mark_replayed(response, created)
    return HttpStatus(201, _one(case, created.object_id, actor_of(request)))


@router.post(
    "/cases/{reference}/referrals/{referral_id}/acknowledge",
    response={200: ReferralOut, **WRITE_ERRORS},
    summary="Record a referral's acknowledgement",
    operation_id="cases_referral_acknowledge",
    url_name="cases-referral-acknowledge",
)
def referral_acknowledge(
    request: HttpRequest, reference: RecordReference, referral_id: DbInt, payload: AcknowledgeIn
) -> ReferralOut:
    """The agency acknowledged the referral (chasing stops)."""
    case = case_of(request, reference)
    services.referral_acknowledge(
        actor=actor_of(request),
        referral=referral_for_case(case=case, pk=referral_id, actor=actor_of(request)),
        request=request,
        **payload.dict(),
    )
    return _one(case, referral_id, actor_of(request))


@router.post(
    "/cases/{reference}/referrals/{referral_id}/outcome",
    response={200: ReferralOut, **WRITE_ERRORS},
    summary="Record a referral's outcome",
    operation_id="cases_referral_outcome",
    url_name="cases-referral-outcome",
)
def referral_outcome(
    request: HttpRequest, reference: RecordReference, referral_id: DbInt, payload: OutcomeIn
) -> ReferralOut:
    """What came of the referral: it is then no longer outstanding and no longer blocks closing the case."""
    case = case_of(request, reference)
    services.referral_record_outcome(
        actor=actor_of(request),
        referral=referral_for_case(case=case, pk=referral_id, actor=actor_of(request)),
        request=request,
        **payload.dict(),
    )
    return _one(case, referral_id, actor_of(request))


@router.post(
    "/cases/{reference}/referrals/{referral_id}/withdraw",
    response={200: ReferralOut, **WRITE_ERRORS},
    summary="Withdraw a referral",
    operation_id="cases_referral_withdraw",
    url_name="cases-referral-withdraw",
)
def referral_withdraw(
    request: HttpRequest, reference: RecordReference, referral_id: DbInt, payload: WithdrawIn
) -> ReferralOut:
    """Withdraw the referral, with a `reason`."""
    case = case_of(request, reference)
    services.referral_withdraw(
        actor=actor_of(request),
        referral=referral_for_case(case=case, pk=referral_id, actor=actor_of(request)),
        request=request,
        **payload.dict(),
    )
    return _one(case, referral_id, actor_of(request))
