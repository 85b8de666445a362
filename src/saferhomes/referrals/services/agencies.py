"""The agency directory (issue 15 item 1): adding an agency and changing one, by administrators
(`referrals.manage_agencies`), audited with what it was and what it became.

`AgencyDetails` holds what a person or a file says about an agency; `AgencyDetails.checked()` is the one set of rules
(a code that is a slug, a kind from the list, email addresses and a website that are real) used by the pages, the API
and `saferhomes agencies import`, so each refuses the same things with the same words. Policy: "promptly referring
cases to other agencies for action or support"; "sharing information only with other organisations that can help".
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.http import HttpRequest

from saferhomes.accounts.models import User
from saferhomes.core.audit import audit, snapshot
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.referrals.models import Agency, AgencyKind

MANAGE_AGENCIES = "referrals.manage_agencies"

CODE_PATTERN = re.compile(r"[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*")
PHONE_PATTERN = re.compile(r"[0-9+() -]+")
# Longest text each field may hold: the column's length (TextFields: a sensible bound for a directory entry).
LIMITS = {
    "code": 30,
    "name": 200,
    "description": 5000,
    "email": 254,
    "secure_email": 254,
    "phone": 30,
    "website": 200,
    "address": 250,
    "area_served": 250,
    "eligibility": 5000,
    "how_to_refer": 5000,
}
WORDS = {
    "code": "Code",
    "name": "Name",
    "description": "Description",
    "email": "Email address",
    "secure_email": "Secure email address",
    "phone": "Phone number",
    "website": "Website",
    "address": "Address",
    "area_served": "Area served",
    "eligibility": "Who the service is for",
    "how_to_refer": "How to refer",
}
EMAIL_MESSAGE = "Enter an email address in the correct format, like name@example.org"
SECURE_EMAIL_MESSAGE = "Enter a secure email address in the correct format, like team@example.pnn.police.uk"
WEBSITE_MESSAGE = "Enter the website address in the correct format, like https://www.example.org"
CODE_MESSAGE = "Code must be letters and numbers, with hyphens or underscores between them, like COUNCIL-ASB"
KIND_MESSAGE = "Select the kind of agency from the list"

_validate_email = EmailValidator()
_validate_url = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class AgencyDetails:
    """What is said about an agency: its Open Referral UK-style fields and whether it may have DA information."""

    code: str
    name: str
    kind: str
    description: str = ""
    email: str = ""
    secure_email: str = ""
    phone: str = ""
    website: str = ""
    address: str = ""
    area_served: str = ""
    eligibility: str = ""
    how_to_refer: str = ""
    handles_da: bool = False
    active: bool = True

    @classmethod
    def of(cls, agency: Agency) -> AgencyDetails:
        """An agency's details as they are stored."""
        return cls(**{f.name: getattr(agency, f.name) for f in fields(cls)})

    def problems(self) -> tuple[AgencyDetails, dict[str, str]]:
        """A stripped copy and, by field, what a person must put right (no database: the code's uniqueness is the
        service's to check)."""
        text = {name: str(getattr(self, name) or "").strip() for name in LIMITS}
        text["kind"] = str(self.kind or "").strip()
        errors: dict[str, str] = {}
        if not text["code"]:
            errors["code"] = "Enter a code for the agency"
        elif not CODE_PATTERN.fullmatch(text["code"]):
            errors["code"] = CODE_MESSAGE
        if not text["name"]:
            errors["name"] = "Enter the agency's name"
        if text["kind"] not in AgencyKind.values:
            errors["kind"] = KIND_MESSAGE
        for name, message in (("email", EMAIL_MESSAGE), ("secure_email", SECURE_EMAIL_MESSAGE)):
            if text[name] and not _valid(_validate_email, text[name]):
                errors[name] = message
        if text["website"] and not _valid(_validate_url, text["website"]):
            errors["website"] = WEBSITE_MESSAGE
        if text["phone"] and not PHONE_PATTERN.fullmatch(text["phone"]):
            errors["phone"] = "Enter a phone number, like 01632 960 001"
        for name, limit in LIMITS.items():
            if name not in errors and len(text[name]) > limit:
                errors[name] = f"{WORDS[name]} must be {limit} characters or fewer"
        return replace(self, handles_da=bool(self.handles_da), active=bool(self.active), **text), errors

    def checked(self) -> AgencyDetails:
        """A stripped copy; DomainError naming each field a person must put right."""
        details, errors = self.problems()
        if errors:
            raise DomainError(field_errors=errors)
        return details


AGENCY_FIELDS = [f.name for f in fields(AgencyDetails)]


def _valid(validator: Any, value: str) -> bool:
    try:
        validator(value)
    except ValidationError:
        return False
    return True


def code_taken(code: str, *, other_than: Agency | None = None) -> bool:
    """Whether another agency already has this code (ignoring case: codes are typed by people)."""
    taken = Agency.objects.filter(code__iexact=code)
    if other_than is not None:
        taken = taken.exclude(pk=other_than.pk)
    return taken.exists()


def _code_taken_error(code: str) -> DomainError:
    return DomainError(field_errors={"code": f"Another agency already has the code {code}: choose another"})


def agency_create(*, actor: User, details: AgencyDetails, request: HttpRequest | None = None) -> Agency:
    """Add an agency to the directory."""
    require(actor, MANAGE_AGENCIES)
    details = details.checked()
    with transaction.atomic():
        if code_taken(details.code):
            raise _code_taken_error(details.code)
        agency = Agency.objects.create(**asdict(details))
        audit(
            actor=actor,
            verb=AuditVerb.AGENCY_CREATED,
            obj=agency,
            object_label=f"{agency.code}: {agency.name}"[:200],
            after=snapshot(agency, AGENCY_FIELDS),
            request=request,
        )
    return agency


def agency_update(*, actor: User, agency: Agency, details: AgencyDetails, request: HttpRequest | None = None) -> Agency:
    """Change an agency's details (its code too: referrals and shares keep pointing at the same agency). Nothing is
    written or audited when nothing changed."""
    require(actor, MANAGE_AGENCIES)
    details = details.checked()
    with transaction.atomic():
        locked = Agency.objects.select_for_update().get(pk=agency.pk)
        if code_taken(details.code, other_than=locked):
            raise _code_taken_error(details.code)
        before = snapshot(locked, AGENCY_FIELDS)
        changed = [name for name in AGENCY_FIELDS if getattr(locked, name) != getattr(details, name)]
        if not changed:
            return locked
        for name in changed:
            setattr(locked, name, getattr(details, name))
        locked.save(update_fields=[*changed, "updated_at"])
        audit(
            actor=actor,
            verb=AuditVerb.AGENCY_UPDATED,
            obj=locked,
            object_label=f"{locked.code}: {locked.name}"[:200],
            before={name: before[name] for name in changed},
            after=snapshot(locked, changed),
            request=request,
        )
    return locked
