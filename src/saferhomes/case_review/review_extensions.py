"""What the review adds to the staff pages through the cases extension points (case_review sits above cases, so
cases never imports it): the dashboard's "ASB Case Reviews" panel (reviews due, outcome letters due,
recommendations overdue: counts, each linking to its list), and the demo seed step. `register()` is called from
CaseReviewConfig.ready().
"""

from __future__ import annotations

from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.case_review.selectors.review import DECIDE_CASE_REVIEW, due_counts
from saferhomes.cases.extensions import DashboardPanel, register_dashboard_panel


def reviews_panel(*, actor: User, sees_all: bool) -> DashboardPanel | None:
    """Counts for staff who run reviews: theirs (as single point of contact or owner), or everyone's for managers."""
    if not actor.has_perm(DECIDE_CASE_REVIEW):
        return None
    counts = due_counts(actor=actor, today=timezone.localdate(), mine_only=not sees_all)
    return DashboardPanel(
        template="case_review/review/dashboard_panel.html", context={"counts": counts, "mine_only": not sees_all}
    )


def register() -> None:
    """Plug the review into the dashboard and the demo seed (idempotent)."""
    from saferhomes.case_review.review_demo import register_seed_step

    register_seed_step()
    register_dashboard_panel(reviews_panel)
