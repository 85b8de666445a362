"""Staff case pages: dashboard, list, new case, overview, parties, triage, assignment, links, break glass.

Thin: forms parse, services decide, selectors read. Every case page starts from `case_get_for_actor`, so a case the
user cannot see is a 404 (never a 403 that would confirm it exists) and reads of restricted and DA cases are
audited; only then is the page's own permission checked (403).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from saferhomes.accounts.http import actor_of
from saferhomes.accounts.models import User
from saferhomes.cases import rules
from saferhomes.cases.extensions import dashboard_panels, prompt_addons
from saferhomes.cases.filters import CaseFilter, Sort, officers_for_filter
from saferhomes.cases.forms.case import (
    AssignForm,
    BreakGlassForm,
    CaseCreateForm,
    LinkForm,
    PartyForm,
    TransitionForm,
    TriageForm,
    party_initial,
    received_default,
)
from saferhomes.cases.http import case_of
from saferhomes.cases.models import Case, HateStrand, Party, Sensitivity, Status, SubType
from saferhomes.cases.permissions import (
    ADD_CASE,
    ASSIGN_CASE,
    BREAK_GLASS,
    TRIAGE_CASE,
    VIEW_CASE,
    WORK_CASE,
    case_permissions,
)
from saferhomes.cases.selectors import case as selectors
from saferhomes.cases.selectors.approvals import APPROVE_CLOSURE, closures_awaiting_approval
from saferhomes.cases.selectors.dashboard import dashboard_summary
from saferhomes.cases.selectors.export import case_export_columns, cases_export
from saferhomes.cases.services import break_glass as break_glass_services
from saferhomes.cases.services import case as services
from saferhomes.cases.services import link as link_services
from saferhomes.cases.services import party as party_services
from saferhomes.core.errors import DomainError
from saferhomes.core.exports import ExportFormat, export_response
from saferhomes.core.pagination import paginate, query_without_page

LIST_PAGE_SIZE = 25
# The list counts at most this many matches: an exact count of a million cases costs more than the page itself, and
# counting 10,000 took most of a broad list's time at 1,000,000 cases (bench/README.md). Past it the page says "more
# than 2,000" and offers the newest 80 pages; filters and search reach the rest.
LIST_COUNT_LIMIT = 2_000
# A search counts fewer: its matches are scattered through the table, so each one counted is a page read (counting
# 2,000 "james" took 150 ms at 1,000,000 cases); past 500, more words narrow it better than paging.
SEARCH_COUNT_LIMIT = 500


def list_count_limit(query: Any) -> int:
    """How many matches the case list counts for these GET parameters."""
    return SEARCH_COUNT_LIMIT if str(query.get("q", "")).strip() else LIST_COUNT_LIMIT


def _require(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied("You do not have permission to do that.")


def _version(form: Any) -> int | None:
    return form.cleaned_data.get("version") if hasattr(form, "cleaned_data") else None


def _refused(form: Any, error: DomainError, case: Case) -> None:
    """Show the service's refusal on the form, and carry the case's current version so that, having read what
    changed, the user can send the form again (a stale-version refusal would otherwise repeat for ever)."""
    form.add_domain_error(error)
    if "version" in form.fields:
        data = form.data.copy()
        data["version"] = str(Case.objects.values_list("version", flat=True).get(pk=case.pk))
        form.data = data


def _page(request: HttpRequest, template: str, case: Case, tab: str, **context: Any) -> HttpResponse:
    return render(request, template, {"case": case, "active_tab": tab, **context})


# Dashboard and list -----------------------------------------------------------------------------------------------


APPROVALS_PAGE = 200  # the queue is short by nature; past this the page says how many more


def dashboard(request: HttpRequest) -> HttpResponse:
    """GET /staff/cases/: a summary, each number a link to the list it counts (issue 14 item 12), then the panels
    other apps register (reassessments due from risk)."""
    _require(request, VIEW_CASE)
    actor = actor_of(request)
    summary = dashboard_summary(actor=actor)
    context = {
        "summary": summary,
        "panels": dashboard_panels(actor=actor, sees_all=summary.sees_all),
    }
    return render(request, "cases/core/dashboard.html", context)


@require_GET
def approvals(request: HttpRequest) -> HttpResponse:
    """GET /staff/cases/approvals/: closures of high-risk and DA cases waiting for a manager, longest waiting first."""
    actor = actor_of(request)
    _require(request, APPROVE_CLOSURE)
    cases = closures_awaiting_approval(actor=actor)
    rows = [
        {
            "case": case,
            "reason": rules.approval_reason(
                case_type=case.case_type, priority=case.priority, sensitivity=case.sensitivity
            ),
            "own": case.closure_requested_by_id == actor.pk,
        }
        for case in cases[:APPROVALS_PAGE]
    ]
    return render(request, "cases/core/approvals.html", {"rows": rows, "count": cases.count()})


def case_list(request: HttpRequest) -> HttpResponse:
    """GET /staff/cases/all/: every case the user may see, filtered and searched, 25 to a page."""
    _require(request, VIEW_CASE)
    actor = actor_of(request)
    filters = CaseFilter(
        request.GET or None, queryset=selectors.cases_for_list(actor=actor), officers=officers_for_filter()
    )
    # Unfiltered (no query string) the FilterSet is unbound and lists everything; bound, it must be valid.
    valid = not filters.is_bound or filters.is_valid()
    cases: QuerySet[Case] = filters.qs if valid else Case.objects.none()
    context = {
        "filter": filters,
        "form": filters.form,
        "filtered": filters.is_filtered,
        "by_response_due": request.GET.get("sort") == Sort.RESPONSE_DUE,
        "searched": bool(filters.is_bound and str(request.GET.get("q", "")).strip()),
        "download_query": query_without_page(request.GET).urlencode(),
        **paginate(cases, request.GET, per_page=LIST_PAGE_SIZE, count_limit=list_count_limit(request.GET)),
    }
    return render(request, "cases/core/list.html", context)


@require_GET
def case_list_download(request: HttpRequest, export_format: str) -> HttpResponse | StreamingHttpResponse:
    """GET /staff/cases/all/download/<csv|xlsx>/?<the list's filters>: the filtered list as a file, audited."""
    _require(request, VIEW_CASE)
    actor = actor_of(request)
    if export_format not in {fmt.value for fmt in ExportFormat}:
        raise Http404("Downloads are CSV or XLSX.")
    filters = CaseFilter(
        request.GET or None, queryset=selectors.cases_for_list(actor=actor), officers=officers_for_filter()
    )
    if filters.is_bound and not filters.is_valid():
        return redirect(f"{reverse('cases:list')}?{request.GET.urlencode()}")  # the list shows what to put right
    fmt = ExportFormat(export_format)
    try:
        rows = cases_export(
            actor=actor, cases=filters.qs, export_format=fmt, described_as=request.GET.urlencode(), request=request
        )
    except DomainError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(f"{reverse('cases:list')}?{request.GET.urlencode()}")
    return export_response(fmt, case_export_columns(), rows, name="cases", title="Cases")


