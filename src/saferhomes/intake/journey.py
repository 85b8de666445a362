"""The public report form's steps, which of them apply, and where the answers live between pages.

The answers live in the visitor's session under one key, as the values they posted for each step (exactly what
they typed, valid or not), so nothing typed is lost on an error, going back, or changing an answer from
check-your-answers. Nothing is trusted from the session: every step's answers are validated again by its form
when the report is put together (`journey_details`).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.utils.datastructures import MultiValueDict

from saferhomes.intake.forms import public as f
from saferhomes.intake.forms import public_incident as incident
from saferhomes.intake.forms import public_reporter as reporter
from saferhomes.intake.models import ReporterRelationship
from saferhomes.intake.services.report import ReportDetails

SESSION_KEY = "intake_report"
LAST_REPORT_KEY = "intake_report_sent"
MAX_VALUE_CHARS = 20_000  # keep what was typed (even a too-long description, to show it back) but no more
MAX_ATTACHMENTS = 10

Answers = dict[str, dict[str, list[str]]]


def _raw(answers: Answers, step: str, name: str) -> str:
    return f.first_answer(answers, step, name)


@dataclass(frozen=True)
class Step:
    """One page of the journey: a question page (with a form) or an information page (with a Continue link)."""

    slug: str
    title: str
    form_class: type[f.StepForm] | None = None
    applies: Callable[[Answers], bool] = lambda answers: True
    template: str = "intake/public/step.html"
    # The browser's title when it must be more neutral than the heading (it stays in the history of a shared device).
    neutral_title: str = ""

    @property
    def browser_title(self) -> str:
        """What the page's <title> says: never "domestic abuse" (issue 14 item 6)."""
        return self.neutral_title or self.title

    @property
    def is_question(self) -> bool:
        return self.form_class is not None


def _problem_is(key: str) -> Callable[[Answers], bool]:
    return lambda answers: _raw(answers, "problem", "problem") == key


def _named(answers: Answers) -> bool:
    return _raw(answers, "about-you", "anonymous") != "yes"


STEPS: tuple[Step, ...] = (
    Step("safety", "Is anyone in immediate danger right now?", incident.SafetyForm),
    Step("call-999", "Call 999 now", applies=lambda a: _raw(a, "safety", "danger_now") == "yes",
         template="intake/public/call_999.html"),
    Step("problem", "What is happening?", incident.ProblemForm),
    Step("hate", "Why do you think they were targeted?", incident.HateForm, applies=_problem_is("hate")),
    Step("domestic-abuse", "Help if you are experiencing domestic abuse", applies=_problem_is("domestic_abuse"),
         template="intake/public/domestic_abuse.html", neutral_title="Help and support"),
    Step("what-happened", "Tell us what happened", incident.DescriptionForm),
    Step("when", "When did it happen?", incident.WhenForm),
    Step("where", "Where did it happen?", incident.WhereForm),
    Step("who", "Who was involved?", incident.WhoForm),
    Step("impact", "Do any of these apply?", incident.ImpactForm),
    Step("evidence", "Upload photos, recordings or documents (optional)", template="intake/public/evidence.html"),
    Step("about-you", "About you", reporter.AboutYouForm),
    Step("your-details", "Your name and contact details", reporter.YourDetailsForm, applies=_named),
    Step("contact", "How is it safe for us to contact you?", reporter.ContactForm, applies=_named),
    Step("accessibility", "Help we can give you", reporter.AccessibilityForm),
    Step("consent", "Can we share what you have told us with organisations that can help?", reporter.ConsentForm),
)  # fmt: skip
STEPS_BY_SLUG = {step.slug: step for step in STEPS}
CHECK_ANSWERS = "check-answers"

# Report fields an earlier step asked for, so a refusal from report_submit is sent back to the right page.
FIELD_STEPS: dict[str, str] = {
    name: step.slug for step in STEPS if step.form_class is not None for name in step.form_class.service_fields()
}


# Session storage ----------------------------------------------------------------------------------------------


def journey_state(session: SessionBase) -> dict[str, Any]:
    """The journey's stored state: {"answers": {...}, "attachments": [ids]} (created empty when missing)."""
    state = session.get(SESSION_KEY)
    if not isinstance(state, dict):
        state = {"answers": {}, "attachments": []}
        session[SESSION_KEY] = state
    state.setdefault("answers", {})
    state.setdefault("attachments", [])
    return state


def journey_answers(session: SessionBase) -> Answers:
    """Every step's saved answers (reading them never starts a session)."""
    state = session.get(SESSION_KEY)
    answers = state.get("answers") if isinstance(state, dict) else None
    return answers if isinstance(answers, dict) else {}


def answers_save(session: SessionBase, slug: str, posted: MultiValueDict[str, Any], form_class: type[Any]) -> None:
    """Keep what was posted for a step: only the form's own fields (a date's parts too), each value capped."""
    names = set(form_class.base_fields) - {f.HONEYPOT}
    kept: dict[str, list[str]] = {}
    for key, values in posted.lists():
        if key in names or key.rpartition("_")[0] in names:
            kept[key] = [str(value)[:MAX_VALUE_CHARS] for value in values[:20]]
    state = journey_state(session)
    state["answers"][slug] = kept
    session.modified = True


