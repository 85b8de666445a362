"""The public report form's question pages (GOV.UK "question pages" via crispy-forms-gds), one form per step.

Forms only turn what was typed into values and say what is missing or wrong in the Design System's words. Each
form knows which `ReportDetails` fields it answers (`details()`), how its answers read on check-your-answers
(`summary()`), and is given every step's saved answers (`answers`) for the few questions that depend on another
page (for example, choosing email needs an email address). The rules of a report stay in `report_submit`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any, ClassVar

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Button, Field, Layout, Size
from django import forms
from django.utils import timezone

from saferhomes.cases.models import ContactMethod, HateStrand
from saferhomes.cases.services.evidence import evidence_max_bytes, evidence_size_label, evidence_types_label
from saferhomes.core.forms import TIME_HINT, GovukDateField, TimeField, local_datetime
from saferhomes.housing import rules as housing_rules
from saferhomes.housing.models import PreferredFormat, Property
from saferhomes.intake import rules
from saferhomes.intake.models import ConsentToShare, Frequency, ReporterRelationship, UrgencyReason

Answers = Mapping[str, Mapping[str, list[str]]]
"""Every step's saved answers: step slug -> field name -> the values posted (as request.POST.lists() gives)."""

HONEYPOT = "website_address"  # hidden from people (and assistive technology); only robots fill it in
YES_NO = [("yes", "Yes"), ("no", "No")]
NONE_OF_THESE = "none"
PHONE = re.compile(r"\+?[0-9 ()-]{7,20}")
# The public form offers the ways of contact a reporter can choose from home; staff arrange visits and video.
PUBLIC_CONTACT_METHODS = [ContactMethod.EMAIL, ContactMethod.PHONE, ContactMethod.TEXT, ContactMethod.LETTER]
CONTACT_METHOD_LABELS = {
    ContactMethod.EMAIL: "Email",
    ContactMethod.PHONE: "Phone call",
    ContactMethod.TEXT: "Text message",
    ContactMethod.LETTER: "Letter",
}
# The urgency questions of DESIGN.md §4.1 in the reporter's words (hate and domestic abuse follow from the problem).
URGENCY_CHOICES = [
    Choice(UrgencyReason.VIOLENCE, "Someone has been hurt, or threatened with violence"),
    Choice(UrgencyReason.DAMAGE, "Damage is being done now, or keeps being done"),
    Choice(
        UrgencyReason.VULNERABLE,
        "Someone affected is vulnerable",
        hint="For example, because of a disability, illness or their age, or because they are a child",
    ),
    Choice(UrgencyReason.DANGER, "Someone feels unsafe in their home", divider="or"),
    Choice(NONE_OF_THESE, "None of these"),
]
HATE_STRAND_WORDS = {
    HateStrand.DISABILITY: "Their disability",
    HateStrand.RACE: "Their race, skin colour, nationality or ethnicity",
    HateStrand.RELIGION: "Their religion or beliefs",
    HateStrand.SEXUAL_ORIENTATION: "Their sexual orientation (for example, being gay, lesbian or bisexual)",
    HateStrand.TRANSGENDER: "Being transgender",
    HateStrand.OTHER: "Something else about who they are",
}
PEOPLE_KNOWN = [
    ("yes", "Yes, I know who it was"),
    ("no", "No, I do not know who it was"),
    ("dont_know", "I'm not sure"),
]
OLDEST_DATE_YEARS = 100
# After "What is happening?": crimes can also go to the police (101) or Crimestoppers, anonymously.
CRIME_HELP = """
<div class="govuk-inset-text" id="crime-help">
  <p class="govuk-body">If a crime has been committed, you can also tell the police by calling
  <span class="saferhomes-phone">101</span>, or report it anonymously to Crimestoppers on
  <span class="saferhomes-phone">0800 555 111</span>. If it is happening now, call
  <span class="saferhomes-phone">999</span>.</p>
  <p class="govuk-body">Telling us does not report it to the police, but we pass on crimes we are told about.</p>
</div>
"""


