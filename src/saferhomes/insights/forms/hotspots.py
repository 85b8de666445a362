"""The hotspots page's filters (issue 18 part 3): a period, a case type, weeks or months."""

from __future__ import annotations

import datetime as dt
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from saferhomes.cases.models import CaseType
from saferhomes.core.forms import EdgeForm, GovukDateField
from saferhomes.insights.selectors.hotspots import HotspotFilters

MAX_DAYS = {"week": 2 * 366, "month": 10 * 366}  # at most ~105 weekly or ~120 monthly bars


def default_filters(today: dt.date) -> HotspotFilters:
    """The last twelve months (this one and the eleven before it), by month, every case type."""
    months = today.year * 12 + today.month - 1 - 11
    return HotspotFilters(start=dt.date(months // 12, months % 12 + 1, 1), end=today)


class HotspotFilterForm(EdgeForm):
    start = GovukDateField(label="From", required=False)
    end = GovukDateField(label="To", required=False)
    case_type = forms.ChoiceField(
        label="Case type", required=False, choices=[("", "Every case type"), *CaseType.choices]
    )
    by = forms.ChoiceField(
        label="Count by",
        required=False,
        choices=[("month", "Month"), ("week", "Week")],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Field("start", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field("end", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field.select("case_type"),
            Field.radios("by", legend_size=Size.SMALL, inline=True),
            Button("apply", "Show"),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        defaults = default_filters(self.today)
        start = data.get("start") or defaults.start
        end = data.get("end") or defaults.end
        by = data.get("by") or "month"
        if "start" in self.errors or "end" in self.errors:
            return data
        if end < start:
            self.add_error("end", "The end date must be the same as or after the start date")
        elif (end - start).days > MAX_DAYS[by]:
            limit = "2 years" if by == "week" else "10 years"
            self.add_error("end", f"Choose a period of at most {limit} when counting by {by}")
        data.update(start=start, end=end, by=by)
        return data

    def filters(self) -> HotspotFilters:
        """The filters chosen (the defaults where none were given or the answers were wrong)."""
        if self.is_bound and self.is_valid():
            data = self.cleaned_data
            return HotspotFilters(
                start=data["start"], end=data["end"], case_type=data["case_type"] or "", by=data["by"]
            )
        return default_filters(self.today)
