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
from saferhomes.case_review.review_rules import StatisticsYear, statistics_year_of, suppressed
from saferhomes.core.calendar import LONDON, local_dates_span


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


# Published, year by year (issue 17 part 7; ADR 0014: April to March) ----------------------------------------------

FIGURE_LABELS = (
    ("applications", "Applications for an ASB Case Review"),
    ("threshold_not_met", "Applications that did not meet the threshold"),
    ("reviews_carried_out", "Reviews carried out"),
    ("reviews_with_recommendations", "Reviews that made recommendations"),
)


@dataclass(frozen=True)
class PublishedFigure:
    key: str
    label: str
    shown: str  # the number, or "fewer than N": never a count below the threshold


def statistics_years(today: dt.date) -> list[StatisticsYear]:
    """Every April-to-March year from the first application (or this year) to this one, newest first."""
    current = statistics_year_of(today)
    first_received = Application.objects.order_by("received_at").values_list("received_at", flat=True).first()
    first = statistics_year_of(first_received.astimezone(LONDON).date()) if first_received else current
    first_year = min(first.start_year, current.start_year)
    return [StatisticsYear(year) for year in range(current.start_year, first_year - 1, -1)]


def figures_for_year(year: StatisticsYear) -> CaseReviewFigures:
    return case_review_figures(year.start, year.end)


def published_figures(figures: CaseReviewFigures, threshold: int) -> list[PublishedFigure]:
    """The four figures as the public sees them: each below `threshold` shown as 'fewer than <threshold>'."""
    return [
        PublishedFigure(key=key, label=label, shown=suppressed(getattr(figures, key), threshold))
        for key, label in FIGURE_LABELS
    ]
