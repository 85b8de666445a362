"""The shapes of a subject access search (ADR 0019): a found record, a file held with it, what the subject is known
by (`Identity`, which says why a record matches) and the collector that gathers records and other people's details."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q
from django.db.models.fields.files import FieldFile

from saferhomes.cases.models import PartyRole
from saferhomes.core.redaction import normalise_phone
from saferhomes.privacy.models_rights import RightsRequest

HANDLE = "privacy.handle_rights_request"
PRINCIPAL_ROLES = (PartyRole.REPORTER, PartyRole.VICTIM, PartyRole.ALLEGED_PERPETRATOR)

# The record kinds, in the order the review page and the export list them.
KIND_LABELS: dict[str, str] = {
    "person": "Housing register entry",
    "tenancy": "Tenancy",
    "case": "Case",
    "party": "Your part in a case",
    "report": "Report",
    "diary_entry": "Diary entry",
    "report_file": "File you sent with a report",
    "message": "Message sent to you",
    "incident": "Incident",
    "contact": "Contact with you",
    "note": "Case note",
    "evidence": "Evidence file",
    "letter": "Letter to you",
    "assessment": "Risk assessment",
    "marac": "MARAC decision",
    "marac_form": "MARAC referral form",
    "referral": "Referral to another organisation",
    "support": "Support offered",
    "intervention": "Action taken (intervention)",
    "equality": "Equality monitoring answers",
    "application": "Case Review application",
    "application_letter": "Case Review letter",
    "audit": "Record of who did what",
}


@dataclass
class HeldFile:
    """A stored file found with a record: copied into the export only when `own` (it shows nobody else)."""

    name: str
    file: FieldFile
    own: bool


@dataclass
class FoundRecord:
    """One record about the subject: a stable key (for include/exclude), why it matched, and its values."""

    key: str
    kind: str
    title: str
    reason: str
    when: dt.date | dt.datetime | None
    fields: dict[str, Any]
    files: list[HeldFile] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass
class Identity:
    """What the subject is known by: register people, emails, phones, full names, date of birth, postcodes."""

    person_ids: set[int]
    emails: set[str]
    phones: set[str]
    names: set[tuple[str, str]]
    dob: dt.date | None
    postcodes: set[str]

    def match(
        self,
        *,
        person_id: int | None = None,
        email: str = "",
        phone: str = "",
        first: str = "",
        last: str = "",
        dob: dt.date | None = None,
        address: str = "",
    ) -> str | None:
        """Why a record's person is the subject, or None."""
        if person_id is not None and person_id in self.person_ids:
            return "register person"
        if email and email.strip().lower() in self.emails:
            return "email address"
        if phone and normalise_phone(phone) in self.phones:
            return "phone number"
        if (first.strip().lower(), last.strip().lower()) in self.names:
            if self.dob is not None and dob == self.dob:
                return "full name and date of birth"
            spaced = squash(address)
            if any(postcode in spaced for postcode in self.postcodes):
                return "full name and postcode"
        return None

    def q(self, *, person: str | None, email: str, phone: str, first: str, last: str, extra: Q | None = None) -> Q:
        """A superset filter for one model's fields (the phone by its last digits; `match` decides)."""
        parts: list[Q] = []
        if person and self.person_ids:
            parts.append(Q(**{f"{person}__in": self.person_ids}))
        parts += [Q(**{f"{email}__iexact": value}) for value in self.emails]
        parts += [Q(**{f"{phone}__endswith": value[-3:]}) for value in self.phones]
        parts += [Q(**{f"{first}__iexact": f, f"{last}__iexact": la}) for f, la in self.names]
        if extra is not None:
            parts.append(extra)
        return reduce(or_, parts) if parts else Q(pk__in=[])


def squash(text: str) -> str:
    return "".join((text or "").split()).upper()


def split_name(full: str) -> tuple[str, str] | None:
    parts = full.split()
    if len(parts) < 2:
        return None
    return " ".join(parts[:-1]).lower(), parts[-1].lower()


class Collector:
    """Builds the result: records, and the names and details of everyone else met on the way."""

    def __init__(self, rights_request: RightsRequest) -> None:
        self.request = rights_request
        self.records: list[FoundRecord] = []
        self.subject_terms: set[str] = set()
        self.phrases: set[str] = set()
        self.names: set[str] = set()
        self.phones: set[str] = set()

    def add(self, kind: str, obj: Any, title: str, reason: str, when: Any, /, **values: Any) -> FoundRecord:
        files = values.pop("files", [])
        record = FoundRecord(
            key=f"{obj._meta.label_lower}:{obj.pk}", kind=kind, title=title, reason=reason, when=when, fields=values
        )
        record.files = files
        self.records.append(record)
        return record

    def subject(self, *values: str) -> None:
        for value in values:
            if value and value.strip():
                self.subject_terms.add(value.strip().lower())

    def other(self, *, first: str = "", last: str = "", email: str = "", phone: str = "", address: str = "") -> None:
        """Someone else's details: redacted wherever they appear in the subject's records."""
        full = f"{first} {last}".strip()
        for phrase in (full, email, address):
            if phrase and phrase.strip():
                self.phrases.add(phrase.strip())
        for name in (*first.split(), last):
            if name and len(name) >= 2:
                self.names.add(name)
        if phone:
            self.phones.add(phone)