def _helper(*fields: Any, submit: str = "Continue") -> FormHelper:
    """A helper for forms whose <form> tag and CSRF token the template writes."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields, Button("submit", submit))
    return helper


def _h1_radios(name: str) -> Field:
    return Field.radios(name, legend_size=Size.LARGE, legend_tag="h1")


def _first(answers: Answers, step: str, name: str) -> str:
    values = answers.get(step, {}).get(name) or [""]
    return str(values[0]).strip()


def _choice_label(choices: Any, value: str) -> str:
    return next((str(label) for key, label in choices if str(key) == value), value)


def _optional_text(*, label: str, rows: int, help_text: str = "") -> forms.CharField:
    """An optional free-text answer, as long as a report's description may be."""
    return forms.CharField(
        label=label,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        required=False,
        max_length=rules.DESCRIPTION_MAX,
        error_messages={"max_length": f"This must be {rules.DESCRIPTION_MAX:,} characters or fewer"},
    )


def _radios(*, label: str, choices: Any, error: str, **kwargs: Any) -> forms.ChoiceField:
    """A GOV.UK radios question whose error says the same whether nothing or something unknown was sent."""
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": error, "invalid_choice": error},
        **kwargs,
    )


class StepForm(forms.Form):
    """Base for every question page."""

    # Service field (ReportDetails / report_submit error key) -> this form's field, where they differ.
    SERVICE_FIELDS: ClassVar[dict[str, str]] = {}
    # Whether the page's one question (its legend or label) is the page's <h1>.
    HEADING_IN_FORM: ClassVar[bool] = False

    def __init__(self, *args: Any, answers: Answers | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.answers: Answers = answers or {}
        self.helper = self.build_helper()

    def build_helper(self) -> FormHelper:
        return _helper(*self.fields)

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


class HoneypotMixin(forms.Form):
    """A field people never see: anything in it means a robot filled in the form."""

    website_address = forms.CharField(
        label="Leave this blank",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_robot(self) -> bool:
        return bool(str(self.data.get(HONEYPOT, "")).strip())


# a. Safety ----------------------------------------------------------------------------------------------------


class SafetyForm(HoneypotMixin, StepForm):
    """Is anyone in immediate danger right now?"""

    HEADING_IN_FORM = True

    danger_now = _radios(
        label="Is anyone in immediate danger right now?",
        help_text="For example, someone is being hurt or threatened, or a crime is happening now",
        choices=YES_NO,
        error="Select yes if anyone is in immediate danger right now",
    )

    def build_helper(self) -> FormHelper:
        return _helper(_h1_radios("danger_now"))

    def details(self) -> dict[str, Any]:
        return {"danger_now": self.cleaned_data["danger_now"] == "yes"}

    def summary(self) -> list[tuple[str, str]]:
        return [("Anyone in immediate danger", "Yes" if self.cleaned_data["danger_now"] == "yes" else "No")]


# b. What is happening -----------------------------------------------------------------------------------------


class ProblemForm(StepForm):
    """What is happening? (intake.rules.PROBLEMS, in plain words)."""

    HEADING_IN_FORM = True

    problem = forms.ChoiceField(
        label="What is happening?",
        help_text="Choose the one that fits best. You can tell us more on the next pages.",
        choices=[Choice(p.key, p.label, hint=p.hint) if p.hint else Choice(p.key, p.label) for p in rules.PROBLEMS],
        widget=forms.RadioSelect,
        error_messages={"required": "Select what is happening", "invalid_choice": "Select what is happening"},
    )
    SERVICE_FIELDS: ClassVar[dict[str, str]] = {"case_type": "problem", "sub_types": "problem"}

    def build_helper(self) -> FormHelper:
        return _helper(_h1_radios("problem"), HTML(CRIME_HELP))

    def details(self) -> dict[str, Any]:
        return {"problem": self.cleaned_data["problem"]}

    def summary(self) -> list[tuple[str, str]]:
        return [("What is happening", rules.PROBLEMS_BY_KEY[self.cleaned_data["problem"]].label)]


class HateForm(StepForm):
    """Why do you think they were targeted? (hate strands, in plain words)."""

    HEADING_IN_FORM = True

    hate_strands = forms.MultipleChoiceField(
        label="Why do you think they were targeted?",
        help_text="Select all that apply",
        choices=[(value, HATE_STRAND_WORDS[HateStrand(value)]) for value in HateStrand.values],
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select why you think they were targeted, or 'Something else about who they are'",
            "invalid_choice": "Select why you think they were targeted from the list",
        },
    )
    hate_other = forms.CharField(
        label="If something else, tell us what",
        required=False,
        max_length=rules.TEXT_MAX,
        error_messages={"max_length": f"What else must be {rules.TEXT_MAX} characters or fewer"},
    )

    def build_helper(self) -> FormHelper:
        return _helper(
            Field.checkboxes("hate_strands", legend_size=Size.LARGE, legend_tag="h1"), Field.text("hate_other")
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if HateStrand.OTHER in cleaned.get("hate_strands", []) and not cleaned.get("hate_other", "").strip():
            self.add_error("hate_other", "Tell us what else about who they are made them a target")
        return cleaned

    def details(self) -> dict[str, Any]:
        return {"hate_strands": tuple(self.cleaned_data["hate_strands"])}

    def extra_description(self) -> str:
        other = self.cleaned_data.get("hate_other", "").strip()
        return f"Targeted because of: {other}" if other else ""

    def summary(self) -> list[tuple[str, str]]:
        words = [HATE_STRAND_WORDS[HateStrand(value)] for value in self.cleaned_data["hate_strands"]]
        if self.cleaned_data.get("hate_other"):
            words.append(self.cleaned_data["hate_other"])
        return [("Why they were targeted", "; ".join(words))]


# c. What happened ---------------------------------------------------------------------------------------------


class DescriptionForm(StepForm):
    """What happened, in their words."""

    HEADING_IN_FORM = True

    description = forms.CharField(
        label="Tell us what happened",
        help_text="Include what was said or done, and who it affects. Do not worry about getting it perfect.",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=rules.DESCRIPTION_MAX,
        error_messages={
            "required": "Enter what happened",
            "max_length": f"What happened must be {rules.DESCRIPTION_MAX:,} characters or fewer",
        },
    )

    def build_helper(self) -> FormHelper:
        return _helper(
            Field.textarea(
                "description", label_size=Size.LARGE, label_tag="h1", rows=8, max_characters=rules.DESCRIPTION_MAX
            )
        )

    def details(self) -> dict[str, Any]:
        return {"description": self.cleaned_data["description"]}

    def summary(self) -> list[tuple[str, str]]:
        return [("What happened", self.cleaned_data["description"])]


# d. When and how often ----------------------------------------------------------------------------------------


class WhenForm(StepForm):
    """When it happened (a date and time, or roughly when) and how often."""

    occurred_on = GovukDateField(label="Date it happened", required=False)
    occurred_time = TimeField(label="Time it happened", required=False)
    occurred_text = forms.CharField(
        label="If you do not know the exact date, tell us roughly when",
        help_text="For example, most evenings since March, or last weekend",
        required=False,
        max_length=rules.TEXT_MAX,
        error_messages={"max_length": f"Roughly when must be {rules.TEXT_MAX} characters or fewer"},
    )
    frequency = forms.ChoiceField(
        label="How often does it happen?",
        choices=Frequency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how often it happens", "invalid_choice": "Select how often it happens"},
    )
    SERVICE_FIELDS: ClassVar[dict[str, str]] = {"occurred_at": "occurred_on"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["occurred_on"].help_text = "If it happened more than once, the latest time. For example, 27 3 2026"
        self.fields["occurred_time"].help_text = f"Optional. {TIME_HINT}"

    def build_helper(self) -> FormHelper:
        return _helper(
            Field("occurred_on", context={"legend_size": Size.for_legend(Size.MEDIUM)}),
            Field.text("occurred_time", field_width=5),
            Field.text("occurred_text"),
            Field.radios("frequency", legend_size=Size.MEDIUM),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day: dt.date | None = cleaned.get("occurred_on")
        if "occurred_on" in self.errors:
            return cleaned
        if day is None:
            if cleaned.get("occurred_time") and "occurred_time" not in self.errors:
                self.add_error("occurred_on", "Enter the date it happened as well as the time")
            elif not cleaned.get("occurred_text", "").strip() and "occurred_text" not in self.errors:
                self.add_error("occurred_on", "Enter the date it happened, or tell us roughly when")
            return cleaned
        today = timezone.localdate()
        if day > today:
            self.add_error("occurred_on", "The date it happened must be today or in the past")
        elif day.year < today.year - OLDEST_DATE_YEARS:
            self.add_error("occurred_on", f"The date it happened must be in the last {OLDEST_DATE_YEARS} years")
        else:
            moment = self.occurred_at()
            if moment is not None and moment > timezone.now():
                self.add_error("occurred_time", "The time it happened must be now or in the past")
        return cleaned

    def occurred_at(self) -> dt.datetime | None:
        day = self.cleaned_data.get("occurred_on")
        if day is None:
            return None
        return local_datetime(day, self.cleaned_data.get("occurred_time") or dt.time(0, 0))

    def details(self) -> dict[str, Any]:
        return {
            "occurred_at": self.occurred_at(),
            "occurred_text": self.cleaned_data.get("occurred_text", ""),
            "frequency": self.cleaned_data["frequency"],
        }

    def summary(self) -> list[tuple[str, str]]:
        day, time = self.cleaned_data.get("occurred_on"), self.cleaned_data.get("occurred_time")
        when = [f"{day.day} {day:%B %Y}" if day else "", f"at {time:%H:%M}" if time else ""]
        when.append(self.cleaned_data.get("occurred_text", ""))
        return [
            ("When it happened", " ".join(part for part in when if part)),
            ("How often", _choice_label(Frequency.choices, self.cleaned_data["frequency"])),
        ]


# e. Where -----------------------------------------------------------------------------------------------------


class WhereForm(StepForm):
    """Where it happened: at or near one of our homes (address and postcode), or somewhere else."""

    at_home = _radios(
        label="Did it happen at or near one of our homes?",
        choices=[("yes", "Yes"), ("no", "No, somewhere else"), ("dont_know", "I'm not sure")],
        error="Select whether it happened at or near one of our homes",
    )
    address_line = forms.CharField(
        label="Address (building and street)",
        help_text="If it happened at or near a home",
        required=False,
        max_length=150,
        error_messages={"max_length": "The address must be 150 characters or fewer"},
    )
    address_postcode = forms.CharField(
        label="Postcode",
        required=False,
        max_length=10,
        error_messages={"max_length": "Enter a real postcode, like AA1 1AA"},
    )
    location_text = forms.CharField(
        label="Where exactly?",
        help_text="For example, the stairwell of block B, or the car park behind the shops",
        required=False,
        max_length=rules.TEXT_MAX,
        error_messages={"max_length": f"Where exactly must be {rules.TEXT_MAX} characters or fewer"},
    )
    SERVICE_FIELDS: ClassVar[dict[str, str]] = {"home": "address_line"}

    def build_helper(self) -> FormHelper:
        return _helper(
            Field.radios("at_home", legend_size=Size.MEDIUM),
            Field.text("address_line", autocomplete="address-line1"),
            Field.text("address_postcode", field_width=10, autocomplete="postal-code"),
            Field.text("location_text"),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        postcode = cleaned.get("address_postcode", "").strip()
        if postcode:
            if housing_rules.is_uk_postcode(postcode):
                cleaned["address_postcode"] = housing_rules.normalise_postcode(postcode)
            else:
                self.add_error("address_postcode", "Enter a real postcode, like AA1 1AA")
        if cleaned.get("at_home") == "yes":
            if not cleaned.get("address_line", "").strip() and "address_line" not in self.errors:
                self.add_error("address_line", "Enter the address of the home")
            if not postcode and "address_postcode" not in self.errors:
                self.add_error("address_postcode", "Enter the postcode of the home")
        elif cleaned.get("at_home") and not any(
            cleaned.get(name, "").strip() for name in ("address_line", "address_postcode", "location_text")
        ):
            self.add_error("location_text", "Enter where it happened")
        return cleaned

    def home(self) -> Property | None:
        """One of our homes, matched on postcode and the first line of the address, when it is one."""
        line = self.cleaned_data.get("address_line", "").strip()
        postcode = self.cleaned_data.get("address_postcode", "")
        if not line or not postcode:
            return None
        return Property.objects.filter(postcode=postcode, address_line_1__iexact=line).first()

    def details(self) -> dict[str, Any]:
        home = self.home()
        parts = [self.cleaned_data.get("location_text", "").strip()]
        if home is None:
            parts = [self.cleaned_data.get("address_line", "").strip(), self.cleaned_data.get("address_postcode", "")]
            parts.append(self.cleaned_data.get("location_text", "").strip())
        return {"home": home, "location_text": ", ".join(part for part in parts if part)[: rules.TEXT_MAX]}

    def summary(self) -> list[tuple[str, str]]:
        parts = [self.cleaned_data.get(name, "").strip() for name in ("address_line", "address_postcode")]
        parts.append(self.cleaned_data.get("location_text", "").strip())
        at_home = _choice_label(self.fields["at_home"].choices, self.cleaned_data["at_home"])  # type: ignore[attr-defined]
        return [
            ("At or near one of our homes", at_home),
            ("Where", ", ".join(part for part in parts if part) or "Not given"),
        ]


# f. Who -------------------------------------------------------------------------------------------------------


class WhoForm(StepForm):
    """Who was involved (optional)."""

    people_known = _radios(
        label="Do you know who was involved?",
        choices=PEOPLE_KNOWN,
        error="Select whether you know who was involved",
    )
    people_involved = _optional_text(
        label="Tell us about them (optional)",
        help_text="Names, what they look like, where they live or anything else that helps us know who they are",
        rows=4,
    )

    def build_helper(self) -> FormHelper:
        return _helper(Field.radios("people_known", legend_size=Size.MEDIUM), Field.textarea("people_involved", rows=4))

    def details(self) -> dict[str, Any]:
        return {
            "people_known": self.cleaned_data["people_known"],
            "people_involved": self.cleaned_data.get("people_involved", ""),
        }

    def summary(self) -> list[tuple[str, str]]:
        return [
            ("Know who was involved", _choice_label(PEOPLE_KNOWN, self.cleaned_data["people_known"])),
            ("About them", self.cleaned_data.get("people_involved", "") or "Not given"),
        ]


# g. Impact and urgency ----------------------------------------------------------------------------------------


class ImpactForm(StepForm):
    """The urgency answers (DESIGN.md §4.1) and how it affects them."""

    HEADING_IN_FORM = True

    urgency = forms.MultipleChoiceField(
        label="Do any of these apply?",
        help_text="Select all that apply. We deal with these reports first.",
        choices=URGENCY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select all that apply, or 'None of these'",
            "invalid_choice": "Select from the list",
        },
    )
    impact = _optional_text(
        label="How is it affecting you or the people involved? (optional)",
        rows=4,
    )
    SERVICE_FIELDS: ClassVar[dict[str, str]] = {"urgency_answers": "urgency"}

    def build_helper(self) -> FormHelper:
        return _helper(Field.checkboxes("urgency", legend_size=Size.LARGE, legend_tag="h1"), Field.textarea("impact"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chosen = cleaned.get("urgency", [])
        if NONE_OF_THESE in chosen and len(chosen) > 1:
            self.add_error("urgency", "Select 'None of these' on its own, or the answers that apply")
        return cleaned

    def details(self) -> dict[str, Any]:
        chosen = set(self.cleaned_data["urgency"])
        reasons = [UrgencyReason.VIOLENCE, UrgencyReason.DAMAGE, UrgencyReason.VULNERABLE, UrgencyReason.DANGER]
        return {
            "urgency_answers": {str(reason): reason in chosen for reason in reasons},
            "impact": self.cleaned_data.get("impact", ""),
        }

    def summary(self) -> list[tuple[str, str]]:
        labels = [_choice_label(URGENCY_CHOICES, value) for value in self.cleaned_data["urgency"]]
        return [
            ("Do any of these apply", "; ".join(labels)),
            ("How it is affecting you", self.cleaned_data.get("impact", "") or "Not given"),
        ]


# h. Evidence --------------------------------------------------------------------------------------------------


class EvidenceUploadForm(forms.Form):
    """One file at a time (optional); the type is checked from its content when it is stored."""

    file = forms.FileField(
        label="Upload a file",
        required=False,
        error_messages={"empty": "The selected file is empty", "invalid": "Select a file"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = evidence_size_label(evidence_max_bytes())
        self.fields["file"].help_text = f"A {evidence_types_label()} file, smaller than {limit}"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(Field("file"), Button("upload", "Upload file", css_class="govuk-button--secondary"))


# i. About you -------------------------------------------------------------------------------------------------


class AboutYouForm(StepForm):
    """Who it happened to, and whether they want to give their name."""

    relationship = forms.ChoiceField(
        label="Who did it happen to?",
        choices=ReporterRelationship.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who it happened to", "invalid_choice": "Select who it happened to"},
    )
    on_behalf_name = forms.CharField(
        label="If you are reporting for someone else, their name",
        required=False,
        max_length=200,
        error_messages={"max_length": "Their name must be 200 characters or fewer"},
    )
    on_behalf_consent = forms.BooleanField(
        label="They have agreed to me reporting this for them",
        required=False,
    )
    anonymous = _radios(
        label="Do you want to report anonymously?",
        help_text="If you do, we will not ask for your name or contact details, and we cannot tell you what we "
        "have done. We may not be able to take some kinds of action without a witness.",
        choices=[("no", "No, I will give my name"), ("yes", "Yes, report anonymously")],
        error="Select whether you want to report anonymously",
    )

    def build_helper(self) -> FormHelper:
        return _helper(
            Field.radios("relationship", legend_size=Size.MEDIUM),
            Field.text("on_behalf_name", autocomplete="off"),
            Field.checkbox("on_behalf_consent"),
            Field.radios("anonymous", legend_size=Size.MEDIUM),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("relationship") == ReporterRelationship.ON_BEHALF:
            if not cleaned.get("on_behalf_name", "").strip() and "on_behalf_name" not in self.errors:
                self.add_error("on_behalf_name", "Enter the name of the person you are reporting for")
            if not cleaned.get("on_behalf_consent"):
                self.add_error(
                    "on_behalf_consent", "You can only report for someone else if they have agreed. Select the box."
                )
        return cleaned

    def details(self) -> dict[str, Any]:
        on_behalf = self.cleaned_data["relationship"] == ReporterRelationship.ON_BEHALF
        return {
            "relationship": self.cleaned_data["relationship"],
            "on_behalf_name": self.cleaned_data.get("on_behalf_name", "") if on_behalf else "",
            "on_behalf_consent": bool(self.cleaned_data.get("on_behalf_consent")) and on_behalf,
            "anonymous": self.cleaned_data["anonymous"] == "yes",
        }

    def summary(self) -> list[tuple[str, str]]:
        who = _choice_label(ReporterRelationship.choices, self.cleaned_data["relationship"])
        if self.cleaned_data["relationship"] == ReporterRelationship.ON_BEHALF:
            who = f"{who}: {self.cleaned_data.get('on_behalf_name', '')} (they agreed)"
        return [("Who it happened to", who), ("Anonymous", "Yes" if self.cleaned_data["anonymous"] == "yes" else "No")]


class YourDetailsForm(StepForm):
    """Name and contact details (skipped for anonymous reports)."""

    first_name = forms.CharField(label="First name", required=False, max_length=100)
    last_name = forms.CharField(label="Last name", required=False, max_length=100)
    email = forms.CharField(
        label="Email address (optional)",
        help_text="We will send your reference and a private link to follow your report, if you say email is safe",
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"spellcheck": "false"}),
        error_messages={"max_length": "Enter an email address in the correct format, like name@example.com"},
    )
    phone = forms.CharField(
        label="Phone number (optional)",
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel"}),
        error_messages={"max_length": "Enter a phone number, like 01632 960 001 or 07700 900 982"},
    )
    address = forms.CharField(
        label="Your address (optional)",
        required=False,
        max_length=rules.TEXT_MAX,
        error_messages={"max_length": f"Your address must be {rules.TEXT_MAX} characters or fewer"},
    )
    postcode = forms.CharField(
        label="Your postcode (optional)",
        required=False,
        max_length=10,
        error_messages={"max_length": "Enter a real postcode, like AA1 1AA"},
    )

    def build_helper(self) -> FormHelper:
        return _helper(
            Field.text("first_name", field_width=20, autocomplete="given-name", spellcheck="false"),
            Field.text("last_name", field_width=20, autocomplete="family-name", spellcheck="false"),
            Field.text("email", autocomplete="email"),
            Field.text("phone", field_width=20, autocomplete="tel"),
            Field.text("address", autocomplete="street-address"),
            Field.text("postcode", field_width=10, autocomplete="postal-code"),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        named = cleaned.get("first_name", "").strip() or cleaned.get("last_name", "").strip()
        if not named and "first_name" not in self.errors and "last_name" not in self.errors:
            self.add_error("first_name", "Enter your name, or go back and choose to report anonymously")
        email = cleaned.get("email", "").strip()
        if email and "email" not in self.errors:
            field = forms.EmailField()
            try:
                cleaned["email"] = field.clean(email)
            except forms.ValidationError:
                self.add_error("email", "Enter an email address in the correct format, like name@example.com")
        phone = cleaned.get("phone", "").strip()
        if phone and not PHONE.fullmatch(phone):
            self.add_error("phone", "Enter a phone number, like 01632 960 001 or 07700 900 982")
        postcode = cleaned.get("postcode", "").strip()
        if postcode:
            if housing_rules.is_uk_postcode(postcode):
                cleaned["postcode"] = housing_rules.normalise_postcode(postcode)
            else:
                self.add_error("postcode", "Enter a real postcode, like AA1 1AA")
        return cleaned

    def details(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name, "") for name in self.base_fields}

    def summary(self) -> list[tuple[str, str]]:
        name = " ".join(self.cleaned_data.get(part, "") for part in ("first_name", "last_name")).strip()
        rows = [("Name", name)]
        for field, label in (("email", "Email"), ("phone", "Phone"), ("address", "Address"), ("postcode", "Postcode")):
            rows.append((label, self.cleaned_data.get(field, "") or "Not given"))
        return rows


# j. Safe contact ----------------------------------------------------------------------------------------------


class ContactForm(StepForm):
    """How and when it is safe to contact them, and anything we must avoid (skipped for anonymous reports)."""

    HEADING_IN_FORM = True

    contact_methods = forms.MultipleChoiceField(
        label="How is it safe for us to contact you?",
        help_text="Select all that apply",
        choices=[(method.value, CONTACT_METHOD_LABELS[method]) for method in PUBLIC_CONTACT_METHODS],
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one safe way to contact you",
            "invalid_choice": "Select how we may contact you from the list",
        },
    )
    safe_times = forms.CharField(
        label="When is it safe to contact you? (optional)",
        help_text="For example, weekdays after 6pm",
        required=False,
        max_length=rules.TEXT_MAX,
        error_messages={"max_length": f"This must be {rules.TEXT_MAX} characters or fewer"},
    )
    safe_contact_notes = _optional_text(
        label="Is there anything we must do or avoid when we contact you? (optional)",
        help_text="For example, do not leave voicemail, or someone else reads my post",
        rows=3,
    )

    def build_helper(self) -> FormHelper:
        return _helper(
            Field.checkboxes("contact_methods", legend_size=Size.LARGE, legend_tag="h1"),
            Field.text("safe_times"),
            Field.textarea("safe_contact_notes", rows=3),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chosen = cleaned.get("contact_methods", [])
        needs = {
            ContactMethod.EMAIL: ("email", "an email address"),
            ContactMethod.PHONE: ("phone", "a phone number"),
            ContactMethod.TEXT: ("phone", "a mobile phone number"),
            ContactMethod.LETTER: ("address", "an address"),
        }
        for method in chosen:
            field, words = needs[ContactMethod(method)]
            if not _first(self.answers, "your-details", field):
                label = CONTACT_METHOD_LABELS[ContactMethod(method)].lower()
                self.add_error(
                    "contact_methods",
                    f"You chose {label} but did not give {words}. Go back and add it, or choose another way",
                )
        return cleaned

    def details(self) -> dict[str, Any]:
        return {
            "contact_methods": tuple(self.cleaned_data["contact_methods"]),
            "safe_times": self.cleaned_data.get("safe_times", ""),
            "safe_contact_notes": self.cleaned_data.get("safe_contact_notes", ""),
        }

    def summary(self) -> list[tuple[str, str]]:
        methods = [CONTACT_METHOD_LABELS[ContactMethod(m)] for m in self.cleaned_data["contact_methods"]]
        return [
            ("Safe ways to contact you", ", ".join(methods)),
            ("Safe times", self.cleaned_data.get("safe_times", "") or "Not given"),
            ("Anything we must do or avoid", self.cleaned_data.get("safe_contact_notes", "") or "Not given"),
        ]


# k. Accessibility ---------------------------------------------------------------------------------------------


class AccessibilityForm(StepForm):
    """Accessibility needs, reasonable adjustments, language and format (all optional)."""

    accessibility_needs = _optional_text(
        label="Do you have any access needs we should know about? (optional)",
        help_text="For example, a disability or health condition that affects how we should talk to you",
        rows=3,
    )
    reasonable_adjustments = _optional_text(
        label="Is there anything we can do to make it easier for you? (optional)",
        help_text="For example, an interpreter, meeting somewhere you feel safe, or someone to speak for you",
        rows=3,
    )
    preferred_language = forms.CharField(
        label="Which language would you like us to use? (optional)",
        required=False,
        max_length=60,
        error_messages={"max_length": "The language must be 60 characters or fewer"},
    )
    preferred_format = forms.ChoiceField(
        label="How would you like letters and information from us? (optional)",
        choices=PreferredFormat.choices,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Select a format from the list"},
    )

    def build_helper(self) -> FormHelper:
        return _helper(
            Field.textarea("accessibility_needs", rows=3),
            Field.textarea("reasonable_adjustments", rows=3),
            Field.text("preferred_language", field_width=20),
            Field.radios("preferred_format", legend_size=Size.SMALL, small=True),
        )

    def details(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name, "") for name in self.base_fields}

    def summary(self) -> list[tuple[str, str]]:
        fmt = self.cleaned_data.get("preferred_format", "")
        return [
            ("Access needs", self.cleaned_data.get("accessibility_needs", "") or "None given"),
            ("What would make it easier", self.cleaned_data.get("reasonable_adjustments", "") or "None given"),
            ("Language", self.cleaned_data.get("preferred_language", "") or "Not given"),
            ("Format", _choice_label(PreferredFormat.choices, fmt) if fmt else "Not given"),
        ]


# l. Consent ---------------------------------------------------------------------------------------------------


class ConsentForm(StepForm):
    """Consent to share with partners, with a plain explanation."""

    HEADING_IN_FORM = True

    consent_to_share = _radios(
        label="Can we share what you have told us with organisations that can help?",
        help_text="For example, the police, the council or a support service. We only share what they need to "
        "help, and we never tell the person you reported who you are without your permission. If someone is at "
        "risk of serious harm, the law may mean we have to share it anyway.",
        choices=ConsentToShare.choices,
        error="Select whether we can share what you have told us",
    )

    def build_helper(self) -> FormHelper:
        return _helper(_h1_radios("consent_to_share"))

    def details(self) -> dict[str, Any]:
        return {"consent_to_share": self.cleaned_data["consent_to_share"]}

    def summary(self) -> list[tuple[str, str]]:
        value = self.cleaned_data["consent_to_share"]
        return [("Share with organisations that can help", _choice_label(ConsentToShare.choices, value))]


# m. Check your answers ----------------------------------------------------------------------------------------


class SubmitForm(HoneypotMixin, forms.Form):
    """The check-your-answers page's send button (and the honeypot)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(submit="Send report")


# Status page --------------------------------------------------------------------------------------------------


class DiaryEntryForm(forms.Form):
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
        self.helper = _helper(
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


class LinkRequestForm(forms.Form):
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
        self.helper = _helper(
            Field.text("reference", field_width=20, spellcheck="false"),
            Field.text("email", autocomplete="email", spellcheck="false"),
            submit="Send me a new link",
        )
