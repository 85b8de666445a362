"""The form to add or change an information-sharing agreement (issue 15 item 5); the rules (review and end dates on
or after the start, at least one agency) are `referrals.services.agreements`', whose DomainError lands on the fields."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from saferhomes.core.forms import DomainErrorForm, GovukDateField
from saferhomes.referrals.models import Agency, LawfulBasis, SharingAgreement
from saferhomes.referrals.services.agreements import NAME_MAX, TEXT_MAX


def _date(name: str) -> Field:
    return Field(name, context={"legend_size": Size.for_legend(Size.SMALL)})


class AgreementForm(DomainErrorForm):
    """Name, agencies, purpose, data shared, lawful basis, and the start, review and end dates."""

    name = forms.CharField(
        label="Name of the agreement",
        max_length=NAME_MAX,
        help_text="For example, Exampleton MARAC information-sharing protocol 2026",
        error_messages={
            "required": "Enter the agreement's name",
            "max_length": f"The name must be {NAME_MAX} characters or fewer",
        },
    )
    agencies = forms.MultipleChoiceField(
        label="Which agencies is it with?",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one agency the agreement is with",
            "invalid_choice": "Choose agencies from the list",
        },
    )
    purpose = forms.CharField(
        label="What is it for?",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter what the agreement is for",
            "max_length": f"This must be {TEXT_MAX:,} characters or fewer",
        },
    )
    data_shared = forms.CharField(
        label="What personal data does it cover?",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter the kinds of personal data the agreement covers",
            "max_length": f"This must be {TEXT_MAX:,} characters or fewer",
        },
    )
    lawful_basis = forms.ChoiceField(
        label="Lawful basis for sharing",
        choices=LawfulBasis.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the lawful basis for sharing",
            "invalid_choice": "Select the lawful basis for sharing from the list",
        },
    )
    starts_on = GovukDateField(label="Start date", required_message="Enter the date the agreement starts")
    review_on = GovukDateField(label="Review date", required_message="Enter the date the agreement is to be reviewed")
    ends_on = GovukDateField(label="End date (optional)", required=False)

    def __init__(self, *args: Any, agencies: Iterable[Agency], submit: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agency_by_pk = {str(agency.pk): agency for agency in agencies}
        cast(forms.MultipleChoiceField, self.fields["agencies"]).choices = [
            (pk, agency.name) for pk, agency in self.agency_by_pk.items()
        ]
        self.fields["starts_on"].help_text = "For example, 1 4 2026"
        self.fields["review_on"].help_text = "Usually a year after the start. For example, 1 4 2027"
        self.fields["ends_on"].help_text = "Leave it blank if the agreement runs until it is ended"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field.text("name"),
            Field.checkboxes("agencies", legend_size=Size.SMALL, small=True),
            Field.textarea("purpose"),
            Field.textarea("data_shared"),
            Field.radios("lawful_basis", legend_size=Size.SMALL, small=True),
            _date("starts_on"),
            _date("review_on"),
            _date("ends_on"),
            Button("save", submit),
        )

    @staticmethod
    def initial_for(agreement: SharingAgreement) -> dict[str, Any]:
        """The form's starting values for changing an agreement."""
        return {
            "name": agreement.name,
            "agencies": [str(agency.pk) for agency in agreement.agencies.all()],
            "purpose": agreement.purpose,
            "data_shared": agreement.data_shared,
            "lawful_basis": agreement.lawful_basis,
            "starts_on": agreement.starts_on,
            "review_on": agreement.review_on,
            "ends_on": agreement.ends_on,
        }

    def values(self) -> dict[str, Any]:
        """The cleaned answers as the service's arguments (call after is_valid())."""
        data = self.cleaned_data
        return {
            "name": data.get("name", ""),
            "agencies": [self.agency_by_pk[pk] for pk in data.get("agencies", []) if pk in self.agency_by_pk],
            "purpose": data.get("purpose", ""),
            "data_shared": data.get("data_shared", ""),
            "lawful_basis": data.get("lawful_basis", ""),
            "starts_on": data.get("starts_on"),
            "review_on": data.get("review_on"),
            "ends_on": data.get("ends_on"),
        }
