"""Parties (issue 5 part 2): the people on a case, from the register or typed in, in their roles.

Same steps as every case service (`cases.services.case`): permission, a case the actor can see, the row locked,
`check_version`, an audit event, the case's version bumped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.cases import rules
from saferhomes.cases.models import Case, Party, PartyRole
from saferhomes.cases.permissions import WORK_CASE
from saferhomes.cases.search import refresh_search_documents
from saferhomes.cases.services.locking import case_locked_for, case_version_bump, check_version
from saferhomes.core.audit import audit, snapshot
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.housing.models import ContactMethod, Person, PreferredFormat

# What a person types about a party: trimmed by PartyDetails.cleaned, copied onto the Party by _apply_party.
PARTY_TEXT_FIELDS = (
    "first_name",
    "last_name",
    "phone",
    "email",
    "address",
    "organisation",
    "safe_contact_notes",
    "safe_times",
    "preferred_language",
    "preferred_format",
    "vulnerabilities",
    "reasonable_adjustments",
    "notes",
)


@dataclass
class PartyDetails:
    """Who a party is and what staff must know: from the register (`person`) or typed in (ad hoc)."""

    role: str = PartyRole.REPORTER
    person: Person | None = None
    first_name: str = ""
    last_name: str = ""
    date_of_birth: dt.date | None = None
    phone: str = ""
    email: str = ""
    address: str = ""
    organisation: str = ""
    anonymous: bool = False
    safe_contact_notes: str = ""
    safe_times: str = ""
    contact_methods: tuple[str, ...] = ()
    contact_avoid: tuple[str, ...] = ()
    preferred_language: str = ""
    preferred_format: str = ""
    vulnerabilities: str = ""
    reasonable_adjustments: str = ""
    notes: str = ""

    def cleaned(self) -> PartyDetails:
        """Stripped copy; raises DomainError with field errors for anything a person must put right."""
        text = {name: str(getattr(self, name) or "").strip() for name in PARTY_TEXT_FIELDS}
        errors: dict[str, str] = {}
        if self.role not in PartyRole.values:
            errors["role"] = "Select the person's role on the case"
        if self.anonymous and self.role != PartyRole.REPORTER:
            errors["anonymous"] = "Only a reporter can be anonymous"
        if self.person is None and not self.anonymous and not (text["first_name"] or text["last_name"]):
            errors["last_name"] = "Enter the person's name, choose them from the register, or say they are anonymous"
        if rules.is_future(self.date_of_birth, now=timezone.now()):
            errors["date_of_birth"] = "Date of birth must be today or in the past"
        if text["email"]:
            try:
                validate_email(text["email"])
            except ValidationError:
                errors["email"] = "Enter an email address in the correct format, like name@example.com"
        if any(method not in ContactMethod.values for method in self.contact_methods):
            errors["contact_methods"] = "Select ways of contact from the list"
        if any(method not in ContactMethod.values for method in self.contact_avoid):
            errors["contact_avoid"] = "Select the ways never to use from the list"
        elif both := [
            ContactMethod(method).label.lower() for method in self.contact_methods if method in self.contact_avoid
        ]:
            errors["contact_avoid"] = (
                f"{both[0].capitalize()} cannot be both a safe way and a way never to use: "
                "untick it in one of the lists"
            )
        if text["preferred_format"] and text["preferred_format"] not in PreferredFormat.values:
            errors["preferred_format"] = "Select a format from the list"
        for name, limit in (
            ("first_name", 100),
            ("last_name", 100),
            ("phone", 30),
            ("address", 250),
            ("safe_times", 250),
            ("preferred_language", 60),
        ):
            if len(text[name]) > limit:
                errors[name] = f"{name.replace('_', ' ').capitalize()} must be {limit} characters or fewer"
        if errors:
            raise DomainError(field_errors=errors)
        return PartyDetails(
            role=self.role,
            person=self.person,
            date_of_birth=self.date_of_birth,
            anonymous=self.anonymous,
            contact_methods=tuple(dict.fromkeys(self.contact_methods)),
            contact_avoid=tuple(dict.fromkeys(self.contact_avoid)),
            **text,
        )


PARTY_FIELDS = [
    "role",
    "person_id",
    "first_name",
    "last_name",
    "date_of_birth",
    "phone",
    "email",
    "address",
    "organisation",
    "anonymous",
    "safe_contact_notes",
    "safe_times",
    "contact_methods",
    "contact_avoid",
    "preferred_language",
    "preferred_format",
    "vulnerabilities",
    "reasonable_adjustments",
    "notes",
]


def party_insert(*, actor: User, case: Case, details: PartyDetails, request: HttpRequest | None) -> Party:
    """Insert a cleaned party and audit it, for a service that has already checked and locked the case."""
    party = Party(case=case)
    _apply_party(party, details)
    party.save()
    audit(actor=actor, verb=AuditVerb.PARTY_ADDED, obj=party, after=snapshot(party, PARTY_FIELDS), request=request)
    return party


def _apply_party(party: Party, details: PartyDetails) -> None:
    party.role = details.role
    party.person = details.person
    party.anonymous = details.anonymous
    party.date_of_birth = details.date_of_birth
    party.contact_methods = list(details.contact_methods)
    party.contact_avoid = list(details.contact_avoid)
    for name in PARTY_TEXT_FIELDS:
        setattr(party, name, getattr(details, name))


def party_add(
    *,
    actor: User,
    case: Case,
    details: PartyDetails,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> Party:
    """Add a person to the case in a role, from the register or typed in; minors are derived, never stored."""
    require(actor, WORK_CASE)
    cleaned = details.cleaned()
    with transaction.atomic():
        locked = case_locked_for(actor=actor, case=case)
        check_version(locked, version)
        if not rules.case_workable(locked):
            raise DomainError("This case is closed. Reopen it before adding anyone to it.")
        if cleaned.person is not None and locked.parties.filter(person=cleaned.person, role=cleaned.role).exists():
            raise DomainError(field_errors={"person": f"{cleaned.person} is already on this case in that role"})
        party = party_insert(actor=actor, case=locked, details=cleaned, request=request)
        refresh_search_documents(case_ids=[locked.pk])
        case_version_bump(locked)
        case.version = locked.version
    return party


def party_update(
    *,
    actor: User,
    party: Party,
    details: PartyDetails,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> Party:
    """Change what the case records about a party (their role, details, vulnerabilities, safe-contact notes)."""
    require(actor, WORK_CASE)
    cleaned = details.cleaned()
    with transaction.atomic():
        locked = case_locked_for(actor=actor, case=party.case)
        check_version(locked, version)
        party = Party.objects.select_for_update().get(pk=party.pk)
        before = snapshot(party, PARTY_FIELDS)
        _apply_party(party, cleaned)
        party.save()
        after = snapshot(party, PARTY_FIELDS)
        if after != before:
            audit(actor=actor, verb=AuditVerb.PARTY_UPDATED, obj=party, before=before, after=after, request=request)
            refresh_search_documents(case_ids=[locked.pk])
            case_version_bump(locked)
    return party
