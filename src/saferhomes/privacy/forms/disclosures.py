"""Filters for the DPO's disclosure log: every one optional, submitted with GET; a bad one is an error on the form."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from saferhomes.core.forms import EdgeForm, GovukDateField
from saferhomes.referrals.models import Agency, DisclosureSource, LawfulBasis
from saferhomes.referrals.selectors.disclosures import DisclosureFilters


class DisclosureLogForm(EdgeForm):
    """Agency, case reference, how it was disclosed, lawful basis, dates (inclusive) and who disclosed it."""

    agency = forms.ChoiceField(
        label="Disclosed to", required=False, error_messages={"invalid_choice": "Select an agency from the list"}
    )
    case_reference = forms.CharField(
        label="Case reference",
        required=False,
        max_length=30,
        help_text="For example, DA-2026-000042",
        error_messages={"max_length": "The case reference must be 30 characters or fewer"},
    )
    source = forms.ChoiceField(
        label="How it was disclosed",
        required=False,
        choices=[("", "Any"), *DisclosureSource.choices],
        error_messages={"invalid_choice": "Select how it was disclosed from the list"},
    )
    lawful_basis = forms.ChoiceField(
        label="Lawful basis",
        required=False,
        choices=[("", "Any"), *LawfulBasis.choices],
        error_messages={"invalid_choice": "Select a lawful basis from the list"},
    )
    date_from = GovukDateField(label="Date from", required=False)
    date_to = GovukDateField(label="Date to", required=False)
    disclosed_by = forms.CharField(
        label="Disclosed by (username)",
        required=False,
        max_length=150,
        help_text="For example, da_specialist_dev",
        error_messages={"max_length": "The username must be 150 characters or fewer"},
    )

    def __init__(self, *args: Any, agencies: Iterable[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agency_by_pk = {str(agency.pk): agency for agency in agencies}
        cast(forms.ChoiceField, self.fields["agency"]).choices = [
            ("", "Any"),
            *((pk, agency.name) for pk, agency in self.agency_by_pk.items()),
        ]
        self.fields["date_from"].help_text = "For example, 1 3 2026"
        self.fields["date_to"].help_text = "For example, 31 3 2026"
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.select("agency"),
            Field.text("case_reference", field_width=10),
            Field.select("source"),
            Field.select("lawful_basis"),
            Field("date_from", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field("date_to", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field.text("disclosed_by", field_width=20),
            Button("search", "Search", css_class="govuk-!-margin-bottom-0"),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", "Date to must be the same as or after date from")
        return cleaned

    def filters(self) -> DisclosureFilters:
        """The cleaned form as selector filters (call only after is_valid())."""
        data = self.cleaned_data
        return DisclosureFilters(
            agency=self.agency_by_pk.get(data.get("agency") or ""),
            case_reference=data.get("case_reference", "").strip(),
            source=data.get("source", ""),
            lawful_basis=data.get("lawful_basis", ""),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            disclosed_by=data.get("disclosed_by", "").strip(),
        )
