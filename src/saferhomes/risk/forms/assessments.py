"""Forms for risk assessments on a case: the questions of an instrument (all on one page, or one per page), who the
assessment is about, the DA checklist's consent and professional-judgement questions, a band override, and the MARAC
decisions.

Forms only carry what was typed. Whether the answers are complete and allowed is the instrument's rule
(`rules.validate_answers`, called by the service), so every message comes from one place; the service's DomainError
lands back on the question it concerns through `add_domain_error` (`answers.<id>` is the field `q_<id>`).
The questions are drawn by templates/risk/case/_question.html (GOV.UK radios in a fieldset per question, a number
input for counts); the other fields by crispy-forms-gds.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from saferhomes.cases.models import Party, PartyRole
from saferhomes.core.forms import DomainErrorForm, GovukDateField
from saferhomes.risk import rules
from saferhomes.risk.models import MaracConsent
from saferhomes.risk.services.assessments import ANSWER_FIELD, REASON_MAX

ANSWER_PREFIX = "q_"
# Who an assessment can be about: the person at risk.
SUBJECT_ROLES = (PartyRole.VICTIM, PartyRole.REPORTER, PartyRole.HOUSEHOLD_MEMBER)
NOT_NAMED = "none"


def answer_field_name(question_id: str) -> str:
    """The form field that carries the answer to a question."""
    return f"{ANSWER_PREFIX}{question_id}"


def _helper(*fields: Any, submit: str | None = None) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    layout = [*fields]
    if submit:
        layout.append(Button("submit", submit))
    helper.layout = Layout(*layout)
    return helper


class RiskForm(DomainErrorForm):
    """A form a risk service answers: as core's DomainErrorForm, with an answer's error (answers.<id>) on q_<id>."""

    def field_for(self, name: str) -> str | None:
        if name.startswith(ANSWER_FIELD.format("")):
            name = answer_field_name(name.removeprefix(ANSWER_FIELD.format("")))
        return super().field_for(name)


def question_field(question: rules.Question) -> forms.Field:
    """A form field for one question: radios for a choice, a whole-number text input for a count."""
    if question.type == rules.NUMBER:
        widget: forms.Widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
    else:
        widget = forms.RadioSelect(choices=[(option.value, option.label) for option in question.options])
    # Never required here: the instrument's rules say what is missing, in its own words.
    return forms.CharField(label=question.text, help_text=question.help, required=False, widget=widget, max_length=20)


def subject_choices(parties: Sequence[Party]) -> list[tuple[str, str]]:
    """The people an assessment may be about (victims first), as radio choices."""
    people = sorted(
        (party for party in parties if party.role in SUBJECT_ROLES), key=lambda p: SUBJECT_ROLES.index(p.role)
    )
    return [(str(party.pk), f"{party.display_name} ({party.get_role_display().lower()})") for party in people]


class AssessmentDetailsForm(RiskForm):
    """Who it is about; on DA checklists the victim's consent position and a professional-judgement referral; notes."""

    subject = forms.ChoiceField(
        label="Who is this assessment about?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select who the assessment is about",
            "invalid_choice": "Select someone on this case",
        },
    )
    consent = forms.ChoiceField(
        label="Has the victim agreed to their information being shared with MARAC?",
        help_text="A high-risk referral may be made without consent: record the position as it is now.",
        choices=MaracConsent.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the victim's consent position",
            "invalid_choice": "Select the victim's consent position",
        },
    )
    professional_judgement = forms.BooleanField(
        label="Refer to MARAC on professional judgement",
        required=False,
        help_text="Even if the answers do not reach the threshold, for example because of what you have seen.",
    )
    professional_judgement_reason = forms.CharField(
        label="Why are you referring on professional judgement?",
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": f"The reason must be {REASON_MAX:,} characters or fewer"},
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, who answered, or what you could not ask and why.",
        error_messages={"max_length": "Notes must be 10,000 characters or fewer"},
    )

    def __init__(self, *args: Any, definition: rules.Definition, parties: Sequence[Party], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.definition = definition
        self.parties = {str(party.pk): party for party in parties}
        choices = subject_choices(parties)
        if choices:
            cast(forms.ChoiceField, self.fields["subject"]).choices = choices
        else:
            del self.fields["subject"]
        self.checklist = definition.kind == rules.CHECKLIST
        if not self.checklist:
            for name in ("consent", "professional_judgement", "professional_judgement_reason"):
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            self.checklist
            and cleaned.get("professional_judgement")
            and not (cleaned.get("professional_judgement_reason") or "").strip()
            and "professional_judgement_reason" not in self.errors
        ):
            self.add_error("professional_judgement_reason", "Enter why you are referring on professional judgement")
        return cleaned

    def details(self) -> dict[str, Any]:
        """The service's keyword arguments other than the answers (call after is_valid())."""
        data = self.cleaned_data
        details: dict[str, Any] = {
            "subject": self.parties.get(data.get("subject") or ""),
            "notes": data.get("notes", ""),
        }
        if self.checklist:
            details["consent"] = data["consent"]
            details["professional_judgement_reason"] = (
                data.get("professional_judgement_reason", "") if data.get("professional_judgement") else ""
            )
        return details


