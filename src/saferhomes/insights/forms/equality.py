"""Equality monitoring forms (issue 18 part 5): one party's optional answers, each with "prefer not to say"; and the
equality report's choice of question, people and period."""

from __future__ import annotations

import datetime as dt
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from saferhomes.core.forms import DomainErrorForm, EdgeForm, GovukDateField
from saferhomes.insights.selectors.equality import QUESTIONS, ROLE_GROUPS

NOT_ASKED = ("", "Not asked or not answered")


class EqualityAnswersForm(DomainErrorForm):
    """Every question optional; "Not asked or not answered" differs from "Prefer not to say" (they were asked)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, (question, choices) in QUESTIONS.items():
            self.fields[name] = forms.ChoiceField(
                label=question, required=False, choices=[NOT_ASKED, *choices.choices], widget=forms.RadioSelect
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            *[Field.radios(name, legend_size=Size.SMALL, small=True) for name in QUESTIONS], Button("submit", "Save")
        )


class EqualityReportForm(EdgeForm):
    question = forms.ChoiceField(
        label="Question", required=False, choices=[(key, label) for key, (label, _) in QUESTIONS.items()]
    )
    people = forms.ChoiceField(
        label="Whose answers", required=False, choices=[(key, label) for key, (label, _) in ROLE_GROUPS.items()]
    )
    start = GovukDateField(label="Closed from", required=False)
    end = GovukDateField(label="Closed to", required=False)

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Field.select("question"),
            Field.select("people"),
            Field("start", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field("end", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Button("apply", "Show"),
        )

    def choice(self) -> tuple[str, str, dt.date, dt.date]:
        """(question, people, start, end): the defaults (ethnic group, victims, the last 12 months) where unset."""
        start, end = self.today - dt.timedelta(days=365), self.today
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        start = data.get("start") or start
        end = data.get("end") or end
        if end < start:
            start, end = end, start
        return (data.get("question") or "ethnic_group", data.get("people") or "victims", start, end)


class CaseReferenceForm(EdgeForm):
    reference = forms.CharField(label="Case reference", max_length=20, help_text="For example, ASB-2026-000123.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(Field.text("reference", field_width=20), Button("find", "Find the case"))
