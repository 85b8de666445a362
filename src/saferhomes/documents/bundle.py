"""The evidence bundle's sections and its extension point (issue 16 part 5).

A bundle is one paginated PDF for a court or a panel: an index with page numbers, the parties, a chronology of
incidents and diary entries (officers' notes), contacts, risk assessments, then the sections apps above `documents`
register in `BUNDLE_SECTIONS` (interventions and milestones from `interventions`, referrals from `referrals`), and
last the exhibits list (each evidence file's name, size and SHA-256).

Redaction (ADR 0012): the addresses, phone numbers and email addresses of reporters, victims and witnesses are
replaced with "[redacted]" — in the parties table and wherever they appear in free text (incident descriptions,
notes, contact summaries). Names stay: a court needs to know whose evidence it is. A section registered by another
app receives the `Redactor` and must pass its free text through it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format

from saferhomes.cases.models import Case, Contact, EvidenceFile, Incident, Note, Party
from saferhomes.documents.protect import (
    PROTECTED_ROLES,
    Detail,
    Homes,
    detail_pattern,
    detail_usable,
    party_address_lines,
    party_details,
    party_homes,
)
from saferhomes.risk.models import Assessment

REDACTED = "[redacted]"


@dataclass(frozen=True)
class BundleSection:
    """One section of the bundle: its title (listed in the index) and a template fragment drawing `rows`."""

    key: str
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


class Redactor:
    """Replaces the protected contact details and addresses of a case's reporters, victims and witnesses."""

    def __init__(self, case: Case, *, parties: list[Party] | None = None, homes: Homes | None = None) -> None:
        self.patterns: list[re.Pattern[str]] = []
        self.protected_party_ids: set[int] = set()
        if parties is None:
            parties = list(case.parties.select_related("person"))
        if homes is None:
            homes = party_homes(parties)
        for party in parties:
            if party.role not in PROTECTED_ROLES:
                continue
            self.protected_party_ids.add(party.pk)
            for detail in party_details(party, homes=homes):
                if detail.kind != "name" and detail_usable(detail):
                    self.patterns.append(detail_pattern(detail))
        self.parties, self.homes = parties, homes
        # Longest first, so "12 Linden Road" goes before a shorter line inside it.
        self.patterns.sort(key=lambda pattern: -len(pattern.pattern))

    def text(self, value: str) -> str:
        for pattern in self.patterns:
            value = pattern.sub(REDACTED, value)
        return value

    def protects(self, party: Party) -> bool:
        return party.pk in self.protected_party_ids


BundleSectionSource = Callable[..., BundleSection | None]
"""Called as `source(case=case, redactor=redactor)`; returns a section, or None when the case has nothing for it."""

BUNDLE_SECTIONS: list[BundleSectionSource] = []
"""Extension point: apps above `documents` (interventions, referrals) add their sections from AppConfig.ready()."""


def register_bundle_section(source: BundleSectionSource) -> None:
    """Add a bundle section (idempotent), drawn after the built-in ones in registration order."""
    if source not in BUNDLE_SECTIONS:
        BUNDLE_SECTIONS.append(source)


def _moment(value: dt.datetime) -> str:
    local = timezone.localtime(value)
    return f"{date_format(local, 'j M Y')} {local:%H:%M}"


