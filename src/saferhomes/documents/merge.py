"""The letter sandbox: a fixed, listed set of merge fields and our own small substitution.

An administrator's template text is never executed: not by Django's template engine, not by Jinja. `validate`
reads it and refuses, naming the problem, any template tag (`{%`), comment (`{#`), filter (`|`), attribute access
beyond a listed field, unknown field or unbalanced braces. `render` replaces each `{{ field }}` with a plain string
from the values given; the result is text (the PDF template escapes it like any other text).

Fields that could carry a reporter's, victim's or witness's details are not offered to letters to an alleged
perpetrator (`PERPETRATOR_BLOCKED`); the letter service checks the merged text as well (`documents.services.letters`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from saferhomes.core.errors import DomainError
from saferhomes.documents.models import Audience


@dataclass(frozen=True)
class MergeField:
    name: str
    description: str
    example: str


FIELDS: dict[str, MergeField] = {
    field.name: field
    for field in (
        MergeField("recipient.name", "The name of the person the letter is to", "Mr Sam Example"),
        MergeField("recipient.address", "Their address, one line after another", "1 Example Street\nTesttown\nAB1 2CD"),
        MergeField("recipient.salutation", "How the letter greets them, e.g. 'Dear Mr Example'", "Dear Mr Example"),
        MergeField("case.reference", "The case reference", "ASB-2026-00001"),
        MergeField("case.type", "The kind of case in words", "Anti-social behaviour"),
        MergeField("case.outcome", "What we decided, as shared with the reporter (outcome letters)", "Resolved"),
        MergeField("officer.name", "The name of the officer sending the letter", "Olivia Officer"),
        MergeField("officer.email", "The officer's work email address", "olivia.officer@example.org"),
        MergeField("landlord.name", "The landlord's name", "Example Homes"),
        MergeField("today", "Today's date, e.g. 4 December 2026", "4 December 2026"),
        MergeField("incident.date", "The date of the latest incident on the case", "1 December 2026"),
        MergeField(
            "incident.summary",
            "What happened, in the officer's words (checked against the names and details of the other parties)",
            "Loud music late at night",
        ),
        MergeField("incident.location", "Where the latest incident happened", "Outside 3 Example Street"),
        MergeField("reporter.name", "The reporter's name (never in a letter to an alleged perpetrator)", "Ann Other"),
        MergeField("interview.when", "When we would like to meet (to be completed by the officer)", "[date and time]"),
        # Case Review (ASB Case Review / Community Trigger) letters to the applicant only (case_review.services.letters)
        MergeField("application.reference", "The Case Review application's reference", "CR-2026-000001"),
        MergeField("application.received", "The date we received the application", "1 December 2026"),
        MergeField("decision.reasons", "Why we decided that, in the officer's words", "You reported the noise 3 times"),
        MergeField("spoc.name", "The applicant's single point of contact", "Olivia Officer"),
        MergeField("spoc.email", "Their work email address", "olivia.officer@example.org"),
        MergeField("review.date", "The date the review panel met", "15 December 2026"),
        MergeField("review.outcome", "What the review panel concluded, in plain English", "More could have been done"),
        MergeField(
            "review.recommendations",
            "The recommendations: what will be done, by whom and by when, one to a line",
            "1. Patrol the car park every evening (West Yorkshire Police, by 31 January 2027)",
        ),
        MergeField("appeal.date", "The date the appeal was heard", "20 January 2027"),
        MergeField("appeal.result", "The appeal's result in words", "Upheld: the review is changed"),
        MergeField("appeal.outcome", "What the appeal concluded, in plain English", "The panel will meet again"),
    )
}

# Fields that could carry a reporter's, victim's or witness's name, address or contact details: not available to
# templates written to an alleged perpetrator. (incident.summary stays: the merged text is checked instead.)
PERPETRATOR_BLOCKED = frozenset({"reporter.name", "incident.location", "case.outcome"})
# A Case Review applicant's letter is about an application, not a case: each audience sees only its own fields.
APPLICANT_ONLY = frozenset(
    name for name in FIELDS if name.split(".")[0] in {"application", "decision", "spoc", "review", "appeal"}
)
CASE_ONLY = frozenset(name for name in FIELDS if name.split(".")[0] in {"case", "incident", "reporter", "interview"})

_FIELD = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_NAME = re.compile(r"^[a-z_]+(\.[a-z_]+)*$")
_FORBIDDEN = (("{%", "template tags ({% ... %})"), ("%}", "template tags ({% ... %})"), ("{#", "comments ({# ... #})"))


def fields_for(audience: str) -> list[MergeField]:
    """The merge fields a template written to this audience may use, in listed order."""
    if audience == Audience.APPLICANT:
        refused = CASE_ONLY
    elif audience == Audience.ALLEGED_PERPETRATOR:
        refused = APPLICANT_ONLY | PERPETRATOR_BLOCKED
    else:
        refused = APPLICANT_ONLY
    return [f for f in FIELDS.values() if f.name not in refused]


def problems(body: str, audience: str) -> list[str]:
    """Every reason the text is refused, in words an administrator can act on (empty when it is safe)."""
    found: list[str] = []
    for token, what in _FORBIDDEN:
        if token in body:
            found.append(f"Remove {what}: only merge fields like {{{{ case.reference }}}} are allowed")
            break
    allowed = {f.name for f in fields_for(audience)}
    for match in _FIELD.finditer(body):
        inner = match.group(1).strip()
        shown = match.group(0)
        if "|" in inner:
            found.append(f"{shown} uses a filter: filters are not allowed, use the field on its own")
        elif "{" in inner or "}" in inner:
            found.append(f"{shown} has unbalanced braces")
        elif not _NAME.match(inner):
            found.append(f"{shown} is not a merge field: use one of the listed fields, like {{{{ case.reference }}}}")
        elif inner in FIELDS and inner not in allowed:
            if audience == Audience.ALLEGED_PERPETRATOR and inner in PERPETRATOR_BLOCKED:
                found.append(f"{shown} cannot be used in a letter to an alleged perpetrator")
            elif inner in APPLICANT_ONLY:
                found.append(f"{shown} is for Case Review letters to an applicant only")
            else:
                found.append(f"{shown} is about a case: a letter to a Case Review applicant cannot use it")
        elif inner not in FIELDS:
            parent = next((name for name in FIELDS if inner.startswith(name + ".")), None)
            if parent:
                found.append(f"{shown} reads beyond the field {parent}: attribute access is not allowed")
            else:
                found.append(f"{shown} is not a listed merge field")
    rest = _FIELD.sub("", body)
    if "{{" in rest or "}}" in rest:
        found.append("The text has {{ or }} without its partner: every merge field is {{ name }}")
    return list(dict.fromkeys(found))


def validate(body: str, audience: str) -> None:
    """Raise DomainError on `body` naming every problem, or return when the text is safe to save."""
    if not body.strip():
        raise DomainError(field_errors={"body": "Enter the letter's text"})
    found = problems(body, audience)
    if found:
        raise DomainError(field_errors={"body": found})


def render(body: str, values: dict[str, str]) -> str:
    """The text with each merge field replaced by its value: plain substitution, nothing executed."""

    def value(match: re.Match[str]) -> str:
        return values.get(match.group(1).strip(), "")

    return _FIELD.sub(value, body)


def example_values() -> dict[str, str]:
    """Synthetic values for the preview on the template pages."""
    return {name: field.example for name, field in FIELDS.items()}
