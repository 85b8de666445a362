"""Subject access: find every record held about the person a rights request is about (issue 19 part 4; ADR 0019).

Matching: the register person named on the request (and register people with the same email, or the same exact full
name and date of birth); then, on every record kind, the register person, an email (any case), a phone number
(normalised: '+44 7700 900123' is '07700900123'), or the exact full name together with the date of birth or a
postcode. Each found record says why it matched.

Scope: on a case where they are the reporter, victim or alleged perpetrator (a principal), everything on the case is
about them (incidents, notes, evidence, referrals, disclosures); where they are a witness, household member or
professional, only what is linked to them (their party row, contacts with them, incidents they were involved in or
saw, letters to them, assessments of them, support offered, interventions, equality answers).

One query per record kind, whatever the number of cases (bounded). Reads across restricted and DA cases, so only
rights-request handlers may search, and each search is audited (`SUBJECT_ACCESS_SEARCHED`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.http import HttpRequest

from saferhomes.accounts.models import User
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.permissions import require
from saferhomes.core.redaction import normalise_phone
from saferhomes.housing.models import Person
from saferhomes.privacy.models_rights import RightsRequest
from saferhomes.privacy.selectors.subject_access_kinds import collect_all
from saferhomes.privacy.selectors.subject_access_records import (
    HANDLE,
    Collector,
    FoundRecord,
    Identity,
    split_name,
    squash,
)
from saferhomes.referrals.models import Disclosure


@dataclass
class SearchResult:
    """Everything found, what identifies other people in it, and whom it was shared with."""

    request: RightsRequest
    records: list[FoundRecord]
    subject_terms: set[str]
    third_party_phrases: set[str]
    third_party_names: set[str]
    third_party_phones: set[str]
    disclosures: list[Disclosure]

    def included(self) -> list[FoundRecord]:
        excluded = set(self.request.excluded_keys or [])
        return [record for record in self.records if record.key not in excluded]

    def counts(self, records: Iterable[FoundRecord] | None = None) -> dict[str, int]:
        counted: dict[str, int] = {}
        for record in self.records if records is None else records:
            counted[record.kind] = counted.get(record.kind, 0) + 1
        return counted


def _identity(rights_request: RightsRequest) -> Identity:
    names = {n for n in (split_name(full) for full in rights_request.subject_names or []) if n}
    emails = {e.strip().lower() for e in rights_request.subject_emails or [] if e.strip()}
    phones = {normalise_phone(p) for p in rights_request.subject_phones or [] if len(normalise_phone(p)) >= 7}
    postcodes = {squash(p) for p in rights_request.subject_postcodes or [] if p.strip()}
    identity = Identity(
        person_ids={rights_request.person_id} if rights_request.person_id else set(),
        emails=emails,
        phones=phones,
        names=names,
        dob=rights_request.subject_dob,
        postcodes=postcodes,
    )
    return identity


def _add_people(collector: Collector, identity: Identity) -> list[Person]:
    """Register people who are the subject: the named one, and any with their email, phone or name and birth date."""
    candidates = Person.objects.filter(
        identity.q(person="pk", email="email", phone="phone", first="first_name", last="last_name")
        | identity.q(person=None, email="email", phone="mobile", first="first_name", last="last_name")
    ).order_by("pk")
    people = []
    reasons: dict[int, str] = {}
    for person in candidates:
        reason = identity.match(
            person_id=person.pk,
            email=person.email,
            phone=person.phone,
            first=person.first_name,
            last=person.last_name,
            dob=person.date_of_birth,
        ) or identity.match(phone=person.mobile)
        if reason is None:
            continue
        people.append(person)
        reasons[person.pk] = reason
    identity.person_ids |= {person.pk for person in people}
    for person in people:
        # Their own details are theirs to see (and never redacted from their own records).
        identity.emails |= {person.email.lower()} if person.email else set()
        identity.phones |= {normalise_phone(p) for p in (person.phone, person.mobile) if p}
        identity.names.add((person.first_name.lower(), person.last_name.lower()))
        collector.subject(person.first_name, person.last_name, person.full_name, person.preferred_name, person.email)
        collector.subject(*(p for p in (person.phone, person.mobile) if p))
        collector.add(
            "person",
            person,
            person.full_name,
            "the register person named on the request"
            if person.pk == collector.request.person_id
            else f"matched by {reasons[person.pk]}",
            person.created_at,
            reference=person.reference,
            title=person.title,
            first_name=person.first_name,
            last_name=person.last_name,
            preferred_name=person.preferred_name,
            date_of_birth=person.date_of_birth,
            email=person.email,
            phone=person.phone,
            mobile=person.mobile,
            safe_contact_notes=person.safe_contact_notes,
            contact_avoid=person.contact_avoid,
            vulnerabilities=person.vulnerabilities,
            vulnerability_categories=person.vulnerability_category_labels,
            reasonable_adjustments=person.reasonable_adjustments,
            preferred_language=person.preferred_language,
            preferred_format=person.get_preferred_format_display(),
            needs_interpreter=person.needs_interpreter,
        )
    return people


def subject_access_search(
    *, actor: User, rights_request: RightsRequest, request: HttpRequest | None = None, audited: bool = True
) -> SearchResult:
    """Every record about the request's subject, each with why it matched (see the module docstring)."""
    require(actor, HANDLE)
    result = _search(rights_request)
    if audited:
        audit(
            actor=actor,
            verb=AuditVerb.SUBJECT_ACCESS_SEARCHED,
            obj=rights_request,
            after={"found": result.counts(), "excluded": len(rights_request.excluded_keys or [])},
            request=request,
        )
    return result


def _search(rights_request: RightsRequest) -> SearchResult:
    collector = Collector(rights_request)
    identity = _identity(rights_request)
    for first, last in identity.names:
        collector.subject(first, last, f"{first} {last}")
    collector.subject(*identity.emails, *(rights_request.subject_phones or []), *(rights_request.subject_names or []))
    collector.subject(*(rights_request.subject_postcodes or []))
    collector.subject(rights_request.requester_name if not rights_request.acting_for_subject else "")
    people = _add_people(collector, identity)
    disclosures = collect_all(collector, identity, people)
    return SearchResult(
        request=rights_request,
        records=collector.records,
        subject_terms=collector.subject_terms,
        third_party_phrases={p for p in collector.phrases if p.lower() not in collector.subject_terms},
        third_party_names={n for n in collector.names if n.lower() not in collector.subject_terms},
        third_party_phones={
            p
            for p in collector.phones
            if normalise_phone(p) not in identity.phones and p.lower() not in collector.subject_terms
        },
        disclosures=disclosures,
    )
