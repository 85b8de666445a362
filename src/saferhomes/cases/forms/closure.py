"""Forms for the closure tab and the public satisfaction survey (GOV.UK Design System via crispy-forms-gds)."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from saferhomes.cases.models import Outcome, SatisfactionScore
from saferhomes.cases.rules import DO_BETTER_QUESTION, tp12_question
from saferhomes.cases.services.closure import DO_BETTER_MAX, OUTCOME_SUMMARY_MAX
from saferhomes.core.forms import EdgeForm

# "Merged" is what merging cases does, not an outcome an officer chooses when closing.
CLOSING_OUTCOMES = [(value, label) for value, label in Outcome.choices if value != Outcome.MERGED]


def _helper(*fields: Any, submit: str, secondary: bool = False) -> FormHelper:
    """A helper for forms whose <form> tag and CSRF token the template writes."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    css = "govuk-button--secondary" if secondary else ""
    helper.layout = Layout(*fields, Button("submit", submit, css_class=css))
    return helper


class VersionForm(EdgeForm):
    """The case version the user saw: a change made meanwhile by someone else is not silently overwritten."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ClosureRequestForm(VersionForm):
    """The outcome and its summary; the reason when the reporter could not be reached."""

    outcome = forms.ChoiceField(
        label="Outcome",
        choices=CLOSING_OUTCOMES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the outcome of the case",
            "invalid_choice": "Select the outcome of the case",
        },
    )
    outcome_summary = forms.CharField(
        label="Summary of the outcome",
        help_text="What was done and what changed, as you explained it to the reporter",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=OUTCOME_SUMMARY_MAX,
        error_messages={
            "required": "Enter a summary of the outcome",
            "max_length": f"Summary of the outcome must be {OUTCOME_SUMMARY_MAX:,} characters or fewer",
        },
    )
    outcome_shareable = forms.CharField(
        label="What the reporter may read about the outcome (optional)",
        help_text=(
            "Shown on the reporter's private status page once the case is closed, exactly as you write it. "
            "Never name other people or say anything that could put someone at risk. Leave blank to show nothing"
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=OUTCOME_SUMMARY_MAX,
        error_messages={
            "max_length": f"What the reporter may read must be {OUTCOME_SUMMARY_MAX:,} characters or fewer",
        },
    )
    not_discussed_reason = forms.CharField(
        label="Why the outcome could not be discussed (if it could not)",
        help_text=(
            "Only if the reporter is anonymous or could not be reached: say what you tried. "
            "Record each attempt as an unsuccessful outcome discussion contact too."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        error_messages={"max_length": "The reason must be 2,000 characters or fewer"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("outcome", legend_size=Size.SMALL),
            Field.textarea("outcome_summary"),
            Field.textarea("outcome_shareable", rows=4),
            Field.textarea("not_discussed_reason", rows=3),
            "version",
            submit="Put forward for closure",
        )


class ApproveClosureForm(VersionForm):
    """A manager's approval: one button."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper("version", submit="Approve closure")


class CloseCaseForm(VersionForm):
    """Close the case: one button."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper("version", submit="Close case")


class ReopenForm(VersionForm):
    """Why the case is being reopened."""

    reason = forms.CharField(
        label="Why are you reopening this case?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={
            "required": "Enter why the case is being reopened",
            "max_length": "The reason must be 2,000 characters or fewer",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.textarea("reason", label_size=Size.SMALL, rows=3), "version", submit="Reopen case", secondary=True
        )


class SurveyLinkForm(EdgeForm):
    """Make a fresh survey link for the officer to give the reporter."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(submit="Create a survey link to give the reporter", secondary=True)


class SurveyForm(EdgeForm):
    """TP12's question on its 5-point scale, and what we could have done better."""

    satisfaction = forms.TypedChoiceField(
        choices=SatisfactionScore.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how satisfied or dissatisfied you are",
            "invalid_choice": "Select how satisfied or dissatisfied you are",
        },
    )
    could_do_better = forms.CharField(
        label=DO_BETTER_QUESTION,
        help_text="Optional. Do not include anyone's name or contact details.",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=DO_BETTER_MAX,
        error_messages={"max_length": f"What we could have done better must be {DO_BETTER_MAX:,} characters or fewer"},
    )

    def __init__(self, *args: Any, landlord_name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["satisfaction"].label = tp12_question(landlord_name)
        self.helper = _helper(
            Field.radios("satisfaction", legend_size=Size.MEDIUM),
            Field.textarea("could_do_better", label_size=Size.MEDIUM, rows=5),
            submit="Send your answers",
        )
