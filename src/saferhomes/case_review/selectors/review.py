"""Reading the review of an application (issue 17 parts 3 and 4): its panel, agencies, action plan, appeal and
letters; what is due across every review (the dashboard's counts and the lists they link to).

Every read starts from `applications_visible_to(actor=...)`, so staff who may not see applications see nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.case_review.models import (
    RECOMMENDATION_OPEN,
    Appeal,
    Application,
    ApplicationLetter,
    ApplicationStatus,
    Recommendation,
    ReviewInvitation,
    ReviewPanel,
)
from saferhomes.case_review.selectors.applications import applications_visible_to
from saferhomes.referrals.models import Agency

DECIDE_CASE_REVIEW = "case_review.decide_case_review"

# The lists the dashboard counts link to: key -> the page's heading
DUE_LISTS = {
    "reviews": "Reviews due",
    "letters": "Outcome letters due",
    "recommendations": "Recommendations overdue",
}


@dataclass
class ReviewRecord:
    """Everything recorded about one application's review."""

    application: Application
    panel: ReviewPanel | None
    invitations: list[ReviewInvitation]
    recommendations: list[Recommendation]
    appeal: Appeal | None
    letters: list[ApplicationLetter]
    today: dt.date = field(default_factory=timezone.localdate)

    @property
    def review_recommendations(self) -> list[Recommendation]:
        return [r for r in self.recommendations if r.stage == "review"]

    @property
    def appeal_recommendations(self) -> list[Recommendation]:
        return [r for r in self.recommendations if r.stage == "appeal"]


def review_record(*, application: Application) -> ReviewRecord:
    """The review of an application the caller has already fetched for its actor (application_get_for_actor)."""
    panel = (
        ReviewPanel.objects.select_related("chair", "recorded_by")
        .prefetch_related("attendees__agency")
        .filter(application=application)
        .first()
    )
    return ReviewRecord(
        application=application,
        panel=panel,
        invitations=list(application.invitations.select_related("agency", "invited_by")),
        recommendations=list(application.recommendations.select_related("owner_agency", "owner_user")),
        appeal=Appeal.objects.select_related("chair", "original_chair").filter(application=application).first(),
        letters=list(application.letters.select_related("template", "sent_by")),
    )


def recommendation_get(*, application: Application, pk: int) -> Recommendation:
    item = application.recommendations.select_related("owner_agency", "owner_user").filter(pk=pk).first()
    if item is None:
        raise Http404("No such recommendation")
    return item


def letter_get(*, application: Application, pk: int) -> ApplicationLetter:
    letter = application.letters.select_related("template", "application").filter(pk=pk).first()
    if letter is None:
        raise Http404("No such letter")
    return letter


def agencies_to_invite() -> QuerySet[Agency]:
    return Agency.objects.filter(active=True).order_by("name")


def review_staff() -> list[User]:
    """Staff who may run reviews (single points of contact, chairs), by name."""
    users = User.objects.filter(is_active=True).order_by("first_name", "last_name", "username")
    return [user for user in users if user.has_perm(DECIDE_CASE_REVIEW)]


REVIEWS_DUE = Q(status=ApplicationStatus.REVIEW, review_held_at__isnull=True)
"""Threshold met and the panel has not concluded: the review is owed."""
LETTERS_DUE = Q(status=ApplicationStatus.REVIEW, review_held_at__isnull=False, outcome_sent_at__isnull=True) | Q(
    status=ApplicationStatus.APPEAL, appeal__concluded_at__isnull=False, appeal__outcome_sent_at__isnull=True
)
"""Concluded reviews whose outcome letter has not gone, and concluded appeals whose letter has not gone."""


def _recommendations_overdue(actor: User, today: dt.date) -> QuerySet[Recommendation]:
    return Recommendation.objects.filter(
        application__in=applications_visible_to(actor=actor), status__in=RECOMMENDATION_OPEN, due_on__lt=today
    )


def due_counts(*, actor: User, today: dt.date, mine_only: bool = False) -> dict[str, int]:
    """How many reviews are due (and overdue), outcome letters due, and recommendations overdue: two queries."""
    applications = applications_visible_to(actor=actor)
    recommendations = _recommendations_overdue(actor, today)
    if mine_only:
        applications = applications.filter(spoc=actor)
        recommendations = recommendations.filter(Q(owner_user=actor) | Q(application__spoc=actor))
    counts = applications.aggregate(
        reviews=Count("pk", filter=REVIEWS_DUE),
        reviews_overdue=Count("pk", filter=REVIEWS_DUE & Q(review_due_at__lt=timezone.now())),
        letters=Count("pk", filter=LETTERS_DUE),
    )
    return {**counts, "recommendations": recommendations.count()}


def due_list(
    *, actor: User, which: str, today: dt.date, mine_only: bool = False
) -> list[Application] | list[Recommendation]:
    """The rows behind one of the dashboard's counts, soonest due first."""
    applications = applications_visible_to(actor=actor).select_related("spoc")
    if mine_only:
        applications = applications.filter(spoc=actor)
    if which == "reviews":
        return list(applications.filter(REVIEWS_DUE).order_by("review_due_at", "received_at", "pk"))
    if which == "letters":
        return list(applications.filter(LETTERS_DUE).order_by("outcome_due_at", "pk"))
    if which == "recommendations":
        rows = _recommendations_overdue(actor, today).select_related("application", "owner_agency", "owner_user")
        if mine_only:
            rows = rows.filter(Q(owner_user=actor) | Q(application__spoc=actor))
        return list(rows.order_by("due_on", "pk"))
    raise Http404("No such list")
