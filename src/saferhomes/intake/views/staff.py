"""Staff intake and triage pages under /staff/reports/ (issue 6 parts 3 and 5).

Thin: forms parse, `report_submit` and the triage services decide, selectors read. Every report page starts from
`report_get_for_actor`, so a report the user cannot see (a DA report, for an officer) is a 404, never a 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms.utils import ErrorDict
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from saferhomes.accounts.http import actor_of
from saferhomes.accounts.models import User
from saferhomes.cases.http import private_file_response
from saferhomes.cases.models import Case, HateStrand, SubType
from saferhomes.cases.templatetags.case_tags import RESPONSE_TAG_CLASSES
from saferhomes.core.calendar import deadline_in_words
from saferhomes.core.calendar_config import (
    CalendarConfig,
    calendar_config_current,
    case_response_explanation,
    case_response_status,
)
from saferhomes.core.errors import DomainError
from saferhomes.core.pagination import paginate
from saferhomes.intake import rules
from saferhomes.intake.forms.staff import (
    QueueFilterForm,
    RevokeLinkForm,
    StaffReportForm,
    TriageReportForm,
    received_default,
)
from saferhomes.intake.models import Report, ReportAttachment, ReportStatus, StatusLink
from saferhomes.intake.selectors import staff as selectors
from saferhomes.intake.services import status, triage
from saferhomes.intake.services.report import TAKE_REPORT, report_submit

TRIAGE_REPORT = selectors.TRIAGE_REPORT
PAGE_SIZE = 25


def _require(request: HttpRequest, perm: str) -> User:
    actor = actor_of(request)
    if not actor.has_perm(perm):
        raise PermissionDenied("You do not have permission to do that.")
    return actor


def deadline(report: Report, config: CalendarConfig) -> dict[str, str]:
    """The report's response deadline for display: in words, its state and tag colour, and the rule behind it."""
    if report.response_due_at is None:
        return {}
    responded = report.case.responded_at if report.case_id is not None and report.case is not None else None
    status = case_response_status(due_at=report.response_due_at, responded_at=responded, config=config)
    return {
        "due": deadline_in_words(report.response_due_at),
        "label": status.label,
        "code": str(status),
        "tag_class": RESPONSE_TAG_CLASSES.get(str(status), ""),
        "rule": case_response_explanation(report.received_at, urgent=report.urgent, config=config),
    }


# Taking a report ----------------------------------------------------------------------------------------------------


def _register_context(request: HttpRequest, actor: User, data: Any) -> dict[str, Any]:
    """What the register search shows: matches for the typed query, with the chosen person and home kept."""
    choices = selectors.register_choices(
        actor=actor,
        query=(data.get("register_query") or "") if data is not None else "",
        person_reference=(data.get("person_reference") or "") if data is not None else "",
        home_reference=(data.get("home_reference") or "") if data is not None else "",
    )
    return {
        "query": choices.query,
        "people": choices.people,
        "homes": choices.homes,
        "chosen_person": choices.chosen_person,
        "chosen_home": choices.chosen_home,
        "searched": len(choices.query) >= selectors.REGISTER_QUERY_MIN,
    }


def _report_form(request: HttpRequest, actor: User, data: Any, form_errors: Any = None) -> StaffReportForm:
    register = _register_context(request, actor, data)
    errors = (form_errors or {}).get("register_query", [])
    html = render_to_string(
        "intake/staff/_register_search.html", {**register, "errors": errors, "request": request}, request=request
    )
    return StaffReportForm(data, initial=received_default(), actor=actor, register_html=html)