def answers_data(answers: Answers, slug: str) -> MultiValueDict[str, Any] | None:
    """A step's saved answers as form data, or None when the step has not been answered."""
    saved = answers.get(slug)
    if not isinstance(saved, dict):
        return None
    lists = {str(key): [str(v) for v in values] for key, values in saved.items() if isinstance(values, list)}
    return MultiValueDict(lists)


def attachment_ids(session: SessionBase) -> list[int]:
    """The files uploaded so far (ReportAttachment ids waiting for the report)."""
    state = session.get(SESSION_KEY)
    ids = state.get("attachments") if isinstance(state, dict) else None
    return [pk for pk in ids if isinstance(pk, int)] if isinstance(ids, list) else []


def attachment_ids_set(session: SessionBase, ids: list[int]) -> None:
    """Replace the list of files uploaded so far."""
    journey_state(session)["attachments"] = ids[:MAX_ATTACHMENTS]
    session.modified = True


def submission_key(session: SessionBase) -> str:
    """The form's own token, made once per journey (kept with its answers): a form sent again after a fault finds
    the report it already made (intake.services.public_form.report_submit_public). Random, so a visitor can only
    ever replay their own."""
    state = journey_state(session)
    if not isinstance(state.get("submission"), str):
        state["submission"] = secrets.token_urlsafe(24)
        session.modified = True
    return str(state["submission"])


def journey_clear(session: SessionBase) -> None:
    """Forget the answers (after the report is sent)."""
    session.pop(SESSION_KEY, None)


# Order --------------------------------------------------------------------------------------------------------


def steps_applying(answers: Answers) -> list[Step]:
    """The steps this reporter sees, given their answers so far."""
    return [step for step in STEPS if step.applies(answers)]


def step_after(answers: Answers, slug: str) -> str:
    """The slug of the page after `slug` (check-answers after the last)."""
    slugs = [step.slug for step in steps_applying(answers)]
    if slug not in slugs:
        return slugs[0]
    index = slugs.index(slug)
    return slugs[index + 1] if index + 1 < len(slugs) else CHECK_ANSWERS


def step_before(answers: Answers, slug: str) -> str | None:
    """The slug of the page before `slug` (None for the first: back to the start page)."""
    slugs = [step.slug for step in steps_applying(answers)]
    if slug == CHECK_ANSWERS:
        return slugs[-1]
    if slug not in slugs:
        return None
    index = slugs.index(slug)
    return slugs[index - 1] if index > 0 else None


def step_form(step: Step, answers: Answers, data: MultiValueDict[str, Any] | None = None) -> f.StepForm:
    """The step's form: bound to `data`, else to the saved answers, else empty."""
    assert step.form_class is not None
    bound = data if data is not None else answers_data(answers, step.slug)
    return step.form_class(bound, answers=answers) if bound is not None else step.form_class(answers=answers)


# Putting the report together ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Checked:
    """Every applying question page validated: the valid forms in order, or the first page still to answer."""

    forms: list[tuple[Step, f.StepForm]]
    first_incomplete: str | None


def journey_check(answers: Answers) -> Checked:
    """Validate every applying question page from the saved answers."""
    forms: list[tuple[Step, f.StepForm]] = []
    for step in steps_applying(answers):
        if step.form_class is None:
            continue
        data = answers_data(answers, step.slug)
        if data is None:
            return Checked(forms, step.slug)
        form = step_form(step, answers, data)
        if not form.is_valid():
            return Checked(forms, step.slug)
        forms.append((step, form))
    return Checked(forms, None)


def journey_details(checked: Checked) -> ReportDetails:
    """The report the valid pages describe."""
    values: dict[str, Any] = {}
    extra: list[str] = []
    for _step, form in checked.forms:
        values.update(form.details())
        if isinstance(form, incident.HateForm) and form.extra_description():
            extra.append(form.extra_description())
    if extra and values.get("description"):
        values["description"] = "\n\n".join([values["description"], *extra])
    if values.get("relationship") != ReporterRelationship.ON_BEHALF:
        values["on_behalf_consent"] = False
    return ReportDetails(**values)


def summary_sections(checked: Checked) -> list[dict[str, Any]]:
    """Check-your-answers rows grouped by page: [{"slug", "title", "rows": [(question, answer)]}]."""
    return [{"slug": step.slug, "title": step.title, "rows": form.summary()} for step, form in checked.forms]


def step_for_field(name: str) -> str:
    """The page that asked for a report field (the first page when no page did)."""
    return FIELD_STEPS.get(name, STEPS[0].slug)


def page_titles(answers: Mapping[str, Any]) -> list[str]:
    """Titles of the applying steps (for counting pages in tests and docs)."""
    return [step.title for step in steps_applying(dict(answers))]
