"""GET /staff/risk/reassessments/?show=overdue|due_soon|never&mine=1: the cases behind the dashboard's
"Reassessments due" counts (risk/extensions.py `reassessments_panel`). 25 to a page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from saferhomes.accounts.http import actor_of
from saferhomes.core.pagination import paginate
from saferhomes.core.permissions import require
from saferhomes.risk.selectors.assessments import DueRow, due_rows, reassessment_list, reassessments_mine_only
from saferhomes.risk.services.assessments import ASSESS_RISK

REASSESSMENT_LISTS = {
    "overdue": "Reassessments overdue",
    "due_soon": "Reassessments due soon",
    "never": "Working cases never assessed",
}
LIST_PAGE_SIZE = 25


def reassessments(request: HttpRequest) -> HttpResponse:
    """GET /staff/risk/reassessments/?show=overdue|due_soon|never&mine=1: the cases behind the dashboard's counts."""
    require(request.user, ASSESS_RISK)
    actor = actor_of(request)
    show = request.GET.get("show", "overdue")
    if show not in REASSESSMENT_LISTS:
        show = "overdue"
    mine_only = reassessments_mine_only(actor=actor, asked=request.GET.get("mine") == "1")
    today = timezone.localdate()
    cases = reassessment_list(actor=actor, show=show, mine_only=mine_only, today=today)
    page = paginate(cases, request.GET, per_page=LIST_PAGE_SIZE)
    if show == "never":
        rows = [DueRow(case=case, due_on=today, overdue=False, after_incident=False) for case in page["page_obj"]]
    else:
        rows = due_rows(page["page_obj"], today=today)
    return render(
        request,
        "risk/reassessments.html",
        {
            "show": show,
            "title": REASSESSMENT_LISTS[show],
            "lists": REASSESSMENT_LISTS,
            "mine_only": mine_only,
            "rows": rows,
            **page,
        },
    )
