"""Forms for the investigation record tabs: incidents, evidence, contacts, the contact plan and actions.

GOV.UK Design System via crispy-forms-gds. Forms only turn what was typed into values; the rules (not in the
future, not before the report, parties on this case...) live in `cases.services.record`, whose DomainErrors
land back on the right fields through `SERVICE_FIELDS`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, cast

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.cases.models import (
    ActionItem,
    ActionKind,
    ContactPlan,
    ContactPurpose,
    Direction,
    Incident,
    IncidentSource,
    Party,
)
from saferhomes.cases.services.evidence import evidence_max_bytes, evidence_size_label, evidence_types_label
from saferhomes.cases.services.record import MAX_PLAN_FREQUENCY_DAYS, PLAN_PARTY_ROLES
from saferhomes.core.forms import TIME_HINT, DomainErrorForm, GovukDateField, TimeField, local_datetime
from saferhomes.housing.models import ContactMethod, Property

NOBODY = "none"  # the explicit answer "no named person", so nothing is chosen for the officer


def _helper(*fields: Any, submit: str) -> FormHelper:
    """A helper for forms whose <form> tag and CSRF token the template writes."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields, Button("submit", submit))
    return helper


def _party_choices(parties: Iterable[Party]) -> list[tuple[str, str]]:
    return [(str(party.pk), f"{party.display_name} ({party.get_role_display().lower()})") for party in parties]


def _date_field(name: str) -> Field:
    return Field(name, context={"legend_size": Size.for_legend(Size.SMALL)})


class RecordForm(DomainErrorForm):
    """Base for the record forms: a service's DomainError lands on the fields (`SERVICE_FIELDS` maps names)."""


# Incidents --------------------------------------------------------------------------------------------------------


