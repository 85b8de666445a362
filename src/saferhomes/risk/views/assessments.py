"""The Risk tab of a case (issue 7): the latest result and why, the MARAC decision, when to reassess, a chart of risk
over time with its table, the history; completing an assessment (all questions on one page, or one per page on a
phone, answers kept in the session until checked and sent); overriding a band; recording MARAC decisions.

Thin: forms carry what was typed, `services.assessments` decides, `selectors` read. Every page starts from
`case_get_for_actor`, so a case the user cannot see is a 404 and reads of restricted and DA cases are audited. Every
form works without JavaScript and shows the GOV.UK error summary, keeping what was typed.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from saferhomes.accounts.http import actor_of
from saferhomes.cases.http import case_of
from saferhomes.cases.models import Case, PartyRole
from saferhomes.cases.rules import case_workable
from saferhomes.cases.selectors.case import case_parties, party_views
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.risk import rules
from saferhomes.risk.chart import ChartPoint, risk_chart
from saferhomes.risk.extensions import grounds_in_words
from saferhomes.risk.forms.assessments import (
    AssessmentDetailsForm,
    AssessmentForm,
    DaChecklistWaiverForm,
    MaracMadeForm,
    MaracNotReferredForm,
    OverrideForm,
    StepForm,
    answer_field_name,
)
from saferhomes.risk.models import Assessment, Instrument, MaracConsent, MaracDecision, MaracGround
from saferhomes.risk.selectors.assessments import (
    BANDED_KINDS,
    assessments_for_case,
    band_label,
    da_checklist_missing,
    instrument_definition,
    reassessment_due,
    risk_history,
)
from saferhomes.risk.selectors.instruments import published_instruments
from saferhomes.risk.services import assessments as services
from saferhomes.risk.services.assessments import answer_errors
from saferhomes.risk.services.checklist import WAIVE_DA_CHECKLIST, da_checklist_waive

ASSESS_RISK = services.ASSESS_RISK
DECIDE_NOT_REFERRED = services.DECIDE_NOT_REFERRED
SESSION_PREFIX = "risk-answers"
VICTIM_ROLES = (PartyRole.VICTIM, PartyRole.REPORTER)


def _can_assess(request: HttpRequest, case: Case) -> bool:
    """Whether the Risk tab offers assessing: the permission, on a case `case_workable` says may be worked on."""
    return actor_of(request).has_perm(ASSESS_RISK) and case_workable(case)


def _page(request: HttpRequest, template: str, case: Case, **context: Any) -> HttpResponse:
    context.setdefault("can_assess", _can_assess(request, case))
    return render(request, template, {"case": case, "active_tab": "risk", **context})


def _case_url(case: Case) -> str:
    return reverse("risk:case", kwargs={"reference": case.reference})


def _instrument(case: Case, key: str) -> Instrument:
    """The published version of instrument `key`, if it is used for this kind of case (404 otherwise)."""
    instrument = published_instruments(case_type=case.case_type).filter(key=key).first()
    if instrument is None:
        raise Http404("No published instrument of that name is used for this kind of case.")
    return instrument


def _assessment(case: Case, pk: int) -> Assessment:
    return get_object_or_404(
        Assessment.objects.select_related("instrument", "assessed_by", "overridden_by", "subject", "case"),
        pk=pk,
        case=case,
    )


def _decision(assessment: Assessment) -> MaracDecision | None:
    try:
        return assessment.marac_decision
    except MaracDecision.DoesNotExist:
        return None


def _working_or_refuse(request: HttpRequest, case: Case) -> HttpResponse | None:
    """A redirect to the Risk tab with the reason, when the case is closed; None when work may go on."""
    if not case_workable(case):
        messages.error(request, "This case is closed. Reopen it before changing its risk assessment.")
        return redirect(_case_url(case))
    return None


class _WorkingCaseView(View):
    """A page that changes a case's risk record: the case must be visible to the user (404), the user must hold
    `permission` (403), and the case must not be closed (back to the Risk tab with the reason)."""

    permission = ASSESS_RISK
    case: Case

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.case = case_of(request, kwargs["reference"])
        require(request.user, self.permission)
        if (refused := _working_or_refuse(request, self.case)) is not None:
            return refused
        return super().dispatch(request, *args, **kwargs)


# The Risk tab ---------------------------------------------------------------------------------------------------


def _result_context(assessment: Assessment) -> dict[str, Any]:
    """What a result shows: the band in force (and the one the score gave), its suggestions, MARAC and its grounds."""
    definition = instrument_definition(assessment.instrument)
    decision = _decision(assessment)
    return {
        "assessment": assessment,
        "definition": definition,
        "band": definition.band(assessment.band) if assessment.band else None,
        "computed": definition.band(assessment.computed_band) if assessment.computed_band else None,
        "decision": decision,
        "grounds": [MaracGround(g).label for g in decision.grounds if g in MaracGround.values] if decision else [],
        "grounds_words": grounds_in_words(decision.grounds) if decision else "",
        "consent_label": MaracConsent(decision.consent).label if decision else "",
        "answers": [
            (question, question.option(assessment.answers.get(question.id, "")), assessment.answers.get(question.id))
            for question in definition.questions
        ],
        "today": timezone.localdate(),
    }


class CaseRiskView(View):
    """GET /staff/cases/<ref>/risk/: the latest result, MARAC, reassessment, the chart and the history."""

    def get(self, request: HttpRequest, reference: str) -> HttpResponse:
        case = case_of(request, reference)
        assessments = list(assessments_for_case(case=case))
        latest = next((a for a in assessments if a.instrument.kind in BANDED_KINDS), None)
        history = risk_history(case, assessments=assessments)
        chart = None
        if history:
            levels = [band.label for band in instrument_definition(history[-1].assessment.instrument).bands]
            chart = risk_chart(
                [ChartPoint(on=p.on, rank=p.rank, ranks=p.ranks, label=p.band_label) for p in history if p.rank],
                level_labels=levels,
            )
        outstanding = [d for a in assessments if (d := _decision(a)) is not None and d.outstanding]
        victims = [view for view in party_views(case=case) if view.party.role in VICTIM_ROLES]
        can_assess = _can_assess(request, case)
        return _page(
            request,
            "risk/case/risk.html",
            case,
            assessments=assessments,
            rows=[(a, band_label(a.instrument, a.band)) for a in assessments],
            latest=latest,
            result=_result_context(latest) if latest else None,
            due=reassessment_due(case, latest=latest) if latest else None,
            history=history,
            chart=chart,
            outstanding=outstanding,
            victims=victims,
            instruments=list(published_instruments(case_type=case.case_type)) if can_assess else [],
            can_assess=can_assess,
            may_decline=request.user.has_perm(DECIDE_NOT_REFERRED),
            checklist_missing=da_checklist_missing(case=case),
            may_waive_checklist=request.user.has_perm(WAIVE_DA_CHECKLIST) and case_workable(case),
        )


class ResultView(View):
    """GET /staff/cases/<ref>/risk/<id>/: one assessment's score, band and reasons, answers and MARAC decision."""

    def get(self, request: HttpRequest, reference: str, pk: int) -> HttpResponse:
        case = case_of(request, reference)
        assessment = _assessment(case, pk)
        latest = next(iter(assessments_for_case(case=case).filter(instrument__kind__in=BANDED_KINDS)[:1]), None)
        return _page(
            request,
            "risk/case/result.html",
            case,
            is_latest=latest is not None and latest.pk == assessment.pk,
            may_decline=request.user.has_perm(DECIDE_NOT_REFERRED),
            victims=[view for view in party_views(case=case) if view.party.role in VICTIM_ROLES],
            **_result_context(assessment),
        )


