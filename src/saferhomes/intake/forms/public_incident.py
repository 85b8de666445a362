"""The public report form's pages about what happened (steps a to h): danger, what, hate, description, when,
where, who, impact and urgency, and the evidence upload. Shared plumbing is in `forms/public.py`."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Button, Field, Layout, Size
from django import forms
from django.utils import timezone

from saferhomes.cases.models import HateStrand
from saferhomes.cases.services.evidence import evidence_max_bytes, evidence_size_label, evidence_types_label
from saferhomes.core.forms import TIME_HINT, DomainErrorForm, GovukDateField, TimeField, local_datetime
from saferhomes.housing import rules as housing_rules
from saferhomes.housing.models import Property
from saferhomes.housing.selectors import property_at_address
from saferhomes.intake import rules
from saferhomes.intake.forms.public import (
    YES_NO,
    HoneypotMixin,
    StepForm,
    choice_label,
    form_helper,
    h1_radios,
    optional_text,
    question_radios,
)
from saferhomes.intake.models import Frequency, UrgencyReason

NONE_OF_THESE = "none"
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


# a. Safety ----------------------------------------------------------------------------------------------------


class SafetyForm(HoneypotMixin, StepForm):
    """Is anyone in immediate danger right now?"""

    HEADING_IN_FORM = True

    danger_now = question_radios(
        label="Is anyone in immediate danger right now?",
        help_text="For example, someone is being hurt or threatened, or a crime is happening now",
        choices=YES_NO,
        error="Select yes if anyone is in immediate danger right now",
    )

    def build_helper(self) -> FormHelper:
        return form_helper(h1_radios("danger_now"))

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
        return form_helper(h1_radios("problem"), HTML(CRIME_HELP))

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
        return form_helper(
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
        return form_helper(
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
        return form_helper(
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
            ("How often", choice_label(Frequency.choices, self.cleaned_data["frequency"])),
        ]


# e. Where -----------------------------------------------------------------------------------------------------


class WhereForm(StepForm):
    """Where it happened: at or near one of our homes (address and postcode), or somewhere else."""

    at_home = question_radios(
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
        return form_helper(
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
        return property_at_address(
            postcode=self.cleaned_data.get("address_postcode", ""), line=self.cleaned_data.get("address_line", "")
        )

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
        at_home = choice_label(self.fields["at_home"].choices, self.cleaned_data["at_home"])  # type: ignore[attr-defined]
        return [
            ("At or near one of our homes", at_home),
            ("Where", ", ".join(part for part in parts if part) or "Not given"),
        ]


# f. Who -------------------------------------------------------------------------------------------------------


class WhoForm(StepForm):
    """Who was involved (optional)."""

    people_known = question_radios(
        label="Do you know who was involved?",
        choices=PEOPLE_KNOWN,
        error="Select whether you know who was involved",
    )
    people_involved = optional_text(
        label="Tell us about them (optional)",
        help_text="Names, what they look like, where they live or anything else that helps us know who they are",
        rows=4,
    )

    def build_helper(self) -> FormHelper:
        return form_helper(
            Field.radios("people_known", legend_size=Size.MEDIUM), Field.textarea("people_involved", rows=4)
        )

    def details(self) -> dict[str, Any]:
        return {
            "people_known": self.cleaned_data["people_known"],
            "people_involved": self.cleaned_data.get("people_involved", ""),
        }

    def summary(self) -> list[tuple[str, str]]:
        return [
            ("Know who was involved", choice_label(PEOPLE_KNOWN, self.cleaned_data["people_known"])),
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
    impact = optional_text(
        label="How is it affecting you or the people involved? (optional)",
        rows=4,
    )
    SERVICE_FIELDS: ClassVar[dict[str, str]] = {"urgency_answers": "urgency"}

    def build_helper(self) -> FormHelper:
        return form_helper(
            Field.checkboxes("urgency", legend_size=Size.LARGE, legend_tag="h1"), Field.textarea("impact")
        )

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
        labels = [choice_label(URGENCY_CHOICES, value) for value in self.cleaned_data["urgency"]]
        return [
            ("Do any of these apply", "; ".join(labels)),
            ("How it is affecting you", self.cleaned_data.get("impact", "") or "Not given"),
        ]


# h. Evidence --------------------------------------------------------------------------------------------------


class EvidenceUploadForm(DomainErrorForm):
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
