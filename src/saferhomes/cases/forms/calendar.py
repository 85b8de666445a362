"""Forms for the working calendar pages (GOV.UK Design System via crispy-forms-gds)."""

from __future__ import annotations

import re
from datetime import time
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fluid, Layout, Size
from django import forms
from django.core.exceptions import ValidationError

from saferhomes.core.calendar import NATION_LABELS
from saferhomes.core.calendar_config import MAX_DUE_SOON_HOURS
from saferhomes.core.forms import EdgeForm, GovukDateField

TIME_PATTERN = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


def _helper(*fields: Any, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields, Button("submit", submit))
    return helper


class TwentyFourHourTimeField(forms.CharField):
    """A time typed on the 24-hour clock, like 09:00 or 17.30."""

    def __init__(self, *, label: str, **kwargs: Any) -> None:
        self.name_in_words = label.lower()
        super().__init__(
            label=label,
            max_length=5,
            help_text="Use the 24-hour clock, for example 09:00 or 17:30",
            error_messages={"required": f"Enter the {label.lower()}"},
            **kwargs,
        )

    def prepare_value(self, value: Any) -> Any:
        return f"{value:%H:%M}" if isinstance(value, time) else value

    def clean(self, value: Any) -> time:
        text = super().clean(value)
        match = TIME_PATTERN.match(text or "")
        if match is None:
            raise ValidationError(f"Enter the {self.name_in_words} in the format hh:mm, for example 09:00")
        hours, minutes = int(match.group(1)), int(match.group(2))
        if hours > 23 or minutes > 59:
            raise ValidationError(f"Enter a real {self.name_in_words}, from 00:00 to 23:59")
        return time(hours, minutes)


class CalendarSettingsForm(EdgeForm):
    """Nation, office hours and the due-soon threshold."""

    nation = forms.ChoiceField(
        label="Whose bank holidays are not working days?",
        choices=[(nation.value, label) for nation, label in NATION_LABELS.items()],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the nation whose bank holidays apply"},
    )
    office_hours_enabled = forms.TypedChoiceField(
        label="Do deadlines count only office hours?",
        choices=[
            ("no", "No, working days count from 00:00 to 24:00 (the policy's default)"),
            ("yes", "Yes, count only between opening and closing time"),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether deadlines count only office hours"},
    )
    office_opens = TwentyFourHourTimeField(label="Opening time")
    office_closes = TwentyFourHourTimeField(label="Closing time")
    due_soon_hours = forms.IntegerField(
        label="Due soon threshold, in working hours (optional)",
        required=False,
        min_value=1,
        max_value=MAX_DUE_SOON_HOURS,
        help_text=(
            "A response shows as due soon when less than this much working time is left. "
            "Leave empty for one working day."
        ),
        error_messages={
            "invalid": "Due soon threshold must be a whole number of working hours, like 8",
            "min_value": f"Due soon threshold must be between 1 and {MAX_DUE_SOON_HOURS} working hours",
            "max_value": f"Due soon threshold must be between 1 and {MAX_DUE_SOON_HOURS} working hours",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office_opens"].help_text += ". Only used when deadlines count office hours."
        self.helper = _helper(
            Field.radios("nation", legend_size=Size.MEDIUM),
            Field.radios("office_hours_enabled", legend_size=Size.MEDIUM),
            Field.text("office_opens", field_width=5),
            Field.text("office_closes", field_width=5),
            Field.text("due_soon_hours", field_width=3),
            submit="Save changes",
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        opens, closes = cleaned.get("office_opens"), cleaned.get("office_closes")
        if opens is not None and closes is not None and not opens < closes:
            self.add_error("office_closes", "Closing time must be later than opening time")
        return cleaned


class ClosureDayForm(EdgeForm):
    """A day the landlord is closed."""

    day = GovukDateField(label="Closure date", required_message="Enter the closure date")
    reason = forms.CharField(
        label="Why is the office closed?",
        max_length=200,
        help_text="For example, Christmas shutdown",
        error_messages={
            "required": "Enter why the office is closed",
            "max_length": "Reason must be 200 characters or fewer",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["day"].help_text = "For example, 29 12 2026"
        self.helper = _helper(
            Field("day", context={"legend_size": Size.for_legend(Size.MEDIUM)}),
            Field.text("reason", field_width=Fluid.TWO_THIRDS),
            submit="Add closure day",
        )
