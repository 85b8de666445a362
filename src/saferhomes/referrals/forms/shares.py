"""Forms for shares with partner agencies: share parts of a case, withdraw a share, and a partner's update.

They only turn what was typed into values; the rules (agency entitled to DA information, end date within the limit,
agreement including the agency...) are `referrals.services.shares` and `referrals.services.partner`, whose
DomainErrors land back on these fields.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from saferhomes.cases.services.evidence import evidence_max_bytes, evidence_size_label, evidence_types_label
from saferhomes.core.forms import DomainErrorForm, GovukDateField
from saferhomes.referrals.models import Agency, LawfulBasis, SharePart, SharingAgreement
from saferhomes.referrals.services.partner import UPDATE_TEXT_MAX
from saferhomes.referrals.services.shares import REASON_MAX, share_max_months


def form_helper(*fields: Any, submit: str) -> FormHelper:
    """A helper for forms whose <form> tag and CSRF token the template writes."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields, Button("submit", submit))
    return helper


class ShareForm(DomainErrorForm):
    """Which agency, which parts, until when, on what basis, under which agreement, and why."""

    agency = forms.ChoiceField(
        label="Agency",
        error_messages={
            "required": "Select the agency to share the case with",
            "invalid_choice": "Select an agency from the list",
        },
    )
    parts = forms.MultipleChoiceField(
        label="What to share",
        choices=SharePart.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="The partner sees these parts and nothing else: never the people on the case or their details",
        error_messages={
            "required": "Select at least one part of the case to share",
            "invalid_choice": "Select parts of the case from the list",
        },
    )
    ends_on = GovukDateField(label="Date the share ends", required_message="Enter the date the share ends")
    lawful_basis = forms.ChoiceField(
        label="Lawful basis for sharing",
        choices=LawfulBasis.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the lawful basis for sharing",
            "invalid_choice": "Select the lawful basis for sharing",
        },
    )
    agreement = forms.ChoiceField(
        label="Information-sharing agreement (optional)",
        required=False,
        error_messages={"invalid_choice": "Select an agreement from the list, or none"},
    )
    reason = forms.CharField(
        label="Why are you sharing the case with this agency?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=REASON_MAX,
        help_text="Recorded in the disclosure log, and shown to the partner",
        error_messages={
            "required": "Enter why you are sharing the case with this agency",
            "max_length": f"Why you are sharing must be {REASON_MAX:,} characters or fewer",
        },
    )

    def __init__(
        self,
        *args: Any,
        agencies: Sequence[Agency],
        agreements: Sequence[SharingAgreement],
        da_only: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.agencies = {str(agency.pk): agency for agency in agencies}
        self.agreements = {str(agreement.pk): agreement for agreement in agreements}
        agency_field = cast(forms.ChoiceField, self.fields["agency"])
        agency_field.choices = [("", "Choose an agency"), *((key, a.name) for key, a in self.agencies.items())]
        if da_only:
            agency_field.help_text = (
                "This case is domestic abuse or restricted: only agencies entitled to domestic abuse information "
                "are listed"
            )
        cast(forms.ChoiceField, self.fields["agreement"]).choices = [
            ("", "No agreement"),
            *((key, agreement.name) for key, agreement in self.agreements.items()),
        ]
        self.fields["ends_on"].help_text = (
            f"The partner can see the case until the end of this day. No more than {share_max_months()} months "
            "from today. For example, 27 3 2026"
        )
        self.helper = form_helper(
            Field.select("agency"),
            Field.checkboxes("parts", legend_size=Size.SMALL),
            Field("ends_on", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field.radios("lawful_basis", legend_size=Size.SMALL),
            Field.select("agreement"),
            Field.textarea("reason"),
            submit="Share the case",
        )

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned form as keyword arguments for `case_share` (call after is_valid())."""
        data = self.cleaned_data
        return {
            "agency": self.agencies.get(data["agency"]),
            "parts": list(data["parts"]),
            "ends_on": data["ends_on"],
            "lawful_basis": data["lawful_basis"],
            "agreement": self.agreements.get(data.get("agreement") or ""),
            "reason": data["reason"],
        }


class ShareWithdrawForm(DomainErrorForm):
    """Why the partner should stop seeing the case now."""

    reason = forms.CharField(
        label="Why are you withdrawing the share?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX,
        error_messages={
            "required": "Enter why you are withdrawing the share",
            "max_length": f"Why you are withdrawing must be {REASON_MAX:,} characters or fewer",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.textarea("reason"), submit="Withdraw the share")


class PartnerUpdateForm(DomainErrorForm):
    """A partner's update on a shared case: what they did or found, and optionally a document."""

    text = forms.CharField(
        label="Your update",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=UPDATE_TEXT_MAX,
        help_text="What your agency has done or found. The housing officer for the case will see it.",
        error_messages={
            "required": "Enter your update",
            "max_length": f"Your update must be {UPDATE_TEXT_MAX:,} characters or fewer",
        },
    )
    file = forms.FileField(
        label="Add a document (optional)",
        required=False,
        error_messages={"empty": "The selected file is empty", "invalid": "Select a file"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "file"
        ].help_text = f"A {evidence_types_label()} file, smaller than {evidence_size_label(evidence_max_bytes())}"
        self.helper = form_helper(Field.textarea("text"), Field("file"), submit="Send update")
