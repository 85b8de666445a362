"""Taking an ASB Case Review application (issue 17 part 1): from the public form, staff (phone, letter, email, in
person, a partner) or the API — one service for all, shaped like intake's `report_submit`.

An application is checked whole before anything is written (on a victim's behalf only with their consent; no date in
the future or impossible), numbered CR-YYYY-NNNNNN, given its threshold decision deadline (working days from the rules
file in force), a private status link, and a first search for the complaints its threshold is judged on. The
acknowledgement email goes after the commit, only by a way of contact the applicant chose and never one the housing
register says to avoid.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, fields, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.case_review import schema
from saferhomes.case_review.models import (
    APPLICATION_PREFIX,
    Application,
    ApplicationChannel,
    StatusLink,
    ThresholdRuleSet,
)
from saferhomes.case_review.services.rule_sets import rule_set_current
from saferhomes.cases.references import reference_next
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.calendar import LONDON, end_of_working_day_after
from saferhomes.core.calendar_config import calendar_current
from saferhomes.core.errors import DomainError
from saferhomes.core.links import public_url
from saferhomes.core.permissions import require
from saferhomes.housing.models import ContactMethod, Person, PreferredFormat, Property
from saferhomes.intake import rules as intake_rules
from saferhomes.intake.services.report import clean_text

TAKE = "case_review.take_case_review"
STAFF_CHANNELS = (
    ApplicationChannel.PHONE,
    ApplicationChannel.LETTER,
    ApplicationChannel.EMAIL,
    ApplicationChannel.IN_PERSON,
    ApplicationChannel.PARTNER,
)
NAME_MAX = 100
TEXT_MAX = 250
ONE_LINE = {
    "first_name", "last_name", "email", "phone", "address", "postcode", "preferred_language", "victim_first_name",
    "victim_last_name", "victim_email", "victim_phone", "victim_address", "victim_postcode", "location_text",
}  # fmt: skip


@dataclass(frozen=True)
class ApplicationDetails:
    """What an applicant tells us; field names match `Application`'s."""

    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    postcode: str = ""
    person: Person | None = None
    contact_methods: tuple[str, ...] = ()
    safe_contact_notes: str = ""
    preferred_language: str = ""
    preferred_format: str = ""
    reasonable_adjustments: str = ""
    on_behalf: bool = False
    victim_first_name: str = ""
    victim_last_name: str = ""
    victim_email: str = ""
    victim_phone: str = ""
    victim_address: str = ""
    victim_postcode: str = ""
    victim_person: Person | None = None
    victim_consent: bool | None = None
    description: str = ""
    location_text: str = ""
    home: Property | None = None

    def cleaned(self) -> ApplicationDetails:
        changes: dict[str, Any] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, str):
                changes[item.name] = clean_text(value, multiline=item.name not in ONE_LINE)
        for name in ("email", "victim_email"):
            changes[name] = changes[name].lower()
        for name in ("postcode", "victim_postcode"):
            changes[name] = changes[name].upper()
        if not self.on_behalf:
            for name in ("victim_first_name", "victim_last_name", "victim_email", "victim_phone", "victim_address",
                         "victim_postcode"):  # fmt: skip
                changes[name] = ""
            changes["victim_person"] = None
            changes["victim_consent"] = None
        return replace(self, **changes)


def _email_error(value: str) -> str:
    try:
        validate_email(value)
    except ValidationError:
        return "Enter an email address in the correct format, like name@example.com"
    return ""


def application_errors(details: ApplicationDetails, *, received_at: dt.datetime, now: dt.datetime) -> dict[str, str]:
    """Every problem with an application, keyed by field (empty when it can be taken)."""
    errors: dict[str, str] = {}
    if not details.first_name and details.person is None:
        errors["first_name"] = "Enter your first name"
    if not details.last_name and details.person is None:
        errors["last_name"] = "Enter your last name"
    for name in ("first_name", "last_name", "victim_first_name", "victim_last_name"):
        if len(getattr(details, name)) > NAME_MAX:
            errors[name] = f"Names must be {NAME_MAX} characters or fewer"
    for name in ("email", "victim_email"):
        if getattr(details, name) and (problem := _email_error(getattr(details, name))):
            errors[name] = problem
    for name in ("phone", "victim_phone"):
        if getattr(details, name) and not intake_rules.is_phone_number(getattr(details, name)):
            errors[name] = "Enter a phone number, like 01632 960 001 or 07700 900 982"
    for name in ("postcode", "victim_postcode"):
        if len(getattr(details, name)) > 10:
            errors[name] = "Enter a real postcode, like SW1A 1AA"
    for name in ("address", "victim_address", "location_text", "preferred_language"):
        if len(getattr(details, name)) > TEXT_MAX:
            errors[name] = f"This must be {TEXT_MAX} characters or fewer"
    if not (details.email or details.phone or details.address or details.person):
        errors.setdefault(
            "email", "Enter an email address, phone number or postal address so we can tell you the decision"
        )
    if not details.description:
        errors["description"] = "Enter what has been happening and why you are asking for a review"
    for name in ("description", "safe_contact_notes", "reasonable_adjustments"):
        if len(getattr(details, name)) > intake_rules.DESCRIPTION_MAX:
            errors[name] = f"This must be {intake_rules.DESCRIPTION_MAX:,} characters or fewer"
    if any(method not in ContactMethod.values for method in details.contact_methods):
        errors["contact_methods"] = "Select how we may contact you from the list"
    if details.preferred_format and details.preferred_format not in PreferredFormat.values:
        errors["preferred_format"] = "Select a format from the list"
    if details.on_behalf:
        if not details.victim_first_name and not details.victim_last_name and details.victim_person is None:
            errors["victim_first_name"] = "Enter the name of the person you are applying for"
        if details.victim_consent is not True:
            errors["victim_consent"] = (
                "You can only apply for someone else if they have agreed: confirm they have given their consent"
            )
    if received_at > now:
        errors["received_at"] = "The date the application was received must be today or in the past"
    elif received_at < now - dt.timedelta(days=366):
        errors["received_at"] = "The date the application was received must be within the last year"
    return errors


