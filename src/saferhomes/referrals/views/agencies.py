"""The agency directory under /staff/partnership/agencies/: the list (search by name or code, filter by kind), an
agency's page, and adding or changing one. Staff who refer or share cases read it; administrators
(`referrals.manage_agencies`) keep it. Thin: the selectors and services in `referrals.selectors.agencies` and
`referrals.services.agencies`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from saferhomes.accounts.http import actor_of
from saferhomes.core.errors import DomainError
from saferhomes.core.pagination import paginate
from saferhomes.core.permissions import require
from saferhomes.referrals.forms.agencies import AgencyForm, AgencySearchForm
from saferhomes.referrals.models import Agency
from saferhomes.referrals.selectors.agencies import agencies_for, agency_detail, require_directory_reader
from saferhomes.referrals.services.agencies import MANAGE_AGENCIES, AgencyDetails, agency_create, agency_update

PAGE_SIZE = 50


def _agency_or_404(request: HttpRequest, code: str) -> Agency:
    try:
        return agency_detail(actor=actor_of(request), code=code)
    except DomainError:
        raise Http404("No agency has this code") from None


@require_GET
def agency_list(request: HttpRequest) -> HttpResponse:
    """GET: every agency, or those matching a name or code and a kind; 50 a page."""
    actor = actor_of(request)
    require_directory_reader(actor)
    form = AgencySearchForm(request.GET or None)
    q, kind = "", ""
    if form.is_bound and form.is_valid():
        q, kind = form.cleaned_data["q"], form.cleaned_data["kind"]
    agencies = agencies_for(actor=actor, q=q, kind=kind)
    if form.is_bound and not form.is_valid():
        agencies = agencies.none()
    context = {
        "form": form,
        "filtered": bool(q or kind),
        "can_manage": actor.has_perm(MANAGE_AGENCIES),
        **paginate(agencies, request.GET, per_page=PAGE_SIZE),
    }
    return render(request, "referrals/agencies/list.html", context)


@require_GET
def agency_view(request: HttpRequest, code: str) -> HttpResponse:
    """GET: everything the directory holds about an agency, and its members (partner users)."""
    agency = _agency_or_404(request, code)
    context = {
        "agency": agency,
        "members": [membership.user for membership in agency.members.all()],
        "can_manage": actor_of(request).has_perm(MANAGE_AGENCIES),
    }
    return render(request, "referrals/agencies/detail.html", context)


@require_http_methods(["GET", "POST"])
def agency_add(request: HttpRequest) -> HttpResponse:
    """GET the form; POST adds the agency (administrators)."""
    actor = actor_of(request)
    require(actor, MANAGE_AGENCIES)
    form = AgencyForm(request.POST or None, initial={"active": "yes"}, submit="Add agency")
    if request.method == "POST" and form.is_valid():
        try:
            agency = agency_create(actor=actor, details=form.details(), request=request)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"{agency.name} is in the directory.")
            return redirect("referrals:agency", code=agency.code)
    return render(request, "referrals/agencies/form.html", {"form": form, "agency": None})


@require_http_methods(["GET", "POST"])
def agency_edit(request: HttpRequest, code: str) -> HttpResponse:
    """GET the form with the agency's details; POST saves the changes (administrators)."""
    actor = actor_of(request)
    if not actor.has_perm(MANAGE_AGENCIES):
        raise PermissionDenied("Only administrators can change the agency directory.")
    agency = _agency_or_404(request, code)
    initial = AgencyForm.initial_for(AgencyDetails.of(agency))
    form = AgencyForm(request.POST or None, initial=initial, submit="Save changes")
    if request.method == "POST" and form.is_valid():
        try:
            saved = agency_update(actor=actor, agency=agency, details=form.details(), request=request)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"Changes to {saved.name} are saved.")
            return redirect("referrals:agency", code=saved.code)
    return render(request, "referrals/agencies/form.html", {"form": form, "agency": agency})
