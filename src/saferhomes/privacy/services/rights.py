"""Rights requests: record one (with its Article 12(3) deadline), extend the deadline once with a reason, and decide
it with a reason when it is refused or met only in part. Each change is one audited, atomic service; the pages and
the API call these."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.calendar_config import calendar_current
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.housing.models import Person
from saferhomes.privacy.models_rights import RightsDecision, RightsKind, RightsRequest, RightsStatus
from saferhomes.privacy.rights_rules import extension_problem, rights_due_on

HANDLE = "privacy.handle_rights_request"


@dataclass
class RequestDetails:
    """What the handler records when a request arrives."""

    kind: str
    requester_name: str
    received_on: dt.date
    requester_email: str = ""
    requester_phone: str = ""
    requester_address: str = ""
    acting_for_subject: bool = False
    authority: str = ""
    identity_verified_how: str = ""
    person: Person | None = None
    subject_names: list[str] = field(default_factory=list)
    subject_dob: dt.date | None = None
    subject_emails: list[str] = field(default_factory=list)
    subject_phones: list[str] = field(default_factory=list)
    subject_postcodes: list[str] = field(default_factory=list)
    details: str = ""
    notes: str = ""


def _clean_list(values: list[str]) -> list[str]:
    seen: list[str] = []
    for value in values:
        value = " ".join(str(value).split())
        if value and value not in seen:
            seen.append(value)
    return seen


def _problems(details: RequestDetails, today: dt.date) -> dict[str, str]:
    problems: dict[str, str] = {}
    if details.kind not in RightsKind.values:
        problems["kind"] = "Select what kind of request it is"
    if not details.requester_name.strip():
        problems["requester_name"] = "Enter the name of the person making the request"
    if details.received_on > today:
        problems["received_on"] = "The date received must be today or in the past"
    if details.acting_for_subject and not details.authority.strip():
        problems["authority"] = "Enter the authority seen for acting on the person's behalf"
    has_identifier = details.person is not None or any(
        (details.subject_names, details.subject_emails, details.subject_phones)
    )
    if not has_identifier:
        problems["subject_names"] = (
            "Enter who the request is about: a register person, a full name, an email address or a phone number"
        )
    if details.subject_dob is not None and details.subject_dob > today:
        problems["subject_dob"] = "The date of birth must be in the past"
    return problems


def rights_request_record(*, actor: User, details: RequestDetails, request: HttpRequest | None = None) -> RightsRequest:
    """Record a new request; its deadline is one month from the day of receipt (next working day)."""
    require(actor, HANDLE)
    today = timezone.localdate()
    problems = _problems(details, today)
    if problems:
        raise DomainError(field_errors=problems)
    now = timezone.now()
    verified = bool(details.identity_verified_how.strip())
    with transaction.atomic():
        made = RightsRequest.objects.create(
            kind=details.kind,
            requester_name=details.requester_name.strip(),
            requester_email=details.requester_email.strip(),
            requester_phone=details.requester_phone.strip(),
            requester_address=details.requester_address.strip(),
            acting_for_subject=details.acting_for_subject,
            authority=details.authority.strip(),
            identity_verified_how=details.identity_verified_how.strip(),
            identity_verified_by=actor if verified else None,
            identity_verified_at=now if verified else None,
            person=details.person,
            subject_names=_clean_list(details.subject_names),
            subject_dob=details.subject_dob,
            subject_emails=[e.lower() for e in _clean_list(details.subject_emails)],
            subject_phones=_clean_list(details.subject_phones),
            subject_postcodes=[p.upper() for p in _clean_list(details.subject_postcodes)],
            details=details.details.strip(),
            notes=details.notes.strip(),
            received_on=details.received_on,
            due_on=rights_due_on(details.received_on, calendar=calendar_current()),
            status=RightsStatus.IDENTITY_CHECKED if verified else RightsStatus.RECEIVED,
            handled_by=actor,
            created_by=actor,
        )
        audit(
            actor=actor,
            verb=AuditVerb.RIGHTS_REQUEST_RECORDED,
            obj=made,
            after={"kind": made.kind, "received_on": made.received_on, "due_on": made.due_on, "status": made.status},
            request=request,
        )
    return made


def rights_request_verify_identity(
    *, actor: User, rights_request: RightsRequest, how: str, request: HttpRequest | None = None
) -> RightsRequest:
    """Record how the requester's identity (and any authority) was checked."""
    require(actor, HANDLE)
    if not how.strip():
        raise DomainError(field_errors={"identity_verified_how": "Enter how identity was checked"})
    with transaction.atomic():
        locked = RightsRequest.objects.select_for_update().get(pk=rights_request.pk)
        if not locked.is_open:
            raise DomainError("A request that has been decided cannot be changed")
        locked.identity_verified_how, locked.identity_verified_by = how.strip(), actor
        locked.identity_verified_at = timezone.now()
        if locked.status == RightsStatus.RECEIVED:
            locked.status = RightsStatus.IDENTITY_CHECKED
        locked.save(update_fields=["identity_verified_how", "identity_verified_by", "identity_verified_at", "status"])
        audit(
            actor=actor,
            verb=AuditVerb.RIGHTS_REQUEST_RECORDED,
            obj=locked,
            after={"identity_verified": True, "status": locked.status},
            reason=how.strip(),
            request=request,
        )
    return locked


