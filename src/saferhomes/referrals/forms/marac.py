"""The MARAC referral form's page (issue 15 item 3): what the officer checks and adds before producing the form.

Only carries what was typed; `referrals.services.marac.marac_form_produce` decides (a MARAC coordinator entitled to
DA information, words where they are needed, consent as the lawful basis only when the victim consented, an
agreement in force that covers the coordinator) and its DomainError lands back on these fields.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from saferhomes.core.forms import DomainErrorForm
from saferhomes.referrals.models import Agency, LawfulBasis, SharingAgreement
from saferhomes.referrals.services.marac import TEXT_MAX

NO_AGREEMENT = ""


def _words(label: str, *, help_text: str = "", required: str = "", rows: int = 5) -> forms.CharField:
    messages = {"max_length": f"{label} must be {TEXT_MAX:,} characters or fewer"}
    if required:
        messages["required"] = required
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=bool(required),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages=messages,
    )


class MaracReferralForm(DomainErrorForm):
    """The coordinator, the officer's words, the lawful basis and (when the victim did not consent) why anyway."""

    agency = forms.ChoiceField(
        label="Which MARAC is the case referred to?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the MARAC coordinator",
            "invalid_choice": "Choose the MARAC coordinator from the list",
        },
    )
    reason = _words(
        "Reason for referral",
        help_text="Started from the risk assessment: check it and add what the coordinator should know",
        required="Enter why the case is referred to MARAC",
        rows=6,
    )
    victim_wants = _words(
        "What the victim wants",
        help_text="In their words if you can. Leave it blank if you do not know",
    )
    safety_actions = _words(
        "Immediate safety actions",
        help_text="For example, locks changed, sanctuary scheme referral, police informed, IDVA contacted",
        required="Enter the immediate safety actions taken or planned",
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
    consent_note = _words(
        "Why is the referral made without the victim's consent?",
        help_text="For example, the risk of serious harm is high and asking would put them at risk",
        required="Enter why the referral is made without the victim's consent",
        rows=3,
    )
    agreement = forms.ChoiceField(
        label="Information-sharing agreement (optional)",
        required=False,
        error_messages={"invalid_choice": "Choose an information-sharing agreement from the list"},
    )

    def __init__(
        self,
        *args: Any,
        agencies: Iterable[Agency],
        agreements: Iterable[SharingAgreement],
        consented: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.agencies = {str(agency.pk): agency for agency in agencies}
        self.agreements = {str(agreement.pk): agreement for agreement in agreements}
        cast(forms.ChoiceField, self.fields["agency"]).choices = [
            (pk, agency.name) for pk, agency in self.agencies.items()
        ]
        cast(forms.ChoiceField, self.fields["agreement"]).choices = [
            (NO_AGREEMENT, "None"),
            *((pk, agreement.name) for pk, agreement in self.agreements.items()),
        ]
        if len(self.agencies) == 1:
            self.fields["agency"].initial = next(iter(self.agencies))
        if consented:
            del self.fields["consent_note"]
        self.fields["lawful_basis"].initial = LawfulBasis.CONSENT if consented else LawfulBasis.PUBLIC_TASK
        layout = [
            Field.radios("agency", legend_size=Size.SMALL),
            Field.textarea("reason"),
            Field.textarea("victim_wants"),
            Field.textarea("safety_actions"),
            Field.radios("lawful_basis", legend_size=Size.SMALL, small=True),
        ]
        if not consented:
            layout.append(Field.textarea("consent_note"))
        layout += [Field.select("agreement"), Button("produce", "Produce the form")]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(*layout)

    def chosen(self) -> dict[str, Any]:
        """The cleaned answers as the service's arguments (call after is_valid())."""
        data = self.cleaned_data
        return {
            "agency": self.agencies.get(data.get("agency", "")),
            "reason": data.get("reason", ""),
            "victim_wants": data.get("victim_wants", ""),
            "safety_actions": data.get("safety_actions", ""),
            "lawful_basis": data.get("lawful_basis", ""),
            "consent_note": data.get("consent_note", ""),
            "agreement": self.agreements.get(data.get("agreement") or NO_AGREEMENT),
        }
