"""Form plumbing every app shares: the GOV.UK date and time fields, and a service's DomainError put on a form.

GOV.UK Design System via crispy-forms-gds. Fields only turn what was typed into values; rules (not in the future,
not before the report...) live in services, whose DomainErrors land on the right fields through `SERVICE_FIELDS`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, ClassVar

from crispy_forms_gds.fields import DateInputField
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

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


class DomainErrorForm(forms.Form):
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
