"""The Partnership tab of a case (/staff/cases/<ref>/partnership/): every section registered in
`referrals.sections`, for staff who may see the case."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from saferhomes.accounts.http import actor_of
from saferhomes.cases.http import case_of
from saferhomes.referrals.sections import sections_for


@require_GET
def case_partnership(request: HttpRequest, reference: str) -> HttpResponse:
    """GET: the case's referrals, support offers, MARAC form, shares, conferences and disclosures."""
    case = case_of(request, reference)
    sections = sections_for(case=case, actor=actor_of(request), request=request)
    return render(
        request, "referrals/case/partnership.html", {"case": case, "active_tab": "partnership", "sections": sections}
    )
