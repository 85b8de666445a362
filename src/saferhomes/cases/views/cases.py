"""Staff case pages: dashboard, list, new case, overview, parties, triage, assignment, links, break glass."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from saferhomes.cases import selectors


@login_required
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """The case overview."""
    case = selectors.case_get_for_actor(actor=request.user, reference=reference, request=request)
    return render(request, "cases/core/detail.html", {"case": case, "active_tab": "overview"})


@login_required
def case_parties(request: HttpRequest, reference: str) -> HttpResponse:
    """The people on the case, with minors and what staff must know."""
    case = selectors.case_get_for_actor(actor=request.user, reference=reference, request=request)
    views = selectors.party_views(case=case)
    return render(request, "cases/core/parties.html", {"case": case, "active_tab": "parties", "party_views": views})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The officer's dashboard."""
    return render(request, "cases/core/dashboard.html", {})


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    """Every case the user may see, filtered and searched."""
    return render(request, "cases/core/list.html", {})
