"""Staff Case Review pages under /staff/case-reviews/ (issue 17 parts 1-3 and 6): the list (by status, decision due
or overdue), taking an application (phone, letter, email, in person, partner), the application page with the
threshold engine's findings and the decision, a complaint to another agency added by hand, and the case page's
"I have told the reporter about the Case Review" record. The review pages (helper B) hook into the application page
through `case_review/_review_links.html` and `review_urls.py`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from saferhomes.accounts.http import actor_of
from saferhomes.case_review import schema
from saferhomes.case_review.forms.applications import (
    AssessForm,
    ComplaintForm,
    DecisionForm,
    ListFilterForm,
    StaffApplicationForm,
)
from saferhomes.case_review.http import application_of
from saferhomes.case_review.models import ApplicationStatus
from saferhomes.case_review.selectors.applications import may_view_applications
from saferhomes.case_review.selectors.queue import applications_list
from saferhomes.case_review.services.applications import TAKE, application_submit, status_url
from saferhomes.case_review.services.prompt import case_review_told_record
from saferhomes.case_review.services.rule_sets import rule_set_current
from saferhomes.case_review.services.threshold import DECIDE, complaint_add, threshold_assess, threshold_decide
from saferhomes.cases.http import case_of
from saferhomes.core.errors import DomainError
from saferhomes.core.pagination import paginate

PAGE_SIZE = 25


def _require_view(request: HttpRequest) -> None:
    if not may_view_applications(actor_of(request)):
        raise PermissionDenied("You do not have permission to see Case Review applications.")


def _require(request: HttpRequest, perm: str) -> None:
    if not actor_of(request).has_perm(perm):
        raise PermissionDenied("You do not have permission to do that.")


def application_list(request: HttpRequest) -> HttpResponse:
    """GET /staff/case-reviews/: applications, filtered by status and decision deadline."""
    _require_view(request)
    form = ListFilterForm(request.GET or None)
    status = due = ""
    if form.is_valid():
        status, due = form.cleaned_data["status"], form.cleaned_data["due"]
    found = applications_list(actor=actor_of(request), status=status, due=due)
    context = {
        "form": form,
        "can_take": actor_of(request).has_perm(TAKE),
        **paginate(found, request.GET, per_page=PAGE_SIZE),
    }
    return render(request, "case_review/staff/list.html", context)


def application_new(request: HttpRequest) -> HttpResponse:
    """GET and POST /staff/case-reviews/new/: take an application by phone, letter, email, in person or from a
    partner."""
    _require(request, TAKE)
    actor = actor_of(request)
    form = StaffApplicationForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            submitted = application_submit(
                details=form.details(),
                channel=form.cleaned_data["channel"],
                actor=actor,
                received_at=form.received_at(),
                request=request,
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            application = submitted.application
            messages.success(
                request,
                f"Application {application.reference} saved. Its private status link, for the applicant "
                f"(shown once): {status_url(submitted.token)}",
            )
            return redirect("case-review-staff:detail", reference=application.reference)
    return render(request, "case_review/staff/new.html", {"form": form})


def _detail_context(request: HttpRequest, application: Any, **forms: Any) -> dict[str, Any]:
    actor = actor_of(request)
    rule_set = application.rule_set or rule_set_current()
    current = rule_set_current()
    rule = schema.rule_of(rule_set.definition, application.rule_key) if application.rule_key else None
    waiting = application.status == ApplicationStatus.RECEIVED
    can_take, can_decide = actor.has_perm(TAKE), actor.has_perm(DECIDE)
    complaints = list(application.complaints.select_related("agency"))
    return {
        "application": application,
        "rule": rule,
        "rule_set": rule_set,
        "complaints": complaints,
        "counted": sum(1 for c in complaints if c.counts),
        "waiting": waiting,
        "can_take": can_take and waiting,
        "can_decide": can_decide and waiting,
        "assess_form": forms.get("assess_form")
        or AssessForm(initial={"rule_key": application.rule_key}, rule_set=current),
        "decision_form": forms.get("decision_form")
        or DecisionForm(initial={"rule_key": application.rule_key, "version": application.version}, rule_set=current),
    }


def application_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """GET /staff/case-reviews/<reference>/: the applicant, the threshold engine's findings and the decision."""
    application = application_of(request, reference)
    return render(request, "case_review/staff/detail.html", _detail_context(request, application))


@require_POST
def application_assess(request: HttpRequest, reference: str) -> HttpResponse:
    """POST /staff/case-reviews/<reference>/assess/: search again and judge the complaints under the rule chosen."""
    application = application_of(request, reference)
    _require(request, TAKE)
    form = AssessForm(request.POST, rule_set=rule_set_current())
    if form.is_valid():
        try:
            threshold_assess(
                application=application,
                actor=actor_of(request),
                rule_key=form.cleaned_data["rule_key"],
                request=request,
            )
        except DomainError as error:
            form.add_error(None, "; ".join(error.messages + [m for ms in error.field_errors.values() for m in ms]))
        else:
            messages.success(request, "Complaints searched for and assessed again")
            return redirect("case-review-staff:detail", reference=application.reference)
    context = _detail_context(request, application, assess_form=form)
    return render(request, "case_review/staff/detail.html", context)


def complaint_new(request: HttpRequest, reference: str) -> HttpResponse:
    """GET and POST /staff/case-reviews/<reference>/complaints/new/: add a complaint made to another agency."""
    application = application_of(request, reference)
    _require(request, TAKE)
    form = ComplaintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            complaint_add(
                actor=actor_of(request),
                application=application,
                agency_name=form.cleaned_data["agency_name"],
                received_on=form.cleaned_data["received_on"],
                occurred_on=form.cleaned_data["occurred_on"],
                complainant=form.cleaned_data["complainant"],
                summary=form.cleaned_data["summary"],
                request=request,
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "Complaint to another agency added")
            return redirect("case-review-staff:detail", reference=application.reference)
    return render(request, "case_review/staff/complaint_new.html", {"application": application, "form": form})


@require_POST
def application_decide(request: HttpRequest, reference: str) -> HttpResponse:
    """POST /staff/case-reviews/<reference>/decide/: record the threshold decision with its reasons."""
    application = application_of(request, reference)
    _require(request, DECIDE)
    form = DecisionForm(request.POST, rule_set=rule_set_current())
    if form.is_valid():
        try:
            threshold_decide(
                actor=actor_of(request),
                application=application,
                rule_key=form.cleaned_data["rule_key"],
                met=form.cleaned_data["met"] == "yes",
                reasons=form.cleaned_data["reasons"],
                version=form.cleaned_data["version"],
                request=request,
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "Threshold decision recorded")
            return redirect("case-review-staff:detail", reference=application.reference)
    context = _detail_context(request, application, decision_form=form)
    return render(request, "case_review/staff/detail.html", context)


@require_POST
def case_told(request: HttpRequest, case_reference: str) -> HttpResponse:
    """POST /staff/case-reviews/told/<case reference>/: record that the reporter was told about the Case Review."""
    case = case_of(request, case_reference)
    try:
        case_review_told_record(actor=actor_of(request), case=case, request=request)
    except DomainError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Recorded that you told the reporter about the ASB Case Review")
    return redirect("cases:detail", reference=case.reference)
