"""Forms for the privacy pages: the DPO's audit-trail search."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.core.exceptions import ValidationError

from saferhomes.privacy.selectors import AuditFilters

DATE_PARTS = ("day", "month", "year")


def _join_parts(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


class OptionalDateField(DateInputField):
    """An optional GOV.UK date input (day, month, year) with the Design System's error messages."""

    def __init__(self, *, label: str, **kwargs: Any) -> None:
        super().__init__(label=label, required=False, require_all_fields=False, **kwargs)

    def clean(self, value: Any) -> date | None:
        """Blank is fine; a partly filled or impossible date is an error that names the field and the parts."""
        raw = list(value) if isinstance(value, list | tuple) else []
        raw = [(str(part).strip() if part is not None else "") for part in [*raw, "", "", ""][:3]]
        for subfield in self.fields:
            subfield.widget.errors = []  # read by crispy-forms-gds to highlight parts
        if not any(raw):
            return None
        label = str(self.label)
        missing = [index for index, part in enumerate(raw) if not part]
        if missing:
            message = f"{label} must include a {_join_parts([DATE_PARTS[i] for i in missing])}"
            for index in missing:
                self.fields[index].widget.errors.append(message)
            raise ValidationError(message, code="incomplete")
        try:
            day, month, year = (int(part) for part in raw)
            if len(raw[2]) != 4:
                raise ValueError("year must have 4 digits")
            return date(year, month, day)
        except ValueError:
            raise ValidationError(f"{label} must be a real date", code="invalid") from None


class AuditSearchForm(forms.Form):
    """Filters for the audit trail; every field is optional and the form is submitted with GET."""

    actor = forms.CharField(
        label="Username", required=False, max_length=150, help_text="The staff member who did it, e.g. officer_olivia"
    )
    verb = forms.ChoiceField(
        label="What happened", required=False, error_messages={"invalid_choice": "Select what happened from the list"}
    )
    object_type = forms.ChoiceField(
        label="Type of record",
        required=False,
        error_messages={"invalid_choice": "Select a type of record from the list"},
    )
    object_id = forms.CharField(label="Record ID", required=False, max_length=64)
    date_from = OptionalDateField(label="Date from")
    date_to = OptionalDateField(label="Date to")
    text = forms.CharField(
        label="Reason or description contains",
        required=False,
        max_length=200,
        help_text="Searches the reason given and the description of the record",
    )

    def __init__(self, *args: Any, verbs: list[str], object_types: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["verb"]).choices = [("", "Any"), *((v, v) for v in verbs)]
        cast(forms.ChoiceField, self.fields["object_type"]).choices = [("", "Any"), *((t, t) for t in object_types)]
        self.fields["date_from"].help_text = "For example, 27 3 2026"
        self.fields["date_to"].help_text = "For example, 31 3 2026"
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("actor", field_width=20),
            Field.select("verb"),
            Field.select("object_type"),
            Field.text("object_id", field_width=10),
            Field("date_from", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field("date_to", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field.text("text"),
            Button("search", "Search", css_class="govuk-!-margin-bottom-0"),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", "Date to must be the same as or after date from")
        return cleaned

    def filters(self) -> AuditFilters:
        """The cleaned form as selector filters (call only after is_valid())."""
        data = self.cleaned_data
        return AuditFilters(
            actor=data.get("actor", "").strip(),
            verb=data.get("verb", ""),
            object_type=data.get("object_type", ""),
            object_id=data.get("object_id", "").strip(),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            text=data.get("text", "").strip(),
        )
