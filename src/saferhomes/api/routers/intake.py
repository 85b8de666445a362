"""Reports over the API (issue 6 part 8): take a report (staff tokens), and read one back.

Thin: `report_submit` — the one way every channel's report is written — and `report_get_for_actor` (404 for a report
the token holder may not see; DA reports only for DA-entitled staff).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema
from ninja.responses import Status as HttpStatus

from saferhomes.accounts.http import actor_of
from saferhomes.accounts.models import User
from saferhomes.api import idempotency
from saferhomes.api.schemas import COMMON_ERRORS, ApiIn, EdgeDatetime, ProblemOut, RecordReference
from saferhomes.cases.models import CaseType, HateStrand
from saferhomes.core.calendar import LONDON
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.housing.models import Person, Property
from saferhomes.housing.selectors import person_by_reference, property_by_reference
from saferhomes.intake.models import Channel, Report
from saferhomes.intake.selectors import staff as selectors
from saferhomes.intake.services.report import TAKE_REPORT, ReportDetails, report_by_idempotency_key, report_submit

router = Router(tags=["Reports"])

WRITE_ERRORS: dict[int, type[Schema]] = {**COMMON_ERRORS, 403: ProblemOut, 422: ProblemOut}
READ_ERRORS: dict[int, type[Schema]] = {**COMMON_ERRORS, 404: ProblemOut}
# report_submit's field names -> where the value is in the request body.
FIELD_NAMES = {
    "case_type": "type",
    "problem": "type",
    "location_text": "location",
    "home": "property_reference",
    "received_at": "received_at",
    "occurred_at": "occurred_at",
    "description": "description",
    "hate_strands": "hate_strands",
    "channel": "channel",
    **{
        name: f"reporter.{name}"
        for name in ("first_name", "last_name", "email", "phone", "address", "postcode", "safe_contact_notes")
    },
}


class ReporterIn(ApiIn):
    """Who reported it: a register `person_reference`, or their details."""

    person_reference: str = Field("", max_length=40, description="Housing register reference, if known")
    first_name: str = Field("", max_length=100)
    last_name: str = Field("", max_length=100)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=30)
    address: str = Field("", max_length=250)
    postcode: str = Field("", max_length=10)
    safe_contact_notes: str = Field("", max_length=5000, description="How to contact them safely")

    columns: ClassVar[dict[str, str]] = {
        "person_reference": "housing.Person.reference",
        **{
            name: f"intake.Report.{name}"
            for name in ("first_name", "last_name", "email", "phone", "address", "postcode", "safe_contact_notes")
        },
    }


# One set of type names across the API (cases say `da` too); `domestic_abuse` is kept as an alias of `da`.
ReportType = Literal["asb", "hate", "da", "domestic_abuse"]
REPORT_TYPE_ALIASES: dict[str, str] = {"domestic_abuse": CaseType.DA}


class ReportIn(ApiIn):
    """A report taken by a partner system or a member of staff."""

    channel: Channel = Field(
        Channel.API,
        description="How it reached you: " + ", ".join(Channel.values) + " (default api)",
    )
    type: ReportType = Field(
        description="asb, hate or da (the case types); domestic_abuse is accepted as an older name for da"
    )
    description: str = Field(min_length=1, max_length=5000, description="What happened (up to 5,000 characters)")
    occurred_at: EdgeDatetime | None = Field(
        None, description="When it happened (ISO 8601; not after received_at; no offset: Europe/London)"
    )
    location: str = Field("", max_length=250, description="Where it happened, in words")
    property_reference: str = Field("", max_length=40, description="The home it concerns, if it is one of ours")
    hate_strands: list[HateStrand] = Field(
        [],
        description="For type hate: disability, race, religion, sexual_orientation, transgender, other "
        "(default other; triage confirms)",
    )
    reporter: ReporterIn | None = Field(None, description="Null only when anonymous")
    anonymous: bool = False
    urgent: bool | None = Field(
        None, description="true: 24 working hours; false: 5 working days; null or omitted: worked out from the type"
    )
    received_at: EdgeDatetime | None = Field(
        None, description="When it reached you (ISO 8601; default now; a time without offset is Europe/London)"
    )

    columns: ClassVar[dict[str, str]] = {
        "description": "intake.Report.description",
        "location": "intake.Report.location_text",
        "property_reference": "housing.Property.reference",
    }


class ReportOut(Schema):
    """A report's reference, where it stands, and its response deadline."""

    reference: str
    case_reference: str | None = Field(description="The case it opened or was added to; null until triage")
    status: str = Field(description="draft, new, case_opened, added_to_case or not_proceeded")
    urgent: bool
    received_at: dt.datetime
    response_due_at: dt.datetime | None = Field(description="ISO 8601 in Europe/London with its offset")


