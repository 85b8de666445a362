"""Forms for the case itself: new case, triage, assignment, status moves, parties, links and break glass.

GOV.UK Design System via crispy-forms-gds. Forms turn what was typed into values; the rules live in
`cases.services.case`, whose DomainErrors land back on the right fields (`add_domain_error`). Forms that change a
case carry the `version` the page was drawn from (optimistic locking).
"""

from __future__ import annotations

from typing import Any, cast

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Button, Field, Fieldset, Layout, Size
from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.cases.models import (
    CaseType,
    Category,
    HateStrand,
    LinkReason,
    PartyRole,
    Priority,
    Sensitivity,
    SubType,
)
from saferhomes.cases.services.case import CaseDetails
from saferhomes.cases.services.party import PartyDetails
from saferhomes.core.errors import DomainError
from saferhomes.core.forms import TIME_HINT, DomainErrorForm, EdgeForm, GovukDateField, TimeField, local_datetime
from saferhomes.housing.models import ContactMethod, Person, PreferredFormat, Property
from saferhomes.housing.selectors import person_by_reference, property_by_reference

YES_NO = [("yes", "Yes"), ("no", "No")]
DATE_HINT = "For example, 27 3 2026"


def _helper(*fields: Any, submit: str) -> FormHelper:
    """A helper for forms whose <form> tag and CSRF token the template writes."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields, Button("submit", submit))
    return helper


def _date(name: str) -> Field:
    return Field(name, context={"legend_size": Size.for_legend(Size.SMALL)})


def category_field() -> forms.ChoiceField:
    """The NSIR-style category question, the same on the case form and at triage."""
    return forms.ChoiceField(
        label="Category",
        choices=Category.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text="Personal: aimed at someone. Nuisance: affects the community. Environmental: affects places",
        error_messages={"invalid_choice": "Select a category from the list"},
    )


class VersionedForm(DomainErrorForm):
    """A form that changes a case: carries the version it was drawn from."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)


def _yes_no(label: str, *, help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"required": f"Select yes if {label[0].lower()}{label[1:].rstrip('?')}"},
    )


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


def _textarea(label: str, *, max_length: int = 10_000, required: bool = False, rows: int = 3, **kw: Any) -> Any:
    return _text(label, max_length=max_length, required=required, widget=forms.Textarea(attrs={"rows": rows}), **kw)


# New case ---------------------------------------------------------------------------------------------------------