def rights_request_extend(
    *, actor: User, rights_request: RightsRequest, reason: str, request: HttpRequest | None = None
) -> RightsRequest:
    """Extend the deadline by two further months (three months from receipt), once, with a reason, before it passes."""
    require(actor, HANDLE)
    if not reason.strip():
        raise DomainError(field_errors={"reason": "Enter why the deadline needs extending"})
    with transaction.atomic():
        locked = RightsRequest.objects.select_for_update().get(pk=rights_request.pk)
        problem = extension_problem(
            due_on=locked.due_on,
            already_extended=locked.extended_due_on is not None,
            is_open=locked.is_open,
            today=timezone.localdate(),
        )
        if problem:
            raise DomainError(problem)
        locked.extended_due_on = rights_due_on(locked.received_on, extended=True, calendar=calendar_current())
        locked.extension_reason, locked.extended_by, locked.extended_at = reason.strip(), actor, timezone.now()
        locked.save(update_fields=["extended_due_on", "extension_reason", "extended_by", "extended_at"])
        audit(
            actor=actor,
            verb=AuditVerb.RIGHTS_REQUEST_EXTENDED,
            obj=locked,
            before={"due_on": locked.due_on},
            after={"due_on": locked.extended_due_on},
            reason=locked.extension_reason,
            request=request,
        )
    return locked


def rights_request_start(*, actor: User, rights_request: RightsRequest) -> None:
    """Mark an open request in progress (the first search or export does it); no audit of its own."""
    require(actor, HANDLE)
    RightsRequest.objects.filter(
        pk=rights_request.pk, status__in=[RightsStatus.RECEIVED, RightsStatus.IDENTITY_CHECKED]
    ).update(status=RightsStatus.IN_PROGRESS)


def rights_request_decide(
    *,
    actor: User,
    rights_request: RightsRequest,
    decision: str,
    reason: str = "",
    action_taken: str = "",
    request: HttpRequest | None = None,
) -> RightsRequest:
    """Decide a request: complied in full, in part, or refused. A refusal or a partial decision needs its reason (for
    example the Article 17(3) exemptions, or 'manifestly unfounded or excessive', Article 12(5))."""
    require(actor, HANDLE)
    problems: dict[str, str] = {}
    if decision not in RightsDecision.values:
        problems["decision"] = "Select the decision"
    elif decision != RightsDecision.COMPLIED and not reason.strip():
        problems["reason"] = "Enter the reason for refusing the request or meeting it only in part"
    if problems:
        raise DomainError(field_errors=problems)
    with transaction.atomic():
        locked = RightsRequest.objects.select_for_update().get(pk=rights_request.pk)
        if not locked.is_open:
            raise DomainError("This request has already been decided")
        if decision != RightsDecision.REFUSED and locked.identity_verified_at is None:
            raise DomainError(field_errors={"decision": "Check the requester's identity before acting on it"})
        before = {"status": locked.status}
        locked.decision, locked.decision_reason, locked.action_taken = decision, reason.strip(), action_taken.strip()
        locked.decided_by, locked.decided_at = actor, timezone.now()
        locked.status = RightsStatus.REFUSED if decision == RightsDecision.REFUSED else RightsStatus.COMPLETED
        locked.save(update_fields=["decision", "decision_reason", "action_taken", "decided_by", "decided_at", "status"])
        audit(
            actor=actor,
            verb=AuditVerb.RIGHTS_REQUEST_DECIDED,
            obj=locked,
            before=before,
            after={
                "status": locked.status,
                "decision": decision,
                "on_time": locked.decided_at.date() <= locked.current_due_on,
            },
            reason=locked.decision_reason,
            request=request,
        )
    return locked
