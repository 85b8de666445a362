"""The one edge check: text, numbers and dates from outside are refused before anything is written.

Every form (through `core.forms`), every JSON body (through the API's parser) and every query string and path
(through `core.middleware.EdgeMiddleware`) pass here. What no column can hold is refused with a message naming the
field: a lone surrogate (half of a UTF-16 pair: SQLite cannot encode it), NUL (PostgreSQL cannot store it) and the
other control characters (tab, newline and carriage return aside). Pure functions: no ORM, no request.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from typing import Any

# C0 controls except tab (09), newline (0A) and carriage return (0D); DEL; C1 controls; lone surrogates.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")

# The widest values any field takes: beyond these a number or date is not a mistake worth a database round trip.
MAX_INTEGER = 2**31 - 1  # PostgreSQL integer; larger counts and pages are refused where they are parsed
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)

SURROGATE_MESSAGE = "{label} contains a character we cannot store. Remove it or type the text again"
CONTROL_MESSAGE = "{label} contains a hidden control character. Remove it or type the text again"


def text_problem(value: str, label: str = "This field") -> str | None:
    """Why `value` cannot be stored as typed, naming the field; None when it can."""
    if _SURROGATE.search(value):
        return SURROGATE_MESSAGE.format(label=label)
    if _CONTROL.search(value):
        return CONTROL_MESSAGE.format(label=label)
    return None


def text_problems(data: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every string in a parsed JSON document (keys included) that cannot be stored: (path to it, message)."""
    if isinstance(data, str):
        problem = text_problem(data, "This value")
        if problem:
            yield path, problem
    elif isinstance(data, Mapping):
        for key, item in data.items():
            key_problem = text_problem(str(key), "This name")
            if key_problem:
                yield (*path, str(key).encode("utf-8", "replace").decode()), key_problem
            yield from text_problems(item, (*path, key))
    elif isinstance(data, list | tuple):
        for index, item in enumerate(data):
            yield from text_problems(item, (*path, index))


def integer_in_range(value: str, *, low: int = 0, high: int = MAX_INTEGER) -> int | None:
    """A whole number typed as text, within [low, high]; None if it is not one (or is absurdly long)."""
    text = value.strip()
    if not text or len(text) > len(str(MAX_INTEGER)) + 1 or not text.lstrip("-").isascii():
        return None
    if not text.lstrip("-").isdigit():
        return None
    number = int(text)
    return number if low <= number <= high else None


def date_in_range(value: dt.date) -> bool:
    """Whether a date is one any record could hold (1900 to 2100)."""
    return MIN_DATE <= value <= MAX_DATE
