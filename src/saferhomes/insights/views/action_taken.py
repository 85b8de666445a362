"""The public "action we've taken" (issue 18 part 4): /action-taken/ shows approved quarters only, suppressed; and
/staff/insights/action-taken/ where a manager reviews a quarter's figures and approves them for publication."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from saferhomes.accounts.http import actor_of
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.insights import publication
from saferhomes.insights.selectors import action_taken as selectors
from saferhomes.insights.services.action_taken import action_taken_approve

QUARTERS_OFFERED = 8


def _quarter_from(value: str, today: dt.date) -> dt.date:
    """The quarter named in the address (its first day, ISO), or last quarter when absent or not a quarter's start."""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return publication.previous_quarter_start(today)
    return day if publication.is_quarter_start(day) else publication.previous_quarter_start(today)


def _recent_quarters(today: dt.date) -> list[tuple[dt.date, str]]:
    starts = [publication.quarter_start(today)]
    while len(starts) < QUARTERS_OFFERED:
        starts.append(publication.previous_quarter_start(starts[-1]))
    return [(start, publication.quarter_label(start)) for start in starts]


class ActionTakenReviewView(View):
    """GET: a quarter's true figures beside what the public would see; POST: approve them."""

    def get(self, request: HttpRequest) -> HttpResponse:
        actor = actor_of(request)
        today = timezone.localdate()
        start = _quarter_from(request.GET.get("quarter", ""), today)
        review = selectors.quarter_review(actor=actor, start=start, today=today)
        return render(
            request,
            "insights/action_taken_review.html",
            {"review": review, "quarters": _recent_quarters(today), "headings": list(publication.HEADINGS.values())},
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        actor = actor_of(request)
        require(actor, selectors.PUBLISH)
        today = timezone.localdate()
        start = _quarter_from(request.POST.get("quarter", ""), today)
        try:
            action_taken_approve(actor=actor, quarter_start=start, today=today)
        except DomainError as error:
            for message in [*error.messages, *[m for ms in error.field_errors.values() for m in ms]]:
                messages.error(request, message)
        else:
            messages.success(request, f"{publication.quarter_label(start)} approved and published")
        return redirect(f"{reverse('insights:action-taken')}?quarter={start.isoformat()}")


class PublicActionTakenView(View):
    """The public page: no account, no JavaScript needed; approved quarters only, nothing that names a person."""

    def get(self, request: HttpRequest) -> HttpResponse:
        snapshots = list(selectors.published_snapshots()[:4])
        quarters = [selectors.published_quarter(snapshot) for snapshot in snapshots]
        since = quarters[-1].start if quarters else publication.previous_quarter_start(timezone.localdate())
        return render(
            request,
            "insights/public_action_taken.html",
            {
                "quarters": quarters,
                "initiatives": list(selectors.published_initiatives(since=since)[:50]),
                "threshold": selectors.threshold(),
            },
        )
