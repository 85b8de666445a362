"""How one field is treated when its case is anonymised: the vocabulary of the field map (`fields.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

REMOVED = "[Removed under the retention schedule]"
ANONYMISED_NAME = "Anonymised"
ANONYMISED_CASE = "Anonymised case"


class How(Enum):
    KEEP = "keep"  # kept as it is: `reason` says why (a figure, a code, a date, staff, not personal)
    NAME = "name"  # a person's name: "Anonymised" (an empty one stays empty)
    NAME_ALWAYS = "name_always"  # "Anonymised" even when empty (a party must stay identified or anonymous)
    BLANK = "blank"  # contact details, addresses, identifiers: emptied
    NULL = "null"  # a date of birth, or a register link (person, home): set to null
    REDACT = "redact"  # free text: REMOVED (an empty one stays empty)
    FIXED = "fixed"  # replaced by `value` (e.g. the case summary: "Anonymised case")
    EMPTY_LIST = "empty_list"  # a JSON list of personal choices (contact methods): []
    REDACT_JSON = "redact_json"  # JSON: every string inside replaced by REMOVED, keys and numbers kept
    FILE = "file"  # a stored file: deleted from storage, the field emptied
    REVOKE = "revoke"  # a revocation time: set to now unless already revoked
    UNIQUE = "unique"  # a unique identifier from outside (a Message-ID): "anonymised-<pk>"
    CUT = "cut"  # a many-to-many link to the register (a case's homes): every link removed


@dataclass(frozen=True)
class Treat:
    how: How
    reason: str = ""
    value: str = ""


def keep(reason: str) -> Treat:
    """Keep the field, for `reason` (required: the guard test reads it)."""
    if not reason.strip():
        raise ValueError("A kept field needs a reason.")
    return Treat(How.KEEP, reason=reason)


def fixed(value: str) -> Treat:
    return Treat(How.FIXED, value=value)


NAME = Treat(How.NAME)
NAME_ALWAYS = Treat(How.NAME_ALWAYS)
BLANK = Treat(How.BLANK)
NULL = Treat(How.NULL)
REDACT = Treat(How.REDACT)
EMPTY_LIST = Treat(How.EMPTY_LIST)
REDACT_JSON = Treat(How.REDACT_JSON)
FILE = Treat(How.FILE)
REVOKE = Treat(How.REVOKE)
UNIQUE = Treat(How.UNIQUE)
CUT = Treat(How.CUT)

# Reasons used often.
CODE = "a code from a fixed list: read by the figures, says nothing about a person"
SYSTEM = "written by the system, not by or about a person"
HASH = "a hash of a secret token: useless without the token, needed to refuse it"
REFERENCE = "our own reference: the figures and the audit trail name the record by it"
