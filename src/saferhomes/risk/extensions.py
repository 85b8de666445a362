"""What risk adds to the case pages through the cases extension points (risk sits above cases in the layers, so
cases never imports it): a closure blocker for an outstanding MARAC referral, the dashboard's "Reassessments due"
panel, the "Risk" kind of timeline entry, the team workload's reassessments column; and the demo data step
(`risk.demo_data`). `register()` is called from RiskConfig.ready().
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils.formats import date_format

from saferhomes.accounts.models import User
from saferhomes.cases.extensions import (
    DashboardPanel,
    TimelineSource,
    WorkloadColumn,
    register_closure_check,
    register_dashboard_panel,
    register_timeline_source,
    register_workload_column,
)
from saferhomes.cases.models import Case
from saferhomes.cases.rules import Blocker, FixAt
from saferhomes.cases.timeline import TimelineEntry
from saferhomes.core.calendar import LONDON
from saferhomes.risk.models import MaracDecision, MaracGround
from saferhomes.risk.selectors.assessments import (
    WORKLOAD_DUE_DAYS,
    assessments_for_case,
    band_label,
    cases_reassessment_due,
    da_checklist_missing,
    outstanding_marac_decisions,
    reassessments_by_officer,
)

ASSESS_RISK = "risk.assess_risk"
GROUND_WORDS = {
    MaracGround.VISIBLE_HIGH_RISK: "14 or more 'yes' answers",
    MaracGround.PROFESSIONAL_JUDGEMENT: "professional judgement",
    MaracGround.POTENTIAL_ESCALATION: "potential escalation",
}


def grounds_in_words(grounds: Iterable[str]) -> str:
    """'14 or more 'yes' answers and potential escalation' (as the officer reads them)."""
    words = [GROUND_WORDS.get(MaracGround(g), g) if g in MaracGround.values else g for g in grounds]
    if not words:
        return ""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


# Closure ---------------------------------------------------------------------------------------------------------


def marac_closure_blockers(case: Case) -> list[Blocker]:
    """A required MARAC referral that is neither made nor declined by a manager blocks closing (DESIGN.md §4.2)."""
    blockers = []
    for decision in outstanding_marac_decisions(case=case):
        grounds = grounds_in_words(decision.grounds)
        blockers.append(
            Blocker(
                code="marac_outstanding",
                message=(
                    f"A MARAC referral is required ({grounds}): record it, or a manager records why not"
                    if grounds
                    else "A MARAC referral is required: record it, or a manager records why not"
                ),
                fix_at=FixAt.RISK,
                fix_text="Record the MARAC referral",
            )
        )
    return blockers


def da_checklist_closure_blockers(case: Case) -> list[Blocker]:
    """A DA case never assessed with the DA checklist blocks closing unless a manager recorded why (issue 14 item 8)."""
    if not da_checklist_missing(case=case):
        return []
    return [
        Blocker(
            code="da_checklist_missing",
            message=(
                "A domestic abuse case needs the DA checklist before it closes: complete it, "
                "or a manager records why not"
            ),
            fix_at=FixAt.RISK,
            fix_text="Complete the DA checklist",
        )
    ]


# Dashboard -------------------------------------------------------------------------------------------------------


def reassessments_panel(*, actor: User, sees_all: bool) -> DashboardPanel | None:
    """'Reassessments due' for staff who assess risk: everything they may see (coordinators, managers) or their own."""
    if not actor.has_perm(ASSESS_RISK):
        return None
    due = cases_reassessment_due(actor=actor, mine_only=not sees_all, rows=0)  # counts only: the dashboard summarises
    return DashboardPanel(template="risk/dashboard_panel.html", context={"due": due, "mine_only": not sees_all})


# Timeline --------------------------------------------------------------------------------------------------------


def _person(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _decision_entries(decision: MaracDecision, actor: str) -> Iterable[TimelineEntry]:
    if not decision.required:
        return
    grounds = grounds_in_words(decision.grounds)
    details = [f"Grounds: {grounds}"]
    if decision.professional_judgement_reason:
        details.append(f"Professional judgement: {decision.professional_judgement_reason}")
    if decision.repeat:
        details.append("Repeat referral: the last one was within 12 months")
    yield TimelineEntry(
        kind="risk", at=decision.decided_at, title="MARAC referral required", details=details, actor=actor, obj=decision
    )
    if decision.referral_made_on is not None:
        made = date_format(decision.referral_made_on, "j F Y")
        yield TimelineEntry(
            kind="risk",
            # Only the day is recorded: the entry sits at the start of it, never before the decision itself.
            at=max(decision.decided_at, dt.datetime.combine(decision.referral_made_on, dt.time(0), tzinfo=LONDON)),
            title="MARAC referral made",
            details=[f"Referred on {made}"],
            actor=_person(decision.referral_recorded_by),
            obj=decision,
        )
    if decision.not_referred_at is not None:
        yield TimelineEntry(
            kind="risk",
            at=decision.not_referred_at,
            title="MARAC referral not made (manager's decision)",
            details=[f"Reason: {decision.not_referred_reason}"],
            actor=_person(decision.not_referred_by),
            obj=decision,
        )


def risk_timeline(case: Case) -> Iterable[TimelineEntry]:
    """Each assessment (score, band, reassessment date), each override, and each MARAC decision and its outcome."""
    assessments = assessments_for_case(case=case).select_related(
        "marac_decision__referral_recorded_by", "marac_decision__not_referred_by"
    )
    for assessment in assessments:
        assessor = _person(assessment.assessed_by)
        label = band_label(assessment.instrument, assessment.computed_band)
        details = [f"Score {assessment.score}" + (f": {label.lower()} risk" if label else "")]
        if assessment.reassess_by:
            details.append(f"Reassess by {date_format(assessment.reassess_by, 'j F Y')}")
        yield TimelineEntry(
            kind="risk",
            at=assessment.assessed_at,
            title=f"Risk assessed: {assessment.instrument.name}",
            details=details,
            actor=assessor,
            obj=assessment,
        )
        if assessment.overridden_at is not None:
            yield TimelineEntry(
                kind="risk",
                at=assessment.overridden_at,
                title=f"Risk band changed to {band_label(assessment.instrument, assessment.band).lower()}",
                details=[f"Reason: {assessment.override_reason}"],
                actor=_person(assessment.overridden_by),
                obj=assessment,
            )
        decision = getattr(assessment, "marac_decision", None)
        if decision is not None:
            yield from _decision_entries(decision, assessor)


RISK_TIMELINE = TimelineSource(kind="risk", label="Risk assessments", tag="Risk", entries=risk_timeline)

# Team workload ---------------------------------------------------------------------------------------------------

REASSESSMENTS_COLUMN = WorkloadColumn(
    key="reassessments",
    label="Reassessments",
    due_words=f"due within {WORKLOAD_DUE_DAYS} days",
    counts=reassessments_by_officer,
)


def register() -> None:
    """Plug risk into the case pages and the demo seed (idempotent)."""
    from saferhomes.risk.demo_data import register_seed_step

    register_seed_step()
    register_closure_check(marac_closure_blockers)
    register_closure_check(da_checklist_closure_blockers)
    register_dashboard_panel(reassessments_panel)
    register_timeline_source(RISK_TIMELINE)
    register_workload_column(REASSESSMENTS_COLUMN)
