"""The case conference form: when, which agencies, who attended, what was decided, and up to five actions as a
repeated group of fields (no JavaScript needed: empty rows are ignored)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any, cast

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms

from saferhomes.core.errors import DomainError
from saferhomes.core.forms import DomainErrorForm, GovukDateField
from saferhomes.referrals.forms.shares import form_helper
from saferhomes.referrals.models import Agency
from saferhomes.referrals.services.conferences import (
    DESCRIPTION_MAX,
    OWNER_NAME_MAX,
    TEXT_MAX,
    ActionRow,
    conference_action_problems,
)

ACTION_ROWS = 5
LANDLORD = ""  # an action with no agency is ours
_ACTION_ERROR = re.compile(r"^actions\.(\d+)\.(description|owner_name|due_on)$")
_ACTION_FIELD = {"description": "description", "owner_name": "owner", "due_on": "due"}


def _row_field(row: int, name: str) -> str:
    return f"action_{row}_{name}"


class ConferenceForm(DomainErrorForm):
    """A case conference and the actions it agreed (fields `action_<n>_description`, `_agency`, `_owner`, `_due`)."""

    SERVICE_FIELDS = {"held_on": "held_on"}

    held_on = GovukDateField(label="Date of the conference", required_message="Enter the date the conference was held")
    agencies = forms.MultipleChoiceField(
        label="Agencies that took part",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select agencies from the list"},
    )
    attendees = forms.CharField(
        label="Who attended",
        help_text="One per line: name, role and organisation",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=TEXT_MAX,
        error_messages={"required": "Enter who attended", "max_length": "Who attended is too long"},
    )
    decisions = forms.CharField(
        label="What was decided",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=TEXT_MAX,
        error_messages={"required": "Enter what was decided", "max_length": "What was decided is too long"},
    )

    def __init__(self, *args: Any, agencies: Sequence[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agency_choices = {str(agency.pk): agency for agency in agencies}
        named = [(key, agency.name) for key, agency in self.agency_choices.items()]
        cast(forms.MultipleChoiceField, self.fields["agencies"]).choices = named
        self.fields["held_on"].help_text = "For example, 27 3 2026"
        rows = []
        for row in range(1, ACTION_ROWS + 1):
            self.fields[_row_field(row, "description")] = forms.CharField(
                label="What will be done",
                required=False,
                max_length=DESCRIPTION_MAX,
                error_messages={"max_length": f"Action {row} must be {DESCRIPTION_MAX} characters or fewer"},
            )
            self.fields[_row_field(row, "agency")] = forms.ChoiceField(
                label="Which organisation",
                required=False,
                choices=[(LANDLORD, "Us (the landlord)"), *named],
                error_messages={"invalid_choice": "Select an organisation from the list"},
            )
            self.fields[_row_field(row, "owner")] = forms.CharField(
                label="Who will do it",
                required=False,
                max_length=OWNER_NAME_MAX,
                help_text="A named person",
                error_messages={"max_length": f"Who will do action {row} must be {OWNER_NAME_MAX} characters or fewer"},
            )
            self.fields[_row_field(row, "due")] = GovukDateField(label=f"Action {row} due date", required=False)
            self.fields[_row_field(row, "due")].help_text = "Optional. For example, 27 3 2026"
            rows.append(
                Fieldset(
                    Field.text(_row_field(row, "description")),
                    Field.select(_row_field(row, "agency")),
                    Field.text(_row_field(row, "owner")),
                    Field(_row_field(row, "due"), context={"legend_size": Size.for_legend(Size.SMALL)}),
                    legend=f"Action {row}",
                    legend_size=Size.SMALL,
                )
            )
        self.helper = form_helper(
            Field("held_on", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field.checkboxes("agencies", legend_size=Size.SMALL),
            Field.textarea("attendees"),
            Field.textarea("decisions"),
            Fieldset(
                *rows,
                legend="Actions agreed",
                legend_size=Size.MEDIUM,
            ),
            submit="Save the conference",
        )
        self.action_rows: list[int] = []

    def _row_given(self, row: int) -> bool:
        data = self.cleaned_data
        return bool(
            (data.get(_row_field(row, "description")) or "").strip()
            or (data.get(_row_field(row, "owner")) or "").strip()
            or data.get(_row_field(row, "agency"))
            or data.get(_row_field(row, "due"))
        )

    def clean(self) -> dict[str, Any]:
        """While other answers are wrong, say what is wrong with the actions too (the service's own rule), so every
        problem is shown at once."""
        cleaned = super().clean() or {}
        if self.errors:
            problems = conference_action_problems(self._actions(), cleaned.get("held_on"))
            self.add_domain_error(DomainError(field_errors=problems))
        return cleaned

    def _actions(self) -> list[ActionRow]:
        data = self.cleaned_data
        self.action_rows = [row for row in range(1, ACTION_ROWS + 1) if self._row_given(row)]
        actions: list[ActionRow] = []
        for row in self.action_rows:
            due: dt.date | None = data.get(_row_field(row, "due"))
            actions.append(
                (
                    data.get(_row_field(row, "description")) or "",
                    self.agency_choices.get(data.get(_row_field(row, "agency")) or ""),
                    data.get(_row_field(row, "owner")) or "",
                    due,
                )
            )
        return actions

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned form as keyword arguments for `conference_record` (call after is_valid()); rows left empty are
        not actions."""
        data = self.cleaned_data
        actions = self._actions()
        return {
            "held_on": data["held_on"],
            "agencies": [self.agency_choices[key] for key in data.get("agencies") or [] if key in self.agency_choices],
            "attendees": data["attendees"],
            "decisions": data["decisions"],
            "actions": actions,
        }

    def add_domain_error(self, error: DomainError) -> None:
        """The service numbers the actions it was given; put each message on the row it came from, with its number."""
        for name, messages in error.field_errors.items():
            match = _ACTION_ERROR.match(name)
            if match is None:
                for message in messages:
                    self.add_error(self.field_for(name), message)
                continue
            index = int(match[1])
            row = self.action_rows[index] if index < len(self.action_rows) else index + 1
            target = _row_field(row, _ACTION_FIELD[match[2]])
            for message in messages:
                self.add_error(
                    target,
                    message.replace(f"action {index + 1}", f"action {row}").replace(
                        f"Action {index + 1}", f"Action {row}"
                    ),
                )
        for message in error.messages:
            self.add_error(None, message)
