"""Staff forms: one fast form to take a report by phone, in person, letter, email, partner or out of hours, the triage
queue's filters, and the triage decision.

GOV.UK Design System via crispy-forms-gds, like the case forms. Forms turn what was typed into values; the rules live
in `report_submit` and the triage services, whose DomainErrors land back on the right fields.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Button, Field, Fieldset, Layout, Size
from django import forms
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.cases.forms.case import category_field
from saferhomes.cases.models import CaseType, HateStrand, Priority, SubType
from saferhomes.core.errors import DomainError
from saferhomes.core.forms import TIME_HINT, DomainErrorForm, EdgeForm, GovukDateField, TimeField, local_datetime
from saferhomes.housing.models import Person, Property
from saferhomes.housing.selectors import person_by_reference, property_by_reference
from saferhomes.intake import rules
from saferhomes.intake.models import STAFF_CHANNELS, Channel, ConsentToShare, Report, UrgencyReason
from saferhomes.intake.services.report import ReportDetails
from saferhomes.intake.services.triage import PERPETRATOR_NAME_MAX, TriageDecision, default_summary

DATE_HINT = "For example, 27 3 2026"
URGENT_CHOICES = [
    ("answers", "Work it out from the answers above"),
    ("yes", "Urgent: 24 working hours"),
    ("no", "Standard: 5 working days"),
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


def _textarea(label: str, *, max_length: int = rules.DESCRIPTION_MAX, required: bool = False, **kwargs: Any) -> Any:
    return _text(label, max_length=max_length, required=required, widget=forms.Textarea(attrs={"rows": 3}), **kwargs)


def _date(name: str) -> Field:
    return Field(name, context={"legend_size": Size.for_legend(Size.SMALL)})


# Taking a report --------------------------------------------------------------------------------------------------


class StaffReportForm(DomainErrorForm):
    """A report taken by staff: how and when it reached us, what happened, where, who, how urgent, consent."""

    SERVICE_FIELDS = {
        "received_at": "received_on",
        "occurred_at": "occurred_on",
        "problem": "problem",
        "case_type": "problem",
        "person": "register_query",
        "home": "register_query",
    }

    channel = forms.ChoiceField(
        label="How did the report reach us?",
        choices=[(c.value, c.label) for c in STAFF_CHANNELS],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the report reached us", "invalid_choice": "Select how it reached us"},
    )
    received_on = GovukDateField(label="Date it was received", help_text=DATE_HINT)
    received_time = TimeField(label="Time it was received")
    problem = forms.ChoiceField(
        label="What is happening?",
        choices=[(p.key, p.label) for p in rules.PROBLEMS],
        widget=forms.RadioSelect,
        error_messages={"required": "Select what is happening", "invalid_choice": "Select what is happening"},
    )
    hate_strands = forms.MultipleChoiceField(
        label="If they were targeted because of who they are, why?",
        choices=HateStrand.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages={"invalid_choice": "Select the hate strand from the list"},
    )
    description = _textarea("What happened", required=True)
    occurred_on = GovukDateField(label="When did it happen?", required=False, help_text=DATE_HINT)
    occurred_time = TimeField(label="Time it happened", required=False)
    location_text = _text("Where did it happen?", max_length=rules.TEXT_MAX, help_text="If it is not one of our homes")
    register_query = _text(
        "Find the reporter or the home in the housing register",
        max_length=100,
        help_text="Name, email, phone, register reference, address or postcode",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    person_reference = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    home_reference = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    anonymous = forms.BooleanField(label="The reporter did not give their name", required=False)
    first_name = _text("First name", max_length=100)
    last_name = _text("Last name", max_length=100)
    email = _text(
        "Email address", max_length=254, widget=forms.TextInput(attrs={"type": "email", "spellcheck": "false"})
    )
    phone = _text("Phone number", max_length=30, widget=forms.TextInput(attrs={"type": "tel"}))
    address = _text("Address", max_length=rules.TEXT_MAX)
    postcode = _text("Postcode", max_length=10)
    safe_contact_notes = _textarea(
        "How to contact them safely", help_text="For example, only call after 6pm; never leave a voicemail"
    )
    urgency_answers = forms.MultipleChoiceField(
        label="Does any of these apply?",
        choices=UrgencyReason.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Any of these makes the report urgent",
        error_messages={"invalid_choice": "Select from the list"},
    )
    urgent = forms.ChoiceField(
        label="Urgency",
        choices=URGENT_CHOICES,
        initial="answers",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the urgency", "invalid_choice": "Select the urgency"},
    )
    consent_to_share = forms.ChoiceField(
        label="May we share the report with partner agencies such as the police?",
        choices=ConsentToShare.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select whether we may share the report"},
    )

    def __init__(self, *args: Any, actor: User, register_html: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["received_time"].help_text = TIME_HINT
        self.fields["occurred_time"].help_text = TIME_HINT
        self.helper = _helper(
            Fieldset(
                Field.radios("channel", legend_size=Size.SMALL, small=True),
                _date("received_on"),
                Field.text("received_time", field_width=5),
                legend="How and when",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.radios("problem", legend_size=Size.SMALL, small=True),
                Field.checkboxes("hate_strands", legend_size=Size.SMALL, small=True),
                Field.textarea("description"),
                _date("occurred_on"),
                Field.text("occurred_time", field_width=5),
                Field.text("location_text"),
                legend="What happened",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                HTML(register_html),
                Field.checkbox("anonymous"),
                Field.text("first_name", field_width=20),
                Field.text("last_name", field_width=20),
                Field.text("email"),
                Field.text("phone", field_width=20),
                Field.text("address"),
                Field.text("postcode", field_width=10),
                Field.textarea("safe_contact_notes"),
                legend="Who reported it",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.checkboxes("urgency_answers", legend_size=Size.SMALL, small=True),
                Field.radios("urgent", legend_size=Size.SMALL, small=True),
                Field.radios("consent_to_share", legend_size=Size.SMALL, small=True, inline=True),
                legend="How urgent, and sharing",
                legend_size=Size.MEDIUM,
            ),
            Button("submit", "Save report"),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day, time = cleaned.get("received_on"), cleaned.get("received_time")
        if day and time and local_datetime(day, time) > timezone.now():
            self.add_error("received_on", "The date the report was received must be today or in the past")
        if cleaned.get("occurred_time") and not cleaned.get("occurred_on") and "occurred_on" not in self.errors:
            self.add_error("occurred_on", "Enter the date it happened as well as the time")
        return cleaned

    def chosen_person(self) -> Person | None:
        """The reporter chosen from the register (None when none was, or the reference names nobody)."""
        reference = (self.cleaned_data.get("person_reference") or "").strip()
        if not reference:
            return None
        try:
            return person_by_reference(actor=self.actor, reference=reference)
        except DomainError:
            return None

    def chosen_home(self) -> Property | None:
        """The home chosen from the register (None when none was, or the reference names none)."""
        reference = (self.cleaned_data.get("home_reference") or "").strip()
        if not reference:
            return None
        try:
            return property_by_reference(actor=self.actor, reference=reference)
        except DomainError:
            return None

    def received_at(self) -> Any:
        return local_datetime(self.cleaned_data["received_on"], self.cleaned_data["received_time"])

    def urgent_override(self) -> bool | None:
        """None: worked out from the answers; True/False: the member of staff's override."""
        return {"yes": True, "no": False}.get(self.cleaned_data.get("urgent", "answers"))

    def details(self) -> ReportDetails:
        """The cleaned form as ReportDetails (call after is_valid())."""
        data = self.cleaned_data
        occurred = None
        if data.get("occurred_on"):
            occurred = local_datetime(data["occurred_on"], data.get("occurred_time") or dt.time(0, 0))
        answers = set(data.get("urgency_answers", []))
        person = self.chosen_person()
        if (data.get("person_reference") or "").strip() and person is None:
            raise DomainError(field_errors={"register_query": "Choose a person from the housing register list"})
        return ReportDetails(
            problem=data["problem"],
            hate_strands=tuple(data.get("hate_strands", [])),
            description=data["description"],
            occurred_at=occurred,
            home=self.chosen_home(),
            location_text=data.get("location_text", ""),
            urgency_answers={reason: reason in answers for reason in UrgencyReason.values},
            anonymous=bool(data.get("anonymous")),
            first_name=data.get("first_name", "") or (person.first_name if person else ""),
            last_name=data.get("last_name", "") or (person.last_name if person else ""),
            email=data.get("email", "") or (person.email if person else ""),
            phone=data.get("phone", "") or (person.phone or person.mobile if person else ""),
            address=data.get("address", ""),
            postcode=data.get("postcode", ""),
            person=person,
            safe_contact_notes=data.get("safe_contact_notes", "") or (person.safe_contact_notes if person else ""),
            consent_to_share=data.get("consent_to_share", ""),
        )


