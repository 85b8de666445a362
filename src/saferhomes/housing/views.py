"""Staff pages for browsing the housing register (read-only): homes, one home, one person."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from saferhomes.accounts.http import actor_of
from saferhomes.core.pagination import paginate
from saferhomes.housing.forms import PropertySearchForm
from saferhomes.housing.selectors import estates_for_filter, person_detail, properties_search, property_detail

PAGE_SIZE = 50


def property_list(request: HttpRequest) -> HttpResponse:
    """GET /staff/housing/properties/: search by reference, postcode or address; filter by estate; 50 a page."""
    estates = estates_for_filter(actor=actor_of(request))
    form = PropertySearchForm(request.GET or None, estates=estates)
    query, estate = "", None
    if form.is_bound and form.is_valid():
        query, estate = form.cleaned_data["q"], form.cleaned_data["estate"]
    homes = properties_search(actor=actor_of(request), query=query, estate=estate)
    if form.is_bound and not form.is_valid():
        homes = homes.none()
    context = {
        "form": form,
        "filtered": bool(query or estate),
        **paginate(homes, request.GET, per_page=PAGE_SIZE),
    }
    return render(request, "housing/property_list.html", context)


def property_view(request: HttpRequest, pk: int) -> HttpResponse:
    """GET /staff/housing/properties/<pk>/: the address, estate, and tenancies with their people."""
    home = property_detail(actor=actor_of(request), pk=pk)
    today = timezone.localdate()
    tenancies = list(home.tenancies.all())
    for tenancy in tenancies:
        for member in tenancy.members.all():
            member.is_minor = member.person.is_minor_on(today)  # type: ignore[attr-defined]
    context = {
        "home": home,
        "current_tenancies": [t for t in tenancies if t.is_current_on(today)],
        "other_tenancies": [t for t in tenancies if not t.is_current_on(today)],
        "today": today,
    }
    return render(request, "housing/property_detail.html", context)


def person_view(request: HttpRequest, pk: int) -> HttpResponse:
    """GET /staff/housing/people/<pk>/: contact details, safe-contact notes first, needs, and tenancies."""
    person = person_detail(actor=actor_of(request), pk=pk)
    today = timezone.localdate()
    context = {
        "person": person,
        "age": person.age_on(today),
        "is_minor": person.is_minor_on(today),
        "memberships": list(person.tenancy_memberships.all()),
        "today": today,
    }
    return render(request, "housing/person_detail.html", context)
