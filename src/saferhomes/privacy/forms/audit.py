"""The DPO's audit-trail search form."""

from __future__ import annotations

from typing import Any, cast

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from saferhomes.core.forms import EdgeForm, GovukDateField
from saferhomes.privacy.selectors.audit import AuditFilters


class AuditSearchForm(EdgeForm):
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
    object_id = forms.CharField(
        label="Record ID",
        required=False,
        max_length=64,
        help_text="A number, or a case reference such as ASB-2026-000302",
    )
    date_from = GovukDateField(label="Date from", required=False)
    date_to = GovukDateField(label="Date to", required=False)
    text = forms.CharField(
        label="Reason or description contains",
        required=False,
        max_length=200,
        help_text="Searches the reason given and the description of the record",
    )

    def __init__(
        self, *args: Any, verbs: list[tuple[str, str]], object_types: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["verb"]).choices = [("", "Any"), *verbs]
        cast(forms.ChoiceField, self.fields["object_type"]).choices = [("", "Any"), *object_types]
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
