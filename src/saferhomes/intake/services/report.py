"""Taking a report, from any channel: validate, work out urgency and the response deadline, number it, keep it.

Every channel — the public form, staff intake, email, the API — ends in `report_submit`, so a report is checked and
numbered the same way whoever took it. Side effects (the acknowledgement) run after commit, registered by the
caller through `on_submitted` listeners so this module stays the one place a report is written.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, fields, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.cases.models import CaseType, HateStrand
from saferhomes.cases.references import reference_next
from saferhomes.core.audit import audit, snapshot
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.calendar_config import case_response_due
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.housing.models import ContactMethod, Person, PreferredFormat, Property
from saferhomes.intake import extensions, rules
from saferhomes.intake.models import (
    REPORT_PREFIX,
    STAFF_CHANNELS,
    Channel,
    ConsentToShare,
    Frequency,
    Report,
    ReporterRelationship,
    ReportStatus,
)

TAKE_REPORT = "intake.take_report"
# Control characters other than tab and newlines are dropped from anything typed: they are never meant, and some
# (NUL) cannot be stored by PostgreSQL at all.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
AUDIT_FIELDS = ["reference", "channel", "status", "received_at", "response_due_at", "case_type", "urgent", "anonymous"]


def clean_text(value: str | None, *, multiline: bool = True) -> str:
    """Typed text as we keep it: control characters dropped, surrounding space trimmed (HTML is kept as text and
    escaped wherever it is shown)."""
    text = _CONTROL.sub("", value or "")
    if not multiline:
        text = " ".join(text.split())
    return text.strip()


@dataclass(frozen=True)
class ReportDetails:
    """Everything a reporter can tell us; every channel fills what it has. Field names match `Report`'s."""

    case_type: str = ""
    problem: str = ""
    sub_types: tuple[str, ...] = ()
    hate_strands: tuple[str, ...] = ()
    description: str = ""
    occurred_at: dt.datetime | None = None
    occurred_text: str = ""
    frequency: str = ""
    home: Property | None = None
    location_text: str = ""
    people_involved: str = ""
    people_known: str = ""
    danger_now: bool = False
    urgency_answers: dict[str, bool] = field(default_factory=dict)
    impact: str = ""
    anonymous: bool = False
    relationship: str = ReporterRelationship.SELF
    on_behalf_name: str = ""
    on_behalf_consent: bool = False
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    postcode: str = ""
    person: Person | None = None
    contact_methods: tuple[str, ...] = ()
    safe_times: str = ""
    safe_contact_notes: str = ""
    preferred_language: str = ""
    preferred_format: str = ""
    accessibility_needs: str = ""
    reasonable_adjustments: str = ""
    consent_to_share: str = ""

    def cleaned(self) -> ReportDetails:
        """A copy with text cleaned and the case type taken from the problem when not given."""
        one_line = {
            "occurred_text", "location_text", "on_behalf_name", "first_name", "last_name", "email", "phone",
            "address", "postcode", "safe_times", "preferred_language",
        }  # fmt: skip
        changes: dict[str, Any] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, str):
                changes[item.name] = clean_text(value, multiline=item.name not in one_line)
        changes["email"] = changes["email"].lower()
        changes["postcode"] = changes["postcode"].upper()
        problem = rules.PROBLEMS_BY_KEY.get(changes["problem"])
        if not changes["case_type"] and problem is not None:
            changes["case_type"] = problem.case_type
        if not self.sub_types and problem is not None:
            changes["sub_types"] = problem.sub_types
        if self.anonymous:
            # Never contacted, so nothing about how: no details, language or letter format.
            for name in (
                "first_name", "last_name", "email", "phone", "address", "postcode", "preferred_language",
                "preferred_format",
            ):  # fmt: skip
                changes[name] = ""
            changes["person"] = None
        return replace(self, **changes)