class PartyFieldsMixin(EdgeForm):
    """The person fields of a party (also used for the reporter on the new-case form, with a prefix)."""

    person_reference = _text(
        "Housing register reference",
        max_length=40,
        help_text="If they are on the housing register, for example PER000123. Leave blank to type their details",
    )
    first_name = _text("First name", max_length=100)
    last_name = _text("Last name", max_length=100)
    date_of_birth = GovukDateField(label="Date of birth", required=False, help_text=DATE_HINT)
    phone = _text("Phone number", max_length=30, widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}))
    email = _text(
        "Email address", max_length=254, widget=forms.TextInput(attrs={"type": "email", "spellcheck": "false"})
    )
    address = _text("Address", max_length=250)
    safe_contact_notes = _textarea(
        "How to contact them safely", help_text="For example, only call after 6pm; never leave a voicemail"
    )
    safe_times = _text("When is it safe to contact them?", max_length=250, help_text="For example, weekdays after 6pm")
    contact_methods = forms.MultipleChoiceField(
        label="Which ways of contacting them are safe?",
        choices=ContactMethod.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked if they have not said",
        error_messages={"invalid_choice": "Select ways of contact from the list"},
    )
    contact_avoid = forms.MultipleChoiceField(
        label="Are there ways we must never use to contact them?",
        choices=ContactMethod.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="For example, never phone: the person who harms them may answer. Staff are warned and must give a "
        "reason before recording a contact this way, and no message is ever sent this way",
        error_messages={"invalid_choice": "Select the ways never to use from the list"},
    )
    preferred_language = _text("Preferred language", max_length=60)
    preferred_format = forms.ChoiceField(
        label="Preferred format for letters",
        choices=[("", "Not said"), *PreferredFormat.choices],
        required=False,
        error_messages={"invalid_choice": "Select a format from the list"},
    )
    vulnerabilities = _textarea("Vulnerabilities", help_text="What staff must know before contacting them")
    reasonable_adjustments = _textarea(
        "Reasonable adjustments", help_text="For example, large print, an interpreter, or visits with a carer"
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor  # who is typing: references are resolved with what they may see

    def person_for_reference(self, field: str = "person_reference") -> Person | None:
        """The register person the reference names, or None; adds a field error if it names nobody."""
        reference = (self.cleaned_data.get(field) or "").strip()
        if not reference:
            return None
        try:
            return person_by_reference(actor=self.actor, reference=reference)
        except DomainError as error:
            self.add_error(field, error.messages)  # the selector's one message, on the field typed
            return None

    def party_details(self, role: str, *, anonymous: bool = False, organisation: str = "", notes: str = "") -> Any:
        """The cleaned person fields as PartyDetails (call after is_valid())."""
        data = self.cleaned_data
        return PartyDetails(
            role=role,
            person=self.person_for_reference(),
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            date_of_birth=data.get("date_of_birth"),
            phone=data.get("phone", ""),
            email=data.get("email", ""),
            address=data.get("address", ""),
            organisation=organisation,
            anonymous=anonymous,
            safe_contact_notes=data.get("safe_contact_notes", ""),
            safe_times=data.get("safe_times", ""),
            contact_methods=tuple(data.get("contact_methods") or ()),
            contact_avoid=tuple(data.get("contact_avoid") or ()),
            preferred_language=data.get("preferred_language", ""),
            preferred_format=data.get("preferred_format", ""),
            vulnerabilities=data.get("vulnerabilities", ""),
            reasonable_adjustments=data.get("reasonable_adjustments", ""),
            notes=notes,
        )


PARTY_LAYOUT = [
    Field.text("person_reference", field_width=10),
    Field.text("first_name", field_width=20),
    Field.text("last_name", field_width=20),
    _date("date_of_birth"),
    Field.text("phone", field_width=20),
    Field.text("email"),
    Field.text("address"),
    Field.textarea("safe_contact_notes"),
    Field.text("safe_times"),
    Field.checkboxes("contact_methods", legend_size=Size.SMALL, small=True),
    Field.checkboxes("contact_avoid", legend_size=Size.SMALL, small=True),
    Field.text("preferred_language", field_width=20),
    Field.select("preferred_format"),
    Field.textarea("vulnerabilities"),
    Field.textarea("reasonable_adjustments"),
]


class CaseCreateForm(PartyFieldsMixin, DomainErrorForm):
    """A new case from a report taken by staff: what, when, where, how urgent, and who reported it."""

    SERVICE_FIELDS = {
        "received_at": "received_on",
        "properties": "property_reference",
        **{
            f"reporter_{name}": name
            for name in (
                "last_name",
                "first_name",
                "email",
                "date_of_birth",
                "phone",
                "contact_methods",
                "contact_avoid",
            )
        },
        "reporter_anonymous": "reporter_anonymous",
    }

    case_type = forms.ChoiceField(
        label="What kind of case is it?",
        choices=CaseType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of case it is", "invalid_choice": "Select what kind of case"},
    )
    summary = _text(
        "Summary",
        max_length=200,
        required=True,
        help_text="One line you will recognise the case by, for example 'Loud music from flat 12 most nights'",
    )
    description = _textarea("What has been happening", rows=5)
    category = category_field()
    sub_types = forms.MultipleChoiceField(
        label="What has happened",
        choices=SubType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages={"invalid_choice": "Select what happened from the list"},
    )
    hate_strands = forms.MultipleChoiceField(
        label="If it is a hate incident or crime, what was it motivated by?",
        choices=HateStrand.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages={"invalid_choice": "Select the hate strand from the list"},
    )
    received_on = GovukDateField(label="Date the report was received", help_text=DATE_HINT)
    received_time = TimeField(label="Time the report was received")
    urgent = _yes_no("Is it urgent?", help_text="Risk to safety, violence or threats, hate crime, damage in progress")
    urgent_reason = _textarea("Why is it urgent?", help_text="Only if it is urgent")
    restricted = forms.BooleanField(
        label="Restrict this case to named staff",
        required=False,
        help_text="Only you and the staff you name will see it. Domestic abuse cases are restricted automatically",
    )
    property_reference = _text(
        "Home it concerns", max_length=40, help_text="Property reference, for example PRP000123, if it is one of ours"
    )
    location_text = _text("Where it happens", max_length=250, help_text="If it is not one of our homes")
    reporter_anonymous = forms.BooleanField(label="The reporter did not give their name", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_time"].help_text = TIME_HINT
        self.fields["first_name"].label = "Reporter's first name"
        self.fields["last_name"].label = "Reporter's last name"
        self.helper = _helper(
            Fieldset(
                Field.radios("case_type", legend_size=Size.SMALL),
                Field.text("summary"),
                Field.textarea("description"),
                Field.radios("category", legend_size=Size.SMALL, small=True),
                Field.checkboxes("sub_types", legend_size=Size.SMALL, small=True),
                Field.checkboxes("hate_strands", legend_size=Size.SMALL, small=True),
                legend="The problem",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                _date("received_on"),
                Field.text("received_time", field_width=5),
                Field.radios("urgent", legend_size=Size.SMALL, inline=True),
                Field.textarea("urgent_reason"),
                Field.checkbox("restricted"),
                legend="When and how urgent",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.text("property_reference", field_width=10),
                Field.text("location_text"),
                legend="Where",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                HTML('<p class="govuk-body">Who told us about it. You can add other people on the Parties tab.</p>'),
                Field.checkbox("reporter_anonymous"),
                *PARTY_LAYOUT,
                legend="The reporter",
                legend_size=Size.MEDIUM,
            ),
            submit="Create case",
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day, time = cleaned.get("received_on"), cleaned.get("received_time")
        if day and time and local_datetime(day, time) > timezone.now():
            self.add_error("received_on", "The date the report was received must be today or in the past")
        return cleaned

    def details(self) -> CaseDetails:
        """The cleaned form as CaseDetails (call after is_valid(); may add field errors for unknown references)."""
        data = self.cleaned_data
        home: Property | None = None
        reference = (data.get("property_reference") or "").strip()
        if reference:
            try:
                home = property_by_reference(actor=self.actor, reference=reference)
            except DomainError as error:
                self.add_error("property_reference", error.messages)
        reporter = self.party_details(PartyRole.REPORTER, anonymous=bool(data.get("reporter_anonymous")))
        if self.errors:
            raise DomainError()
        return CaseDetails(
            case_type=data["case_type"],
            summary=data["summary"],
            description=data.get("description", ""),
            received_at=local_datetime(data["received_on"], data["received_time"]),
            category=data.get("category", ""),
            sub_types=list(data.get("sub_types", [])),
            hate_strands=list(data.get("hate_strands", [])),
            urgent=data["urgent"] == "yes",
            urgent_reason=data.get("urgent_reason", ""),
            sensitivity=Sensitivity.RESTRICTED if data.get("restricted") else Sensitivity.NORMAL,
            properties=[home] if home else [],
            location_text=data.get("location_text", ""),
            reporter=reporter,
        )


# Triage -----------------------------------------------------------------------------------------------------------


class TriageForm(VersionedForm):
    """Priority, urgency (a change needs a reason), criminal or not, and the category."""

    priority = forms.ChoiceField(
        label="Priority",
        choices=Priority.choices,
        widget=forms.RadioSelect,
        help_text="High priority cases need a manager's approval to close",
        error_messages={"required": "Select the priority", "invalid_choice": "Select the priority"},
    )
    urgent = _yes_no("Is it urgent?", help_text="Urgent cases get a response within 24 working hours")
    urgent_reason = _textarea(
        "Why are you changing the urgency?", help_text="Needed if you change it: the response deadline changes too"
    )
    criminal = _yes_no("Is it criminal behaviour or a hate crime?", help_text="If yes, refer it to the police")
    category = CaseCreateForm.base_fields["category"]
    sub_types = CaseCreateForm.base_fields["sub_types"]
    hate_strands = CaseCreateForm.base_fields["hate_strands"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            "version",
            Field.radios("priority", legend_size=Size.SMALL, inline=True),
            Field.radios("urgent", legend_size=Size.SMALL, inline=True),
            Field.textarea("urgent_reason"),
            Field.radios("criminal", legend_size=Size.SMALL, inline=True),
            Field.radios("category", legend_size=Size.SMALL, small=True),
            Field.checkboxes("sub_types", legend_size=Size.SMALL, small=True),
            Field.checkboxes("hate_strands", legend_size=Size.SMALL, small=True),
            submit="Save triage",
        )


# Assign -----------------------------------------------------------------------------------------------------------


def _officer_label(obj: Any) -> str:
    return f"{obj} ({obj.team or 'no team'})"


class AssignForm(VersionedForm):
    """Who works the case now, and why it moves."""

    officer = forms.ModelChoiceField(
        label="Officer",
        queryset=User.objects.none(),
        empty_label="Select an officer",
        error_messages={"required": "Select an officer", "invalid_choice": "Select an officer from the list"},
    )
    reason = _textarea("Why is the case being reassigned?", help_text="Needed when the case already has an officer")

    def __init__(self, *args: Any, officers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["officer"])
        field.queryset = officers
        field.label_from_instance = _officer_label  # type: ignore[method-assign]
        self.helper = _helper("version", Field.select("officer"), Field.textarea("reason"), submit="Assign case")


# Status moves -----------------------------------------------------------------------------------------------------


class TransitionForm(VersionedForm):
    """Move a case on (start the investigation) or back (withdraw a closure, with a reason)."""

    to_status = forms.CharField(widget=forms.HiddenInput)
    reason = _textarea("Why is the case no longer ready to close?")


# Links ------------------------------------------------------------------------------------------------------------


class LinkForm(VersionedForm):
    """Another case that belongs with this one, and why."""

    other_reference = _text(
        "Reference of the other case", max_length=20, required=True, help_text="For example, ASB-2026-000123"
    )
    reason = forms.ChoiceField(
        label="Why are they linked?",
        choices=LinkReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the cases are linked", "invalid_choice": "Select why they are linked"},
    )
    note = _text("Note", max_length=250)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            "version",
            Field.text("other_reference", field_width=10),
            Field.radios("reason", legend_size=Size.SMALL),
            Field.text("note"),
            submit="Link cases",
        )


# Parties ----------------------------------------------------------------------------------------------------------


class PartyForm(PartyFieldsMixin, VersionedForm):
    """A person on the case in a role: from the register, or typed in."""

    role = forms.ChoiceField(
        label="Their role on the case",
        choices=PartyRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select their role on the case", "invalid_choice": "Select their role"},
    )
    anonymous = forms.BooleanField(label="The reporter did not give their name", required=False)
    organisation = _text("Organisation", max_length=150, help_text="For professionals, for example the school")
    notes = _textarea("Notes")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            "version",
            Field.radios("role", legend_size=Size.SMALL),
            Field.checkbox("anonymous"),
            *PARTY_LAYOUT,
            Field.text("organisation"),
            Field.textarea("notes"),
            submit="Save",
        )

    def details(self) -> PartyDetails:
        """The cleaned form as PartyDetails (call after is_valid())."""
        data = self.cleaned_data
        details = self.party_details(
            data["role"],
            anonymous=bool(data.get("anonymous")),
            organisation=data.get("organisation", ""),
            notes=data.get("notes", ""),
        )
        if self.errors:
            raise DomainError()
        return cast(PartyDetails, details)


def party_initial(party: Any) -> dict[str, Any]:
    """A party's stored values as the form's initial data."""
    return {
        "role": party.role,
        "person_reference": party.person.reference if party.person_id else "",
        "first_name": party.first_name,
        "last_name": party.last_name,
        "date_of_birth": party.date_of_birth,
        "phone": party.phone,
        "email": party.email,
        "address": party.address,
        "organisation": party.organisation,
        "anonymous": party.anonymous,
        "safe_contact_notes": party.safe_contact_notes,
        "safe_times": party.safe_times,
        "contact_methods": list(party.contact_methods or []),
        "contact_avoid": list(party.contact_avoid or []),
        "preferred_language": party.preferred_language,
        "preferred_format": party.preferred_format,
        "vulnerabilities": party.vulnerabilities,
        "reasonable_adjustments": party.reasonable_adjustments,
        "notes": party.notes,
    }


# Break glass ------------------------------------------------------------------------------------------------------


class BreakGlassForm(DomainErrorForm):
    """A manager's reason to open a case they are not entitled to see."""

    reference = _text("Case reference", max_length=20, required=True, help_text="For example, ASB-2026-000123")
    reason = _textarea(
        "Why do you need to open this case?",
        required=True,
        help_text="The data protection officer is told, with your reason. Access lasts 8 hours",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.text("reference", field_width=10), Field.textarea("reason"), submit="Open the case")


def received_default() -> dict[str, Any]:
    """Initial received date and time for the new-case form: now, on the landlord's clock."""
    now = timezone.localtime()
    return {"received_on": now.date(), "received_time": f"{now:%H:%M}"}
