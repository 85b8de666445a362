"""Forms for referrals on a case's Partnership tab: make a referral, record the acknowledgement and the outcome,
withdraw it.

GOV.UK Design System via crispy-forms-gds. Forms only turn what was typed into values; the rules (which agencies, the
lawful basis and consent, the crime reference, not in the future...) live in `referrals.services.referrals`, whose
DomainErrors land back on the right fields through `SERVICE_FIELDS`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, cast

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.utils import timezone

from saferhomes.core.forms import DomainErrorForm, GovukDateField, TimeField, local_datetime
from saferhomes.referrals.models import Agency, Consent, LawfulBasis, ReferralKind
from saferhomes.referrals.referral_rules import CRIME_REFERENCE_MAX
from saferhomes.referrals.services.referrals import NOTE_MAX, TEXT_MAX

DATE_HINT = "For example, 27 3 2026"

# The lawful bases in plain English (UK GDPR Article 6(1)): what each means for a referral.
LAWFUL_BASIS_CHOICES = [
    Choice(LawfulBasis.CONSENT, "Consent", hint="The person agreed to us sharing their information with this agency"),
    Choice(
        LawfulBasis.LEGAL_OBLIGATION,
        "Legal obligation",
        hint="A law or a court order requires us to share it",
    ),
    Choice(LawfulBasis.VITAL_INTERESTS, "Vital interests", hint="Sharing is needed to protect someone's life"),
    Choice(
        LawfulBasis.PUBLIC_TASK,
        "Public task",
        hint="Sharing is needed for our official functions, such as tackling ASB and crime with the police and council",
    ),
    Choice(
        LawfulBasis.LEGITIMATE_INTERESTS,
        "Legitimate interests",
        hint="Sharing is necessary for a legitimate reason and does not override the person's rights and interests",
    ),
]
CONSENT_CHOICES = [
    Choice(Consent.GIVEN, "They agreed to the referral"),
    Choice(Consent.REFUSED, "They refused"),
    Choice(
        Consent.NOT_SOUGHT,
        "Consent was not sought",
        hint="For example, asking would put someone at risk or alert the alleged perpetrator: say why below",
    ),
]


def helper_for(*fields: Any, submit: str) -> FormHelper:
    """A helper for forms whose <form> tag and CSRF token the template writes."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields, Button("submit", submit))
    return helper


def date_layout(name: str) -> Field:
    return Field(name, context={"legend_size": Size.for_legend(Size.SMALL)})


def long_text(label: str, missing: str, limit: int, rows: int = 4, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=limit,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": missing, "max_length": f"{label} must be {limit:,} characters or fewer"},
        **kwargs,
    )


def now_initial(prefix: str) -> dict[str, Any]:
    """Today's date and the time now, as the initial answers of a date and time pair."""
    now = timezone.localtime()
    return {f"{prefix}_on": now.date(), f"{prefix}_time": f"{now:%H:%M}"}


def moment_of(data: dict[str, Any], prefix: str) -> dt.datetime | None:
    day, time = data.get(f"{prefix}_on"), data.get(f"{prefix}_time")
    return local_datetime(day, time) if day and time else None


def _agency_label(agency: Agency) -> str:
    return f"{agency.name} ({agency.get_kind_display().lower()})"