def received_default() -> dict[str, Any]:
    """Initial values: received now, on the landlord's clock; urgency from the answers."""
    now = timezone.localtime()
    return {"received_on": now.date(), "received_time": f"{now:%H:%M}", "urgent": "answers"}


# The queue --------------------------------------------------------------------------------------------------------


class QueueFilterForm(EdgeForm):
    """Filter the triage queue by channel and by type."""

    channel = forms.ChoiceField(
        label="Channel",
        required=False,
        choices=[("", "Any channel"), *Channel.choices],
        error_messages={"invalid_choice": "Select a channel from the list"},
    )
    case_type = forms.ChoiceField(
        label="Type",
        required=False,
        choices=[("", "Any type"), *CaseType.choices],
        error_messages={"invalid_choice": "Select a type from the list"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.select("channel"), Field.select("case_type"), submit="Apply filters")


# Triage -------------------------------------------------------------------------------------------------------------

OUTCOMES = [
    ("new_case", "Open a new case"),
    ("add", "Add it to an open case (a repeat report)"),
    ("not_proceeded", "Do not take it forward"),
]


class TriageReportForm(DomainErrorForm):
    """Confirm what the report is and decide what happens to it."""

    SERVICE_FIELDS = {"reason": "not_proceeded_reason"}

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
    case_type = forms.ChoiceField(
        label="What type of problem is it?",
        choices=CaseType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of problem", "invalid_choice": "Select the type of problem"},
    )
    category = category_field()
    sub_types = forms.MultipleChoiceField(
        label="What has happened",
        choices=SubType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select what happened from the list"},
    )
    hate_strands = forms.MultipleChoiceField(
        label="If it is a hate incident or crime, what was it motivated by?",
        choices=HateStrand.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select the hate strand from the list"},
    )
    urgent = forms.ChoiceField(
        label="Is it urgent?",
        choices=[("yes", "Yes: 24 working hours"), ("no", "No: 5 working days")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether it is urgent", "invalid_choice": "Select whether it is urgent"},
    )
    urgent_reason = _textarea(
        "Why are you changing the urgency?", help_text="Needed if you change it: the response deadline changes too"
    )
    restricted = forms.BooleanField(
        label="Restrict the case to named staff",
        required=False,
        help_text="Domestic abuse cases are restricted to DA-trained staff automatically",
    )
    criminal = forms.ChoiceField(
        label="Is it criminal behaviour or a hate crime?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        help_text="If yes, you will be prompted to refer it to the police",
        error_messages={"required": "Select yes if it is criminal behaviour or a hate crime"},
    )
    outcome = forms.ChoiceField(
        label="What happens to the report?",
        choices=OUTCOMES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what happens to the report", "invalid_choice": "Select from the list"},
    )
    summary = _text("Case summary", max_length=200, help_text="For a new case: one line you will recognise it by")
    priority = forms.ChoiceField(
        label="Priority of the new case",
        choices=[("", "Decide later (the case stays new)"), *Priority.choices],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select the priority"},
    )
    case_reference = _text(
        "Or type the reference of another open case",
        max_length=20,
        help_text="For example, ASB-2026-000123",
    )
    suggested_case = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)  # the radios above
    not_proceeded_reason = _textarea("Why is it not being taken forward?")
    add_alleged_perpetrator = forms.BooleanField(
        label="Add the alleged perpetrator the report describes to the case",
        required=False,
        help_text="As described under 'Who was involved' above; the reporter's words are kept on the party's notes",
    )
    alleged_perpetrator = _text(
        "Their name, or how staff will know them",
        max_length=PERPETRATOR_NAME_MAX,
        help_text="For example, Mr Jones at number 12, or the man with the grey van",
    )
    note = _textarea("Triage note", help_text="Optional: anything the next person should know")

    def __init__(self, *args: Any, report: Report, suggestions_html: str = "", **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "version": report.version,
                "case_type": report.case_type,
                "category": report.category,
                "sub_types": list(report.sub_types),
                "hate_strands": list(report.hate_strands),
                "urgent": "yes" if report.urgent else "no",
                "criminal": "no",
                "summary": default_summary(report),
                "alleged_perpetrator": _first_line(report.people_involved, PERPETRATOR_NAME_MAX),
            },
        )
        super().__init__(*args, **kwargs)
        self.report = report
        self.helper = _helper(
            "version",
            Fieldset(
                Field.radios("case_type", legend_size=Size.SMALL, small=True),
                Field.radios("category", legend_size=Size.SMALL, small=True),
                Field.checkboxes("sub_types", legend_size=Size.SMALL, small=True),
                Field.checkboxes("hate_strands", legend_size=Size.SMALL, small=True),
                Field.radios("urgent", legend_size=Size.SMALL, small=True, inline=True),
                Field.textarea("urgent_reason"),
                Field.checkbox("restricted"),
                Field.radios("criminal", legend_size=Size.SMALL, small=True, inline=True),
                legend="Confirm the report",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.radios("outcome", legend_size=Size.SMALL),
                Field.text("summary"),
                Field.radios("priority", legend_size=Size.SMALL, small=True),
                HTML(suggestions_html),
                Field.text("case_reference", field_width=10),
                *(
                    [Field.checkbox("add_alleged_perpetrator"), Field.text("alleged_perpetrator")]
                    if report.people_involved.strip()
                    else []
                ),
                Field.textarea("not_proceeded_reason"),
                Field.textarea("note"),
                legend="Decide",
                legend_size=Size.MEDIUM,
            ),
            Button("submit", "Save triage"),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        outcome = cleaned.get("outcome")
        typed = (cleaned.get("case_reference") or "").strip()
        cleaned["case_reference"] = typed or (cleaned.get("suggested_case") or "").strip()
        if outcome == "add" and not cleaned["case_reference"]:
            self.add_error("case_reference", "Choose the open case to add the report to")
        if cleaned.get("add_alleged_perpetrator") and not (cleaned.get("alleged_perpetrator") or "").strip():
            self.add_error("alleged_perpetrator", "Enter the alleged perpetrator's name, or how staff will know them")
        if outcome == "not_proceeded" and not (cleaned.get("not_proceeded_reason") or "").strip():
            self.add_error("not_proceeded_reason", "Enter why the report is not being taken forward")
        return cleaned

    def decision(self) -> TriageDecision:
        data = self.cleaned_data
        return TriageDecision(
            case_type=data["case_type"],
            category=data.get("category", ""),
            sub_types=tuple(data.get("sub_types", [])),
            hate_strands=tuple(data.get("hate_strands", [])),
            urgent=data["urgent"] == "yes",
            urgent_reason=data.get("urgent_reason", ""),
            restricted=bool(data.get("restricted")),
            criminal=data.get("criminal") == "yes",
            priority=data.get("priority", ""),
            summary=data.get("summary", ""),
            note=data.get("note", ""),
            alleged_perpetrator=data.get("alleged_perpetrator", "") if data.get("add_alleged_perpetrator") else "",
        )


def _first_line(text: str, limit: int) -> str:
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return line[:limit]


class RevokeLinkForm(DomainErrorForm):
    """Why a reporter's status link is being stopped."""

    reason = _text("Why are you stopping the link?", max_length=250, required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.text("reason"), submit="Stop the link")
