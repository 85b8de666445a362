"""What Case Review adds to other apps' pages through their extension points (case_review sits above cases and
intake, so they never import it): the dashboard's "Case Review decisions due" panel, the case page's "I have told the
reporter" record under the ASB Case Review prompt, its "Case Review" timeline entries, and the demo seed step.
`register()` is called from CaseReviewConfig.ready().
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from saferhomes.accounts.models import User
from saferhomes.case_review.models import CaseReviewTold
from saferhomes.case_review.selectors.applications import may_view_applications
from saferhomes.case_review.selectors.queue import DUE_SOON, OVERDUE, decisions_due
from saferhomes.cases.extensions import (
    DashboardPanel,
    TimelineSource,
    register_dashboard_panel,
    register_prompt_addon,
    register_timeline_source,
)
from saferhomes.cases.models import Case
from saferhomes.cases.permissions import WORK_CASE, case_permissions
from saferhomes.cases.timeline import TimelineEntry

PROMPT_CODE = "case_review"


def decisions_panel(*, actor: User, sees_all: bool) -> DashboardPanel | None:
    """'Case Review decisions due' (counts only) for staff who take or decide applications."""
    if not may_view_applications(actor):
        return None
    due = decisions_due(actor=actor)
    return DashboardPanel(
        template="case_review/dashboard_panel.html",
        context={"due": due, "due_soon": DUE_SOON, "overdue": OVERDUE},
    )


def told_addon(*, case: Case, actor: User, prompt: Any) -> DashboardPanel | None:
    """Under the Case Review prompt: when and by whom the reporter was told, or the button to record it."""
    last = CaseReviewTold.objects.select_related("told_by").filter(case=case).first()
    can_record = actor.has_perm(WORK_CASE) and case_permissions(actor=actor, case=case).can_work
    if last is None and not can_record:
        return None
    return DashboardPanel(
        template="case_review/_told_prompt.html",
        context={"case": case, "told": last, "can_record": can_record},
    )


def _person(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def told_timeline(case: Case) -> Iterable[TimelineEntry]:
    for told in CaseReviewTold.objects.select_related("told_by").filter(case=case):
        yield TimelineEntry(
            kind="case_review",
            at=told.told_at,
            title="Reporter told about the ASB Case Review",
            details=[told.prompt] if told.prompt else [],
            actor=_person(told.told_by),
            obj=told,
        )


CASE_REVIEW_TIMELINE = TimelineSource(kind="case_review", label="Case Review", tag="Case Review", entries=told_timeline)


def register() -> None:
    """Plug Case Review into the dashboard, the case page, the timeline and the demo seed (idempotent)."""
    from saferhomes.case_review.demo_data import register_seed_step

    register_seed_step()
    register_dashboard_panel(decisions_panel)
    register_prompt_addon(PROMPT_CODE, told_addon)
    register_timeline_source(CASE_REVIEW_TIMELINE)