def _out(report: Report) -> dict[str, Any]:
    case_reference = report.case.reference if report.case_id is not None and report.case is not None else None
    due = report.response_due_at
    return {
        "reference": report.reference,
        "case_reference": case_reference,
        "status": report.status,
        "urgent": report.urgent,
        "received_at": report.received_at.astimezone(LONDON),
        "response_due_at": due.astimezone(LONDON) if due is not None else None,
    }


def _details(payload: ReportIn, *, actor: User) -> ReportDetails:
    errors: dict[str, str] = {}
    case_type = CaseType(REPORT_TYPE_ALIASES.get(payload.type, payload.type))
    home: Property | None = None
    if payload.property_reference.strip():
        try:
            home = property_by_reference(actor=actor, reference=payload.property_reference)
        except DomainError:
            errors["property_reference"] = f"No home has the property reference {payload.property_reference.strip()}"
    reporter = payload.reporter or ReporterIn.model_validate({})
    person: Person | None = None
    if reporter.person_reference.strip():
        try:
            person = person_by_reference(actor=actor, reference=reporter.person_reference)
        except DomainError:
            errors["reporter.person_reference"] = f"No one has the reference {reporter.person_reference.strip()}"
    if payload.reporter is None and not payload.anonymous:
        errors["reporter"] = "Give the reporter's details, or say the report is anonymous"
    if errors:
        raise DomainError(field_errors=errors)
    strands = tuple(payload.hate_strands) or (("other",) if payload.type == "hate" else ())
    return ReportDetails(
        case_type=case_type,
        hate_strands=strands,
        description=payload.description,
        occurred_at=payload.occurred_at,
        home=home,
        location_text=payload.location,
        anonymous=payload.anonymous,
        first_name=reporter.first_name,
        last_name=reporter.last_name,
        email=reporter.email,
        phone=reporter.phone,
        address=reporter.address,
        postcode=reporter.postcode,
        person=person,
        safe_contact_notes=reporter.safe_contact_notes,
    )


def _renamed(error: DomainError) -> DomainError:
    """The service's field names as the request body's."""
    return DomainError(
        error.messages, field_errors={FIELD_NAMES.get(name, name): m for name, m in error.field_errors.items()}
    )


@router.post(
    "/reports",
    response={201: ReportOut, **WRITE_ERRORS},
    summary="Take a report",
    operation_id="reports_create",
    url_name="reports-create",
)
def report_create(
    request: HttpRequest,
    response: HttpResponse,
    payload: ReportIn,
    idempotency_key: str = idempotency.key_header(),
) -> HttpStatus[ReportOut]:
    """Take a report for triage: numbered (RPT-YYYY-NNNNNN), with its response deadline from `received_at` (5
    working days, or 24 working hours if urgent). `case_reference` stays null until triage opens a case for it or
    adds it to an open one.

    **Idempotency.** Send an `Idempotency-Key` header (up to 200 characters) to retry safely: a repeat with the same
    key from the same token holder creates nothing and answers **201 with the same body** as the first time, plus
    `Idempotent-Replayed: true`. The key names the report; a repeat's body is not compared with the first."""
    actor = actor_of(request)
    require(actor, TAKE_REPORT)
    key = idempotency.key_of(idempotency_key)
    if key:
        existing = report_by_idempotency_key(actor=actor, key=key)
        if existing is not None:
            response[idempotency.REPLAYED_HEADER] = "true"
            return HttpStatus(201, ReportOut(**_out(existing)))
    try:
        report = report_submit(
            details=_details(payload, actor=actor),
            channel=payload.channel,
            actor=actor,
            received_at=payload.received_at,
            urgent=payload.urgent,
            idempotency_key=key,
            request=request,
        )
    except DomainError as error:
        raise _renamed(error) from None
    return HttpStatus(201, ReportOut(**_out(report)))


@router.get(
    "/reports/{reference}",
    response={200: ReportOut, **READ_ERRORS},
    summary="Read a report",
    operation_id="reports_read",
    url_name="reports-read",
)
def report_read(request: HttpRequest, reference: RecordReference) -> ReportOut:
    """A report's status, deadline and case; 404 if it does not exist or you may not see it (DA reports only for
    DA-trained staff; reports on a case only for those who may see the case)."""
    report = selectors.report_get_for_actor(actor=actor_of(request), reference=reference, request=request)
    return ReportOut(**_out(report))