# Completing an assessment: all on one page ---------------------------------------------------------------------


class AssessView(_WorkingCaseView):
    """GET and POST /staff/cases/<ref>/risk/new/<key>/: every question on one page, then who, consent and notes."""

    def get(self, request: HttpRequest, reference: str, key: str) -> HttpResponse:
        case = self.case
        instrument = _instrument(case, key)
        return self._render(request, case, instrument, self._form(case, instrument))

    def post(self, request: HttpRequest, reference: str, key: str) -> HttpResponse:
        case = self.case
        instrument = _instrument(case, key)
        form = self._form(case, instrument, request.POST)
        if form.is_valid():
            try:
                assessment = services.assessment_record(
                    actor=actor_of(request),
                    case=case,
                    instrument=instrument,
                    answers=form.answers(),
                    request=request,
                    **form.details(),
                )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                return _recorded(request, case, assessment)
        else:
            # Say what is wrong with the answers too, not only with the fields below them.
            form.add_domain_error(answer_errors(rules.validate_answers(form.definition, form.answers())))
        return self._render(request, case, instrument, form)

    @staticmethod
    def _form(case: Case, instrument: Instrument, data: Any = None) -> AssessmentForm:
        return AssessmentForm(data, definition=instrument_definition(instrument), parties=case_parties(case=case))

    @staticmethod
    def _render(request: HttpRequest, case: Case, instrument: Instrument, form: AssessmentForm) -> HttpResponse:
        return _page(
            request,
            "risk/case/assess.html",
            case,
            instrument=instrument,
            definition=form.definition,
            form=form,
            step_url=reverse("risk:assess-step", kwargs={"reference": case.reference, "key": instrument.key, "n": 1}),
        )


