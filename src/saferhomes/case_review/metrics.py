"""The ASB Case Review gauge on /metrics (core.metrics, issue 20 part 7): applications under review whose panel is
overdue, or whose outcome letter is overdue after the panel met — what `review_alerts` emails about, in one COUNT.
A count only: no application is named."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q

from saferhomes.case_review.models import Application, ApplicationStatus
from saferhomes.core.metrics import Gauge, register_gauge


def case_reviews_overdue(now: datetime) -> float:
    """Applications in review with the panel or the outcome letter past its deadline."""
    panel = Q(review_held_at__isnull=True, review_due_at__lt=now)
    letter = Q(review_held_at__isnull=False, outcome_sent_at__isnull=True, outcome_due_at__lt=now)
    return Application.objects.filter(panel | letter, status=ApplicationStatus.REVIEW).order_by().count()


def register() -> None:
    register_gauge(
        Gauge(
            name="saferhomes_case_reviews_overdue",
            documentation="ASB Case Reviews whose panel or outcome letter is overdue.",
            read=case_reviews_overdue,
        )
    )
