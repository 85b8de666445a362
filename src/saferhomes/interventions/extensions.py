"""What interventions add to the case pages through the cases extension points (interventions sit above cases in
the layers, so cases never imports them): a closure blocker for an intervention still active or awaiting approval,
the "Interventions" kind of timeline entry, and the dashboard's "Milestones due" panel (counts only).
`register()` is called from InterventionsConfig.ready().
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
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
from saferhomes.documents.bundle import BundleSection, Redactor, register_bundle_section
from saferhomes.interventions.models import Intervention, InterventionStatus
from saferhomes.interventions.selectors.due import (
    DUE_SOON_DAYS,
    WORKLOAD_DUE_DAYS,
    interventions_due_counts,
    milestones_by_officer,
)
from saferhomes.interventions.selectors.interventions import interventions_for_case

RECORD_INTERVENTION = "interventions.record_intervention"
BLOCKING = (InterventionStatus.ACTIVE, InterventionStatus.AWAITING_APPROVAL)


# Closure ---------------------------------------------------------------------------------------------------------


def intervention_closure_blockers(case: Case) -> list[Blocker]:
    """An intervention that is active, or formal action awaiting a manager's approval, blocks closing the case."""
    blockers = []
    for intervention in Intervention.objects.filter(case=case, status__in=BLOCKING).select_related(
        "catalogue", "party__person"
    ):
        waiting = intervention.status == InterventionStatus.AWAITING_APPROVAL
        state = "awaiting a manager's approval" if waiting else "active"
        blockers.append(
            Blocker(
                code="intervention_open",
                message=(f"{intervention} is {state}: conclude it with its outcome, or withdraw it"),
                fix_at=FixAt.INTERVENTIONS,
                fix_text="Conclude or withdraw the intervention",
            )
        )
    return blockers


# Dashboard -------------------------------------------------------------------------------------------------------


def milestones_panel(*, actor: User, sees_all: bool) -> DashboardPanel | None:
    """'Interventions' (counts only: milestones overdue and due soon, formal action awaiting approval for
    approvers), each linking to the list behind it, for staff who record interventions."""
    if not actor.has_perm(RECORD_INTERVENTION):
        return None
    counts = interventions_due_counts(actor=actor, today=timezone.localdate(), mine=not sees_all)
    return DashboardPanel(
        template="interventions/dashboard_panel.html",
        context={"counts": counts, "mine_only": not sees_all, "within_days": DUE_SOON_DAYS},
    )


MILESTONES_COLUMN = WorkloadColumn(
    key="milestones",
    label="Milestones",
    due_words=f"due within {WORKLOAD_DUE_DAYS} days",
    counts=milestones_by_officer,
)


# Timeline --------------------------------------------------------------------------------------------------------


def _person(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _at_day(day: dt.date, not_before: dt.datetime) -> dt.datetime:
    return max(not_before, dt.datetime.combine(day, dt.time(0), tzinfo=LONDON))


def interventions_timeline(case: Case) -> Iterable[TimelineEntry]:
    """Each intervention proposed, approved or refused, started, concluded or withdrawn, and each milestone."""
    for item in interventions_for_case(case=case):
        name = str(item)
        details = [f"Why it is proportionate: {item.proportionality}"] if item.proportionality else []
        yield TimelineEntry(
            kind="interventions", at=item.proposed_at, title=f"Proposed: {name}", details=details,
            actor=_person(item.proposed_by), obj=item,
        )  # fmt: skip
        if item.approved_at is not None:
            yield TimelineEntry(
                kind="interventions", at=item.approved_at, title=f"Approved: {name}", details=[],
                actor=_person(item.approved_by), obj=item,
            )  # fmt: skip
        if item.refused_at is not None:
            yield TimelineEntry(
                kind="interventions", at=item.refused_at, title=f"Refused: {name}",
                details=[f"Reason: {item.refused_reason}"], actor=_person(item.refused_by), obj=item,
            )  # fmt: skip
        if item.started_on is not None:
            yield TimelineEntry(
                kind="interventions", at=_at_day(item.started_on, item.proposed_at), title=f"Started: {name}",
                details=[], actor="", obj=item,
            )  # fmt: skip
        milestones = {m["key"]: m["name"] for m in item.kind_definition["milestones"]}
        for milestone in item.milestones.all():
            if milestone.occurred_on is None:
                continue
            lines = [milestone.notes] if milestone.notes else []
            yield TimelineEntry(
                kind="interventions", at=_at_day(milestone.occurred_on, item.proposed_at),
                title=f"{milestones.get(milestone.key, milestone.key)}: {name}",
                details=lines, actor=_person(milestone.recorded_by), obj=milestone,
            )  # fmt: skip
        if item.outcome_on is not None:
            yield TimelineEntry(
                kind="interventions", at=_at_day(item.outcome_on, item.proposed_at), title=f"Concluded: {name}",
                details=[f"Outcome: {item.outcome}"], actor="", obj=item,
            )  # fmt: skip
        if item.withdrawn_at is not None:
            yield TimelineEntry(
                kind="interventions", at=item.withdrawn_at, title=f"Withdrawn: {name}",
                details=[f"Reason: {item.withdrawn_reason}"], actor="", obj=item,
            )  # fmt: skip


INTERVENTIONS_TIMELINE = TimelineSource(
    kind="interventions", label="Interventions", tag="Intervention", entries=interventions_timeline
)


def _day(value: Any) -> str:
    return date_format(value, "j M Y") if value else ""


def interventions_bundle_section(*, case: Case, redactor: Redactor) -> BundleSection:
    """The evidence bundle's "Interventions and legal action": every intervention on the ladder (lightest first) with
    its milestones, free text passed through the bundle's redactor (ADR 0012)."""
    rows = []
    for intervention in interventions_for_case(case=case).order_by("rung", "proposed_at", "pk"):
        names = {m["key"]: m["name"] for m in intervention.kind_definition.get("milestones", [])}
        milestones = sorted(intervention.milestones.all(), key=lambda m: (m.occurred_on or m.due_on, m.pk))
        rows.append(
            {
                "kind": intervention.kind_name,
                "against": intervention.party.display_name,
                "status": intervention.get_status_display(),
                "started": _day(intervention.started_on),
                "outcome_on": _day(intervention.outcome_on),
                "proportionality": redactor.text(intervention.proportionality),
                "outcome": redactor.text(intervention.outcome),
                "milestones": [
                    {
                        "name": names.get(milestone.key, milestone.key),
                        "when": _day(milestone.occurred_on) or f"due {_day(milestone.due_on)}",
                        "notes": redactor.text(milestone.notes),
                    }
                    for milestone in milestones
                ],
            }
        )
    return BundleSection(
        "interventions", "Interventions and legal action", "interventions/pdf/bundle_section.html", {"rows": rows}
    )


def register() -> None:
    """Plug interventions into the case pages and the demo seed (idempotent)."""
    from saferhomes.interventions.demo_data import register_seed_step

    register_seed_step()
    register_closure_check(intervention_closure_blockers)
    register_timeline_source(INTERVENTIONS_TIMELINE)
    register_dashboard_panel(milestones_panel)
    register_bundle_section(interventions_bundle_section)
    register_workload_column(MILESTONES_COLUMN)