class AssessmentForm(AssessmentDetailsForm):
    """Every question of the instrument on one page, then the details."""

    def __init__(self, *args: Any, definition: rules.Definition, parties: Sequence[Party], **kwargs: Any) -> None:
        super().__init__(*args, definition=definition, parties=parties, **kwargs)
        details = dict(self.fields)
        self.fields.clear()
        for question in definition.questions:
            self.fields[answer_field_name(question.id)] = question_field(question)
        self.fields.update(details)

    def answers(self) -> dict[str, str]:
        """Answers keyed by question id, blank ones left out (call after is_valid())."""
        answers = {}
        for question in self.definition.questions:
            value = (self.cleaned_data.get(answer_field_name(question.id)) or "").strip()
            if value:
                answers[question.id] = value
        return answers

    def sections(self) -> list[tuple[rules.Section | None, list[forms.BoundField]]]:
        """The question fields grouped under their section headings, in the instrument's order."""
        by_key = {section.key: section for section in self.definition.sections}
        groups: list[tuple[rules.Section | None, list[forms.BoundField]]] = []
        for question in self.definition.questions:
            section = by_key.get(question.section)
            if not groups or groups[-1][0] != section:
                groups.append((section, []))
            groups[-1][1].append(self[answer_field_name(question.id)])
        return groups

    def detail_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if not name.startswith(ANSWER_PREFIX)]


class StepForm(RiskForm):
    """One question (the phone-sized, one-question-per-page mode)."""

    def __init__(self, *args: Any, question: rules.Question, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.question = question
        self.fields[answer_field_name(question.id)] = question_field(question)

    @property
    def bound_question(self) -> forms.BoundField:
        return self[answer_field_name(self.question.id)]

    def answer(self) -> str:
        return (self.cleaned_data.get(answer_field_name(self.question.id)) or "").strip()


class OverrideForm(RiskForm):
    """Put the assessment in another band, with the reason."""

    band = forms.ChoiceField(
        label="Which band should this assessment be in?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the band", "invalid_choice": "Select one of the instrument's bands"},
    )
    reason = forms.CharField(
        label="Why are you changing the band?",
        help_text="This is recorded in the case's history with your name.",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Enter why you are changing the band",
            "max_length": f"The reason must be {REASON_MAX:,} characters or fewer",
        },
    )

    def __init__(self, *args: Any, definition: rules.Definition, current: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["band"]).choices = [
            (band.key, f"{band.label}{' (current band)' if band.key == current else ''}") for band in definition.bands
        ]
        self.helper = _helper(
            Field.radios("band", legend_size=Size.SMALL), Field.textarea("reason"), submit="Change the band"
        )


class MaracMadeForm(RiskForm):
    """The day the MARAC referral was made."""

    made_on = GovukDateField(label="Date the referral was made")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["made_on"].help_text = "For example, 27 3 2026"
        self.helper = _helper(
            Field("made_on", context={"legend_size": Size.for_legend(Size.SMALL)}), submit="Record the referral"
        )


class MaracNotReferredForm(RiskForm):
    """A manager's reason a required MARAC referral will not be made."""

    reason = forms.CharField(
        label="Why will the referral not be made?",
        help_text="For example, the case is already heard at MARAC this month. This unblocks closing the case.",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Enter why the MARAC referral will not be made",
            "max_length": f"The reason must be {REASON_MAX:,} characters or fewer",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("reason"), submit="Record the decision")


class DaChecklistWaiverForm(RiskForm):
    """A manager's reason a domestic abuse case closes without the DA checklist."""

    reason = forms.CharField(
        label="Why was the DA checklist not done?",
        help_text="For example, the victim declined every attempt to complete it. This unblocks closing the case.",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Enter why the DA checklist was not done",
            "max_length": f"The reason must be {REASON_MAX:,} characters or fewer",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("reason"), submit="Record the decision")
