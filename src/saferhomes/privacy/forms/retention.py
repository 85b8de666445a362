"""The DPO's retention forms: a rule's new period with a reason, a hold placed or lifted with a reason, a case left out
of a run, a run cancelled. Each is answered by a service; its DomainError lands on the fields it names."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms

from saferhomes.core.forms import DomainErrorForm

REASON_MAX = 2000


def _helper(*fields: Any, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields, Button("submit", submit))
    return helper


def _reason(label: str, help_text: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter the reason",
            "max_length": f"The reason must be {REASON_MAX} characters or fewer",
        },
    )


def _whole(label: str, what: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        error_messages={"required": f"Enter the number of {what}", "invalid": f"{label} must be a whole number"},
    )


class RuleChangeForm(DomainErrorForm):
    """Months and days after the start event, and why the period changes."""

    months = _whole("Months", "months")
    days = _whole("Days", "days")
    reason = _reason("Why is the period changing?", "For example, the landlord's retention policy was reviewed.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["months"].help_text = "72 months is 6 years. Enter 0 for a period in days only."
        self.fields["days"].help_text = "Extra days after the months. Usually 0."
        self.helper = _helper(
            Field.text("months", field_width=3),
            Field.text("days", field_width=3),
            Field.textarea("reason"),
            submit="Save the new period",
        )


class HoldPlaceForm(DomainErrorForm):
    """The case reference and why it is held."""

    case_reference = forms.CharField(
        label="Case reference",
        help_text="For example, ASB-2026-000123",
        max_length=30,
        error_messages={
            "required": "Enter the case reference",
            "max_length": "The case reference must be 30 characters or fewer",
        },
    )
    reason = _reason("Why is the case held?", "For example, a claim in the county court or a complaint to the ICO.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("case_reference", field_width=20), Field.textarea("reason"), submit="Place hold"
        )


class ReasonForm(DomainErrorForm):
    """One reason (a hold lifted, a case left out, a run cancelled)."""

    reason = _reason("Reason", "")

    def __init__(self, *args: Any, label: str, submit: str, help_text: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].help_text = help_text
        self.helper = _helper(Field.textarea("reason"), submit=submit)
