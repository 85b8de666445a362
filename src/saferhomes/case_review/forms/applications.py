"""Case Review forms (GOV.UK Design System via crispy-forms-gds): the public application, the staff application
(phone, letter, email, in person, partner), the staff list's filters, a complaint to another agency, and the threshold
decision. Forms turn what was typed into values; the rules live in the services, whose DomainErrors land on the
fields through `SERVICE_FIELDS`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Layout, Size
from django import forms
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.case_review.models import ApplicationStatus, ThresholdRuleSet
from saferhomes.case_review.selectors.queue import DUE_FILTERS
from saferhomes.case_review.services.applications import STAFF_CHANNELS, ApplicationDetails
from saferhomes.core.errors import DomainError
from saferhomes.core.forms import DomainErrorForm, EdgeForm, GovukDateField, local_datetime
from saferhomes.housing.models import ContactMethod, PreferredFormat
from saferhomes.housing.selectors import person_by_reference, property_by_reference
from saferhomes.intake.forms.public import HoneypotMixin
from saferhomes.intake.rules import DESCRIPTION_MAX

DATE_HINT = "For example, 27 3 2026"
MYSELF, SOMEONE_ELSE = "myself", "someone_else"
PUBLIC_CONTACT_METHODS = [
    (ContactMethod.EMAIL.value, "Email"),
    (ContactMethod.PHONE.value, "Phone call"),
    (ContactMethod.TEXT.value, "Text message"),
    (ContactMethod.LETTER.value, "Letter"),
]


def _helper(*fields: Any, submit: str | None = None) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields, *([Button("submit", submit)] if submit else []))
    return helper


def _text(label: str, *, max_length: int, required: bool = False, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        error_messages={
            "required": f"Enter {label[0].lower()}{label[1:]}",
            "max_length": f"{label} must be {max_length:,} characters or fewer",
        },
        **kwargs,
    )


def _textarea(label: str, *, required: bool = False, rows: int = 4, **kwargs: Any) -> forms.CharField:
    return _text(
        label, max_length=DESCRIPTION_MAX, required=required, widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


def _fieldset(legend: str, *fields: Any) -> Fieldset:
    return Fieldset(*fields, legend=legend, legend_size=Size.MEDIUM)


class ApplicationForm(HoneypotMixin, DomainErrorForm):
    """The public application: who is applying (and for whom, with their consent), how to contact them, what is
    happening. Every field works without JavaScript."""

    SERVICE_FIELDS = {"on_behalf": "applying_for", "person": "first_name", "victim_person": "victim_first_name"}

    applying_for = forms.ChoiceField(
        label="Who are you applying for?",
        choices=[(MYSELF, "Myself"), (SOMEONE_ELSE, "Someone else, with their consent")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select who you are applying for",
            "invalid_choice": "Select who you are applying for",
        },
    )
    first_name = _text(
        "First name", max_length=100, required=True, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = _text(
        "Last name", max_length=100, required=True, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    email = _text(
        "Email address",
        max_length=254,
        widget=forms.TextInput(attrs={"type": "email", "spellcheck": "false", "autocomplete": "email"}),
    )
    phone = _text("Phone number", max_length=30, widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
    address = _text("Address", max_length=250, widget=forms.TextInput(attrs={"autocomplete": "street-address"}))
    postcode = _text(
        "Postcode",
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "class": "govuk-input--width-10"}),
    )
    contact_methods = forms.MultipleChoiceField(
        label="How may we contact you safely?",
        choices=PUBLIC_CONTACT_METHODS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that are safe. We will not use any other way.",
        error_messages={"invalid_choice": "Select how we may contact you from the list"},
    )
    safe_contact_notes = _textarea("Anything we must do or avoid when we contact you", rows=2)
    victim_first_name = _text("Their first name", max_length=100)
    victim_last_name = _text("Their last name", max_length=100)
    victim_email = _text(
        "Their email address", max_length=254, widget=forms.TextInput(attrs={"type": "email", "spellcheck": "false"})
    )
    victim_phone = _text("Their phone number", max_length=30, widget=forms.TextInput(attrs={"type": "tel"}))
    victim_address = _text("Their address", max_length=250)
    victim_postcode = _text(
        "Their postcode", max_length=10, widget=forms.TextInput(attrs={"class": "govuk-input--width-10"})
    )
    victim_consent = forms.BooleanField(
        label="They have agreed to me applying for a Case Review for them", required=False
    )
    description = _textarea(
        "What has been happening, and why are you asking for a review?",
        required=True,
        rows=6,
        help_text="Tell us about the behaviour, when you reported it and who to, and what you think has not been done",
    )
    location_text = _text("Where is it happening?", max_length=250, help_text="An address, street or place")
    reasonable_adjustments = _textarea(
        "Do you need anything to help you take part?",
        rows=2,
        help_text="For example, large print, an interpreter or a meeting at home",
    )
    preferred_format = forms.ChoiceField(
        label="How would you like letters from us?",
        choices=[("", "Standard letter"), *[c for c in PreferredFormat.choices if c[0] != "standard"]],
        required=False,
        error_messages={"invalid_choice": "Select a format from the list"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(*self.layout_fields(), submit=self.SUBMIT)

    SUBMIT = "Send application"

    def layout_fields(self) -> list[Any]:
        return [
            Field.radios("applying_for", legend_size=Size.MEDIUM, legend_tag="h2"),
            _fieldset("Your details", "first_name", "last_name", "email", "phone", "address", "postcode"),
            Field.checkboxes("contact_methods", legend_size=Size.SMALL),
            "safe_contact_notes",
            _fieldset(
                "If you are applying for someone else",
                "victim_first_name",
                "victim_last_name",
                "victim_email",
                "victim_phone",
                "victim_address",
                "victim_postcode",
                "victim_consent",
            ),
            _fieldset("What it is about", "description", "location_text"),
            _fieldset("Help to take part", "reasonable_adjustments", "preferred_format"),
        ]

    def details(self, **extra: Any) -> ApplicationDetails:
        data = self.cleaned_data
        on_behalf = data["applying_for"] == SOMEONE_ELSE
        return ApplicationDetails(
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            phone=data["phone"],
            address=data["address"],
            postcode=data["postcode"],
            contact_methods=tuple(data["contact_methods"]),
            safe_contact_notes=data["safe_contact_notes"],
            reasonable_adjustments=data["reasonable_adjustments"],
            preferred_format=data["preferred_format"],
            on_behalf=on_behalf,
            victim_first_name=data["victim_first_name"],
            victim_last_name=data["victim_last_name"],
            victim_email=data["victim_email"],
            victim_phone=data["victim_phone"],
            victim_address=data["victim_address"],
            victim_postcode=data["victim_postcode"],
            victim_consent=bool(data["victim_consent"]) if on_behalf else None,
            description=data["description"],
            location_text=data["location_text"],
            **extra,
        )


class StaffApplicationForm(ApplicationForm):
    """An application taken by staff: how and when it reached us, and the register person and home if known."""

    SUBMIT = "Save application"
    SERVICE_FIELDS = {**ApplicationForm.SERVICE_FIELDS, "received_at": "received_on", "home": "property_reference"}

    channel = forms.ChoiceField(
        label="How did the application reach us?",
        choices=[(c.value, c.label) for c in STAFF_CHANNELS],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how the application reached us",
            "invalid_choice": "Select how it reached us",
        },
    )
    received_on = GovukDateField(label="Date it was received", help_text=DATE_HINT)
    person_reference = _text(
        "Applicant's housing register reference", max_length=40, help_text="If they are on the register"
    )
    property_reference = _text("Home's property reference", max_length=40, help_text="If it is about one of our homes")

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        self.actor = actor
        super().__init__(*args, **kwargs)

    def layout_fields(self) -> list[Any]:
        return [
            Field.radios("channel", legend_size=Size.MEDIUM, legend_tag="h2"),
            Field("received_on", context={"legend_size": Size.for_legend(Size.SMALL)}),
            *super().layout_fields(),
            _fieldset("Housing register", "person_reference", "property_reference"),
        ]

    def received_at(self) -> dt.datetime:
        day: dt.date = self.cleaned_data["received_on"]
        now = timezone.localtime()
        return now if day == now.date() else local_datetime(day, dt.time(12))

    def details(self, **extra: Any) -> ApplicationDetails:
        person = home = None
        problems: dict[str, str] = {}
        if reference := self.cleaned_data.get("person_reference", "").strip():
            try:
                person = person_by_reference(actor=self.actor, reference=reference)
            except (DomainError, PermissionDenied):
                problems["person_reference"] = "No one on the housing register has that reference"
        if reference := self.cleaned_data.get("property_reference", "").strip():
            try:
                home = property_by_reference(actor=self.actor, reference=reference)
            except (DomainError, PermissionDenied):
                problems["property_reference"] = "No home has that property reference"
        if problems:
            raise DomainError(field_errors=problems)
        return super().details(person=person, home=home, **extra)


class ListFilterForm(EdgeForm):
    status = forms.ChoiceField(label="Status", choices=[("", "Any status"), *ApplicationStatus.choices], required=False)
    due = forms.ChoiceField(label="Decision", choices=[("", "Any"), *DUE_FILTERS], required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper("status", "due", submit="Filter")


class ComplaintForm(DomainErrorForm):
    """A complaint the applicant or the victim made to another agency, added by hand."""

    agency_name = _text("Agency the complaint was made to", max_length=200, required=True,
                        help_text="For example, the council's ASB team or the police")  # fmt: skip
    received_on = GovukDateField(label="Date the agency received the complaint", help_text=DATE_HINT)
    occurred_on = GovukDateField(label="Date of the behaviour it was about", help_text=DATE_HINT)
    complainant = _text("Who made the complaint", max_length=200, help_text="Leave blank if it was the applicant")
    summary = _text("What it was about", max_length=250)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        date = {"legend_size": Size.for_legend(Size.SMALL)}
        self.helper = _helper(
            "agency_name", Field("received_on", context=date), Field("occurred_on", context=date), "complainant",
            "summary", submit="Add complaint",
        )  # fmt: skip


class AssessForm(EdgeForm):
    rule_key = forms.ChoiceField(label="Rule to judge the complaints by", choices=[])

    def __init__(self, *args: Any, rule_set: ThresholdRuleSet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rule_key"].choices = rule_choices(rule_set)  # type: ignore[attr-defined]
        self.helper = _helper("rule_key", submit="Search and assess again")


def rule_choices(rule_set: ThresholdRuleSet) -> list[tuple[str, str]]:
    return [(rule["key"], f"{rule['name']} ({rule['required']} needed)") for rule in rule_set.definition["rules"]]


class DecisionForm(DomainErrorForm):
    """The officer's threshold decision, under one rule of the rules in force, with reasons."""

    rule_key = forms.ChoiceField(
        label="Rule applied", choices=[], error_messages={"required": "Select the rule applied"}
    )
    met = forms.ChoiceField(
        label="Is the threshold met?",
        choices=[("yes", "Yes: the threshold is met, hold a review"), ("no", "No: the threshold is not met")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether the threshold is met",
            "invalid_choice": "Select whether it is met",
        },
    )
    reasons = _textarea("Reasons for the decision", required=True, rows=5,
                        help_text="In plain words: these go in the letter to the applicant")  # fmt: skip
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, rule_set: ThresholdRuleSet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rule_key"].choices = rule_choices(rule_set)  # type: ignore[attr-defined]
        self.fields["reasons"].error_messages["required"] = "Enter the reasons for the decision"
        self.helper = _helper(
            "rule_key", Field.radios("met", legend_size=Size.SMALL), "reasons", "version", submit="Record decision"
        )