def _recorded(request: HttpRequest, case: Case, assessment: Assessment) -> HttpResponse:
    label = assessment.band and instrument_definition(assessment.instrument).band(assessment.band)
    words = f": {label.label.lower()} risk" if isinstance(label, rules.Band) else ""
    messages.success(request, f"Assessment recorded{words}")
    return redirect("risk:result", reference=case.reference, pk=assessment.pk)


# Completing an assessment: one question per page -------------------------------------------------------------


def _session_key(case: Case, instrument: Instrument) -> str:
    # Keyed by the instrument version: a newly published version starts afresh rather than mixing answers.
    return f"{SESSION_PREFIX}:{case.pk}:{instrument.pk}"


def _saved_answers(request: HttpRequest, case: Case, instrument: Instrument) -> dict[str, str]:
    saved = request.session.get(_session_key(case, instrument), {})
    return {str(k): str(v) for k, v in saved.items()} if isinstance(saved, dict) else {}


def _step_url(case: Case, instrument: Instrument, n: int, *, change: bool = False) -> str:
    url = reverse("risk:assess-step", kwargs={"reference": case.reference, "key": instrument.key, "n": n})
    return f"{url}?change=1" if change else url


def _check_url(case: Case, instrument: Instrument) -> str:
    return reverse("risk:assess-check", kwargs={"reference": case.reference, "key": instrument.key})


class StepView(_WorkingCaseView):
    """GET and POST /staff/cases/<ref>/risk/new/<key>/step/<n>/: question n alone; the answer is kept in the session
    and the next question follows (or the check page, after the last one or when changing an answer)."""

    def _setup(self, request: HttpRequest, reference: str, key: str, n: int) -> tuple[Case, Instrument, int]:
        case = self.case
        instrument = _instrument(case, key)
        if not 1 <= n <= len(instrument_definition(instrument).questions):
            raise Http404("There is no question with that number.")
        return case, instrument, n

    def get(self, request: HttpRequest, reference: str, key: str, n: int) -> HttpResponse:
        case, instrument, n = self._setup(request, reference, key, n)
        question = instrument_definition(instrument).questions[n - 1]
        saved = _saved_answers(request, case, instrument)
        form = StepForm(initial={answer_field_name(question.id): saved.get(question.id, "")}, question=question)
        return self._render(request, case, instrument, n, form)

    def post(self, request: HttpRequest, reference: str, key: str, n: int) -> HttpResponse:
        case, instrument, n = self._setup(request, reference, key, n)
        definition = instrument_definition(instrument)
        question = definition.questions[n - 1]
        form = StepForm(request.POST, question=question)
        if form.is_valid():
            answer = form.answer()
            problem = rules.validate_answers(definition, {question.id: answer} if answer else {}).get(question.id)
            if problem:
                form.add_error(answer_field_name(question.id), problem)
            else:
                saved = _saved_answers(request, case, instrument)
                if answer:
                    saved[question.id] = answer
                else:
                    saved.pop(question.id, None)
                request.session[_session_key(case, instrument)] = saved
                if request.GET.get("change") or n == len(definition.questions):
                    return redirect(_check_url(case, instrument))
                return redirect(_step_url(case, instrument, n + 1))
        return self._render(request, case, instrument, n, form)

    @staticmethod
    def _render(request: HttpRequest, case: Case, instrument: Instrument, n: int, form: StepForm) -> HttpResponse:
        definition = instrument_definition(instrument)
        sections = {section.key: section.title for section in definition.sections}
        changing = bool(request.GET.get("change"))
        back = _check_url(case, instrument) if changing else (_step_url(case, instrument, n - 1) if n > 1 else "")
        return _page(
            request,
            "risk/case/step.html",
            case,
            instrument=instrument,
            form=form,
            n=n,
            total=len(definition.questions),
            section=sections.get(form.question.section, ""),
            back_url=back or _case_url(case),
            action=_step_url(case, instrument, n, change=changing),
        )


