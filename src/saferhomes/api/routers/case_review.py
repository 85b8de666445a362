"""ASB Case Review applications over the API (issue 17 part 8): take an application (staff tokens), and read one
back with its threshold assessment and decision.

Thin: `application_submit` — the one way every channel's application is written — and `application_get_for_actor`
(404 for anyone who may not see applications, partners included). A broken rule (on someone's behalf without their
consent, a date in the future) is a 422 problem+json naming the field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema
from ninja.responses import Status as HttpStatus

from saferhomes.accounts.http import actor_of
from saferhomes.accounts.models import User
from saferhomes.api import idempotency
from saferhomes.api.schemas import COMMON_ERRORS, ApiIn, EdgeDatetime, ProblemOut, RecordReference
from saferhomes.case_review import schema
from saferhomes.case_review.models import Application, ApplicationChannel
from saferhomes.case_review.selectors.applications import application_get_for_actor
from saferhomes.case_review.services.applications import (
    TAKE,
    ApplicationDetails,
    application_by_key,
    application_submit,
)
from saferhomes.core.calendar import LONDON
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.housing.models import Person, Property
from saferhomes.housing.selectors import person_by_reference, property_by_reference

router = Router(tags=["Case Review"])

WRITE_ERRORS: dict[int, type[Schema]] = {**COMMON_ERRORS, 403: ProblemOut, 422: ProblemOut}
READ_ERRORS: dict[int, type[Schema]] = {**COMMON_ERRORS, 404: ProblemOut}
PERSON_FIELDS = ("first_name", "last_name", "email", "phone", "address", "postcode")
# application_submit's field names -> where the value is in the request body.
FIELD_NAMES = {
    **{name: f"applicant.{name}" for name in PERSON_FIELDS},
    **{f"victim_{name}": f"on_behalf_of.{name}" for name in PERSON_FIELDS},
    "person": "applicant.person_reference",
    "victim_person": "on_behalf_of.person_reference",
    "location_text": "location",
    "home": "property_reference",
}


class PersonIn(ApiIn):
    """A person: a housing register `person_reference`, or their details."""

    first_name: str = Field("", max_length=100)
    last_name: str = Field("", max_length=100)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=30)
    address: str = Field("", max_length=250)
    postcode: str = Field("", max_length=10)
    person_reference: str = Field("", max_length=40, description="Housing register reference, if known")

    columns: ClassVar[dict[str, str]] = {
        "person_reference": "housing.Person.reference",
        **{name: f"case_review.Application.{name}" for name in PERSON_FIELDS},
    }


class ApplicationIn(ApiIn):
    """An application for an ASB Case Review, taken by a member of staff or a partner system."""

    applicant: PersonIn
    on_behalf_of: PersonIn | None = Field(None, description="The victim applied for; null when for the applicant")
    victim_consent: bool | None = Field(None, description="Required true when on_behalf_of is given")
    description: str = Field(min_length=1, max_length=5000, description="What has been happening, and why a review")
    location: str = Field("", max_length=250, description="Where it is happening, in words")
    property_reference: str = Field("", max_length=40, description="The home it concerns, if it is one of ours")
    received_at: EdgeDatetime | None = Field(
        None, description="When it reached you (ISO 8601; default now; not in the future; no offset: Europe/London)"
    )

    columns: ClassVar[dict[str, str]] = {
        "description": "case_review.Application.description",
        "location": "case_review.Application.location_text",
        "property_reference": "housing.Property.reference",
    }


class CreatedOut(Schema):
    reference: str
    status: str
    decision_due_at: dt.datetime | None = Field(description="ISO 8601 in Europe/London with its offset")


class ComplaintOut(Schema):
    report_reference: str | None
    case_reference: str | None
    agency: str | None = Field(description="For a complaint to another agency, added by hand")
    received_at: dt.date = Field(description="The London date the complaint was made")
    occurred_at: dt.date | None = Field(description="The London date of the behaviour")
    counts: bool
    reason: str | None = Field(
        description="Why it does not count: outside_window, late, different_problem, duplicate, not_covered"
    )


class ThresholdOut(Schema):
    rule: str | None = Field(description="The rule key the complaints were judged by")
    rule_set_version: int | None
    required: int | None
    suggested_met: bool | None
    complaints: list[ComplaintOut]


class DecisionOut(Schema):
    met: bool
    reasons: str
    decided_at: dt.datetime
    rule: str
    rule_set_version: int


class ApplicationOut(CreatedOut):
    threshold: ThresholdOut
    decision: DecisionOut | None


def _person(payload: PersonIn | None, *, actor: User, field: str) -> tuple[Person | None, dict[str, str]]:
    if payload is None or not payload.person_reference.strip():
        return None, {}
    try:
        return person_by_reference(actor=actor, reference=payload.person_reference), {}
    except DomainError:
        return None, {f"{field}.person_reference": f"No one has the reference {payload.person_reference.strip()}"}


def _details(payload: ApplicationIn, *, actor: User) -> ApplicationDetails:
    person, errors = _person(payload.applicant, actor=actor, field="applicant")
    victim, victim_errors = _person(payload.on_behalf_of, actor=actor, field="on_behalf_of")
    errors.update(victim_errors)
    home: Property | None = None
    if payload.property_reference.strip():
        try:
            home = property_by_reference(actor=actor, reference=payload.property_reference)
        except DomainError:
            errors["property_reference"] = f"No home has the property reference {payload.property_reference.strip()}"
    if payload.on_behalf_of is None and payload.victim_consent is not None:
        errors["victim_consent"] = "Give victim_consent only with on_behalf_of"
    if errors:
        raise DomainError(field_errors=errors)
    victim_in = payload.on_behalf_of or PersonIn.model_validate({})
    applicant = payload.applicant
    return ApplicationDetails(
        **{name: getattr(applicant, name) for name in PERSON_FIELDS},
        person=person,
        on_behalf=payload.on_behalf_of is not None,
        **{f"victim_{name}": getattr(victim_in, name) for name in PERSON_FIELDS},
        victim_person=victim,
        victim_consent=payload.victim_consent,
        description=payload.description,
        location_text=payload.location,
        home=home,
    )


def _renamed(error: DomainError) -> DomainError:
    return DomainError(
        error.messages, field_errors={FIELD_NAMES.get(name, name): m for name, m in error.field_errors.items()}
    )


def _local(value: dt.datetime | None) -> dt.datetime | None:
    return value.astimezone(LONDON) if value is not None else None


def _created(application: Application) -> dict[str, Any]:
    return {
        "reference": application.reference,
        "status": application.status,
        "decision_due_at": _local(application.decision_due_at),
    }


def _out(application: Application) -> ApplicationOut:
    rule_set = application.rule_set
    rule = schema.rule_of(rule_set.definition, application.rule_key) if rule_set and application.rule_key else None
    complaints = [
        ComplaintOut(
            report_reference=item.report_reference or None,
            case_reference=item.case_reference or None,
            agency=item.agency_name or None,
            received_at=item.received_on,
            occurred_at=item.occurred_on,
            counts=item.counts,
            reason=item.reason or None,
        )
        for item in application.complaints.all()
    ]
    decision = None
    if application.decided_at is not None and application.threshold_met is not None and rule_set is not None:
        decision = DecisionOut(
            met=application.threshold_met,
            reasons=application.decision_reasons,
            decided_at=application.decided_at.astimezone(LONDON),
            rule=application.rule_key,
            rule_set_version=rule_set.version,
        )
    return ApplicationOut(
        **_created(application),
        threshold=ThresholdOut(
            rule=rule.key if rule else None,
            rule_set_version=rule_set.version if rule_set else None,
            required=rule.required if rule else None,
            suggested_met=application.threshold_suggested_met,
            complaints=complaints,
        ),
        decision=decision,
    )


@router.post(
    "/case-reviews",
    response={201: CreatedOut, **WRITE_ERRORS},
    summary="Take a Case Review application",
    operation_id="case_reviews_create",
    url_name="case-reviews-create",
)
def application_create(
    request: HttpRequest,
    response: HttpResponse,
    payload: ApplicationIn,
    idempotency_key: str = idempotency.key_header(),
) -> HttpStatus[CreatedOut]:
    """Take an ASB Case Review application: numbered (CR-YYYY-NNNNNN), with its threshold decision deadline (10
    working days by default) from `received_at`. On someone's behalf only with `victim_consent: true`.

    **Idempotency.** Send an `Idempotency-Key` header to retry safely: a repeat with the same key from the same token
    holder creates nothing and answers 201 with the same body, plus `Idempotent-Replayed: true`."""
    actor = actor_of(request)
    require(actor, TAKE)
    key = idempotency.key_of(idempotency_key)
    existing = application_by_key(actor=actor, key=key)
    if existing is not None:
        response[idempotency.REPLAYED_HEADER] = "true"
        return HttpStatus(201, CreatedOut(**_created(existing)))
    try:
        submitted = application_submit(
            details=_details(payload, actor=actor),
            channel=ApplicationChannel.API,
            actor=actor,
            received_at=payload.received_at,
            idempotency_key=key,
            request=request,
        )
    except DomainError as error:
        raise _renamed(error) from None
    if submitted.replayed:
        response[idempotency.REPLAYED_HEADER] = "true"
    return HttpStatus(201, CreatedOut(**_created(submitted.application)))


@router.get(
    "/case-reviews/{reference}",
    response={200: ApplicationOut, **READ_ERRORS},
    summary="Read a Case Review application",
    operation_id="case_reviews_read",
    url_name="case-reviews-read",
)
def application_read(request: HttpRequest, reference: RecordReference) -> ApplicationOut:
    """An application's status, decision deadline, threshold assessment (each complaint, whether it counts and why
    not) and decision with the rule-set version it used; 404 if it does not exist or you may not see it."""
    return _out(application_get_for_actor(actor=actor_of(request), reference=reference))