def decision_due(received_at: dt.datetime, rule_set: ThresholdRuleSet) -> dt.datetime:
    """The end of the Nth working day after the London date of receipt (N from the rules file in force)."""
    days = schema.timescales_of(rule_set.definition).decision_working_days
    return end_of_working_day_after(timezone.localtime(received_at, LONDON).date(), days, calendar_current())


def status_token_hash(token: str) -> str:
    """The stored form of a status token: its SHA-256 (as intake's status links)."""
    return hashlib.sha256(token.encode()).hexdigest()


def status_url(token: str) -> str:
    return public_url(reverse("case-review:status", args=[token]))


def status_link_issue(*, application: Application) -> str:
    """Make a new private status link; returns the raw token (shown or sent once, never stored)."""
    token = secrets.token_urlsafe(32)
    link = StatusLink.objects.create(application=application, token_hash=status_token_hash(token))
    audit(actor=None, verb=AuditVerb.CASE_REVIEW_STATUS_LINK_ISSUED, obj=application, after={"link": link.pk})
    return token


def status_link_for_token(*, token: str) -> StatusLink | None:
    """The working link for a token, with its application (None if unknown or revoked)."""
    if not token or len(token) > 100:
        return None
    return (
        StatusLink.objects.select_related("application")
        .filter(token_hash=status_token_hash(token), revoked_at__isnull=True)
        .first()
    )


def status_link_used(*, link: StatusLink, request: HttpRequest | None = None) -> None:
    """Note that the applicant opened their status page (audited: a read by a member of the public)."""
    now = timezone.now()
    StatusLink.objects.filter(pk=link.pk).update(last_used_at=now)
    application = link.application
    audit(actor=None, verb=AuditVerb.CASE_REVIEW_STATUS_VIEWED, obj=application, request=request)


@dataclass(frozen=True)
class Submitted:
    """An application taken, its status link's token (shown once; '' for a replay) and whether it was a replay."""

    application: Application
    token: str
    replayed: bool = False


def application_by_key(*, actor: User | None, key: str) -> Application | None:
    return Application.objects.filter(created_by=actor, idempotency_key=key).first() if key else None


def application_submit(
    *,
    details: ApplicationDetails,
    channel: str,
    actor: User | None = None,
    received_at: dt.datetime | None = None,
    idempotency_key: str = "",
    request: HttpRequest | None = None,
) -> Submitted:
    """Take an application: check all of it, number it, set its decision deadline, issue its status link and look
    for its complaints; the acknowledgement goes after the commit. The public form passes no actor."""
    from saferhomes.case_review.notifications import acknowledgement_send
    from saferhomes.case_review.services.threshold import threshold_assess

    if channel not in ApplicationChannel.values:
        raise DomainError(field_errors={"channel": "Select how the application reached us"})
    if actor is not None:
        require(actor, TAKE)
    elif channel != ApplicationChannel.WEB:
        raise DomainError(
            "Applications by phone, letter, email, in person, from partners or the API are taken by staff"
        )
    earlier = application_by_key(actor=actor, key=idempotency_key)
    if earlier is not None:
        return Submitted(application=earlier, token="", replayed=True)
    now = timezone.now()
    received_at = received_at or now
    details = details.cleaned()
    errors = application_errors(details, received_at=received_at, now=now)
    if errors:
        raise DomainError(field_errors=errors)
    rule_set = rule_set_current()
    values = {item.name: getattr(details, item.name) for item in fields(details)}
    values["contact_methods"] = list(details.contact_methods)
    try:
        with transaction.atomic():
            application = Application.objects.create(
                reference=reference_next(prefix=APPLICATION_PREFIX, received_at=received_at),
                channel=channel,
                received_at=received_at,
                decision_due_at=decision_due(received_at, rule_set),
                created_by=actor,
                idempotency_key=idempotency_key,
                **values,
            )
            token = status_link_issue(application=application)
            audit(
                actor=actor,
                verb=AuditVerb.CASE_REVIEW_APPLIED,
                obj=application,
                after={"channel": channel, "on_behalf": details.on_behalf, "received_at": received_at.isoformat()},
                request=request,
            )
            threshold_assess(application=application, actor=None, rule_set=rule_set)
            transaction.on_commit(lambda: acknowledgement_send(application.pk, token), robust=True)
    except IntegrityError:
        earlier = application_by_key(actor=actor, key=idempotency_key)
        if earlier is None:
            raise
        return Submitted(application=earlier, token="", replayed=True)
    return Submitted(application=application, token=token)
