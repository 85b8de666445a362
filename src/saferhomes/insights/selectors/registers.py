"""Register reads (issue 18 part 5): initiatives and campaigns, staff training, policy reviews. Seen by holders of
`insights.manage_registers` (managers)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet

from saferhomes.accounts.models import TrainingRecord, User
from saferhomes.core.permissions import require
from saferhomes.insights import register_rules
from saferhomes.insights.models import Initiative, PolicyReview

MANAGE = "insights.manage_registers"


def notice_days() -> int:
    return int(getattr(settings, "POLICY_REVIEW_NOTICE_DAYS", 30))


def initiatives_list(*, actor: User, kind: str = "") -> QuerySet[Initiative]:
    """Every initiative and campaign, latest first (or one kind)."""
    require(actor, MANAGE)
    initiatives = Initiative.objects.select_related("area", "estate").prefetch_related("partners")
    return initiatives.filter(kind=kind) if kind else initiatives


@dataclass(frozen=True)
class TrainingRow:
    record: TrainingRecord
    in_force: bool


def training_list(*, actor: User, today: dt.date) -> list[TrainingRow]:
    """Every training record, by member of staff, each marked in force or not on `today`."""
    require(actor, MANAGE)
    records = TrainingRecord.objects.select_related("user").order_by("user__username", "course", "-completed_on")
    return [
        TrainingRow(
            record=record,
            in_force=register_rules.training_in_force(
                completed_on=record.completed_on, expires_on=record.expires_on, on=today
            ),
        )
        for record in records
    ]


def staff_for_training() -> QuerySet[User]:
    """Staff a training record may be for: active, not partner agency users."""
    return User.objects.filter(is_active=True).exclude(role="partner").order_by("last_name", "first_name", "username")


@dataclass(frozen=True)
class ReviewRow:
    review: PolicyReview
    state: register_rules.ReviewState


def policy_reviews_list(*, actor: User, today: dt.date) -> list[ReviewRow]:
    """Every policy review, soonest due first, with its state."""
    require(actor, MANAGE)
    reviews = PolicyReview.objects.select_related("approved_by").order_by("due_on", "kind")
    return [
        ReviewRow(
            review=review,
            state=register_rules.review_state(
                due_on=review.due_on, approved=review.approved_at is not None, today=today, notice_days=notice_days()
            ),
        )
        for review in reviews
    ]


def policy_review_get(*, actor: User, pk: int) -> PolicyReview:
    from django.shortcuts import get_object_or_404

    require(actor, MANAGE)
    return get_object_or_404(PolicyReview, pk=pk)
