"""GET /staff/interventions/due/?show=overdue|soon|approval&mine=1: what is behind the dashboard's "Interventions"
counts — expected milestones overdue or due soon, and formal action awaiting a manager's approval. 25 to a page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from saferhomes.accounts.http import actor_of
from saferhomes.core.pagination import paginate
from saferhomes.core.permissions import require
from saferhomes.interventions.selectors.due import (
    APPROVE_FORMAL_ACTION,
    DUE_LISTS,
    DUE_SOON_DAYS,
    awaiting_approval,
    milestones_due_list,
    mine_only,
)
from saferhomes.interventions.services.interventions import RECORD_INTERVENTION

LIST_PAGE_SIZE = 25


def interventions_due(request: HttpRequest) -> HttpResponse:
    require(request.user, RECORD_INTERVENTION)
    actor = actor_of(request)
    may_approve = actor.has_perm(APPROVE_FORMAL_ACTION)
    lists = {key: label for key, label in DUE_LISTS.items() if key != "approval" or may_approve}
    show = request.GET.get("show", "overdue")
    if show not in lists:
        show = "overdue"
    today = timezone.localdate()
    mine = mine_only(actor=actor, asked=request.GET.get("mine") == "1")
    if show == "approval":
        page = paginate(awaiting_approval(actor=actor), request.GET, per_page=LIST_PAGE_SIZE)
    else:
        page = paginate(
            milestones_due_list(actor=actor, show=show, mine=mine, today=today), request.GET, per_page=LIST_PAGE_SIZE
        )
    return render(
        request,
        "interventions/due.html",
        {
            "show": show,
            "title": lists[show],
            "lists": lists,
            "mine_only": mine and show != "approval",
            "today": today,
            "within_days": DUE_SOON_DAYS,
            **page,
        },
    )
