"""The four figures the statutory guidance asks every area to publish each year (issue 17 part 7).

- applications: received in the period (London dates, inclusive);
- threshold not met: threshold decisions made in the period that found it not met;
- reviews carried out: review panels held in the period;
- reviews with recommendations: of those, the ones that made recommendations.
Read by the public statistics page, the monthly report (insights) and the API. Public figures are suppressed below
the configured threshold by the page that publishes them, not here: these are the true counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from saferhomes.case_review.models import Application
from saferhomes.core.calendar import local_dates_span


@dataclass(frozen=True)
class CaseReviewFigures:
    start: dt.date
    end: dt.date
    applications: int
    threshold_not_met: int
    reviews_carried_out: int
    reviews_with_recommendations: int


def case_review_figures(start: dt.date, end: dt.date) -> CaseReviewFigures:
    """The four published figures for London dates start..end inclusive, in one query."""
    lower, upper = local_dates_span(start, end)
    received = Q(received_at__gte=lower, received_at__lt=upper)
    decided = Q(decided_at__gte=lower, decided_at__lt=upper)
    held = Q(review_held_at__gte=lower, review_held_at__lt=upper)
    figures = Application.objects.aggregate(
        applications=Count("pk", filter=received),
        threshold_not_met=Count("pk", filter=decided & Q(threshold_met=False)),
        reviews_carried_out=Count("pk", filter=held),
        reviews_with_recommendations=Count("pk", filter=held & Q(recommendations_made=True)),
    )
    return CaseReviewFigures(start=start, end=end, **figures)
