"""The public report form's question pages (GOV.UK "question pages" via crispy-forms-gds), one form per step: the
base every page shares and the check-your-answers send button here; the pages about what happened in
`public_incident.py`, the pages about the reporter in `public_reporter.py`, the status page's in `public_status.py`.

Forms only turn what was typed into values and say what is missing or wrong in the Design System's words. Each
form knows which `ReportDetails` fields it answers (`details()`), how its answers read on check-your-answers
(`summary()`), and is given every step's saved answers (`answers`) for the few questions that depend on another
page (for example, choosing email needs an email address). The rules of a report stay in `report_submit`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from saferhomes.core.forms import DomainErrorForm, EdgeForm
from saferhomes.intake import rules

Answers = Mapping[str, Mapping[str, list[str]]]
"""Every step's saved answers: step slug -> field name -> the values posted (as request.POST.lists() gives)."""

HONEYPOT = "website_address"  # hidden from people (and assistive technology); only robots fill it in
YES_NO = [("yes", "Yes"), ("no", "No")]


def form_helper(*fields: Any, submit: str = "Continue") -> FormHelper:
    """A helper for forms whose <form> tag and CSRF token the template writes."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields, Button("submit", submit))
    return helper


def h1_radios(name: str) -> Field:
    return Field.radios(name, legend_size=Size.LARGE, legend_tag="h1")


def first_answer(answers: Answers, step: str, name: str) -> str:
    values = answers.get(step, {}).get(name) or [""]
    return str(values[0]).strip()


def choice_label(choices: Any, value: str) -> str:
    return next((str(label) for key, label in choices if str(key) == value), value)


def optional_text(*, label: str, rows: int, help_text: str = "") -> forms.CharField:
    """An optional free-text answer, as long as a report's description may be."""
    return forms.CharField(
        label=label,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        required=False,
        max_length=rules.DESCRIPTION_MAX,
        error_messages={"max_length": f"This must be {rules.DESCRIPTION_MAX:,} characters or fewer"},
    )


def question_radios(*, label: str, choices: Any, error: str, **kwargs: Any) -> forms.ChoiceField:
    """A GOV.UK radios question whose error says the same whether nothing or something unknown was sent."""
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": error, "invalid_choice": error},
        **kwargs,
    )


def reporting_anonymously(answers: Answers) -> bool:
    """Whether the reporter chose to report anonymously (then we never contact them, so never ask how)."""
    return first_answer(answers, "about-you", "anonymous") == "yes"


class StepForm(DomainErrorForm):
    """Base for every question page; `SERVICE_FIELDS` maps a ReportDetails / report_submit error key to its field."""

    # Whether the page's one question (its legend or label) is the page's <h1>.
    HEADING_IN_FORM: ClassVar[bool] = False

    def __init__(self, *args: Any, answers: Answers | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.answers: Answers = answers or {}
        self.helper = self.build_helper()

    def build_helper(self) -> FormHelper:
        return form_helper(*self.fields)

    def details(self) -> dict[str, Any]:
        """The ReportDetails fields this page answers (call after is_valid())."""
        return {}

    def summary(self) -> list[tuple[str, str]]:
        """(question, answer in words) rows for check-your-answers (call after is_valid())."""
        return []

    @classmethod
    def service_fields(cls) -> set[str]:
        """The ReportDetails / report_submit error keys this page answers."""
        return set(cls.base_fields) | set(cls.SERVICE_FIELDS)


class HoneypotMixin(EdgeForm):
    """A field people never see: anything in it means a robot filled in the form."""

    website_address = forms.CharField(
        label="Leave this blank",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_robot(self) -> bool:
        return bool(str(self.data.get(HONEYPOT, "")).strip())


# m. Check your answers ----------------------------------------------------------------------------------------


class SubmitForm(HoneypotMixin):
    """The check-your-answers page's send button (and the honeypot)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_helper(submit="Send report")
