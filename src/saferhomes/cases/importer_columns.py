"""The columns of a case-log file (`saferhomes import cases --columns`) and the words each choice may be written in."""

from __future__ import annotations

from saferhomes.cases.models import CaseType, HateStrand, Outcome, Status, SubType
from saferhomes.cases.services.case import SUMMARY_MAX
from saferhomes.housing.importers import Column

COLUMNS: list[Column] = [
    Column(
        "reference",
        True,
        "The case's reference in the old case log (unique in the file): kept on the case and searchable.",
        ("original_reference", "legacy_reference", "case_reference", "ref"),
    ),
    Column(
        "case_type", True, "ASB, hate or DA (or 'Anti-social behaviour', 'Hate crime', 'Domestic abuse').", ("type",)
    ),
    Column("category", False, "ASB category: personal, nuisance or environmental."),
    Column(
        "sub_types",
        False,
        "What happened, separated by ';': " + "; ".join(str(label) for label in SubType.labels) + ".",
        ("what_happened", "subtypes"),
    ),
    Column(
        "hate_strands",
        False,
        "Hate cases (required for them): "
        + "; ".join(str(label) for label in HateStrand.labels)
        + ", separated by ';'.",
        ("strands", "hate_strand"),
    ),
    Column(
        "received",
        True,
        "When the first report was received: 31/03/2024, 31/03/2024 17:30, 2024-03-31T17:30 or an Excel date "
        "(UK time; a date alone is taken as 09:00).",
        ("received_date", "received_at", "date_received", "date_reported", "reported"),
    ),
    Column(
        "property_reference",
        False,
        "The home's reference in the housing register (import properties first). This or the address is needed.",
        ("property",),
    ),
    Column("address", False, "Where it happened, in words, when it is not one of the homes.", ("location",)),
    Column("summary", True, f"One line the officer recognises the case by (at most {SUMMARY_MAX} characters)."),
    Column("description", False, "What the case is about."),
    Column("notes", False, "Case notes from the old log: kept as one note on the case.", ("case_notes",)),
    Column(
        "status",
        True,
        "Open (or new, active, live, in progress, investigating) or closed (or resolved, complete).",
    ),
    Column("closed", False, "Closed cases: the date closed.", ("closed_date", "date_closed", "closed_on")),
    Column(
        "outcome",
        False,
        "Closed cases: " + "; ".join(str(label).lower() for label in Outcome.labels) + " (or 'NFA').",
    ),
    Column("priority", False, "Low, normal or high (blank: normal)."),
    Column("urgent", False, "Yes for an urgent case (24 working hours to respond, not 5 working days); blank: no."),
    Column(
        "officer",
        False,
        "Username or email of the active member of staff working the case (needed for open cases; DA cases: "
        "DA-trained staff).",
        ("assigned_officer", "case_officer"),
    ),
    Column("team", False, "Name of the team (blank: the officer's team).", ("team_name",)),
    Column("reporter_name", False, "Who reported it.", ("reporter",)),
    Column("reporter_phone", False, "Their phone number."),
    Column("reporter_email", False, "Their email address."),
    Column(
        "alleged_perpetrators",
        False,
        "Names of the alleged perpetrators, separated by ';'.",
        ("alleged_perpetrator", "perpetrators", "perpetrator"),
    ),
    Column("victim_name", False, "The victim, when not the reporter.", ("victim",)),
]

TYPE_SYNONYMS = (
    ("anti_social_behaviour", CaseType.ASB),
    ("antisocial_behaviour", CaseType.ASB),
    ("hate", CaseType.HATE),
    ("hate_crime", CaseType.HATE),
    ("hate_incident", CaseType.HATE),
    ("domestic_abuse", CaseType.DA),
    ("domestic_violence", CaseType.DA),
    ("dv", CaseType.DA),
)
TYPE_SHORT: dict[str, str] = {CaseType.ASB: "ASB", CaseType.HATE: "hate", CaseType.DA: "DA"}
STATUS_WORDS = {
    Status.NEW: ("new", "awaiting_triage", "not_triaged"),
    Status.OPEN: ("open", "active", "live", "in_progress", "investigating", "ongoing", "triaged", "reopened"),
    Status.CLOSED: ("closed", "resolved", "complete", "completed", "finished"),
}
STATUS_LOOKUP = {word: status for status, words in STATUS_WORDS.items() for word in words}
OUTCOME_SYNONYMS = (
    ("nfa", Outcome.NO_FURTHER_ACTION),
    ("referred", Outcome.REFERRED_ON),
    ("legal_action", Outcome.LEGAL_ACTION_CONCLUDED),
    ("withdrawn", Outcome.REPORTER_WITHDREW),
    ("no_contact", Outcome.UNABLE_TO_CONTACT),
)
