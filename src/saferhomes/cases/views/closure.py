"""The Closure tab of a case: what still blocks closing (each with a link to where to fix it), and the forms to put
the case forward for closure, approve it (managers), close it, reopen it and give the reporter a survey link.

Thin: forms parse, `services.closure` decides, `selectors_closure` reads. Each form posts to its own URL; on an error
the tab is shown again with that form's error summary and what was typed.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import add_never_cache_headers
from django.views import View

from saferhomes.accounts.http import actor_of
from saferhomes.cases.forms.closure import (
    ApproveClosureForm,
    CloseCaseForm,
    ClosureRequestForm,
    ReopenForm,
    SurveyLinkForm,
)
from saferhomes.cases.http import case_of
from saferhomes.cases.models import Case, ContactPurpose, PartyRole, Status, SurveyDelivery
from saferhomes.cases.rules import Blocker, FixAt, approval_reason, needs_manager_approval
from saferhomes.cases.selectors.closure import case_closure_blockers, case_latest_survey
from saferhomes.cases.services import closure
from saferhomes.core.errors import DomainError
from saferhomes.core.forms import add_domain_error
from saferhomes.core.permissions import require

CLOSE_CASE = "cases.close_case"
APPROVE_CLOSURE = "cases.approve_closure"
WORKING_STATUSES = (Status.OPEN, Status.REOPENED, Status.CLOSING)


@dataclass(frozen=True)
class BlockerLink:
    """A blocker with the URL of the place to put it right."""

    blocker: Blocker
    url: str


def _tab_url(name: str, case: Case) -> str:
    """The URL of another part of the case page (the overview if that part is not installed)."""
    try:
        return reverse(name, kwargs={"reference": case.reference})
    except NoReverseMatch:
        return reverse("cases:detail", kwargs={"reference": case.reference})


def _fix_url(case: Case, fix_at: FixAt) -> str:
    if fix_at == FixAt.CONTACTS:
        url = _tab_url("cases:contact-add", case)
        query = f"?purpose={ContactPurpose.OUTCOME_DISCUSSION}"
        reporter = case.parties.filter(role=PartyRole.REPORTER).order_by("id").values_list("pk", flat=True).first()
        return f"{url}{query}&party={reporter}" if reporter else f"{url}{query}"
    if fix_at == FixAt.ACTIONS:
        return _tab_url("cases:actions", case)
    if fix_at == FixAt.PARTIES:
        return _tab_url("cases:parties", case)
    if fix_at == FixAt.RISK:
        return _tab_url("risk:case", case)
    if fix_at == FixAt.PARTNERSHIP:
        return _tab_url("referrals:case", case)
    if fix_at == FixAt.INTERVENTIONS:
        return _tab_url("interventions:case", case)
    return "#approve-closure" if case.status == Status.CLOSING else "#request-closure"


def _blocker_links(case: Case, blockers: list[Blocker]) -> list[BlockerLink]:
    links = []
    for blocker in blockers:
        url = _fix_url(case, blocker.fix_at)
        if blocker.code == "not_discussed_reason_missing":
            url = "#request-closure"
        links.append(BlockerLink(blocker, url))
    return links


def _request_initial(case: Case) -> dict[str, Any]:
    return {
        "outcome": case.outcome or None,
        "outcome_summary": case.outcome_summary,
        "outcome_shareable": case.outcome_shareable,
        "not_discussed_reason": case.outcome_not_discussed_reason,
        "version": case.version,
    }


def _render(
    request: HttpRequest,
    case: Case,
    *,
    bound: dict[str, forms.Form] | None = None,
    blocked: list[Blocker] | None = None,
    survey_link: str = "",
    status: int = 200,
) -> HttpResponse:
    """The Closure tab, with any submitted form (and its errors) in place of the blank one."""
    user = request.user
    bound = bound or {}
    version = {"version": case.version}
    can_close = user.has_perm(CLOSE_CASE)
    kind = {"case_type": case.case_type, "priority": case.priority, "sensitivity": case.sensitivity}
    needs_approval = needs_manager_approval(**kind)
    working = case.status in WORKING_STATUSES
    blockers = case_closure_blockers(case=case) if working else []
    survey = case_latest_survey(case=case) if case.status == Status.CLOSED else None
    may_approve = (
        case.status == Status.CLOSING
        and needs_approval
        and case.closure_approved_at is None
        and user.has_perm(APPROVE_CLOSURE)
        and case.closure_requested_by_id != user.pk
    )
    context: dict[str, Any] = {
        "case": case,
        "active_tab": "closure",
        "can_close": can_close,
        "working": working,
        "blockers": _blocker_links(case, blockers),
        "blocked": _blocker_links(case, blocked) if blocked else [],
        "needs_approval": needs_approval,
        "approval_reason": approval_reason(**kind),
        "may_approve": may_approve,
        "survey": survey,
        "survey_link": survey_link,
        "survey_needs_officer": bool(
            survey is None or (survey.answered_at is None and survey.delivery == SurveyDelivery.OFFICER)
        ),
        "request_form": bound.get("request") or ClosureRequestForm(initial=_request_initial(case)),
        "approve_form": bound.get("approve") or ApproveClosureForm(initial=version),
        "close_form": bound.get("close") or CloseCaseForm(initial=version),
        "reopen_form": bound.get("reopen") or ReopenForm(initial=version),
        "survey_link_form": SurveyLinkForm(),
        "error_form": next((form for form in bound.values() if form.errors), None),
    }
    response = render(request, "cases/closure/closure.html", context, status=status)
    if survey_link:
        add_never_cache_headers(response)
    return response


class ClosureView(View):
    """GET /staff/cases/<ref>/closure/: blockers, closure details and the forms the user may use."""

    def get(self, request: HttpRequest, reference: str) -> HttpResponse:
        return _render(request, case_of(request, reference))


class _ClosureAction(View, ABC):
    """POST one closure form: on success back to the tab with a message, on an error the tab with the summary."""

    key = ""
    form_class: type[forms.Form] = forms.Form
    permission = CLOSE_CASE

    def post(self, request: HttpRequest, reference: str) -> HttpResponse:
        case = case_of(request, reference)
        require(request.user, self.permission)
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                done = self.act(request, case, form.cleaned_data)
            except closure.ClosureBlockedError as error:
                add_domain_error(form, error)
                return _render(request, case, bound={self.key: form}, blocked=error.blockers)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, done)
                return redirect("cases:closure", reference=case.reference)
        return _render(request, case, bound={self.key: form})

    @abstractmethod
    def act(self, request: HttpRequest, case: Case, data: dict[str, Any]) -> str:
        """Call the service; return the success message."""


class ClosureRequestView(_ClosureAction):
    """POST /staff/cases/<ref>/closure/request/: put the case forward for closure with its outcome."""

    key = "request"
    form_class = ClosureRequestForm

    def act(self, request: HttpRequest, case: Case, data: dict[str, Any]) -> str:
        closure.case_request_closure(
            actor=actor_of(request),
            case=case,
            outcome=data["outcome"],
            outcome_summary=data["outcome_summary"],
            not_discussed_reason=data.get("not_discussed_reason", ""),
            outcome_shareable=data.get("outcome_shareable", ""),
            version=data.get("version"),
            request=request,
        )
        return "Case put forward for closure"


class ClosureApproveView(_ClosureAction):
    """POST /staff/cases/<ref>/closure/approve/: a manager approves closing a high-risk or DA case."""

    key = "approve"
    form_class = ApproveClosureForm
    permission = APPROVE_CLOSURE

    def act(self, request: HttpRequest, case: Case, data: dict[str, Any]) -> str:
        closure.case_approve_closure(actor=actor_of(request), case=case, version=data.get("version"), request=request)
        return "Closure approved"


class CaseCloseView(_ClosureAction):
    """POST /staff/cases/<ref>/closure/close/: close the case (refused with every blocker at once)."""

    key = "close"
    form_class = CloseCaseForm

    def act(self, request: HttpRequest, case: Case, data: dict[str, Any]) -> str:
        closure.case_close(actor=actor_of(request), case=case, version=data.get("version"), request=request)
        return "Case closed"


class CaseReopenView(_ClosureAction):
    """POST /staff/cases/<ref>/closure/reopen/: reopen a closed case with a reason."""

    key = "reopen"
    form_class = ReopenForm

    def act(self, request: HttpRequest, case: Case, data: dict[str, Any]) -> str:
        closure.case_reopen(
            actor=actor_of(request), case=case, reason=data["reason"], version=data.get("version"), request=request
        )
        return "Case reopened"


class SurveyLinkView(View):
    """POST /staff/cases/<ref>/closure/survey-link/: show a fresh survey link once, for the officer to give."""

    def post(self, request: HttpRequest, reference: str) -> HttpResponse:
        case = case_of(request, reference)
        require(request.user, CLOSE_CASE)
        try:
            _invitation, token = closure.survey_link_issue(actor=actor_of(request), case=case, request=request)
        except DomainError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("cases:closure", reference=case.reference)
        case.refresh_from_db()
        return _render(request, case, survey_link=closure.survey_url(token))
