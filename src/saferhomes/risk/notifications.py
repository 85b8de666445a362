"""Reassessment reminders (DESIGN.md §4.2 and §7: "reassessment reminders" from the worker's schedule loop).

`reassessment_reminders_send` is the core of the periodic `reassessment-reminders` job (`risk/tasks.py`); tests call
it directly. It emails the assigned officer of each working case whose reassessment is overdue (the band's date has
passed, or an incident was recorded since the latest assessment and that day has passed), once per assessment:

- The reminder is claimed by inserting a `ReassessmentReminder` row (one per assessment) before the email goes; a
  rerun, an overlapping run or a second worker finds the row or hits the constraint and sends nothing. A new
  assessment is a new row, so its own overdue date is reminded about afresh. The email goes on commit; a failed send
  is logged and leaves `sent_at` empty.
- Only the assigned officer is told, and only when they may still see the case; a case with nobody to tell is left
  for a later run (and is on the dashboard meanwhile).
- Nothing ever goes to a party (DESIGN.md §4.2: never anything that could alert the alleged perpetrator), and the
  email carries only the case reference and the date: never the band, the answers, the summary or anyone's name.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from saferhomes.accounts.models import User
from saferhomes.cases.models import Case, Sensitivity
from saferhomes.cases.selectors.case import cases_visible_to
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.links import staff_url
from saferhomes.core.mail import claim_and_send, templated_email
from saferhomes.risk.models import Assessment, ReassessmentReminder
from saferhomes.risk.selectors.assessments import BANDED_KINDS, WORKING_STATUSES, with_reassessment_due

logger = logging.getLogger(__name__)


@dataclass
class ReminderRun:
    """What one run did: cases overdue and not yet reminded, reminders claimed (emails go on commit), reminders another
    run had claimed, and cases left for later because nobody could be told."""

    checked: int = 0
    claimed: int = 0
    already_sent: int = 0
    unrouted: int = 0
    references: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The run as JSON-safe values (a background task's result)."""
        return asdict(self)


def _overdue_unreminded(today: date) -> Any:
    """Working cases whose latest banded assessment's reassessment was due before `today` and not yet reminded."""
    assessed = Exists(Assessment.objects.filter(case=OuterRef("pk"), instrument__kind__in=BANDED_KINDS))
    cases = with_reassessment_due(Case.objects.filter(assessed, status__in=WORKING_STATUSES))
    reminded = Exists(ReassessmentReminder.objects.filter(assessment_id=OuterRef("risk_assessment_id")))
    return (
        cases.filter(risk_due_on__lt=today)
        .exclude(reminded)
        .select_related("assigned_officer")
        .order_by("risk_due_on", "pk")
    )


def reassessment_reminder_email(*, case: Case, due_on: date, after_incident: bool, officer: User) -> EmailMessage:
    """The plain-text email telling the officer that the case's risk reassessment is overdue."""
    context = {
        "reference": case.reference,
        "restricted": case.sensitivity != Sensitivity.NORMAL,
        "due": date_format(due_on, "j F Y"),
        "after_incident": after_incident,
        "url": staff_url(reverse("risk:case", args=[case.reference])),
        "signature": f"{settings.LANDLORD_NAME} community safety casework",
    }
    return templated_email("risk/email/reassessment_reminder", context, to=[officer.email])


def _may_tell(officer: User | None, case: Case) -> bool:
    return (
        officer is not None
        and officer.is_active
        and bool(officer.email)
        and cases_visible_to(actor=officer).filter(pk=case.pk).exists()
    )


def _claim_reminder(*, case: Any, reason: str, officer: User) -> ReassessmentReminder:
    """`case` as `with_reassessment_due` annotates it (risk_assessment_id, risk_due_on)."""
    reminder = ReassessmentReminder.objects.create(
        assessment_id=case.risk_assessment_id, reason=reason, recipient=officer
    )
    audit(
        actor=None,
        verb=AuditVerb.RISK_REASSESSMENT_REMINDER,
        obj=reminder.assessment,
        after={"case": case.reference, "due_on": case.risk_due_on.isoformat(), "recipient": officer.pk},
        reason=reason,
    )
    return reminder


def reassessment_reminders_send(*, today: date | None = None) -> ReminderRun:
    """Email each overdue reassessment's assigned officer, once per assessment (see the module docstring)."""
    today = today or timezone.localdate()
    run = ReminderRun()
    for case in list(_overdue_unreminded(today)):
        run.checked += 1
        officer = case.assigned_officer
        if officer is None or not _may_tell(officer, case):
            run.unrouted += 1
            logger.warning("Reassessment reminder for case %s: no assigned officer who may see it", case.pk)
            continue
        reason = (
            f"An incident was recorded on {date_format(case.risk_due_on, 'j F Y')}, after the latest assessment"
            if case.risk_after_incident
            else f"Reassessment was due by {date_format(case.risk_due_on, 'j F Y')}"
        )
        message = reassessment_reminder_email(
            case=case, due_on=case.risk_due_on, after_incident=bool(case.risk_after_incident), officer=officer
        )
        claim = partial(_claim_reminder, case=case, reason=reason, officer=officer)
        if claim_and_send(claim, messages=[message], what="Reassessment reminder") == "taken":
            run.already_sent += 1
            continue
        run.claimed += 1
        run.references.append(case.reference)
    return run
