"""The reporter's forms after the report is sent: a diary entry on the status page, and asking for a new status link."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from crispy_forms_gds.layout import Field, Size
from django import forms
from django.utils import timezone

from saferhomes.cases.services.evidence import evidence_max_bytes, evidence_size_label, evidence_types_label
from saferhomes.core.forms import TIME_HINT, DomainErrorForm, EdgeForm, GovukDateField, TimeField, local_datetime
from saferhomes.intake import rules
from saferhomes.intake.forms.public import form_helper

# Status page --------------------------------------------------------------------------------------------------


class DiaryEntryForm(DomainErrorForm):
    """A diary entry on the status page: when, what happened, and an optional file."""

    occurred_on = GovukDateField(label="Date it happened")
    occurred_time = TimeField(label="Time it happened", required=False)
    description = forms.CharField(
        label="What happened",
        help_text="What was said or done, who was there, and how it affected you",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=rules.DESCRIPTION_MAX,
        error_messages={
            "required": "Enter what happened",
            "max_length": f"What happened must be {rules.DESCRIPTION_MAX:,} characters or fewer",
        },
    )
    file = forms.FileField(
        label="Add a photo, recording or document (optional)",
        required=False,
        error_messages={"empty": "The selected file is empty", "invalid": "Select a file"},
    )
    SERVICE_FIELDS: ClassVar[dict[str, str]] = {"occurred_at": "occurred_on"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["occurred_on"].help_text = "For example, 27 3 2026"
        self.fields["occurred_time"].help_text = f"Optional. {TIME_HINT}"
        limit = evidence_size_label(evidence_max_bytes())
        self.fields["file"].help_text = f"A {evidence_types_label()} file, smaller than {limit}"
        self.helper = form_helper(
            Field("occurred_on", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field.text("occurred_time", field_width=5),
            Field.textarea("description", rows=6, max_characters=rules.DESCRIPTION_MAX),
            Field("file"),
            submit="Add to your diary",
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        moment = self.occurred_at()
        if moment is not None and moment > timezone.now() and "occurred_on" not in self.errors:
            self.add_error("occurred_on", "The date it happened must be today or in the past")
        return cleaned

    def occurred_at(self) -> dt.datetime | None:
        day = self.cleaned_data.get("occurred_on")
        if day is None:
            return None
        return local_datetime(day, self.cleaned_data.get("occurred_time") or dt.time(0, 0))


class LinkRequestForm(EdgeForm):
    """Ask for a new status link: the report's reference and the email address given with it."""

    reference = forms.CharField(
        label="Report reference",
        help_text="For example, RPT-2026-000123",
        max_length=20,
        error_messages={
            "required": "Enter your report reference",
            "max_length": "Enter your report reference, like RPT-2026-000123",
        },
    )
    email = forms.EmailField(
        label="Email address",
        help_text="The one you gave when you reported",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": "Enter an email address in the correct format, like name@example.com",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.text("reference", field_width=20, spellcheck="false"),
            Field.text("email", autocomplete="email", spellcheck="false"),
            submit="Send me a new link",
        )