class ReferralForm(DomainErrorForm):
    """Who the case went to, what kind of referral, why, what was shared, on which lawful basis, the consent position,
    the crime reference (police) and when it was sent."""

    SERVICE_FIELDS = {"sent_at": "sent_on"}

    agency = forms.ChoiceField(
        label="Agency",
        error_messages={"required": "Select the agency you referred the case to", "invalid_choice": "Select an agency"},
    )
    kind = forms.ChoiceField(
        label="What kind of referral is it?",
        choices=[(value, label) for value, label in ReferralKind.choices if value != ReferralKind.MARAC],
        widget=forms.RadioSelect,
        help_text="For MARAC, use the MARAC referral form on the Partnership tab",
        error_messages={"required": "Select what kind of referral this is", "invalid_choice": "Select a kind"},
    )
    crime_reference = forms.CharField(
        label="Crime or incident reference number",
        required=False,
        max_length=CRIME_REFERENCE_MAX + 10,
        help_text="Needed for a police referral: as the police gave it, for example 13/123456/26 or CRI-2026-001234",
        error_messages={"max_length": "Enter the crime or incident reference as the police gave it"},
    )
    reason = long_text("Why are you referring the case?", "Enter why you are referring the case", TEXT_MAX)
    information_shared = long_text(
        "What information did you share?",
        "Enter what information you shared with the agency",
        TEXT_MAX,
        help_text="For example, the reporter's name and phone number, the incidents since March and the alleged "
        "perpetrator's address. Share only what the agency needs.",
    )
    lawful_basis = forms.ChoiceField(
        label="What is the lawful basis for sharing?",
        choices=LAWFUL_BASIS_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the lawful basis for sharing the information",
            "invalid_choice": "Select a lawful basis",
        },
    )
    consent = forms.ChoiceField(
        label="Did the person agree to the referral?",
        choices=CONSENT_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether consent was given, refused or not sought",
            "invalid_choice": "Select whether consent was given",
        },
    )
    consent_note = long_text(
        "Consent note",
        "Say why consent was not sought",
        NOTE_MAX,
        rows=3,
        required=False,
        help_text="Who agreed or refused, and how. If consent was not sought, say why not.",
    )
    sent_on = GovukDateField(label="Date the referral was sent", help_text=DATE_HINT)
    sent_time = TimeField(label="Time it was sent")

    def __init__(self, *args: Any, agencies: Sequence[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agencies = {str(agency.pk): agency for agency in agencies}
        cast(forms.ChoiceField, self.fields["agency"]).choices = [
            ("", "Choose an agency"),
            *((key, _agency_label(agency)) for key, agency in self.agencies.items()),
        ]
        self.helper = helper_for(
            Field.select("agency"),
            Field.radios("kind", legend_size=Size.SMALL, small=True),
            Field.text("crime_reference", field_width=20),
            Field.textarea("reason"),
            Field.textarea("information_shared"),
            Field.radios("lawful_basis", legend_size=Size.SMALL),
            Field.radios("consent", legend_size=Size.SMALL),
            Field.textarea("consent_note"),
            date_layout("sent_on"),
            Field.text("sent_time", field_width=5),
            submit="Make the referral",
        )

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned form as keyword arguments for `referral_make` (call after is_valid())."""
        data = self.cleaned_data
        return {
            "agency": self.agencies.get(data["agency"]),
            "kind": data["kind"],
            "reason": data["reason"],
            "information_shared": data["information_shared"],
            "lawful_basis": data["lawful_basis"],
            "consent": data["consent"],
            "consent_note": data.get("consent_note", ""),
            "crime_reference": data.get("crime_reference", ""),
            "sent_at": moment_of(data, "sent"),
        }


class VersionedForm(DomainErrorForm):
    """A change to a referral, carrying the version it was drawn from (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)


class AcknowledgeForm(VersionedForm):
    """When the agency acknowledged the referral."""

    SERVICE_FIELDS = {"acknowledged_at": "acknowledged_on"}

    acknowledged_on = GovukDateField(label="Date it was acknowledged", help_text=DATE_HINT)
    acknowledged_time = TimeField(label="Time it was acknowledged")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = helper_for(
            "version",
            date_layout("acknowledged_on"),
            Field.text("acknowledged_time", field_width=5),
            submit="Record the acknowledgement",
        )

    def service_arguments(self) -> dict[str, Any]:
        return {
            "acknowledged_at": moment_of(self.cleaned_data, "acknowledged"),
            "version": self.cleaned_data["version"],
        }


class OutcomeForm(VersionedForm):
    """What came of the referral, and when."""

    SERVICE_FIELDS = {"outcome_at": "outcome_on"}

    outcome = long_text(
        "What came of the referral?",
        "Enter what came of the referral",
        TEXT_MAX,
        help_text="For example, crime recorded and a suspect interviewed; or the service will not take the case, "
        "and why",
    )
    outcome_on = GovukDateField(label="Date of the outcome", help_text=DATE_HINT)
    outcome_time = TimeField(label="Time of the outcome")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = helper_for(
            "version",
            Field.textarea("outcome"),
            date_layout("outcome_on"),
            Field.text("outcome_time", field_width=5),
            submit="Record the outcome",
        )

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"outcome": data["outcome"], "outcome_at": moment_of(data, "outcome"), "version": data["version"]}


class WithdrawForm(VersionedForm):
    """Why the referral is withdrawn."""

    reason = long_text(
        "Why is the referral withdrawn?",
        "Enter why the referral is withdrawn",
        NOTE_MAX,
        help_text="For example, it was sent to the wrong team, or the person withdrew their consent",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = helper_for("version", Field.textarea("reason"), submit="Withdraw the referral")

    def service_arguments(self) -> dict[str, Any]:
        return {"reason": self.cleaned_data["reason"], "version": self.cleaned_data["version"]}
