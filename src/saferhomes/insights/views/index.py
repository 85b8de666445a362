"""The Performance area's landing page (/staff/insights/): what each page of figures is for."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from saferhomes.accounts.http import actor_of
from saferhomes.core.permissions import require
from saferhomes.insights.selectors.tsm import VIEW_PERFORMANCE


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """GET: links to the monthly report and the Tenant Satisfaction Measures."""
    require(actor_of(request), VIEW_PERFORMANCE)
    return render(request, "insights/index.html")
