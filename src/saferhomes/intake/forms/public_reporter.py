"""The public report form's pages about the reporter (steps i to l): about you, name and contact details, safe
contact, accessibility and consent to share. Shared plumbing is in `forms/public.py`."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Size
from django import forms

from saferhomes.housing import rules as housing_rules
from saferhomes.housing.models import ContactMethod, PreferredFormat
from saferhomes.intake import rules
from saferhomes.intake.forms.public import (
    StepForm,
    choice_label,
    first_answer,
    form_helper,
    h1_radios,
    optional_text,
    question_radios,
    reporting_anonymously,
)
from saferhomes.intake.models import ConsentToShare, ReporterRelationship

# The public form offers the ways of contact a reporter can choose from home; staff arrange visits and video.
PUBLIC_CONTACT_METHODS = [ContactMethod.EMAIL, ContactMethod.PHONE, ContactMethod.TEXT, ContactMethod.LETTER]
CONTACT_METHOD_LABELS = {
    ContactMethod.EMAIL: "Email",
    ContactMethod.PHONE: "Phone call",
    ContactMethod.TEXT: "Text message",
    ContactMethod.LETTER: "Letter",
}


# i. About you -------------------------------------------------------------------------------------------------


class AboutYouForm(StepForm):
    """Who it happened to, and whether they want to give their name."""

    relationship = forms.ChoiceField(
        label="Who did it happen to?",
        choices=ReporterRelationship.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who it happened to", "invalid_choice": "Select who it happened to"},
    )
    on_behalf_name = forms.CharField(
        label="If you are reporting for someone else, their name",
        required=False,
        max_length=200,
        error_messages={"max_length": "Their name must be 200 characters or fewer"},
    )
    on_behalf_consent = forms.BooleanField(
        label="They have agreed to me reporting this for them",
        required=False,
    )
    anonymous = question_radios(
        label="Do you want to report anonymously?",
        help_text="If you do, we will not ask for your name or contact details, and we cannot tell you what we "
        "have done. We may not be able to take some kinds of action without a witness.",
        choices=[("no", "No, I will give my name"), ("yes", "Yes, report anonymously")],
        error="Select whether you want to report anonymously",
    )

    def build_helper(self) -> FormHelper:
        return form_helper(
            Field.radios("relationship", legend_size=Size.MEDIUM),
            Field.text("on_behalf_name", autocomplete="off"),
            Field.checkbox("on_behalf_consent"),
            Field.radios("anonymous", legend_size=Size.MEDIUM),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("relationship") == ReporterRelationship.ON_BEHALF:
            if not cleaned.get("on_behalf_name", "").strip() and "on_behalf_name" not in self.errors:
                self.add_error("on_behalf_name", "Enter the name of the person you are reporting for")
            if not cleaned.get("on_behalf_consent"):
                self.add_error(
                    "on_behalf_consent", "You can only report for someone else if they have agreed. Select the box."
                )
        return cleaned

    def details(self) -> dict[str, Any]:
        on_behalf = self.cleaned_data["relationship"] == ReporterRelationship.ON_BEHALF
        return {
            "relationship": self.cleaned_data["relationship"],
            "on_behalf_name": self.cleaned_data.get("on_behalf_name", "") if on_behalf else "",
            "on_behalf_consent": bool(self.cleaned_data.get("on_behalf_consent")) and on_behalf,
            "anonymous": self.cleaned_data["anonymous"] == "yes",
        }

    def summary(self) -> list[tuple[str, str]]:
        who = choice_label(ReporterRelationship.choices, self.cleaned_data["relationship"])
        if self.cleaned_data["relationship"] == ReporterRelationship.ON_BEHALF:
            who = f"{who}: {self.cleaned_data.get('on_behalf_name', '')} (they agreed)"
        return [("Who it happened to", who), ("Anonymous", "Yes" if self.cleaned_data["anonymous"] == "yes" else "No")]


class YourDetailsForm(StepForm):
    """Name and contact details (skipped for anonymous reports)."""

    first_name = forms.CharField(label="First name", required=False, max_length=100)
    last_name = forms.CharField(label="Last name", required=False, max_length=100)
    email = forms.CharField(
        label="Email address (optional)",
        help_text="We will send your reference and a private link to follow your report, if you say email is safe",
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"spellcheck": "false"}),
        error_messages={"max_length": "Enter an email address in the correct format, like name@example.com"},
    )
    phone = forms.CharField(
        label="Phone number (optional)",
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel"}),
        error_messages={"max_length": "Enter a phone number, like 01632 960 001 or 07700 900 982"},
    )
    address = forms.CharField(
        label="Your address (optional)",
        required=False,
        max_length=rules.TEXT_MAX,
        error_messages={"max_length": f"Your address must be {rules.TEXT_MAX} characters or fewer"},
    )
    postcode = forms.CharField(
        label="Your postcode (optional)",
        required=False,
        max_length=10,
        error_messages={"max_length": "Enter a real postcode, like AA1 1AA"},
    )

    def build_helper(self) -> FormHelper:
        return form_helper(
            Field.text("first_name", field_width=20, autocomplete="given-name", spellcheck="false"),
            Field.text("last_name", field_width=20, autocomplete="family-name", spellcheck="false"),
            Field.text("email", autocomplete="email"),
            Field.text("phone", field_width=20, autocomplete="tel"),
            Field.text("address", autocomplete="street-address"),
            Field.text("postcode", field_width=10, autocomplete="postal-code"),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        named = cleaned.get("first_name", "").strip() or cleaned.get("last_name", "").strip()
        if not named and "first_name" not in self.errors and "last_name" not in self.errors:
            self.add_error("first_name", "Enter your name, or go back and choose to report anonymously")
        email = cleaned.get("email", "").strip()
        if email and "email" not in self.errors:
            field = forms.EmailField()
            try:
                cleaned["email"] = field.clean(email)
            except forms.ValidationError:
                self.add_error("email", "Enter an email address in the correct format, like name@example.com")
        phone = cleaned.get("phone", "").strip()
        if phone and not rules.is_phone_number(phone):
            self.add_error("phone", "Enter a phone number, like 01632 960 001 or 07700 900 982")
        postcode = cleaned.get("postcode", "").strip()
        if postcode:
            if housing_rules.is_uk_postcode(postcode):
                cleaned["postcode"] = housing_rules.normalise_postcode(postcode)
            else:
                self.add_error("postcode", "Enter a real postcode, like AA1 1AA")
        return cleaned

    def details(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name, "") for name in self.base_fields}

    def summary(self) -> list[tuple[str, str]]:
        name = " ".join(self.cleaned_data.get(part, "") for part in ("first_name", "last_name")).strip()
        rows = [("Name", name)]
        for field, label in (("email", "Email"), ("phone", "Phone"), ("address", "Address"), ("postcode", "Postcode")):
            rows.append((label, self.cleaned_data.get(field, "") or "Not given"))
        return rows


# j. Safe contact ----------------------------------------------------------------------------------------------


class ContactForm(StepForm):
    """How and when it is safe to contact them, and anything we must avoid (skipped for anonymous reports)."""

    HEADING_IN_FORM = True

    contact_methods = forms.MultipleChoiceField(
        label="How is it safe for us to contact you?",
        help_text="Select all that apply",
        choices=[(method.value, CONTACT_METHOD_LABELS[method]) for method in PUBLIC_CONTACT_METHODS],
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one safe way to contact you",
            "invalid_choice": "Select how we may contact you from the list",
        },
    )
    safe_times = forms.CharField(
        label="When is it safe to contact you? (optional)",
        help_text="For example, weekdays after 6pm",
        required=False,
        max_length=rules.TEXT_MAX,
        error_messages={"max_length": f"This must be {rules.TEXT_MAX} characters or fewer"},
    )
    safe_contact_notes = optional_text(
        label="Is there anything we must do or avoid when we contact you? (optional)",
        help_text="For example, do not leave voicemail, or someone else reads my post",
        rows=3,
    )

    def build_helper(self) -> FormHelper:
        return form_helper(
            Field.checkboxes("contact_methods", legend_size=Size.LARGE, legend_tag="h1"),
            Field.text("safe_times"),
            Field.textarea("safe_contact_notes", rows=3),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chosen = cleaned.get("contact_methods", [])
        needs = {
            ContactMethod.EMAIL: ("email", "an email address"),
            ContactMethod.PHONE: ("phone", "a phone number"),
            ContactMethod.TEXT: ("phone", "a mobile phone number"),
            ContactMethod.LETTER: ("address", "an address"),
        }
        for method in chosen:
            field, words = needs[ContactMethod(method)]
            if not first_answer(self.answers, "your-details", field):
                label = CONTACT_METHOD_LABELS[ContactMethod(method)].lower()
                self.add_error(
                    "contact_methods",
                    f"You chose {label} but did not give {words}. Go back and add it, or choose another way",
                )
        return cleaned

    def details(self) -> dict[str, Any]:
        return {
            "contact_methods": tuple(self.cleaned_data["contact_methods"]),
            "safe_times": self.cleaned_data.get("safe_times", ""),
            "safe_contact_notes": self.cleaned_data.get("safe_contact_notes", ""),
        }

    def summary(self) -> list[tuple[str, str]]:
        methods = [CONTACT_METHOD_LABELS[ContactMethod(m)] for m in self.cleaned_data["contact_methods"]]
        return [
            ("Safe ways to contact you", ", ".join(methods)),
            ("Safe times", self.cleaned_data.get("safe_times", "") or "Not given"),
            ("Anything we must do or avoid", self.cleaned_data.get("safe_contact_notes", "") or "Not given"),
        ]


# k. Accessibility ---------------------------------------------------------------------------------------------


class AccessibilityForm(StepForm):
    """Accessibility needs, reasonable adjustments, language and format (all optional)."""

    accessibility_needs = optional_text(
        label="Do you have any access needs we should know about? (optional)",
        help_text="For example, a disability or health condition that affects how we should talk to you",
        rows=3,
    )
    reasonable_adjustments = optional_text(
        label="Is there anything we can do to make it easier for you? (optional)",
        help_text="For example, an interpreter, meeting somewhere you feel safe, or someone to speak for you",
        rows=3,
    )
    preferred_language = forms.CharField(
        label="Which language would you like us to use? (optional)",
        required=False,
        max_length=60,
        error_messages={"max_length": "The language must be 60 characters or fewer"},
    )
    preferred_format = forms.ChoiceField(
        label="How would you like letters and information from us? (optional)",
        choices=PreferredFormat.choices,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Select a format from the list"},
    )

    # We never contact an anonymous reporter, so we do not ask them how they would like letters or which language.
    CONTACT_ONLY = ("preferred_language", "preferred_format")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if reporting_anonymously(self.answers):
            for name in self.CONTACT_ONLY:
                del self.fields[name]
            self.helper = self.build_helper()

    def build_helper(self) -> FormHelper:
        layout = [Field.textarea("accessibility_needs", rows=3), Field.textarea("reasonable_adjustments", rows=3)]
        if "preferred_language" in self.fields:
            layout.append(Field.text("preferred_language", field_width=20))
        if "preferred_format" in self.fields:
            layout.append(Field.radios("preferred_format", legend_size=Size.SMALL, small=True))
        return form_helper(*layout)

    def details(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name, "") for name in self.base_fields}

    def summary(self) -> list[tuple[str, str]]:
        fmt = self.cleaned_data.get("preferred_format", "")
        rows = [
            ("Access needs", self.cleaned_data.get("accessibility_needs", "") or "None given"),
            ("What would make it easier", self.cleaned_data.get("reasonable_adjustments", "") or "None given"),
        ]
        if "preferred_language" in self.fields:
            rows.append(("Language", self.cleaned_data.get("preferred_language", "") or "Not given"))
        if "preferred_format" in self.fields:
            rows.append(("Format", choice_label(PreferredFormat.choices, fmt) if fmt else "Not given"))
        return rows


# l. Consent ---------------------------------------------------------------------------------------------------


class ConsentForm(StepForm):
    """Consent to share with partners, with a plain explanation."""

    HEADING_IN_FORM = True

    consent_to_share = question_radios(
        label="Can we share what you have told us with organisations that can help?",
        help_text="For example, the police, the council or a support service. We only share what they need to "
        "help, and we never tell the person you reported who you are without your permission. If someone is at "
        "risk of serious harm, the law may mean we have to share it anyway.",
        choices=ConsentToShare.choices,
        error="Select whether we can share what you have told us",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if reporting_anonymously(self.answers):
            # We cannot ask an anonymous reporter first: offer only yes or no, and say why.
            field = self.fields["consent_to_share"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [(ConsentToShare.YES, "Yes"), (ConsentToShare.NO, "No")]
            field.help_text = f"{field.help_text} You are reporting anonymously, so we cannot ask you first."
            self.helper = self.build_helper()

    def build_helper(self) -> FormHelper:
        return form_helper(h1_radios("consent_to_share"))

    def details(self) -> dict[str, Any]:
        return {"consent_to_share": self.cleaned_data["consent_to_share"]}

    def summary(self) -> list[tuple[str, str]]:
        value = self.cleaned_data["consent_to_share"]
        return [("Share with organisations that can help", choice_label(ConsentToShare.choices, value))]
