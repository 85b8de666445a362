"""Forms of the team workload (issue 14 item 20): which team to show, and reassigning ticked cases to an officer.

They turn what was chosen into values; whether each case may go is `cases_reassign`'s to say, and its DomainError
(naming each case that cannot go, and why) lands on the case checkboxes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.db.models import QuerySet

from saferhomes.accounts.models import Team, User
from saferhomes.cases.models import Case
from saferhomes.core.forms import DomainErrorForm, EdgeForm

REASON_MAX = 5_000


class WorkloadFilterForm(EdgeForm):
    """The team whose workload to show (every team when none is chosen)."""

    team = forms.ModelChoiceField(
        label="Team",
        queryset=Team.objects.order_by("name"),
        required=False,
        empty_label="All teams",
        error_messages={"invalid_choice": "Select a team from the list"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        helper.form_method = "get"
        helper.layout = Layout(Field.select("team"), Button("submit", "Show team", css_class="govuk-button--secondary"))
        self.helper = helper


def case_choice(case: Case) -> Choice:
    """A case as a checkbox: its reference and summary, with its type, priority and status as the hint."""
    priority, status = case.get_priority_display().lower(), case.get_status_display().lower()
    hint = f"{case.get_case_type_display()}, {priority} priority, {status}"
    return Choice(case.reference, f"{case.reference}: {case.summary}", hint=hint)


class ReassignForm(DomainErrorForm):
    """The cases ticked, who they go to, and why."""

    cases = forms.MultipleChoiceField(
        label="Cases to reassign",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select the cases to reassign",
            "invalid_choice": "A case you selected is no longer in this list: select the cases again",
        },
    )
    officer = forms.ModelChoiceField(
        label="Reassign to",
        queryset=User.objects.none(),
        empty_label="Select an officer",
        error_messages={
            "required": "Select who to reassign the cases to",
            "invalid_choice": "Select an officer from the list",
        },
    )
    reason = forms.CharField(
        label="Why are the cases being reassigned?",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Recorded on each case's history. The officer is not sent it",
        error_messages={
            "required": "Enter why the cases are being reassigned",
            "max_length": f"The reason must be {REASON_MAX:,} characters or fewer",
        },
    )

    def __init__(
        self, *args: Any, cases: Iterable[Case], officers: QuerySet[User], da_trained: set[int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.listed = {case.reference: case for case in cases}
        case_field = cast(forms.MultipleChoiceField, self.fields["cases"])
        case_field.choices = [case_choice(case) for case in self.listed.values()]
        officer_field = cast(forms.ModelChoiceField, self.fields["officer"])
        officer_field.queryset = officers
        officer_field.label_from_instance = lambda obj: _officer_label(obj, da_trained)  # type: ignore[method-assign]
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        helper.layout = Layout(
            Field.checkboxes("cases", legend_size=Size.MEDIUM, small=True),
            Field.select("officer"),
            Field.textarea("reason"),
            Button("submit", "Reassign cases"),
        )
        self.helper = helper

    def chosen_cases(self) -> list[Case]:
        """The ticked cases, as listed on the page."""
        return [self.listed[reference] for reference in self.cleaned_data.get("cases", [])]


def _officer_label(user: User, da_trained: set[int]) -> str:
    team = user.team.name if user.team else "no team"
    return f"{user} ({team}{', DA-trained' if user.pk in da_trained else ''})"