class CheckView(_WorkingCaseView):
    """GET and POST /staff/cases/<ref>/risk/new/<key>/check/: the answers so far, each with a link to change it; who
    the assessment is about, consent and notes; then send. Missing or invalid answers link back to their page."""

    def get(self, request: HttpRequest, reference: str, key: str) -> HttpResponse:
        case = self.case
        instrument = _instrument(case, key)
        return self._render(request, case, instrument, self._form(case, instrument), problems={})

    def post(self, request: HttpRequest, reference: str, key: str) -> HttpResponse:
        case = self.case
        instrument = _instrument(case, key)
        form = self._form(case, instrument, request.POST)
        answers = _saved_answers(request, case, instrument)
        problems = rules.validate_answers(instrument_definition(instrument), answers)
        if form.is_valid() and not problems:
            try:
                assessment = services.assessment_record(
                    actor=actor_of(request),
                    case=case,
                    instrument=instrument,
                    answers=answers,
                    request=request,
                    **form.details(),
                )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                request.session.pop(_session_key(case, instrument), None)
                return _recorded(request, case, assessment)
        return self._render(request, case, instrument, form, problems=problems)

    @staticmethod
    def _form(case: Case, instrument: Instrument, data: Any = None) -> AssessmentDetailsForm:
        definition = instrument_definition(instrument)
        return AssessmentDetailsForm(data, definition=definition, parties=case_parties(case=case))

    @staticmethod
    def _render(
        request: HttpRequest,
        case: Case,
        instrument: Instrument,
        form: AssessmentDetailsForm,
        *,
        problems: dict[str, str],
    ) -> HttpResponse:
        definition = instrument_definition(instrument)
        answers = _saved_answers(request, case, instrument)
        rows = []
        for n, question in enumerate(definition.questions, start=1):
            value = answers.get(question.id, "")
            option = question.option(value) if value else None
            rows.append(
                {
                    "n": n,
                    "question": question,
                    "answer": option.label if option else value,
                    "problem": problems.get(question.id, ""),
                    "url": _step_url(case, instrument, n, change=True),
                }
            )
        # The answers' problems link to their pages; the form's own errors come after them, from its error summary.
        answer_links = [(row["url"], row["problem"]) for row in rows if row["problem"]]
        if rules.ALL in problems:
            answer_links.insert(0, (_step_url(case, instrument, 1), problems[rules.ALL]))
        return _page(
            request,
            "risk/case/check.html",
            case,
            instrument=instrument,
            definition=definition,
            form=form,
            rows=rows,
            answer_links=answer_links,
            has_errors=bool(answer_links or form.errors),
        )


# Override and MARAC decisions ------------------------------------------------------------------------------------


class OverrideView(_WorkingCaseView):
    """GET and POST /staff/cases/<ref>/risk/<id>/override/: put the latest assessment in another band, with a reason."""

    def get(self, request: HttpRequest, reference: str, pk: int) -> HttpResponse:
        case = self.case
        assessment = _assessment(case, pk)
        return self._render(request, case, assessment, self._form(assessment))

    def post(self, request: HttpRequest, reference: str, pk: int) -> HttpResponse:
        case = self.case
        assessment = _assessment(case, pk)
        form = self._form(assessment, request.POST)
        if form.is_valid():
            try:
                services.assessment_override(
                    actor=actor_of(request),
                    assessment=assessment,
                    band=form.cleaned_data["band"],
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, "Band changed. The case's priority and reassessment date follow it.")
                return redirect("risk:result", reference=case.reference, pk=assessment.pk)
        return self._render(request, case, assessment, form)

    @staticmethod
    def _form(assessment: Assessment, data: Any = None) -> OverrideForm:
        return OverrideForm(data, definition=instrument_definition(assessment.instrument), current=assessment.band)

    @staticmethod
    def _render(request: HttpRequest, case: Case, assessment: Assessment, form: OverrideForm) -> HttpResponse:
        return _page(request, "risk/case/override.html", case, form=form, **_result_context(assessment))


