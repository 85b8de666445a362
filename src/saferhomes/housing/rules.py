"""Pure housing-register rules: UK postcodes, ages and the minor flag, parsing imported cell values. No ORM."""

from __future__ import annotations

import datetime as dt
import re

ADULT_AGE = 18

# Royal Mail postcode grammar (outward code + inward code), with the letter restrictions of each position.
_OUTWARD = (
    r"(?:[A-PR-UWYZ][0-9]{1,2}"  # A9, A99
    r"|[A-PR-UWYZ][A-HK-Y][0-9]{1,2}"  # AA9, AA99
    r"|[A-PR-UWYZ][0-9][A-HJKPSTUW]"  # A9A
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])"  # AA9A
)
_INWARD = r"[0-9][ABD-HJLNP-UW-Z]{2}"
POSTCODE_RE = re.compile(rf"^(?:{_OUTWARD} {_INWARD}|GIR 0AA)$")


class InvalidPostcodeError(ValueError):
    """The text is not a UK postcode."""


def normalise_postcode(raw: str) -> str:
    """The canonical form of a UK postcode ('ab12cd' -> 'AB1 2CD'); raises InvalidPostcodeError if it is not one."""
    compact = "".join(str(raw).split()).upper()
    if 5 <= len(compact) <= 7:
        candidate = f"{compact[:-3]} {compact[-3:]}"
        if POSTCODE_RE.match(candidate):
            return candidate
    raise InvalidPostcodeError(f"'{str(raw).strip()}' is not a UK postcode")


def is_uk_postcode(raw: str) -> bool:
    """Whether the text is a UK postcode in any spacing or case."""
    try:
        normalise_postcode(raw)
    except InvalidPostcodeError:
        return False
    return True


def age_on(date_of_birth: dt.date, on_date: dt.date) -> int:
    """Completed years of age on a date (someone born on 29 February has a birthday on 1 March in other years)."""
    before_birthday = (on_date.month, on_date.day) < (date_of_birth.month, date_of_birth.day)
    return on_date.year - date_of_birth.year - int(before_birthday)


def is_minor_on(date_of_birth: dt.date | None, on_date: dt.date) -> bool:
    """Whether someone is under 18 on a date; an unrecorded date of birth is not treated as a minor."""
    if date_of_birth is None:
        return False
    return age_on(date_of_birth, on_date) < ADULT_AGE


UPRN_RE = re.compile(r"^[0-9]{1,12}$")


def parse_uprn(raw: str) -> int:
    """A Unique Property Reference Number: 1 to 12 digits, not zero; raises ValueError otherwise."""
    text = str(raw).strip()
    if not UPRN_RE.match(text) or int(text) == 0:
        raise ValueError(f"'{text}' is not a UPRN (1 to 12 digits)")
    return int(text)


_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_UK_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def parse_date(raw: str) -> dt.date:
    """A date written as ISO '2024-03-31' or UK '31/03/2024'; raises ValueError otherwise."""
    text = str(raw).strip()
    if " " in text and _ISO_DATE.match(text.split(" ", 1)[0]) and text.split(" ", 1)[1] in {"00:00:00", "00:00"}:
        text = text.split(" ", 1)[0]  # a spreadsheet date exported with a midnight time
    if match := _ISO_DATE.match(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _UK_DATE.match(text):
        day, month, year = (int(part) for part in match.groups())
    else:
        raise ValueError(f"'{text}' is not a date: write it as 31/03/2024 or 2024-03-31")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"'{text}' is not a real date") from None


_TRUE = {"yes", "y", "true", "t", "1"}
_FALSE = {"no", "n", "false", "f", "0", ""}


def parse_yes_no(raw: str) -> bool:
    """Yes/no, true/false, 1/0 or blank (no); raises ValueError otherwise."""
    text = str(raw).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"'{str(raw).strip()}' is not yes or no")


def split_list(raw: str) -> list[str]:
    """Items of a ';'- or ','-separated cell, stripped, blanks dropped, order kept."""
    return [item.strip() for item in re.split(r"[;,]", str(raw)) if item.strip()]


def normalise_header(raw: str) -> str:
    """A column header as a key: 'Address line 1' -> 'address_line_1'."""
    return re.sub(r"[\s\-]+", "_", str(raw).strip().lower()).strip("_")


def choice_key(raw: str) -> str:
    """A choice typed by a person, as a comparable key: 'Fixed-term' -> 'fixed_term'."""
    return re.sub(r"[^a-z0-9]+", "_", str(raw).strip().lower()).strip("_")