# New case ---------------------------------------------------------------------------------------------------------


def case_create(request: HttpRequest) -> HttpResponse:
    """GET/POST /staff/cases/new/: a case from a report taken by staff."""
    _require(request, ADD_CASE)
    actor = actor_of(request)
    form = CaseCreateForm(request.POST or None, initial=received_default(), actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_create(actor=actor, details=form.details(), request=request)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            if not selectors.cases_visible_to(actor=actor).filter(pk=case.pk).exists():
                return render(request, "cases/core/created_elsewhere.html", {"case": case})
            messages.success(request, f"Case {case.reference} created")
            return redirect("cases:detail", reference=case.reference)
    return render(request, "cases/core/create.html", {"form": form})


# The case page ----------------------------------------------------------------------------------------------------


def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """GET /staff/cases/<ref>/: the overview, prompts, what can be done next, and linked cases."""
    case = case_of(request, reference)
    actor = actor_of(request)
    may = case_permissions(actor=actor, case=case)
    prompts: list[rules.Prompt] = []
    if may.workable:
        prompts += rules.triage_prompts(case_type=case.case_type, criminal=case.criminal)
        review = selectors.case_review_prompt_for(case=case)
        if review:
            prompts.append(review)
    moves = {
        target: rules.transition_label(case.status, target)
        for target in rules.allowed_transitions(case.status)
        if target == Status.OPEN
    }
    context = {
        "prompts": prompts,
        "prompt_rows": prompt_addons(case=case, actor=actor, prompts=prompts),
        "links": selectors.case_links(case=case, actor=actor),
        "properties": list(case.properties.all()),
        "can_triage": may.can_triage,
        "can_assign": may.can_assign,
        "can_work": may.can_work,
        "moves": moves if may.works_cases else {},
        "grant": selectors.active_grant(actor=actor, case=case),
        "sub_type_labels": [str(dict(SubType.choices).get(v, v)) for v in case.sub_types],
        "hate_strand_labels": [str(dict(HateStrand.choices).get(v, v)).lower() for v in case.hate_strands],
    }
    return _page(request, "cases/core/detail.html", case, "overview", **context)


def case_parties(request: HttpRequest, reference: str) -> HttpResponse:
    """GET /staff/cases/<ref>/parties/: everyone on the case, minors flagged with what to do."""
    case = case_of(request, reference)
    can_work = case_permissions(actor=actor_of(request), case=case).can_work
    return _page(
        request,
        "cases/core/parties.html",
        case,
        "parties",
        party_views=selectors.party_views(case=case),
        can_work=can_work,
    )


def party_add(request: HttpRequest, reference: str) -> HttpResponse:
    """GET/POST /staff/cases/<ref>/parties/new/: add someone to the case."""
    case = case_of(request, reference)
    _require(request, WORK_CASE)
    form = PartyForm(request.POST or None, initial={"version": case.version}, actor=actor_of(request))
    if request.method == "POST" and form.is_valid():
        try:
            party = party_services.party_add(
                actor=actor_of(request), case=case, details=form.details(), version=_version(form), request=request
            )
        except DomainError as error:
            _refused(form, error, case)
        else:
            messages.success(request, f"{party.display_name} added as {party.get_role_display().lower()}")
            return redirect("cases:parties", reference=case.reference)
    return _page(request, "cases/core/party_form.html", case, "parties", form=form, party=None)


def party_edit(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """GET/POST /staff/cases/<ref>/parties/<pk>/: change what the case records about someone."""
    case = case_of(request, reference)
    _require(request, WORK_CASE)
    party = get_object_or_404(Party.objects.select_related("person"), pk=pk, case=case)
    form = PartyForm(
        request.POST or None, initial={**party_initial(party), "version": case.version}, actor=actor_of(request)
    )
    if request.method == "POST" and form.is_valid():
        try:
            party_services.party_update(
                actor=actor_of(request), party=party, details=form.details(), version=_version(form), request=request
            )
        except DomainError as error:
            _refused(form, error, case)
        else:
            messages.success(request, f"Details of {party.display_name} saved")
            return redirect("cases:parties", reference=case.reference)
    return _page(request, "cases/core/party_form.html", case, "parties", form=form, party=party)


def case_triage(request: HttpRequest, reference: str) -> HttpResponse:
    """GET/POST /staff/cases/<ref>/triage/: priority, urgency, criminal flag, category; new → triaged."""
    case = case_of(request, reference)
    _require(request, TRIAGE_CASE)
    initial = {
        "version": case.version,
        "priority": case.priority,
        "urgent": "yes" if case.urgent else "no",
        "criminal": "yes" if case.criminal else "no",
        "category": case.category,
        "sub_types": case.sub_types,
        "hate_strands": case.hate_strands,
    }
    form = TriageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.case_triage(
                actor=actor_of(request),
                case=case,
                priority=data["priority"],
                urgent=data["urgent"] == "yes",
                urgent_reason=data.get("urgent_reason", ""),
                criminal=data["criminal"] == "yes",
                category=data.get("category", ""),
                sub_types=data.get("sub_types", []),
                hate_strands=data.get("hate_strands", []),
                version=_version(form),
                request=request,
            )
        except DomainError as error:
            _refused(form, error, case)
        else:
            messages.success(request, "Case triaged")
            for prompt in result.prompts:
                messages.warning(request, prompt.message)
            return redirect("cases:detail", reference=case.reference)
    return _page(request, "cases/core/triage.html", case, "overview", form=form)


def _officers_for(case: Case) -> QuerySet[User]:
    officers = officers_for_filter()
    if case.sensitivity == Sensitivity.DA:
        officers = officers.filter(groups__permissions__codename="view_da_cases")
    return officers.filter(~Q(pk=case.assigned_officer_id) if case.assigned_officer_id else Q())


def case_assign(request: HttpRequest, reference: str) -> HttpResponse:
    """GET/POST /staff/cases/<ref>/assign/: give the case to an officer (a reason when it already has one)."""
    case = case_of(request, reference)
    _require(request, ASSIGN_CASE)
    form = AssignForm(request.POST or None, initial={"version": case.version}, officers=_officers_for(case))
    if request.method == "POST" and form.is_valid():
        officer = form.cleaned_data["officer"]
        try:
            case = services.case_assign(
                actor=actor_of(request),
                case=case,
                officer=officer,
                reason=form.cleaned_data.get("reason", ""),
                version=_version(form),
                request=request,
            )
        except DomainError as error:
            _refused(form, error, case)
        else:
            messages.success(request, f"Case assigned to {officer}")
            if selectors.cases_visible_to(actor=actor_of(request)).filter(pk=case.pk).exists():
                return redirect("cases:detail", reference=case.reference)
            return redirect("cases:dashboard")
    return _page(request, "cases/core/assign.html", case, "overview", form=form)


@require_POST
def case_transition(request: HttpRequest, reference: str) -> HttpResponse:
    """POST /staff/cases/<ref>/status/: start the investigation, or withdraw a closure with a reason."""
    case = case_of(request, reference)
    _require(request, WORK_CASE)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            case = services.case_transition(
                actor=actor_of(request),
                case=case,
                to_status=form.cleaned_data["to_status"],
                reason=form.cleaned_data.get("reason", ""),
                version=_version(form),
                request=request,
            )
        except DomainError as error:
            _refused(form, error, case)
        else:
            messages.success(request, f"Case is now {case.get_status_display().lower()}")
            return redirect("cases:detail", reference=case.reference)
    return _page(request, "cases/core/transition_error.html", case, "overview", form=form)


def case_link_add(request: HttpRequest, reference: str) -> HttpResponse:
    """GET/POST /staff/cases/<ref>/links/new/: link another case (same perpetrator, location or victim)."""
    case = case_of(request, reference)
    _require(request, WORK_CASE)
    form = LinkForm(request.POST or None, initial={"version": case.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            link = link_services.case_link(
                actor=actor_of(request),
                case=case,
                other_reference=data["other_reference"],
                reason=data["reason"],
                note=data.get("note", ""),
                version=_version(form),
                request=request,
            )
        except DomainError as error:
            _refused(form, error, case)
        else:
            messages.success(request, f"Linked to {link.to_case.reference}")
            return redirect("cases:detail", reference=case.reference)
    return _page(request, "cases/core/link.html", case, "overview", form=form)


# Break glass ------------------------------------------------------------------------------------------------------


def break_glass(request: HttpRequest) -> HttpResponse:
    """GET/POST /staff/cases/break-glass/: a manager opens a case they cannot otherwise see, with a reason."""
    _require(request, BREAK_GLASS)
    form = BreakGlassForm(request.POST or None, initial={"reference": request.GET.get("reference", "")})
    if request.method == "POST" and form.is_valid():
        try:
            grant = break_glass_services.case_break_glass(
                actor=actor_of(request),
                reference=form.cleaned_data["reference"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            until = timezone.localtime(grant.expires_at)
            messages.warning(
                request,
                f"You have broken glass to open this case until {until:%H:%M} on {until:%d %B}. "
                "The data protection officer has been told, and every page you open is recorded.",
            )
            return redirect("cases:detail", reference=grant.case.reference)
    return render(request, "cases/core/break_glass.html", {"form": form})
