"""The team workload (issue 14 item 20) for staff who assign cases: open cases per officer, what is due and overdue,
and reassigning one or many of an officer's cases with a reason.

Thin: `team_workload` and `workload_cases` read (only cases the user may see), `cases_reassign` decides and writes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from saferhomes.accounts.http import actor_of
from saferhomes.cases.filters import ResponseState, Sort
from saferhomes.cases.forms.workload import ReassignForm, WorkloadFilterForm
from saferhomes.cases.models import Status
from saferhomes.cases.permissions import ASSIGN_CASE
from saferhomes.cases.selectors import workload as selectors
from saferhomes.cases.selectors.workload import Tally, WorkloadRow
from saferhomes.cases.services.case import cases_reassign
from saferhomes.core.errors import DomainError
from saferhomes.core.pagination import paginate

OPEN_STATUSES = [status for status in Status.values if status != Status.CLOSED]
OFFICER_PAGE_SIZE = 50


def _require_assigner(request: HttpRequest) -> None:
    if not request.user.has_perm(ASSIGN_CASE):
        raise PermissionDenied("Only staff who assign cases may see the team workload.")


def _list_url(officer_id: int, **filters: str) -> str:
    """The case list of this officer's open cases, with more filters."""
    query = QueryDict(mutable=True)
    query["officer"] = str(officer_id)
    query.setlist("status", OPEN_STATUSES)
    for name, value in filters.items():
        query[name] = value
    return f"{reverse('cases:list')}?{query.urlencode()}"


@dataclass(frozen=True)
class Linked:
    """A count and where it leads (no link when the case list cannot show it)."""

    tally: Tally
    url: str


@dataclass(frozen=True)
class RowView:
    """A workload row with the case-list links of its numbers (an officer's only: the list has no "nobody" filter,
    and lists by officer only staff who can work cases)."""

    row: WorkloadRow
    page_url: str
    list_url: str
    by_type: list[Linked]
    by_priority: list[Linked]
    due_url: str
    overdue_url: str


def _row_view(row: WorkloadRow) -> RowView:
    """The row with links for its numbers (counts of none are left out of the type and priority lines)."""
    page_url = reverse("cases:workload-officer", args=[row.key])
    types = [t for t in row.by_type if t.count]
    priorities = [t for t in row.by_priority if t.count]
    if row.officer is None or not row.may_work:
        return RowView(row, page_url, "", [Linked(t, "") for t in types], [Linked(t, "") for t in priorities], "", "")
    pk = row.officer.pk
    due = {"sort": Sort.RESPONSE_DUE}
    return RowView(
        row=row,
        page_url=page_url,
        list_url=_list_url(pk),
        by_type=[Linked(t, _list_url(pk, case_type=t.value)) for t in types],
        by_priority=[Linked(t, _list_url(pk, priority=t.value)) for t in priorities],
        due_url=_list_url(pk, response=ResponseState.DUE, **due),
        overdue_url=_list_url(pk, response=ResponseState.OVERDUE, **due),
    )


@require_GET
def workload(request: HttpRequest) -> HttpResponse:
    """GET /staff/cases/workload/?team=<id>: each officer's open cases and what is due, for staff who assign cases."""
    _require_assigner(request)
    actor = actor_of(request)
    form = WorkloadFilterForm(request.GET or None)
    team = form.cleaned_data.get("team") if form.is_bound and form.is_valid() else None
    data = selectors.team_workload(actor=actor, team=team)
    context = {"form": form, "workload": data, "rows": [_row_view(row) for row in data.rows]}
    return render(request, "cases/workload/workload.html", context)


@require_http_methods(["GET", "POST"])
def workload_officer(request: HttpRequest, officer: str) -> HttpResponse:
    """GET/POST /staff/cases/workload/<officer id or "unassigned">/: their open cases, to reassign ticked ones."""
    _require_assigner(request)
    actor = actor_of(request)
    holder = selectors.workload_officer(key=officer)
    page = paginate(selectors.workload_cases(actor=actor, officer=holder), request.GET, per_page=OFFICER_PAGE_SIZE)
    listed = list(page["page_obj"].object_list)
    officers = selectors.reassign_officers(exclude=holder)
    form = ReassignForm(
        request.POST if request.method == "POST" else None,
        cases=listed,
        officers=officers,
        da_trained=selectors.da_trained_ids(officers),
    )
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["officer"]
        try:
            moved = cases_reassign(
                actor=actor,
                cases=form.chosen_cases(),
                officer=chosen,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"{len(moved)} case{'s' if len(moved) != 1 else ''} reassigned to {chosen}")
            return redirect("cases:workload-officer", officer=officer)
    name = "Unassigned cases" if holder is None else f"Cases held by {holder}"
    context = {"holder": holder, "heading": name, "form": form, "listed": listed, **page}
    return render(request, "cases/workload/officer.html", context)
