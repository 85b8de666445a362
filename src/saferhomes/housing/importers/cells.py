"""Checking one row's cells: typed reads that collect problems by row and column instead of raising."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping

from django.core.validators import EmailValidator
from django.db import models

from saferhomes.housing import rules
from saferhomes.housing.importers.columns import ImportRow, RowProblem
from saferhomes.housing.importers.files import is_blank


class Cells:
    """Typed reads of one row's cells that collect problems instead of raising."""

    def __init__(self, row: ImportRow, problems: list[RowProblem]) -> None:
        self.row = row
        self.problems = problems
        self.start = len(problems)

    @property
    def ok(self) -> bool:
        return len(self.problems) == self.start

    def has(self, column: str) -> bool:
        return column in self.row.values

    def error(self, column: str, reason: str) -> None:
        self.problems.append(RowProblem(self.row.number, column, reason))

    def raw(self, column: str) -> object:
        return self.row.values.get(column)

    def text(self, column: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = cell_text(self.raw(column))
        if required and not value:
            self.error(column, "is required")
        elif max_length is not None and len(value) > max_length:
            self.error(column, f"is {len(value)} characters long; the most allowed is {max_length}")
        return value

    def date(self, column: str, *, required: bool = False) -> dt.date | None:
        value = self.raw(column)
        if is_blank(value):
            if required:
                self.error(column, "is required")
            return None
        try:
            return cell_date(value)
        except ValueError as exc:
            self.error(column, str(exc))
            return None

    def choice(
        self,
        column: str,
        choices: type[models.TextChoices],
        *,
        synonyms: Mapping[str, str] | None = None,
        required: bool = False,
    ) -> str:
        value = self.text(column, required=required)
        if not value:
            return ""
        key = rules.choice_key(value)
        lookup = choice_lookup(choices, tuple(sorted((synonyms or {}).items())))
        if key in lookup:
            return lookup[key]
        allowed = ", ".join(str(label).lower() for label in choices.labels)
        self.error(column, f"'{value}' is not one of: {allowed}")
        return ""

    def yes_no(self, column: str, *, default: bool) -> bool:
        value = self.raw(column)
        if isinstance(value, bool):
            return value
        if is_blank(value):
            return default
        try:
            return rules.parse_yes_no(cell_text(value))
        except ValueError as exc:
            self.error(column, str(exc))
            return default

    def integer(self, column: str, *, low: int, high: int) -> int | None:
        text = self.text(column)
        if not text:
            return None
        if not text.isdigit() or not low <= int(text) <= high:
            self.error(column, f"'{text}' is not a whole number from {low} to {high}")
            return None
        return int(text)


@functools.cache
def choice_lookup(choices: type[models.TextChoices], synonyms: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """Typed key -> stored value for a set of choices: their values, labels and synonyms."""
    lookup = {rules.choice_key(v): v for v in choices.values}
    lookup.update({rules.choice_key(str(label)): v for v, label in choices.choices})
    lookup.update(synonyms)
    return lookup


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def cell_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        from openpyxl.utils.datetime import from_excel

        try:
            converted = from_excel(value)
        except (ValueError, OverflowError, TypeError):
            raise ValueError(f"'{value}' is not a date") from None
        if not isinstance(converted, dt.datetime | dt.date) or not 1900 < converted.year < 2200:
            raise ValueError(f"'{value}' is not a date")
        return converted.date() if isinstance(converted, dt.datetime) else converted
    return rules.parse_date(cell_text(value))


validate_email = EmailValidator()


def max_length(model: type[models.Model], name: str) -> int:
    length = model._meta.get_field(name).max_length  # type: ignore[union-attr]
    assert isinstance(length, int)
    return length
