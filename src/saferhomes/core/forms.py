"""Form plumbing every app shares: the GOV.UK date and time fields, and a service's DomainError put on a form.

GOV.UK Design System via crispy-forms-gds. Fields only turn what was typed into values; rules (not in the future,
not before the report...) live in services, whose DomainErrors land on the right fields through `SERVICE_FIELDS`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from crispy_forms_gds.fields import DateInputField
from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone

from saferhomes.core.edge import MAX_DATE, MIN_DATE, date_in_range, text_problem
from saferhomes.core.errors import DomainError

DATE_PARTS = ("day", "month", "year")
# Digits a person types in each part: a day or month of 1-2 digits, a year of exactly 4 (GOV.UK date input).
_PART_DIGITS = (2, 2, 4)
_TIME = re.compile(r"^(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<half>am|pm)?$", re.ASCII)
TIME_HINT = "For example, 14:30 or 2:30pm"


def join_parts(parts: list[str]) -> str:
    """['day', 'month'] -> 'day and month'; three parts -> 'day, month and year'."""
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


class GovukDateField(DateInputField):
    """A GOV.UK date input whose messages name the field and the missing parts, as the Design System asks.

    `required_message` replaces "Enter <label>" where the page words it differently ("Enter the closure date").
    Every part is bounded where it is parsed: a part that is not 1-2 digits (4 for the year) is not a real date.
    """

    def __init__(self, *, label: str, required: bool = True, required_message: str | None = None, **kwargs: Any):
        super().__init__(label=label, required=required, require_all_fields=False, **kwargs)
        self.field_required = required
        self.required_message = required_message or f"Enter {label.lower()}"

    def clean(self, value: Any) -> dt.date | None:
        raw = list(value) if isinstance(value, list | tuple) else []
        raw = [(str(part).strip() if part is not None else "") for part in [*raw, "", "", ""][:3]]
        for subfield in self.fields:
            subfield.widget.errors = []  # read by crispy-forms-gds to highlight parts
        label = str(self.label)
        if not any(raw):
            if self.field_required:
                for subfield in self.fields:
                    subfield.widget.errors.append(self.required_message)
                raise ValidationError(self.required_message, code="required")
            return None
        missing = [index for index, part in enumerate(raw) if not part]
        if missing:
            message = f"{label} must include a {join_parts([DATE_PARTS[i] for i in missing])}"
            for index in missing:
                self.fields[index].widget.errors.append(message)
            raise ValidationError(message, code="incomplete")
        day = parse_date_parts(*raw)
        if day is None:
            raise ValidationError(f"{label} must be a real date", code="invalid")
        if not date_in_range(day):
            bound = f"after {MIN_DATE:%-d %B %Y}" if day < MIN_DATE else f"before {MAX_DATE:%-d %B %Y}"
            raise ValidationError(f"{label} must be the same as or {bound}", code="out_of_range")
        return day


def parse_date_parts(day: str, month: str, year: str) -> dt.date | None:
    """The date typed as day, month and year, or None if it is not a real one (including parts far out of range)."""
    parts = (day, month, year)
    for part, digits in zip(parts, _PART_DIGITS, strict=True):
        if not (part.isascii() and part.isdigit()) or len(part) > digits:
            return None
    if len(year) != 4:
        return None
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def parse_time(value: str) -> dt.time | None:
    """'14:30', '2:30pm', '9am', '14.30' -> time; None if it is not a real time of day."""
    match = _TIME.match(value.strip().lower().replace(" ", ""))
    if not match:
        return None
    hour, minute, half = int(match["hour"]), int(match["minute"] or 0), match["half"]
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


class TimeField(forms.CharField):
    """A time of day typed as text (GOV.UK has no time component): '14:30' or '2:30pm'."""

    def __init__(self, *, label: str, required: bool = True, **kwargs: Any) -> None:
        super().__init__(
            label=label,
            required=required,
            max_length=10,
            help_text=TIME_HINT,
            error_messages={
                "required": f"Enter {label.lower()}",
                "max_length": f"Enter a real time, {TIME_HINT.lower()}",
            },
            widget=forms.TextInput(attrs={"inputmode": "text", "autocomplete": "off", "spellcheck": "false"}),
            **kwargs,
        )

    def clean(self, value: Any) -> dt.time | None:
        text = super().clean(value)
        if not text:
            return None
        parsed = parse_time(text)
        if parsed is None:
            raise ValidationError(f"{self.label} must be a real time, {TIME_HINT.lower()}", code="invalid")
        return parsed


def local_datetime(day: dt.date, time: dt.time) -> dt.datetime:
    """A date and time on the landlord's clock (Europe/London) as an aware datetime."""
    return timezone.make_aware(dt.datetime.combine(day, time))


