"""Forms for support offers on a case's Partnership tab: offer support, record the answer, record the outcome.

The rules (someone on this case, not in the future, a reason when declined, the date to offer again) live in
`referrals.services.support`; its DomainErrors land on the fields through `SERVICE_FIELDS`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from crispy_forms_gds.layout import Field, Size
from django import forms
from django.utils import timezone
from django.utils.formats import date_format

from saferhomes.cases.models import Party
from saferhomes.core.forms import DomainErrorForm, GovukDateField, TimeField
from saferhomes.referrals.forms.referrals import DATE_HINT, date_layout, helper_for, long_text, moment_of
from saferhomes.referrals.models import Agency, SupportKind
from saferhomes.referrals.services.support import OFFER_AGAIN_AFTER, TEXT_MAX

ACCEPTED, DECLINED = "accepted", "declined"
ACCEPTED_LABEL, DECLINED_LABEL = "They accepted it", "They declined it"


def party_label(party: Party) -> str:
    """'Sam Example (alleged perpetrator)'."""
    return f"{party.display_name} ({party.get_role_display().lower()})"


class SupportOfferForm(DomainErrorForm):
    """Who was offered support, what kind, from which agency (if any) and when."""

    SERVICE_FIELDS = {"offered_at": "offered_on"}

    party = forms.ChoiceField(
        label="Who was offered support?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select who was offered support", "invalid_choice": "Select someone on this case"},
    )
    kind = forms.ChoiceField(
        label="What support was offered?",
        choices=[("", "Choose the kind of support"), *SupportKind.choices],
        error_messages={"required": "Select the kind of support offered", "invalid_choice": "Select a kind"},
    )
    agency = forms.ChoiceField(
        label="Agency providing it (optional)",
        required=False,
        error_messages={"invalid_choice": "Select an agency from the list"},
    )
    offered_on = GovukDateField(label="Date it was offered", help_text=DATE_HINT)
    offered_time = TimeField(label="Time it was offered")

    def __init__(self, *args: Any, parties: Sequence[Party], agencies: Sequence[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parties = {str(party.pk): party for party in parties}
        self.agencies = {str(agency.pk): agency for agency in agencies}
        cast(forms.ChoiceField, self.fields["party"]).choices = [
            (key, party_label(party)) for key, party in self.parties.items()
        ]
        cast(forms.ChoiceField, self.fields["agency"]).choices = [
            ("", "None: we provide it, or not yet known"),
            *((key, agency.name) for key, agency in self.agencies.items()),
        ]
        self.helper = helper_for(
            Field.radios("party", legend_size=Size.SMALL, small=True),
            Field.select("kind"),
            Field.select("agency"),
            date_layout("offered_on"),
            Field.text("offered_time", field_width=5),
            submit="Record the offer",
        )

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "party": self.parties.get(data["party"]),
            "kind": data["kind"],
            "agency": self.agencies.get(data.get("agency") or ""),
            "offered_at": moment_of(data, "offered"),
        }


class SupportDecisionForm(DomainErrorForm):
    """Accepted, or declined with the reason and a date to offer again."""

    SERVICE_FIELDS = {"decided_at": "decided_on", "accepted": "answer"}

    answer = forms.ChoiceField(
        label="What was their answer?",
        choices=[(ACCEPTED, ACCEPTED_LABEL), (DECLINED, DECLINED_LABEL)],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether they accepted or declined the support",
            "invalid_choice": "Select whether they accepted or declined the support",
        },
    )
    declined_reason = long_text(
        "Why did they decline?",
        "Enter why they declined the support",
        TEXT_MAX,
        rows=3,
        required=False,
        help_text="Only if they declined: in their words, if you can",
    )
    offer_again_on = GovukDateField(label="Date to offer it again", required=False)
    decided_on = GovukDateField(label="Date they answered", help_text=DATE_HINT)
    decided_time = TimeField(label="Time they answered")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        again = timezone.localdate() + OFFER_AGAIN_AFTER
        self.fields["offer_again_on"].help_text = (
            "Only if they declined: we will remind you on the Partnership tab. Leave it blank for 28 days after they "
            f"answered ({date_format(again, 'j F Y')} if they answered today)."
        )
        # The reason and the date are shown whatever the answer, not revealed under "declined": GOV.UK Frontend marks
        # a radio that reveals content with aria-expanded, which radios may not carry (axe-core's aria-allowed-attr).
        self.helper = helper_for(
            Field.radios("answer", legend_size=Size.SMALL),
            Field.textarea("declined_reason"),
            date_layout("offer_again_on"),
            date_layout("decided_on"),
            Field.text("decided_time", field_width=5),
            submit="Record their answer",
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("answer") == DECLINED
            and not cleaned.get("declined_reason")
            and "declined_reason" not in self.errors
        ):
            self.add_error("declined_reason", "Enter why they declined the support")
        return cleaned

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        declined = data["answer"] == DECLINED
        return {
            "accepted": not declined,
            "declined_reason": data.get("declined_reason", "") if declined else "",
            "offer_again_on": data.get("offer_again_on") if declined else None,
            "decided_at": moment_of(data, "decided"),
        }


class SupportOutcomeForm(DomainErrorForm):
    """What came of support that was accepted."""

    SERVICE_FIELDS = {"outcome_at": "outcome_on"}

    outcome = long_text(
        "What came of the support?",
        "Enter what came of the support",
        TEXT_MAX,
        help_text="For example, attended six sessions and the tenancy is stable; or stopped engaging after a month",
    )
    outcome_on = GovukDateField(label="Date of the outcome", help_text=DATE_HINT)
    outcome_time = TimeField(label="Time of the outcome")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = helper_for(
            Field.textarea("outcome"),
            date_layout("outcome_on"),
            Field.text("outcome_time", field_width=5),
            submit="Record the outcome",
        )

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"outcome": data["outcome"], "outcome_at": moment_of(data, "outcome")}
