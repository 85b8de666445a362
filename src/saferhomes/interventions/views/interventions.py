"""The Interventions tab of a case (/staff/cases/<ref>/interventions/): the ladder with each intervention, its
milestones and what is due; proposing one, moving it along, recording milestones. Thin: the services decide.
A case the user cannot see is a 404 (case_of); a missing permission is a 403; a closed case sends them back.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from saferhomes.accounts.http import actor_of
from saferhomes.cases.http import case_of
from saferhomes.cases.models import Case
from saferhomes.cases.rules import case_workable
from saferhomes.cases.selectors.case import case_parties
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.interventions.forms.interventions import MilestoneForm, ProposeForm, StepForm
from saferhomes.interventions.models import Intervention
from saferhomes.interventions.selectors.interventions import (
    case_documents,
    catalogue_kinds,
    intervention_get_for_actor,
    interventions_for_case,
)
from saferhomes.interventions.services import interventions as services
from saferhomes.interventions.services.interventions import APPROVE_FORMAL_ACTION, RECORD_INTERVENTION
from saferhomes.interventions.services.milestones import milestone_record

DETAILS_BY_KIND = {
    "cpw": ("comply_by",),
    "civil_injunction": ("yot_consulted_on", "ends_on"),
    "closure_order": ("order_months", "extension_months"),
    "absolute_ground": ("condition", "trigger_on"),
}
STEPS: dict[str, tuple[str, str, str]] = {
    # step: (page title, button, message)
    "request_approval": ("Put forward for a manager's approval", "Put forward", "Put forward for approval"),
    "approve": ("Approve formal action", "Approve", "Approved"),
    "refuse": ("Refuse formal action", "Refuse", "Refused"),
    "start": ("Start the intervention", "Start", "Started"),
    "conclude": ("Record the outcome", "Record outcome", "Outcome recorded"),
    "withdraw": ("Withdraw the intervention", "Withdraw", "Withdrawn"),
}


def _page(request: HttpRequest, template: str, case: Case, **context: Any) -> HttpResponse:
    return render(request, template, {"case": case, "active_tab": "interventions", **context})


def _tab(case: Case) -> HttpResponse:
    return redirect("interventions:case", reference=case.reference)


class CaseInterventionsView(View):
    """GET: every intervention on the ladder, lightest rung first, with milestones done and due."""

    def get(self, request: HttpRequest, reference: str) -> HttpResponse:
        case = case_of(request, reference)
        user = request.user
        workable = case_workable(case)
        rows = []
        for item in interventions_for_case(case=case):
            names = {m["key"]: m["name"] for m in item.kind_definition["milestones"]}
            milestones = [(names.get(m.key, m.key), m) for m in item.milestones.all()]
            rows.append({"item": item, "milestones": milestones})
        return _page(
            request,
            "interventions/case/interventions.html",
            case,
            rows=rows,
            today=timezone.localdate(),
            can_record=workable and user.has_perm(RECORD_INTERVENTION),
            can_approve=workable and user.has_perm(APPROVE_FORMAL_ACTION),
        )


class _WorkingView(View):
    permission = RECORD_INTERVENTION
    case: Case

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.case = case_of(request, kwargs["reference"])
        require(request.user, self.permission)
        if not case_workable(self.case):
            messages.error(request, "This case is closed. Reopen it before recording an intervention.")
            return _tab(self.case)
        return super().dispatch(request, *args, **kwargs)


class ProposeView(_WorkingView):
    def _form(self, data: Any = None) -> ProposeForm:
        return ProposeForm(data, kinds=catalogue_kinds(), parties=case_parties(case=self.case))

    def get(self, request: HttpRequest, reference: str) -> HttpResponse:
        return _page(request, "interventions/case/propose.html", self.case, form=self._form())

    def post(self, request: HttpRequest, reference: str) -> HttpResponse:
        form = self._form(request.POST)
        if form.is_valid():
            try:
                services.intervention_propose(
                    actor=actor_of(request),
                    case=self.case,
                    kind=form.cleaned_data["kind"],
                    party=int(form.cleaned_data["party"]),
                    proportionality=form.cleaned_data["proportionality"],
                    started_on=form.cleaned_data["started_on"],
                    request=request,
                )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, "Intervention proposed")
                return _tab(self.case)
        return _page(request, "interventions/case/propose.html", self.case, form=form)


class StepView(_WorkingView):
    def _item(self, request: HttpRequest, pk: int) -> Intervention:
        return intervention_get_for_actor(actor=actor_of(request), case=self.case, intervention_id=pk)

    def _render(self, request: HttpRequest, item: Intervention, step: str, form: StepForm) -> HttpResponse:
        title = STEPS[step][0]
        return _page(request, "interventions/case/step.html", self.case, form=form, item=item, step=step, title=title)

    def get(self, request: HttpRequest, reference: str, pk: int, step: str) -> HttpResponse:
        if step not in STEPS:
            raise Http404("No such step.")
        item = self._item(request, pk)
        if step in ("approve", "refuse"):
            require(request.user, APPROVE_FORMAL_ACTION)
        form = StepForm(initial={"version": item.version}, step=step, submit=STEPS[step][1])
        return self._render(request, item, step, form)

    def post(self, request: HttpRequest, reference: str, pk: int, step: str) -> HttpResponse:
        if step not in STEPS:
            raise Http404("No such step.")
        item = self._item(request, pk)
        form = StepForm(request.POST, step=step, submit=STEPS[step][1])
        if form.is_valid():
            data = form.cleaned_data
            common: dict[str, Any] = {
                "actor": actor_of(request),
                "intervention": item,
                "version": data.get("version"),
                "request": request,
            }
            try:
                if step == "request_approval":
                    services.intervention_request_approval(**common)
                elif step == "approve":
                    services.intervention_approve(**common)
                elif step == "refuse":
                    services.intervention_refuse(**common, reason=data["reason"])
                elif step == "start":
                    services.intervention_start(**common, started_on=data["started_on"])
                elif step == "conclude":
                    services.intervention_conclude(**common, outcome=data["outcome"], outcome_on=data["outcome_on"])
                else:
                    services.intervention_withdraw(**common, reason=data["reason"])
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, STEPS[step][2])
                return _tab(self.case)
        return self._render(request, item, step, form)


class MilestoneView(_WorkingView):
    def _form(self, item: Intervention, data: Any = None) -> MilestoneForm:
        return MilestoneForm(
            data,
            milestones=item.kind_definition["milestones"],
            details=DETAILS_BY_KIND.get(item.kind, ()),
            documents=case_documents(case=self.case),
        )

    def _render(self, request: HttpRequest, item: Intervention, form: MilestoneForm) -> HttpResponse:
        return _page(request, "interventions/case/milestone.html", self.case, form=form, item=item)

    def get(self, request: HttpRequest, reference: str, pk: int) -> HttpResponse:
        item = intervention_get_for_actor(actor=actor_of(request), case=self.case, intervention_id=pk)
        return self._render(request, item, self._form(item))

    def post(self, request: HttpRequest, reference: str, pk: int) -> HttpResponse:
        item = intervention_get_for_actor(actor=actor_of(request), case=self.case, intervention_id=pk)
        form = self._form(item, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                recorded = milestone_record(
                    actor=actor_of(request),
                    intervention=item,
                    key=data["key"],
                    occurred_on=data["occurred_on"],
                    occurred_time=data["occurred_time"],
                    notes=data["notes"],
                    document=int(data["document"]) if data["document"] else None,
                    details={name: data.get(name) for name in MilestoneForm.DETAILS if name in form.fields},
                    request=request,
                )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, "Milestone recorded")
                for warning in recorded.warnings:
                    messages.warning(request, warning.message)
                return _tab(self.case)
        return self._render(request, item, form)