@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    """GET/POST /staff/reports/new/: one fast form for a report by phone, in person, letter, email, partner or out
    of hours. "Find" (no JavaScript) re-shows the form with register matches; htmx fills them as you type."""
    actor = _require(request, TAKE_REPORT)
    if request.method != "POST":
        return render(request, "intake/staff/new.html", {"form": _report_form(request, actor, None)})
    if request.POST.get("action") == "find":
        form = _report_form(request, actor, request.POST)
        form._errors = ErrorDict()  # type: ignore[attr-defined]  # a search is not a submission: show the answers, not their errors
        return render(request, "intake/staff/new.html", {"form": form, "found": True})
    form = _report_form(request, actor, request.POST)
    if form.is_valid():
        try:
            report = report_submit(
                details=form.details(),
                channel=form.cleaned_data["channel"],
                actor=actor,
                received_at=form.received_at(),
                urgent=form.urgent_override(),
                request=request,
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            return redirect("intake-staff:created", reference=report.reference)
    if "register_query" in form.errors:
        form = _rerender_with_errors(request, actor, form)
    return render(request, "intake/staff/new.html", {"form": form})


def _rerender_with_errors(request: HttpRequest, actor: User, form: StaffReportForm) -> StaffReportForm:
    """The form again with its errors, and the register block showing its own error beside the search box."""
    errors = form.errors.copy()
    again = _report_form(request, actor, request.POST, form_errors=errors)
    again.is_valid()
    for name, messages_ in errors.items():
        for message in messages_:
            if message not in again.errors.get(name, []):
                again.add_error(name if name in again.fields else None, message)
    return again


@require_GET
def register_search(request: HttpRequest) -> HttpResponse:
    """GET /staff/reports/register-search/?register_query=...: the matching people and homes (htmx fragment)."""
    actor = _require(request, TAKE_REPORT)
    return render(request, "intake/staff/_register_matches.html", _register_context(request, actor, request.GET))


@require_GET
def report_created(request: HttpRequest, reference: str) -> HttpResponse:
    """GET /staff/reports/<ref>/created/: the reference and the response deadline, with "Triage now"."""
    actor = _require(request, TAKE_REPORT)
    report = selectors.report_created_by(actor=actor, reference=reference, request=request)
    context = {
        "report": report,
        "deadline": deadline(report, calendar_config_current()),
        "urgency": rules.urgency_in_words(report.urgent_reasons) if report.urgent else "Standard",
        "can_triage": selectors.report_may_triage(actor=actor, report=report),
    }
    return render(request, "intake/staff/created.html", context)


# The queue ----------------------------------------------------------------------------------------------------------


@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """GET /staff/reports/: reports awaiting triage, soonest deadline first (or drafts from email, ?status=draft),
    filtered by channel and type, 25 to a page."""
    actor = _require(request, TRIAGE_REPORT)
    status = ReportStatus.DRAFT if request.GET.get("status") == ReportStatus.DRAFT else ReportStatus.NEW
    form = QueueFilterForm(request.GET or None)
    reports = selectors.triage_queue(actor=actor, status=status)
    if form.is_bound and form.is_valid():
        if form.cleaned_data.get("channel"):
            reports = reports.filter(channel=form.cleaned_data["channel"])
        if form.cleaned_data.get("case_type"):
            reports = reports.filter(case_type=form.cleaned_data["case_type"])
    elif form.is_bound:
        reports = reports.none()
    page = paginate(reports, request.GET, per_page=PAGE_SIZE)
    config = calendar_config_current()
    rows = [(report, deadline(report, config)) for report in page["page_obj"]]
    context = {
        "form": form,
        "rows": rows,
        "status": status,
        "counts": selectors.triage_counts(actor=actor),
        "filtered": bool(form.is_bound and any(form.data.get(k) for k in ("channel", "case_type"))),
        "can_take": actor.has_perm(TAKE_REPORT),
        **page,
    }
    return render(request, "intake/staff/queue.html", context)


# One report and its triage ------------------------------------------------------------------------------------------


def _triage_form(request: HttpRequest, actor: User, report: Report, data: Any) -> TriageReportForm:
    """The triage form, with the open cases the report may belong to offered above the case reference box."""
    chosen = (data.get("suggested_case") or "").strip().upper() if data is not None else ""
    suggestions = selectors.case_suggestions(actor=actor, report=report)
    html = render_to_string(
        "intake/staff/_suggestions.html", {"suggestions": suggestions, "chosen": chosen}, request=request
    )
    return TriageReportForm(data, report=report, suggestions_html=html)


def _labels(values: list[str], choices: Any) -> list[str]:
    names = dict(choices)
    return [str(names.get(value, value)) for value in values]


def _detail_context(request: HttpRequest, actor: User, report: Report) -> dict[str, Any]:
    problem = rules.PROBLEMS_BY_KEY.get(report.problem)
    attachments = list(report.attachments.filter(diary_entry__isnull=True))
    return {
        "report": report,
        "deadline": deadline(report, calendar_config_current()),
        "problem_label": problem.label if problem else "",
        "sub_type_labels": _labels(list(report.sub_types), SubType.choices),
        "hate_strand_labels": _labels(list(report.hate_strands), HateStrand.choices),
        "urgency": rules.urgency_in_words(report.urgent_reasons) if report.urgent else "Standard",
        "attachments": attachments,
        "diary_entries": list(report.diary_entries.all()),
        "status_links": list(report.status_links.all()),
        "revoke_form": RevokeLinkForm(),
        "untriaged": report.status in selectors.UNTRIAGED,
        "case_visible": selectors.report_case_visible(actor=actor, report=report),
    }


@require_http_methods(["GET", "POST"])
def report_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """GET/POST /staff/reports/<ref>/: the report in full, then the triage form: confirm type, category and urgency;
    open a new case, add it to a suggested open case, or take it no further."""
    actor = _require(request, TRIAGE_REPORT)
    report = selectors.report_get_for_actor(actor=actor, reference=reference, request=request)
    context = _detail_context(request, actor, report)
    if not context["untriaged"]:
        return render(request, "intake/staff/detail.html", context)
    form = _triage_form(request, actor, report, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        outcome = form.cleaned_data["outcome"]
        version = form.cleaned_data.get("version")
        try:
            if outcome == "new_case":
                triage.report_open_case(
                    actor=actor, report=report, decision=form.decision(), version=version, request=request
                )
            elif outcome == "add":
                triage.report_add_to_case(
                    actor=actor,
                    report=report,
                    case_reference=form.cleaned_data["case_reference"],
                    decision=form.decision(),
                    version=version,
                    request=request,
                )
            else:
                triage.report_not_proceeded(
                    actor=actor,
                    report=report,
                    reason=form.cleaned_data["not_proceeded_reason"],
                    version=version,
                    request=request,
                )
        except DomainError as error:
            form.add_domain_error(error)
            data = request.POST.copy()
            data["version"] = str(selectors.report_version(report=report))
            form.data = data
        else:
            return redirect("intake-staff:triaged", reference=report.reference)
    return render(request, "intake/staff/detail.html", {**context, "form": form})


@require_GET
def report_triaged(request: HttpRequest, reference: str) -> HttpResponse:
    """GET /staff/reports/<ref>/triaged/: what happened to the report and what to do next (police referral, ASB
    Case Review)."""
    actor = _require(request, TRIAGE_REPORT)
    report = selectors.report_triaged_by(actor=actor, reference=reference, request=request)
    if report.status in selectors.UNTRIAGED:
        return redirect("intake-staff:detail", reference=report.reference)
    case: Case | None = report.case
    visible = selectors.report_case_visible(actor=actor, report=report)
    prompts = selectors.triage_prompts_for(report=report) if case is not None else []
    context = {"report": report, "case": case if visible else None, "case_hidden": case is not None and not visible}
    return render(request, "intake/staff/triaged.html", {**context, "prompts": prompts})


@require_POST
def status_link_revoke(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """POST /staff/reports/<ref>/status-links/<id>/revoke/: stop a reporter's status link working, with a reason."""
    actor = _require(request, TRIAGE_REPORT)
    report = selectors.report_get_for_actor(actor=actor, reference=reference, request=request)
    link = get_object_or_404(StatusLink, pk=pk, report=report)
    form = RevokeLinkForm(request.POST)
    if form.is_valid():
        try:
            status.status_link_revoke(actor=actor, link=link, reason=form.cleaned_data["reason"], request=request)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "The status link has been stopped")
            return redirect("intake-staff:detail", reference=report.reference)
    context = _detail_context(request, actor, report)
    if context["untriaged"]:
        context["form"] = _triage_form(request, actor, report, None)
    return render(request, "intake/staff/detail.html", {**context, "revoke_form": form, "revoke_link": link})


@require_GET
def attachment_download(request: HttpRequest, reference: str, pk: int) -> FileResponse:
    """GET /staff/reports/<ref>/attachments/<id>/: a file sent with the report, as an attachment; audited."""
    actor = _require(request, TRIAGE_REPORT)
    report = selectors.report_get_for_actor(actor=actor, reference=reference, request=request)
    attachment = get_object_or_404(ReportAttachment, pk=pk, report=report)
    return private_file_response(attachment, actor=actor, request=request)