class _DecisionView(_WorkingCaseView, ABC):
    """A form about an assessment's MARAC decision (GET shows it, POST acts)."""

    template = ""

    def _setup(self, request: HttpRequest, reference: str, pk: int) -> tuple[Case, Assessment, MaracDecision]:
        case = self.case
        assessment = _assessment(case, pk)
        decision = _decision(assessment)
        if decision is None or not decision.required:
            raise Http404("This assessment has no MARAC referral to record.")
        return case, assessment, decision

    @abstractmethod
    def form(self, data: Any = None) -> MaracMadeForm | MaracNotReferredForm:
        """The form, blank or bound."""

    @abstractmethod
    def act(self, request: HttpRequest, decision: MaracDecision, form: Any) -> str:
        """Call the service; return the success message."""

    def get(self, request: HttpRequest, reference: str, pk: int) -> HttpResponse:
        case, assessment, _ = self._setup(request, reference, pk)
        return self._render(request, case, assessment, self.form())

    def post(self, request: HttpRequest, reference: str, pk: int) -> HttpResponse:
        case, assessment, decision = self._setup(request, reference, pk)
        form = self.form(request.POST)
        if form.is_valid():
            try:
                done = self.act(request, decision, form)
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, done)
                return redirect("risk:result", reference=case.reference, pk=assessment.pk)
        return self._render(request, case, assessment, form)

    def _render(self, request: HttpRequest, case: Case, assessment: Assessment, form: Any) -> HttpResponse:
        return _page(request, self.template, case, form=form, **_result_context(assessment))


class MaracMadeView(_DecisionView):
    """GET and POST /staff/cases/<ref>/risk/<id>/marac/made/: the day the required MARAC referral was made."""

    template = "risk/case/marac_made.html"

    def form(self, data: Any = None) -> MaracMadeForm:
        return MaracMadeForm(data)

    def act(self, request: HttpRequest, decision: MaracDecision, form: Any) -> str:
        services.marac_referral_made(
            actor=actor_of(request), decision=decision, made_on=form.cleaned_data["made_on"], request=request
        )
        return "MARAC referral recorded"


class MaracNotReferredView(_DecisionView):
    """GET and POST /staff/cases/<ref>/risk/<id>/marac/not-referred/: a manager records why there is no referral."""

    template = "risk/case/marac_not_referred.html"
    permission = DECIDE_NOT_REFERRED

    def form(self, data: Any = None) -> MaracNotReferredForm:
        return MaracNotReferredForm(data)

    def act(self, request: HttpRequest, decision: MaracDecision, form: Any) -> str:
        services.marac_not_referred(
            actor=actor_of(request), decision=decision, reason=form.cleaned_data["reason"], request=request
        )
        return "Decision recorded: no MARAC referral will be made"


class DaChecklistWaiverView(_WorkingCaseView):
    """GET and POST /staff/cases/<ref>/risk/checklist-not-done/: a manager records why a DA case closes without the
    DA checklist (issue 14 item 8)."""

    template = "risk/case/checklist_waiver.html"
    permission = WAIVE_DA_CHECKLIST

    def get(self, request: HttpRequest, reference: str) -> HttpResponse:
        if not da_checklist_missing(case=self.case):
            raise Http404("This case does not need the DA checklist, or it is done.")
        return _page(request, self.template, self.case, form=DaChecklistWaiverForm())

    def post(self, request: HttpRequest, reference: str) -> HttpResponse:
        form = DaChecklistWaiverForm(request.POST)
        if form.is_valid():
            try:
                da_checklist_waive(
                    actor=actor_of(request), case=self.case, reason=form.cleaned_data["reason"], request=request
                )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, "Decision recorded: the case may close without the DA checklist")
                return redirect("risk:case", reference=self.case.reference)
        return _page(request, self.template, self.case, form=form)