def report_errors(details: ReportDetails, *, received_at: dt.datetime, now: dt.datetime) -> dict[str, str]:
    """Every problem with a report's details, keyed by field (empty when it can be taken)."""
    errors: dict[str, str] = {}
    if details.case_type not in CaseType.values:
        errors["case_type"] = "Select what kind of problem it is"
    if details.problem and details.problem not in rules.PROBLEMS_BY_KEY:
        errors["problem"] = "Select what is happening"
    if not details.description:
        errors["description"] = "Enter what happened"
    elif len(details.description) > rules.DESCRIPTION_MAX:
        errors["description"] = f"What happened must be {rules.DESCRIPTION_MAX:,} characters or fewer"
    if details.case_type == CaseType.HATE and not details.hate_strands:
        errors["hate_strands"] = "Select why you think they were targeted, or 'other'"
    if any(strand not in HateStrand.values for strand in details.hate_strands):
        errors["hate_strands"] = "Select why you think they were targeted from the list"
    if details.occurred_at is not None and details.occurred_at > now:
        errors["occurred_at"] = "When it happened must be today or in the past"
    if details.occurred_at is not None and details.occurred_at > received_at:
        errors.setdefault("occurred_at", "When it happened must be before the report was received")
    if details.frequency and details.frequency not in Frequency.values:
        errors["frequency"] = "Select how often it happens"
    if details.people_known and details.people_known not in ("yes", "no", "dont_know"):
        errors["people_known"] = "Select whether you know who was involved"
    for name in ("occurred_text", "location_text", "on_behalf_name", "address", "safe_times"):
        if len(getattr(details, name)) > rules.TEXT_MAX:
            errors[name] = f"This must be {rules.TEXT_MAX} characters or fewer"
    for name in ("people_involved", "impact", "safe_contact_notes", "accessibility_needs", "reasonable_adjustments"):
        if len(getattr(details, name)) > rules.DESCRIPTION_MAX:
            errors[name] = f"This must be {rules.DESCRIPTION_MAX:,} characters or fewer"
    if details.relationship not in ReporterRelationship.values:
        errors["relationship"] = "Select who it happened to"
    elif details.relationship == ReporterRelationship.ON_BEHALF and not details.on_behalf_consent:
        errors["on_behalf_consent"] = "You can only report for someone else with their permission"
    if not details.anonymous:
        if not details.first_name and not details.last_name and details.person is None:
            errors["first_name"] = "Enter your name, or choose to report anonymously"
        for name in ("first_name", "last_name"):
            if len(getattr(details, name)) > 100:
                errors[name] = "Names must be 100 characters or fewer"
        if details.email:
            try:
                validate_email(details.email)
            except ValidationError:
                errors["email"] = "Enter an email address in the correct format, like name@example.com"
        if details.phone and not rules.is_phone_number(details.phone):
            errors["phone"] = "Enter a phone number, like 01632 960 001 or 07700 900 982"
    if any(method not in ContactMethod.values for method in details.contact_methods):
        errors["contact_methods"] = "Select how we may contact you from the list"
    if details.preferred_format and details.preferred_format not in PreferredFormat.values:
        errors["preferred_format"] = "Select a format from the list"
    if details.consent_to_share and details.consent_to_share not in ConsentToShare.values:
        errors["consent_to_share"] = "Select whether we may share your report"
    return errors


def report_submit(
    *,
    details: ReportDetails,
    channel: str,
    actor: User | None = None,
    received_at: dt.datetime | None = None,
    urgent: bool | None = None,
    idempotency_key: str = "",
    status: str = ReportStatus.NEW,
    request: HttpRequest | None = None,
) -> Report:
    """Take a report: check it, set urgency (from the answers, or `urgent` when staff or the API say so), number it,
    work out its response deadline and keep it for triage. The public form and email pass no actor."""
    if channel not in Channel.values:
        raise DomainError(field_errors={"channel": "Select how the report reached us"})
    if actor is not None:
        require(actor, TAKE_REPORT)
    elif channel not in (Channel.WEB, Channel.EMAIL):
        raise DomainError("Reports by phone, letter, in person, from partners or the API are taken by staff.")
    now = timezone.now()
    received_at = received_at or now
    details = details.cleaned()
    errors = report_errors(details, received_at=received_at, now=now)
    if received_at > now:
        errors["received_at"] = "The time the report was received must be now or in the past"
    if received_at < now - dt.timedelta(days=366):
        errors["received_at"] = "The time the report was received must be within the last year"
    if errors:
        raise DomainError(field_errors=errors)
    if idempotency_key:
        existing = report_by_idempotency_key(actor=actor, key=idempotency_key)
        if existing is not None:
            return existing
    reasons = rules.urgency_reasons(
        case_type=details.case_type,
        answers=details.urgency_answers,
        problem=details.problem,
        danger_now=details.danger_now,
    )
    is_urgent = rules.is_urgent(reasons) if urgent is None else urgent
    try:
        with transaction.atomic():
            report = Report(
                reference=reference_next(prefix=REPORT_PREFIX, received_at=received_at),
                channel=channel,
                status=status,
                received_at=received_at,
                response_due_at=case_response_due(received_at, urgent=is_urgent),
                urgent=is_urgent,
                urgent_reasons=reasons,
                created_by=actor,
                idempotency_key=idempotency_key,
                **{item.name: _stored(getattr(details, item.name)) for item in fields(details)},
            )
            report.category = _category(details)
            report.save()
            audit(
                actor=actor,
                verb=AuditVerb.REPORT_RECEIVED,
                obj=report,
                object_label=report.reference,
                after=snapshot(report, AUDIT_FIELDS),
                request=request,
            )
            # robust: a listener that fails (an email server down) is logged and cannot turn a stored report into
            # an error page; the report is committed by then.
            transaction.on_commit(lambda: extensions.report_submitted(report), robust=True)
    except IntegrityError:
        # Two requests with one Idempotency-Key raced: the other one won; return what it made.
        existing = report_by_idempotency_key(actor=actor, key=idempotency_key) if idempotency_key else None
        if existing is not None:
            return existing
        raise
    return report


def report_by_idempotency_key(*, actor: User | None, key: str) -> Report | None:
    """The report a client (or, with no actor, a public form) already sent under this key, if any."""
    return Report.objects.select_related("case").filter(created_by=actor, idempotency_key=key).first()


def _stored(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _category(details: ReportDetails) -> str:
    problem = rules.PROBLEMS_BY_KEY.get(details.problem)
    return problem.category if problem is not None else ""


def staff_channels() -> list[tuple[str, str]]:
    """The channels staff intake offers, as choices."""
    return [(channel.value, channel.label) for channel in STAFF_CHANNELS]
