"""Who is told about interventions (issue 16 item 2): managers when formal action waits for their approval, and the
assigned officer when an expected milestone falls due.

- `formal_action_approval_requested` runs on commit of `intervention_request_approval`: every manager who may approve
  formal action and see the case, except whoever put it forward, is emailed once.
- `milestone_reminders_send` is the core of the worker's periodic `milestone-reminders` job (`interventions/tasks.py`;
  tests call it directly). An expected milestone of a running intervention (a CPW's time to comply, an order's
  expiry, a secure tenant's review window) is reminded to the case's assigned officer once when it comes within
  `REMIND_AHEAD_DAYS`, and once more when it is overdue. Each reminder is claimed by inserting a `MilestoneReminder`
  (unique per milestone, due date and kind) before the email goes on commit; a rerun or a second worker sends nothing
  more, and a failed send is logged with `sent_at` left empty (at most once). An officer who may no longer see the
  case is not told; an unassigned case is left to the dashboard.
Emails may be read anywhere: they name the case reference, the kind of intervention and the milestone, never a
party; restricted and DA cases say only "a restricted case".
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict, dataclass, field
from functools import partial
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from saferhomes.accounts.models import User
from saferhomes.cases.models import Sensitivity, Status
from saferhomes.cases.selectors.approvals import approvers_of
from saferhomes.cases.selectors.case import cases_visible_to
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.links import staff_url
from saferhomes.core.mail import claim_and_send, send_now, templated_email
from saferhomes.interventions.models import (
    Intervention,
    InterventionStatus,
    Milestone,
    MilestoneReminder,
    MilestoneReminderKind,
)
from saferhomes.interventions.selectors.due import APPROVE_FORMAL_ACTION, expected_milestones

logger = logging.getLogger(__name__)

REMIND_AHEAD_DAYS = 7
SIGNATURE = "{landlord} community safety casework"


def _signature() -> str:
    return SIGNATURE.format(landlord=settings.LANDLORD_NAME)


def formal_action_approval_requested(*, intervention_id: int) -> int:
    """Email the managers who may approve this formal action (see the module docstring); how many were told."""
    intervention = (
        Intervention.objects.select_related("case", "catalogue", "requested_by").filter(pk=intervention_id).first()
    )
    if intervention is None or intervention.status != InterventionStatus.AWAITING_APPROVAL:
        return 0
    case = intervention.case
    managers = approvers_of(case=case, permission=APPROVE_FORMAL_ACTION, requested_by=intervention.requested_by)
    if not managers:
        logger.warning("Formal action %s awaits approval: no manager who may see the case can be emailed", case.pk)
        return 0
    requested_by = intervention.requested_by
    context = {
        "reference": case.reference,
        "restricted": case.sensitivity != Sensitivity.NORMAL,
        "kind": intervention.kind_name,
        "requested_by": (requested_by.get_full_name() or requested_by.get_username()) if requested_by else "",
        "url": staff_url(reverse("interventions:case", args=[case.reference])),
        "queue_url": staff_url(reverse("interventions:due") + "?show=approval"),
        "signature": _signature(),
    }
    messages = [templated_email("interventions/email/approval_requested", context, to=[m.email]) for m in managers]
    return len(messages) if send_now(messages, what=f"Formal action approval for {case.reference}") else 0


@dataclass
class MilestoneReminderRun:
    """What one run did: milestones due and not yet reminded, reminders claimed, those with nobody to tell."""

    checked: int = 0
    claimed: int = 0
    already_sent: int = 0
    unrouted: int = 0
    milestones: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def milestone_reminder_email(*, milestone: Milestone, today: dt.date, to: str) -> Any:
    """The plain-text reminder of one expected milestone."""
    intervention = milestone.intervention
    case = intervention.case
    assert milestone.due_on is not None
    context = {
        "reference": case.reference,
        "restricted": case.sensitivity != Sensitivity.NORMAL,
        "kind": intervention.kind_name,
        "milestone": milestone.name,
        "overdue": milestone.due_on < today,
        "due_on": date_format(milestone.due_on, "l j F Y"),
        "url": staff_url(reverse("interventions:case", args=[case.reference])),
        "signature": _signature(),
    }
    return templated_email("interventions/email/milestone_reminder", context, to=[to])


def _claim_reminder(
    *, milestone: Milestone, due_on: dt.date, kind: MilestoneReminderKind, officer: User
) -> MilestoneReminder:
    reminder = MilestoneReminder.objects.create(milestone=milestone, due_on=due_on, kind=kind, recipient=officer)
    audit(
        actor=None,
        verb=AuditVerb.MILESTONE_REMINDED,
        obj=milestone.intervention,
        after={"milestone": milestone.key, "due_on": due_on.isoformat(), "kind": kind.value},
    )
    return reminder


def milestone_reminders_send(*, today: dt.date | None = None) -> MilestoneReminderRun:
    """Remind assigned officers once per milestone, due date and kind (see the module docstring)."""
    today = today or timezone.localdate()
    run = MilestoneReminderRun()

    def reminded(kind: MilestoneReminderKind) -> Exists:
        return Exists(MilestoneReminder.objects.filter(milestone=OuterRef("pk"), due_on=OuterRef("due_on"), kind=kind))

    # Not yet reminded of this kind for this due date: overdue ones once as overdue, the rest once as due soon.
    unreminded = (Q(due_on__lt=today) & ~reminded(MilestoneReminderKind.OVERDUE)) | (
        Q(due_on__gte=today) & ~reminded(MilestoneReminderKind.DUE_SOON)
    )
    due = (
        expected_milestones()
        .filter(unreminded, due_on__lte=today + dt.timedelta(days=REMIND_AHEAD_DAYS))
        .exclude(intervention__case__status=Status.CLOSED)
        .select_related("intervention__case__assigned_officer", "intervention__catalogue")
        .order_by("due_on", "pk")
    )
    for milestone in due:
        due_on = milestone.due_on
        assert due_on is not None  # expected_milestones() have one
        kind = MilestoneReminderKind.OVERDUE if due_on < today else MilestoneReminderKind.DUE_SOON
        run.checked += 1
        case = milestone.intervention.case
        officer = case.assigned_officer
        if (
            officer is None
            or not officer.is_active
            or not officer.email
            or not cases_visible_to(actor=officer).filter(pk=case.pk).exists()
        ):
            run.unrouted += 1
            continue
        message = milestone_reminder_email(milestone=milestone, today=today, to=officer.email)

        claim = partial(_claim_reminder, milestone=milestone, due_on=due_on, kind=kind, officer=officer)
        if claim_and_send(claim, messages=[message], what="Milestone reminder") == "taken":
            run.already_sent += 1
            continue
        run.claimed += 1
        run.milestones.append(milestone.pk)
    return run
