"""Staff pages for browsing the housing register (read-only): homes, one home, one person."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone

from saferhomes.housing.forms import PropertySearchForm
from saferhomes.housing.selectors import estates_for_filter, person_detail, properties_search, property_detail

PAGE_SIZE = 50


def _page_href(query: QueryDict, number: int) -> str:
    link = query.copy()
    link["page"] = str(number)
    return f"?{link.urlencode()}"


def pagination_items(page: Page[Any], query: QueryDict) -> list[dict[str, Any]]:
    """GOV.UK pagination items: first, last and the pages either side of the current one, ellipses between."""
    current, last = page.number, page.paginator.num_pages
    wanted = sorted({1, last, current - 1, current, current + 1} & set(range(1, last + 1)))
    items: list[dict[str, Any]] = []
    previous = 0
    for number in wanted:
        if number - previous > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "href": _page_href(query, number), "current": number == current})
        previous = number
    return items


def property_list(request: HttpRequest) -> HttpResponse:
    """GET /staff/housing/properties/: search by reference, postcode or address; filter by estate; 50 a page."""
    estates = estates_for_filter(actor=request.user)
    form = PropertySearchForm(request.GET or None, estates=estates)
    query, estate = "", None
    if form.is_bound and form.is_valid():
        query, estate = form.cleaned_data["q"], form.cleaned_data["estate"]
    homes = properties_search(actor=request.user, query=query, estate=estate)
    if form.is_bound and not form.is_valid():
        homes = homes.none()
    page = Paginator(homes, PAGE_SIZE).get_page(request.GET.get("page"))
    without_page = request.GET.copy()
    without_page.pop("page", None)
    has_pages = page.paginator.num_pages > 1
    context = {
        "form": form,
        "page_obj": page,
        "filtered": bool(query or estate),
        "pagination": pagination_items(page, without_page) if has_pages else [],
        "previous_href": _page_href(without_page, page.previous_page_number()) if page.has_previous() else "",
        "next_href": _page_href(without_page, page.next_page_number()) if page.has_next() else "",
    }
    return render(request, "housing/property_list.html", context)


def property_view(request: HttpRequest, pk: int) -> HttpResponse:
    """GET /staff/housing/properties/<pk>/: the address, estate, and tenancies with their people."""
    home = property_detail(actor=request.user, pk=pk)
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
    person = person_detail(actor=request.user, pk=pk)
    today = timezone.localdate()
    context = {
        "person": person,
        "age": person.age_on(today),
        "is_minor": person.is_minor_on(today),
        "memberships": list(person.tenancy_memberships.all()),
        "today": today,
    }
    return render(request, "housing/person_detail.html", context)