def add_domain_error(form: forms.Form, error: DomainError, field_map: dict[str, str] | None = None) -> None:
    """Put a service's DomainError on a form: field errors on the fields they name (through `field_map` where the
    service's names differ), anything else form-wide."""
    for name, messages in error.field_errors.items():
        target = (field_map or {}).get(name, name)
        for message in messages:
            form.add_error(target if target in form.fields else None, message)
    for message in error.messages:
        form.add_error(None, message)


class EdgeChecked(forms.BaseForm):
    """The one edge check (core.edge) before any field or rule sees the answers: mix it in first, before Django's own
    form classes (`class SignInForm(EdgeChecked, AuthenticationForm)`); plain forms subclass `EdgeForm`.

    An answer no column can hold (a lone surrogate, NUL or another control character) is refused with a message
    naming the question, and the field is cleaned as if it were blank so no rule, query or write ever sees it;
    every other answer is kept and shown again.
    """

    edge_problems: dict[str, str]

    def full_clean(self) -> None:
        self.edge_problems = self._edge_problems() if self.is_bound else {}
        if self.edge_problems:
            self.data = self._without(self.data, self.edge_problems)
        super().full_clean()
        for name, problem in self.edge_problems.items():
            self.errors[name] = self.error_class([problem], renderer=self.renderer)
            self.cleaned_data.pop(name, None)

    def _without(self, data: Mapping[str, Any], names: Iterable[str]) -> Mapping[str, Any]:
        """The submitted data less the named fields (and their parts, such as a date's day, month and year)."""
        dropped = re.compile("|".join(rf"{re.escape(self.add_prefix(name))}(?:_\d+)?" for name in names))
        kept = QueryDict(mutable=True)
        for key in data:
            if dropped.fullmatch(key):
                continue
            values = data.getlist(key) if isinstance(data, QueryDict) else [data[key]]
            kept.setlist(key, list(values))
        return kept

    def _edge_problems(self) -> dict[str, str]:
        problems: dict[str, str] = {}
        for name, field in self.fields.items():
            raw = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            values = raw if isinstance(raw, list | tuple) else [raw]
            label = str(field.label or name.replace("_", " ").capitalize())
            for value in values:
                problem = text_problem(value, label) if isinstance(value, str) else None
                if problem:
                    problems[name] = problem
                    break
        return problems


class EdgeForm(EdgeChecked, forms.Form):
    """A plain form with the edge check: every Saferhomes form is one (or mixes in `EdgeChecked`)."""


class DomainErrorForm(EdgeForm):
    """Base for a form that a service answers: `add_domain_error` puts its DomainError on the fields it names.

    `SERVICE_FIELDS` maps a service's field name to this form's field where they differ.
    """

    SERVICE_FIELDS: ClassVar[dict[str, str]] = {}

    def field_for(self, name: str) -> str | None:
        """The form field a service's field name lands on, or None for a form-wide message."""
        target = self.SERVICE_FIELDS.get(name, name)
        return target if target in self.fields else None

    def add_domain_error(self, error: DomainError) -> None:
        """The service's messages, on their fields where the form has them, otherwise form-wide."""
        for name, messages in error.field_errors.items():
            for message in messages:
                self.add_error(self.field_for(name), message)
        for message in error.messages:
            self.add_error(None, message)