class IncidentForm(RecordForm):
    """When (and until), where, what happened, who was involved, who saw it, and who told us."""

    SERVICE_FIELDS = {"occurred_at": "occurred_on", "occurred_until": "ended_on"}

    occurred_on = GovukDateField(label="Date it happened")
    occurred_time = TimeField(label="Time it happened")
    ended_on = GovukDateField(label="Date it ended", required=False)
    ended_time = TimeField(label="Time it ended", required=False)
    property = forms.ChoiceField(label="Home", required=False)
    location_text = forms.CharField(
        label="Where it happened",
        required=False,
        max_length=250,
        help_text="For example, the stairwell of block B, or the car park behind the shops",
        error_messages={"max_length": "Where it happened must be 250 characters or fewer"},
    )
    description = forms.CharField(
        label="What happened",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
        error_messages={
            "required": "Enter what happened",
            "max_length": "What happened must be 10,000 characters or fewer",
        },
    )
    source = forms.ChoiceField(
        label="Who told us about it?",
        choices=IncidentSource.choices,
        initial=IncidentSource.OFFICER,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who told us about the incident", "invalid_choice": "Select who told us"},
    )
    parties_involved = forms.MultipleChoiceField(
        label="Who was involved?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select people who are on this case"},
    )
    witnesses = forms.MultipleChoiceField(
        label="Who saw or heard it?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select witnesses who are on this case"},
    )

    def __init__(self, *args: Any, parties: Sequence[Party], properties: Sequence[Property], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parties = {str(party.pk): party for party in parties}
        self.properties = {str(home.pk): home for home in properties}
        choices = _party_choices(parties)
        cast(forms.MultipleChoiceField, self.fields["parties_involved"]).choices = choices
        cast(forms.MultipleChoiceField, self.fields["witnesses"]).choices = choices
        cast(forms.ChoiceField, self.fields["property"]).choices = [
            ("", "Not one of the homes on this case"),
            *((key, str(home)) for key, home in self.properties.items()),
        ]
        for name in ("occurred_on", "ended_on"):
            self.fields[name].help_text = "For example, 27 3 2026"
        self.fields["ended_on"].help_text = "Only if it went on for some time. For example, 27 3 2026"
        self.fields["ended_time"].help_text = f"If you give a time but no date, it is the same day. {TIME_HINT}"
        layout: list[Any] = [
            _date_field("occurred_on"),
            Field.text("occurred_time", field_width=5),
            _date_field("ended_on"),
            Field.text("ended_time", field_width=5),
        ]
        if self.properties:
            layout.append(Field.select("property"))
        else:
            del self.fields["property"]
        layout += [
            Field.text("location_text"),
            Field.textarea("description"),
            Field.radios("source", legend_size=Size.SMALL),
        ]
        if choices:
            layout += [
                Field.checkboxes("parties_involved", legend_size=Size.SMALL, small=True),
                Field.checkboxes("witnesses", legend_size=Size.SMALL, small=True),
            ]
        else:
            del self.fields["parties_involved"], self.fields["witnesses"]
        self.helper = _helper(*layout, submit="Save incident")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        ended_on, ended_time = cleaned.get("ended_on"), cleaned.get("ended_time")
        if ended_on and not ended_time and "ended_time" not in self.errors:
            self.add_error("ended_time", "Enter the time it ended")
        return cleaned

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned form as keyword arguments for `incident_record` (call after is_valid())."""
        data = self.cleaned_data
        occurred_at = local_datetime(data["occurred_on"], data["occurred_time"])
        ended_time = data.get("ended_time")
        ended_on = data.get("ended_on") or (data["occurred_on"] if ended_time else None)
        return {
            "occurred_at": occurred_at,
            "occurred_until": local_datetime(ended_on, ended_time) if ended_on and ended_time else None,
            "property": self.properties.get(data.get("property") or ""),
            "location_text": data.get("location_text", ""),
            "description": data["description"],
            "source": data["source"],
            "parties_involved": [self.parties[key] for key in data.get("parties_involved", [])],
            "witnesses": [self.parties[key] for key in data.get("witnesses", [])],
        }


class EvidenceForm(RecordForm):
    """One file, what it shows, and the incident it belongs to (if any)."""

    file = forms.FileField(
        label="Upload a file",
        error_messages={"required": "Select a file", "empty": "The selected file is empty", "invalid": "Select a file"},
    )
    description = forms.CharField(
        label="What the file shows",
        required=False,
        max_length=250,
        error_messages={"max_length": "What the file shows must be 250 characters or fewer"},
    )
    incident = forms.ChoiceField(label="Incident it belongs to", required=False)

    def __init__(self, *args: Any, incidents: Sequence[Incident], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.incidents = {str(incident.pk): incident for incident in incidents}
        self.fields[
            "file"
        ].help_text = f"A {evidence_types_label()} file, smaller than {evidence_size_label(evidence_max_bytes())}"
        cast(forms.ChoiceField, self.fields["incident"]).choices = [
            ("", "Not about one incident"),
            *(
                (key, f"{timezone.localtime(incident.occurred_at):%d/%m/%Y %H:%M}: {incident.description[:60]}")
                for key, incident in self.incidents.items()
            ),
        ]
        self.helper = _helper(Field("file"), Field.text("description"), Field.select("incident"), submit="Upload file")

    def selected_incident(self) -> Incident | None:
        """The chosen incident, or None (call after is_valid())."""
        return self.incidents.get(self.cleaned_data.get("incident") or "")


# Contacts and the contact plan ----------------------------------------------------------------------------------


class ContactForm(RecordForm):
    """Who, how, which way, what for, whether we got through, when, and what was said."""

    SERVICE_FIELDS = {"occurred_at": "occurred_on"}

    party = forms.ChoiceField(
        label="Who was the contact with?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select who the contact was with", "invalid_choice": "Select someone on this case"},
    )
    method = forms.ChoiceField(
        label="How was the contact made?",
        choices=[("", "Choose how"), *ContactMethod.choices],
        error_messages={"required": "Select how the contact was made", "invalid_choice": "Select how"},
    )
    direction = forms.ChoiceField(
        label="Who contacted whom?",
        choices=Direction.choices,
        initial=Direction.OUTBOUND,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who contacted whom", "invalid_choice": "Select who contacted whom"},
    )
    purpose = forms.ChoiceField(
        label="What was it for?",
        choices=ContactPurpose.choices,
        initial=ContactPurpose.GENERAL,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the contact was for", "invalid_choice": "Select what it was for"},
    )
    successful = forms.ChoiceField(
        label="Did you speak to them or get a reply?",
        choices=[("yes", "Yes"), ("no", "No, this was an attempt")],
        initial="yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you reached them", "invalid_choice": "Select yes or no"},
    )
    occurred_on = GovukDateField(label="Date of the contact")
    occurred_time = TimeField(label="Time of the contact")
    summary = forms.CharField(
        label="Summary",
        help_text="What was said or agreed. Do not include anything the reporter asked you not to record.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
        error_messages={
            "required": "Enter a summary of the contact",
            "max_length": "Summary must be 10,000 characters or fewer",
        },
    )
    override_reason = forms.CharField(
        label="If this went against their safe-contact instructions, why?",
        help_text="Only when we contacted them in a way they asked us never to use, or one they did not choose as "
        "safe (see Before you make contact, above). A manager may ask about it.",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
        error_messages={"max_length": "The reason must be 2,000 characters or fewer"},
    )

    def __init__(self, *args: Any, parties: Sequence[Party], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parties = {str(party.pk): party for party in parties}
        cast(forms.ChoiceField, self.fields["party"]).choices = [
            *_party_choices(parties),
            (NOBODY, "No named person (for example, an initial assessment of an anonymous report)"),
        ]
        self.fields["occurred_on"].help_text = "For example, 27 3 2026"
        self.helper = _helper(
            Field.radios("party", legend_size=Size.SMALL),
            Field.select("method"),
            Field.radios("direction", legend_size=Size.SMALL, inline=True),
            Field.radios("purpose", legend_size=Size.SMALL),
            Field.radios("successful", legend_size=Size.SMALL, inline=True),
            _date_field("occurred_on"),
            Field.text("occurred_time", field_width=5),
            Field.textarea("summary"),
            Field.textarea("override_reason"),
            submit="Save contact",
        )

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned form as keyword arguments for `contact_record` (call after is_valid())."""
        data = self.cleaned_data
        return {
            "party": self.parties.get(data["party"]),
            "method": data["method"],
            "direction": data["direction"],
            "purpose": data["purpose"],
            "successful": data["successful"] == "yes",
            "occurred_at": local_datetime(data["occurred_on"], data["occurred_time"]),
            "summary": data["summary"],
            "override_reason": data.get("override_reason", ""),
        }


class ContactPlanForm(RecordForm):
    """The plan agreed with the reporter: who, how often, how, when it is safe, language and format."""

    party = forms.ChoiceField(
        label="Who was the plan agreed with?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the reporter or victim the plan was agreed with",
            "invalid_choice": "Select the reporter or victim the plan was agreed with",
        },
    )
    frequency_days = forms.IntegerField(
        label="Contact them at least every",
        min_value=1,
        max_value=MAX_PLAN_FREQUENCY_DAYS,
        help_text="Number of days, for example 7 for weekly or 14 for fortnightly",
        error_messages={
            "required": "Enter how often to contact them, in days",
            "invalid": "How often must be a whole number of days, like 7",
            "min_value": f"How often must be a whole number of days from 1 to {MAX_PLAN_FREQUENCY_DAYS}",
            "max_value": f"How often must be a whole number of days from 1 to {MAX_PLAN_FREQUENCY_DAYS}",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
    )
    method = forms.ChoiceField(
        label="How to contact them",
        choices=[("", "Choose how"), *ContactMethod.choices],
        error_messages={"required": "Select how to contact them", "invalid_choice": "Select how to contact them"},
    )
    safe_times = forms.CharField(
        label="When it is safe to contact them",
        required=False,
        max_length=250,
        help_text="For example, weekdays after 6pm; never when their partner is home",
        error_messages={"max_length": "Safe times must be 250 characters or fewer"},
    )
    language = forms.CharField(
        label="Language",
        required=False,
        max_length=60,
        error_messages={"max_length": "Language must be 60 characters or fewer"},
    )
    format = forms.CharField(
        label="Format",
        required=False,
        max_length=60,
        help_text="For example, large print, easy read, or British Sign Language interpreter",
        error_messages={"max_length": "Format must be 60 characters or fewer"},
    )
    plan_updated_at = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, parties: Sequence[Party], plan: ContactPlan | None = None, **kwargs: Any) -> None:
        if plan is not None and not args and "data" not in kwargs:
            kwargs.setdefault(
                "initial",
                {
                    "party": str(plan.party_id),
                    "frequency_days": plan.frequency_days,
                    "method": plan.method,
                    "safe_times": plan.safe_times,
                    "language": plan.language,
                    "format": plan.format,
                    "plan_updated_at": plan.updated_at.isoformat(),
                },
            )
        super().__init__(*args, **kwargs)
        eligible = [party for party in parties if party.role in PLAN_PARTY_ROLES]
        self.parties = {str(party.pk): party for party in eligible}
        cast(forms.ChoiceField, self.fields["party"]).choices = _party_choices(eligible)
        if plan is None and len(eligible) >= 1 and not self.is_bound:
            first = eligible[0]
            self.initial.setdefault("party", str(first.pk))
            if first.person is not None:
                self.initial.setdefault("language", first.person.preferred_language)
                self.initial.setdefault("format", first.person.get_preferred_format_display())
        self.helper = _helper(
            Field.radios("party", legend_size=Size.SMALL),
            Field.text("frequency_days", field_width=3),
            Field.select("method"),
            Field.text("safe_times"),
            Field.text("language", field_width=20),
            Field.text("format", field_width=20),
            Field("plan_updated_at"),
            submit="Save contact plan" if plan is None else "Save changes to the plan",
        )

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned form as keyword arguments for `contact_plan_agree`/`contact_plan_update`."""
        data = self.cleaned_data
        return {
            "party": self.parties[data["party"]],
            "frequency_days": data["frequency_days"],
            "method": data["method"],
            "safe_times": data.get("safe_times", ""),
            "language": data.get("language", ""),
            "format": data.get("format", ""),
        }

    def expected_updated_at(self) -> dt.datetime | None:
        """When the plan was last changed as the user saw it (optimistic locking)."""
        raw = self.cleaned_data.get("plan_updated_at") or ""
        try:
            return dt.datetime.fromisoformat(raw) if raw else None
        except ValueError:
            return None


# Actions --------------------------------------------------------------------------------------------------------


class ActionForm(RecordForm):
    """An action plan item or task: what, who owns it, and when it is due."""

    kind = forms.ChoiceField(
        label="Type",
        choices=ActionKind.choices,
        initial=ActionKind.TASK,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type", "invalid_choice": "Select the type"},
    )
    description = forms.CharField(
        label="What needs to be done",
        max_length=300,
        error_messages={
            "required": "Enter what needs to be done",
            "max_length": "What needs to be done must be 300 characters or fewer",
        },
    )
    owner = forms.ChoiceField(
        label="Owner",
        error_messages={"required": "Select an owner", "invalid_choice": "Select an owner who can work on this case"},
    )
    due_date = GovukDateField(label="Due date", required=False)

    def __init__(self, *args: Any, owners: Sequence[User], actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owners = {str(user.pk): user for user in owners}
        cast(forms.ChoiceField, self.fields["owner"]).choices = [
            (key, user.get_full_name() or user.get_username()) for key, user in self.owners.items()
        ]
        self.initial.setdefault("owner", str(actor.pk))
        self.fields["due_date"].help_text = "Optional. For example, 27 3 2026"
        self.helper = _helper(
            Field.radios("kind", legend_size=Size.SMALL, inline=True),
            Field.text("description"),
            Field.select("owner"),
            _date_field("due_date"),
            submit="Add action",
        )

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned form as keyword arguments for `action_add`."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "description": data["description"],
            "owner": self.owners[data["owner"]],
            "due_date": data.get("due_date"),
        }


class ActionCompleteForm(RecordForm):
    """What was done (optional) when marking an action complete."""

    SERVICE_FIELDS = {"note": "done_note"}

    done_note = forms.CharField(
        label="What was done (optional)",
        required=False,
        max_length=300,
        error_messages={"max_length": "What was done must be 300 characters or fewer"},
    )

    def __init__(self, *args: Any, action: ActionItem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.action = action
        self.helper = _helper(Field.text("done_note"), submit="Mark as complete")


# Notes ----------------------------------------------------------------------------------------------------------


class NoteForm(RecordForm):
    """A note on the case; shareable notes may appear on the reporter's status page."""

    text = forms.CharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
        error_messages={"required": "Enter the note", "max_length": "The note must be 10,000 characters or fewer"},
    )
    shareable = forms.BooleanField(
        label="The reporter may see this note on their status page",
        required=False,
        help_text="Never tick this for anything about another person",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("text"), Field.checkbox("shareable"), submit="Save note")


class ActionReopenForm(RecordForm):
    """Why a completed action is being reopened."""

    reason = forms.CharField(
        label="Why is it being reopened?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter why the action is being reopened",
            "max_length": "The reason must be 500 characters or fewer",
        },
    )

    def __init__(self, *args: Any, action: ActionItem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.action = action
        self.helper = _helper(Field.textarea("reason"), submit="Reopen action")