def _who(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def parties_section(case: Case, redactor: Redactor) -> BundleSection:
    rows = []
    for party in redactor.parties:
        protected = redactor.protects(party)
        details = party_details(party, homes=redactor.homes)
        contact = ", ".join(d.value for d in details if d.kind in ("phone", "email") and detail_usable(d)) or "—"
        address = party_address_lines(party, homes=redactor.homes)
        rows.append(
            {
                "name": party.display_name,
                "role": party.get_role_display(),
                "address": REDACTED if protected and address else ", ".join(address),
                "contact": REDACTED if protected and contact != "—" else contact,
            }
        )
    return BundleSection("parties", "Parties", "documents/pdf/bundle/parties.html", {"rows": rows})


def chronology_section(case: Case, redactor: Redactor) -> BundleSection:
    rows: list[dict[str, Any]] = []
    for incident in Incident.objects.filter(case=case).select_related("property", "created_by"):
        where = redactor.text(", ".join(p for p in (str(incident.property or ""), incident.location_text) if p))
        rows.append(
            {
                "at": incident.occurred_at,
                "kind": f"Incident ({incident.get_source_display().lower()})",
                "text": redactor.text(incident.description),
                "where": where,
                "by": _who(incident.created_by),
            }
        )
    for note in Note.objects.filter(case=case).select_related("created_by"):
        rows.append(
            {
                "at": note.created_at,
                "kind": "Diary entry",
                "text": redactor.text(note.text),
                "where": "",
                "by": _who(note.created_by),
            }
        )
    rows.sort(key=lambda row: row["at"])
    for row in rows:
        row["when"] = _moment(row["at"])
    return BundleSection(
        "chronology",
        "Chronology of incidents and diary entries",
        "documents/pdf/bundle/chronology.html",
        {"rows": rows},
    )


def contacts_section(case: Case, redactor: Redactor) -> BundleSection:
    rows = [
        {
            "when": _moment(contact.occurred_at),
            "who": contact.party.display_name if contact.party else "No named person",
            "how": f"{contact.get_method_display()}, {contact.get_direction_display().lower()}",
            "text": redactor.text(contact.summary),
            "by": _who(contact.created_by),
        }
        for contact in Contact.objects.filter(case=case)
        .select_related("party__person", "created_by")
        .order_by("occurred_at")
    ]
    return BundleSection("contacts", "Contacts", "documents/pdf/bundle/contacts.html", {"rows": rows})


def risk_section(case: Case, redactor: Redactor) -> BundleSection:
    rows = [
        {
            "when": _moment(assessment.assessed_at),
            "instrument": assessment.instrument.name,
            "subject": assessment.subject.display_name if assessment.subject is not None else "",
            "score": assessment.score,
            "band": assessment.band or assessment.computed_band,
            "reasons": [redactor.text(str(reason)) for reason in assessment.reasons or []],
            "by": _who(assessment.assessed_by),
        }
        for assessment in Assessment.objects.filter(case=case)
        .select_related("instrument", "subject__person", "assessed_by")
        .order_by("assessed_at")
    ]
    return BundleSection("risk", "Risk assessments", "documents/pdf/bundle/risk.html", {"rows": rows})


def exhibits_section(case: Case, redactor: Redactor) -> BundleSection:
    rows = [
        {
            "number": f"EX{index}",
            "name": evidence.original_name,
            "size": evidence.size,
            "sha256": evidence.sha256,
            "uploaded": _moment(evidence.uploaded_at),
            "description": redactor.text(evidence.description),
        }
        for index, evidence in enumerate(EvidenceFile.objects.filter(case=case).order_by("uploaded_at", "id"), start=1)
    ]
    return BundleSection("exhibits", "Exhibits", "documents/pdf/bundle/exhibits.html", {"rows": rows})


BUILT_IN_FIRST: tuple[Callable[[Case, Redactor], BundleSection], ...] = (
    parties_section,
    chronology_section,
    contacts_section,
    risk_section,
)


def bundle_sections(case: Case) -> list[BundleSection]:
    """Every section of the case's bundle, in order: built-in, then registered by other apps, then exhibits."""
    redactor = Redactor(case)
    sections = [build(case, redactor) for build in BUILT_IN_FIRST]
    for source in BUNDLE_SECTIONS:
        section = source(case=case, redactor=redactor)
        if section is not None:
            sections.append(section)
    sections.append(exhibits_section(case, redactor))
    return sections


__all__ = [
    "BUNDLE_SECTIONS",
    "REDACTED",
    "BundleSection",
    "Detail",
    "Redactor",
    "bundle_sections",
    "register_bundle_section",
]
