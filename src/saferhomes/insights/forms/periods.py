"""The month and year pickers of the performance pages (GET forms: a bad value is an error on the field)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms

from saferhomes.core.errors import DomainError
from saferhomes.core.forms import DomainErrorForm
from saferhomes.insights import rules


class MonthForm(DomainErrorForm):
    month = forms.CharField(
        label="Month",
        help_text="As year and month, for example 2026-10",
        error_messages={"required": "Enter a month as YYYY-MM, for example 2026-10"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(Field.text("month", field_width=10), Button("show", "Show this month"))

    def clean_month(self) -> dt.date:
        try:
            return rules.parse_month(self.cleaned_data["month"])
        except DomainError as error:
            raise forms.ValidationError(error.field_errors["month"]) from None


class YearForm(DomainErrorForm):
    year = forms.CharField(
        label="Year starting 1 April",
        help_text="The TSM year runs from 1 April to 31 March: enter 2026 for April 2026 to March 2027",
        error_messages={"required": "Enter the year the TSM year starts in, for example 2026"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(Field.text("year", field_width=4), Button("show", "Show this year"))

    def clean_year(self) -> int:
        try:
            return rules.parse_year(self.cleaned_data["year"])
        except DomainError as error:
            raise forms.ValidationError(error.field_errors["year"]) from None
