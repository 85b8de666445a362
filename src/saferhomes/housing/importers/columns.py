"""The import files' columns, the rows read from them, and what an import reports back (problems, results)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from saferhomes.core.errors import DomainError
from saferhomes.housing.models import (
    ContactMethod,
    VulnerabilityCategory,
)

KINDS = ("properties", "tenancies", "people")
BATCH_SIZE = 1000
LOOKUP_CHUNK = 500
PROGRESS_EVERY = 250

ProgressCallback = Callable[[str, int, int], None]
"""Called as progress(phase, done, total) while checking rows and while writing them."""


@dataclass(frozen=True)
class Column:
    """One documented column of an import file."""

    name: str
    required: bool
    help: str
    aliases: tuple[str, ...] = ()


COLUMNS: dict[str, list[Column]] = {
    "properties": [
        Column("reference", True, "The housing system's property reference (unique).", ("property_reference",)),
        Column("address_line_1", True, "First line of the address, e.g. '12 Tennyson Road'.", ("address_1",)),
        Column("address_line_2", False, "Second line of the address.", ("address_2",)),
        Column("address_line_3", False, "Third line of the address.", ("address_3",)),
        Column("town", True, "Town or city.", ("city",)),
        Column("postcode", True, "UK postcode in any spacing or case; stored as 'AB1 2CD'.", ("post_code",)),
        Column("uprn", False, "Unique Property Reference Number, 1 to 12 digits."),
        Column("estate_code", False, "Code of the estate; blank if the home is on no estate.", ("estate",)),
        Column("estate_name", False, "Name of the estate; needed the first time an estate code appears."),
        Column(
            "area_code", False, "Code of the estate's area; needed the first time an estate code appears.", ("area",)
        ),
        Column("area_name", False, "Name of the area; needed the first time an area code appears."),
        Column("property_type", False, "House, flat, maisonette, bungalow, bedsit or other (blank: other).", ("type",)),
        Column("bedrooms", False, "Number of bedrooms, 0 to 20."),
        Column(
            "owned", False, "Yes if the landlord owns the home, no if it only manages it (blank: yes).", ("is_owned",)
        ),
    ],
    "people": [
        Column("reference", True, "The housing system's person reference (unique).", ("person_reference",)),
        Column("title", False, "Mr, Mrs, Ms, Mx, Dr..."),
        Column("first_name", True, "First name.", ("forename", "given_name")),
        Column("last_name", True, "Last name.", ("surname", "family_name")),
        Column("preferred_name", False, "The name they like to be called."),
        Column("date_of_birth", False, "31/03/2024 or 2024-03-31, or an Excel date.", ("dob",)),
        Column("email", False, "Email address."),
        Column("phone", False, "Landline or main phone number.", ("telephone",)),
        Column("mobile", False, "Mobile phone number.", ("mobile_phone",)),
        Column("safe_contact_notes", False, "How and when it is safe to make contact.", ("safe_contact",)),
        Column(
            "contact_avoid",
            False,
            "Ways never to use to contact them, separated by ';': "
            + "; ".join(str(label) for label in ContactMethod.labels)
            + " (e.g. 'Phone' for do not phone).",
            ("do_not_contact_by",),
        ),
        Column("vulnerabilities", False, "What staff should know, in plain words."),
        Column(
            "vulnerability_categories",
            False,
            "Categories separated by ';': " + "; ".join(str(label) for label in VulnerabilityCategory.labels) + ".",
        ),
        Column("reasonable_adjustments", False, "Adjustments the person needs."),
        Column("preferred_language", False, "Preferred language (blank: English).", ("language",)),
        Column(
            "preferred_format",
            False,
            "Standard, large print, easy read, braille, audio, British Sign Language or email only (blank: standard).",
            ("format",),
        ),
        Column("needs_interpreter", False, "Yes or no (blank: no).", ("interpreter",)),
    ],
    "tenancies": [
        Column("reference", True, "The housing system's tenancy reference (unique).", ("tenancy_reference",)),
        Column("property_reference", True, "Reference of the property (import properties first).", ("property",)),
        Column(
            "tenancy_type",
            True,
            "Secure, assured, starter (or introductory), fixed-term, leasehold or licence.",
            ("type",),
        ),
        Column("start_date", True, "31/03/2024 or 2024-03-31, or an Excel date.", ("start",)),
        Column("end_date", False, "Blank while the tenancy is current; not before the start date.", ("end",)),
        Column(
            "tenants",
            True,
            "Person references separated by ';' (import people first). The first is the lead tenant, "
            "the others joint tenants.",
        ),
        Column("household_members", False, "Person references of others in the household, separated by ';'."),
    ],
}


@dataclass(frozen=True)
class ImportRow:
    """One data row of a file: its row number as the spreadsheet shows it (header is row 1) and its cells."""

    number: int
    values: Mapping[str, object]


@dataclass(frozen=True)
class RowProblem:
    """Why one cell of one row cannot be imported."""

    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"Row {self.row}, {self.column}: {self.reason}"


@dataclass
class ImportResult:
    """What an import did (or, for a dry run, would do)."""

    kind: str
    rows: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """'3 created, 1 updated, 10 unchanged'."""
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


class ImportFileError(DomainError):
    """The file itself cannot be read as an import (type, emptiness, headers)."""


class ImportRejectedError(DomainError):
    """One or more rows are invalid, so nothing was imported."""

    def __init__(self, problems: Sequence[RowProblem]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} found; nothing was imported.")
