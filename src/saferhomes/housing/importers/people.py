"""Planning a people import: the people on the register, with their contact needs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from saferhomes.housing import rules
from saferhomes.housing.importers.cells import Cells, cell_text, choice_lookup, max_length, validate_email
from saferhomes.housing.importers.columns import ImportRow, ProgressCallback, RowProblem
from saferhomes.housing.importers.plan import Plan, apply_values, by_key, tick
from saferhomes.housing.models import (
    ContactMethod,
    Person,
    PreferredFormat,
    VulnerabilityCategory,
)

_FORMAT_SYNONYMS = {
    "bsl": PreferredFormat.BSL,
    "sign_language": PreferredFormat.BSL,
    "email": PreferredFormat.EMAIL_ONLY,
    "large": PreferredFormat.LARGE_PRINT,
}


def _choice_list(cells: Cells, name: str, lookup: dict[str, str], what: str) -> list[str]:
    """A ';'-separated cell of choices as distinct stored values, each unknown item a problem on the row."""
    chosen: list[str] = []
    for item in rules.split_list(cells.text(name)):
        code = lookup.get(rules.choice_key(item))
        if code is None:
            cells.error(name, f"'{item}' is not {what}")
        elif code not in chosen:
            chosen.append(code)
    return chosen


def plan_people(rows: Sequence[ImportRow], problems: list[RowProblem], progress: ProgressCallback | None) -> Plan:
    plan = Plan()
    existing = by_key(
        Person.objects.exclude(reference=""), "reference", (cell_text(r.values.get("reference")) for r in rows)
    )
    texts = [
        "title",
        "preferred_name",
        "phone",
        "mobile",
        "safe_contact_notes",
        "vulnerabilities",
        "reasonable_adjustments",
    ]
    length = {name: max_length(Person, name) for name in ("reference", "first_name", "last_name", "email")}
    length.update({name: max_length(Person, name) for name in ("title", "preferred_name", "phone", "mobile")})
    length["preferred_language"] = max_length(Person, "preferred_language")
    category_lookup = choice_lookup(VulnerabilityCategory, ())
    method_lookup = choice_lookup(ContactMethod, (("call", ContactMethod.PHONE), ("sms", ContactMethod.TEXT)))
    today = timezone.localdate()
    total = len(rows)
    for done, row in enumerate(rows, start=1):
        cells = Cells(row, problems)
        reference = cells.text("reference", required=True, max_length=length["reference"])
        values: dict[str, Any] = {
            "first_name": cells.text("first_name", required=True, max_length=length["first_name"]),
            "last_name": cells.text("last_name", required=True, max_length=length["last_name"]),
        }
        for name in texts:
            if cells.has(name):
                values[name] = cells.text(name, max_length=length.get(name))
        for name in ("phone", "mobile"):
            number = values.get(name, "")
            if number and not _plausible_phone(number):
                cells.error(name, f"'{number}' is not a phone number")
        if cells.has("date_of_birth"):
            born = cells.date("date_of_birth")
            if born is not None and born > today:
                cells.error("date_of_birth", f"{born:%d/%m/%Y} is in the future")
            values["date_of_birth"] = born
        if cells.has("email"):
            email = cells.text("email", max_length=length["email"])
            if email:
                try:
                    validate_email(email)
                except ValidationError:
                    cells.error("email", f"'{email}' is not an email address")
            values["email"] = email
        for name, lookup, what in (
            ("vulnerability_categories", category_lookup, "a vulnerability category"),
            ("contact_avoid", method_lookup, "a way of contact"),
        ):
            if cells.has(name):
                values[name] = _choice_list(cells, name, lookup, what)
        if cells.has("preferred_language"):
            language = cells.text("preferred_language", max_length=length["preferred_language"])
            values["preferred_language"] = language or "English"
        if cells.has("preferred_format"):
            values["preferred_format"] = (
                cells.choice("preferred_format", PreferredFormat, synonyms=_FORMAT_SYNONYMS) or PreferredFormat.STANDARD
            )
        if cells.has("needs_interpreter"):
            values["needs_interpreter"] = cells.yes_no("needs_interpreter", default=False)
        if cells.ok:
            current = existing.get(reference)
            if current is None:
                plan.create.append(Person(reference=reference, **values))
            else:
                apply_values(current, values, plan)
        tick(progress, "Checking rows", done, total)
    return plan


def _plausible_phone(number: str) -> bool:
    allowed = set("0123456789 +()-.")
    digits = sum(ch.isdigit() for ch in number)
    return set(number) <= allowed and 7 <= digits <= 15
