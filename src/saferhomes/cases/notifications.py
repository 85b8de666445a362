"""Response alerts (DESIGN.md §4.1: "Overdue and due-soon appear on dashboards and trigger staff notifications").

`response_alerts_send` is the core of the worker's periodic `response-alerts` job (`cases/tasks.py`); tests call it
directly. It emails staff about every open case whose first response is due soon or overdue, once per
(case, deadline, kind):

- Each alert is claimed by inserting a `ResponseAlert` row, unique on (case, due_at, kind), before any email is
  built to go; a rerun, an overlapping run or a second worker finds the row (or hits the constraint) and sends
  nothing. A recalculated deadline is a new `due_at`, so it may be alerted afresh. Emails go on commit; a failed
  send is logged and leaves `sent_at` empty (at most once, never twice).
- Who is told: the assigned officer, and the coordinators of the case's team (or the officer's team); if that team
  has none, every coordinator. Only staff who may see the case are emailed: nobody learns of a restricted or DA case
  from an email about it. When no coordinator may see the case (DA cases, restricted cases not naming one), the
  managers who may see it are told instead. An alert with nobody to tell is left for a later run (and the dashboard).
- What the email says: the reference, the deadline in words and a link. Emails may be read anywhere, so they never
  carry a party's details or the case summary (free text that may name people); restricted and DA cases say only
  that "a restricted case needs your response".
The dashboard counts the same overdue and due-soon cases (`cases.selectors.dashboard`, through the case list's
`response_state_q`).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, time, timedelta
from typing import Any, Literal

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import (
    Case,
    ContactPlan,
    ContactPlanReminder,
    ResponseAlert,
    ResponseAlertKind,
    Sensitivity,
    Status,
)
from saferhomes.cases.rules import approval_reason
from saferhomes.cases.selectors.approvals import closure_approvers
from saferhomes.cases.selectors.case import cases_visible_to
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.calendar import LONDON, ResponseStatus, add_working_days, deadline_in_words
from saferhomes.core.calendar_config import CalendarConfig, calendar_config_current, case_response_status
from saferhomes.core.links import staff_url
from saferhomes.core.mail import claim_and_send, send_now, templated_email

logger = logging.getLogger(__name__)

ALERT_KIND_FOR_STATUS: dict[ResponseStatus, ResponseAlertKind] = {
    ResponseStatus.DUE_SOON: ResponseAlertKind.DUE_SOON,
    ResponseStatus.OVERDUE: ResponseAlertKind.OVERDUE,
}
VISIBILITY_BATCH = 500  # case ids per query: well inside every database's limit on query parameters


@dataclass
class AlertRun:
    """What one run did: cases looked at, alerts claimed (their emails go on commit), emails queued, alerts found
    already claimed by an earlier run or another worker, and alerts left for later because nobody could be told."""

    checked: int = 0
    claimed: int = 0
    emails: int = 0
    already_sent: int = 0
    unrouted: int = 0
    references: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The run as JSON-safe values (a background task's result)."""
        return asdict(self)


def _open_unanswered() -> QuerySet[Case]:
    """Cases still waiting for their first response: a deadline set, no response recorded, not closed."""
    return Case.objects.filter(responded_at__isnull=True, response_due_at__isnull=False).exclude(status=Status.CLOSED)


def due_soon_horizon(*, now: datetime, config: CalendarConfig) -> datetime:
    """An instant no due-soon deadline reaches: at least the due-soon threshold of working time lies before it.

    From `now` to the start of the day after the n-th working day after today there are n whole working days; with
    n = ceil(threshold / working day) + 1 that is more than the threshold, so later deadlines are on track.
    """
    day_length = config.calendar.working_day_length
    threshold = config.due_soon if config.due_soon is not None else day_length
    days = math.ceil(threshold / day_length) + 1
    last = add_working_days(now.astimezone(LONDON).date(), days, config.calendar)
    return datetime.combine(last + timedelta(days=1), time(0), tzinfo=LONDON)


def _cases_near_deadline(*, now: datetime, config: CalendarConfig) -> QuerySet[Case]:
    """Open, unanswered cases whose deadline has passed or may be due soon (a superset of the due-soon ones)."""
    return _open_unanswered().filter(response_due_at__lt=due_soon_horizon(now=now, config=config))


def _alert_kind(case: Case, *, now: datetime, config: CalendarConfig) -> ResponseAlertKind | None:
    assert case.response_due_at is not None  # guaranteed by _open_unanswered
    status = case_response_status(due_at=case.response_due_at, responded_at=None, now=now, config=config)
    return ALERT_KIND_FOR_STATUS.get(status)


# Who is told ------------------------------------------------------------------------------------------------------


class _Recipients:
    """Works out who to email about each case, loading staff and what each may see once per run."""

    def __init__(self, cases: Sequence[Case]) -> None:
        # The cases this run may alert about: one visibility query per person (per 500 cases), not one per case.
        self.case_ids = [case.pk for case in cases]
        staff = User.objects.filter(is_active=True, role__in=[Role.COORDINATOR, Role.MANAGER]).exclude(email="")
        self.coordinators = [user for user in staff if user.role == Role.COORDINATOR]
        self.managers = [user for user in staff if user.role == Role.MANAGER]
        self._visible: dict[int, set[int]] = {}
        self._users: dict[int, User] = {user.pk: user for user in staff}

    def _can_see(self, user: User, case: Case) -> bool:
        if user.pk not in self._visible:
            visible: set[int] = set()
            for start in range(0, len(self.case_ids), VISIBILITY_BATCH):
                batch = self.case_ids[start : start + VISIBILITY_BATCH]
                visible.update(cases_visible_to(actor=user).filter(pk__in=batch).values_list("pk", flat=True))
            self._visible[user.pk] = visible
        return case.pk in self._visible[user.pk]

    def _officer(self, case: Case) -> User | None:
        officer = case.assigned_officer
        if officer is None:
            return None
        # One instance per person, so that permissions are loaded once per run.
        return self._users.setdefault(officer.pk, officer)

    def for_case(self, case: Case) -> list[User]:
        """The assigned officer and the escalation (team coordinators, else all, else managers) who may see it."""
        officer = self._officer(case)
        reachable = officer is not None and officer.is_active and bool(officer.email)
        recipients = [officer] if officer is not None and reachable and self._can_see(officer, case) else []
        teams = {case.team_id, officer.team_id if officer is not None else None} - {None}
        team_coordinators = [user for user in self.coordinators if user.team_id in teams]
        escalation: list[User] = []
        for group in (team_coordinators, self.coordinators, self.managers):
            escalation = [user for user in group if self._can_see(user, case)]
            if escalation:
                break
        recipients += [user for user in escalation if user not in recipients]
        return recipients


# What they are told -----------------------------------------------------------------------------------------------


def case_staff_url(case: Case) -> str:
    """The case's page on the staff site, as an absolute address for emails."""
    return staff_url(reverse("cases:detail", args=[case.reference]))


def _email_context(*, case: Case, kind: str, recipient: User) -> dict[str, Any]:
    assert case.response_due_at is not None  # guaranteed by _open_unanswered
    restricted = case.sensitivity != Sensitivity.NORMAL
    officer = case.assigned_officer
    return {
        "reference": case.reference,
        "overdue": kind == ResponseAlertKind.OVERDUE,
        "deadline": deadline_in_words(case.response_due_at),
        "url": case_staff_url(case),
        "restricted": restricted,
        "is_officer": officer is not None and officer.pk == recipient.pk,
        # Only for normal cases: the kind of case and the staff member on it, never who is involved or the summary.
        "case_type": "" if restricted else case.get_case_type_display(),
        "urgent": case.urgent,
        "officer_name": "" if restricted or officer is None else (officer.get_full_name() or officer.username),
        "signature": f"{settings.LANDLORD_NAME} community safety casework",
    }


def response_alert_email(*, case: Case, kind: str, recipient: User) -> EmailMessage:
    """The plain-text email telling `recipient` that the case's response is due soon or overdue."""
    context = _email_context(case=case, kind=kind, recipient=recipient)
    return templated_email("cases/email/response_alert", context, to=[recipient.email])


def _still_waiting(case: Case) -> bool:
    """Re-read inside the claim: a response recorded, a closure or a new deadline since the run's read wins."""
    return _open_unanswered().filter(pk=case.pk, response_due_at=case.response_due_at).exists()


def _claim(*, case: Case, kind: ResponseAlertKind, recipients: list[User]) -> Literal["claimed", "taken", "stale"]:
    """Insert the alert row and queue its emails for commit: "claimed"; "taken" if another run had claimed it;
    "stale" if the case was answered, closed or given a new deadline since this run read it."""
    due_at = case.response_due_at
    assert due_at is not None  # guaranteed by _open_unanswered
    messages = [response_alert_email(case=case, kind=kind, recipient=user) for user in recipients]

    def claim() -> ResponseAlert | None:
        if not _still_waiting(case):
            return None
        alert = ResponseAlert.objects.create(
            case=case, due_at=due_at, kind=kind, recipients=[user.pk for user in recipients]
        )
        audit(
            actor=None,
            verb=AuditVerb.CASE_RESPONSE_ALERT,
            obj=case,
            after={"kind": kind.value, "due_at": due_at.isoformat(), "recipients": alert.recipients},
            reason=f"{kind.label}: due {deadline_in_words(due_at)}; {len(recipients)} staff emailed",
        )
        return alert

    return claim_and_send(claim, messages=messages, what="Response alert")


def response_alerts_send(*, now: datetime | None = None) -> AlertRun:
    """Email staff once about each open case whose response is due soon or overdue (see the module docstring)."""
    now = now or timezone.now()
    config = calendar_config_current()
    run = AlertRun()

    def claimed(kind: ResponseAlertKind) -> Exists:
        return Exists(ResponseAlert.objects.filter(case=OuterRef("pk"), due_at=OuterRef("response_due_at"), kind=kind))

    # Once the overdue alert for a deadline has gone there is nothing left to say about it: skip those in SQL.
    pending = _cases_near_deadline(now=now, config=config).exclude(claimed(ResponseAlertKind.OVERDUE))
    cases = list(
        pending.annotate(due_soon_claimed=claimed(ResponseAlertKind.DUE_SOON))
        .select_related("assigned_officer")
        .order_by("response_due_at", "pk")
    )
    run.checked = len(cases)
    recipients = _Recipients(cases)
    for case in cases:
        kind = _alert_kind(case, now=now, config=config)
        if kind is None:
            continue
        if kind == ResponseAlertKind.DUE_SOON and case.due_soon_claimed:
            run.already_sent += 1
            continue
        to = recipients.for_case(case)
        if not to:
            run.unrouted += 1
            logger.warning("Response alert for case %s: nobody who may see it can be emailed", case.pk)
            continue
        outcome = _claim(case=case, kind=kind, recipients=to)
        if outcome == "taken":
            run.already_sent += 1
        if outcome != "claimed":
            continue
        run.claimed += 1
        run.emails += len(to)
        run.references.append(case.reference)
    return run


# Dashboard --------------------------------------------------------------------------------------------------------


# Closures to approve (issue 14 item 11) ---------------------------------------------------------------------------


def closure_approval_requested(*, case_id: int) -> int:
    """Email every manager who may approve and see the case that its closure waits for them (after the request
    commits). No party details and, for restricted cases, not even the kind of case. Returns how many were told."""
    case = Case.objects.select_related("closure_requested_by", "assigned_officer").filter(pk=case_id).first()
    if case is None or case.status != Status.CLOSING or case.closure_approved_at is not None:
        return 0
    restricted = case.sensitivity != Sensitivity.NORMAL
    context = {
        "reference": case.reference,
        "reason": approval_reason(case_type=case.case_type, priority=case.priority, sensitivity=case.sensitivity),
        "case_type": "" if restricted else case.get_case_type_display(),
        "requested_by": case.closure_requested_by.get_full_name() if case.closure_requested_by else "",
        "url": f"{settings.SAFERHOMES_BASE_URL}{reverse('cases:closure', args=[case.reference])}",
        "queue_url": f"{settings.SAFERHOMES_BASE_URL}{reverse('cases:approvals')}",
        "signature": f"{settings.LANDLORD_NAME} community safety casework",
    }
    # One email per manager (as before: no manager learns who else was told).
    messages = [
        templated_email("cases/email/closure_approval", context, to=[manager.email])
        for manager in closure_approvers(case=case, requested_by=case.closure_requested_by)
    ]
    if not messages:
        return 0
    # The request is kept whatever the mail server says; the queue shows it.
    return len(messages) if send_now(messages, what=f"Closure approval for {case.reference}") else 0


# Contact-plan reminders (DESIGN.md §7; issue 14 item 13) ----------------------------------------------------------

CONTACT_REMINDER_AHEAD = timedelta(days=1)


@dataclass
class ReminderRun:
    """What one run of the contact-plan reminders did."""

    sent: int = 0
    skipped: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def contact_reminders_send(*, now: datetime | None = None) -> ReminderRun:
    """Email each assigned officer once about every contact under a plan due within a day (or missed), on a case
    that is not closed. Claimed before sending (one `ContactPlanReminder` per plan and due time), so two workers
    never send twice; no one involved is named."""
    now = now or timezone.now()
    run = ReminderRun()
    plans = (
        ContactPlan.objects.filter(next_due_at__lte=now + CONTACT_REMINDER_AHEAD)
        .exclude(case__status=Status.CLOSED)
        .exclude(Exists(ContactPlanReminder.objects.filter(plan=OuterRef("pk"), due_at=OuterRef("next_due_at"))))
        .select_related("case__assigned_officer")
        .order_by("next_due_at", "pk")
    )
    for plan in plans:
        officer = plan.case.assigned_officer
        if officer is None or not officer.is_active or not officer.email:
            run.skipped += 1
            continue
        if not cases_visible_to(actor=officer).filter(pk=plan.case_id).exists():
            run.skipped += 1
            continue
        try:
            with transaction.atomic():
                reminder = ContactPlanReminder.objects.create(plan=plan, due_at=plan.next_due_at)
        except IntegrityError:  # another worker claimed it
            run.skipped += 1
            continue
        context = {
            "reference": plan.case.reference,
            "missed": plan.next_due_at < now,
            "due": deadline_in_words(plan.next_due_at),
            "method": plan.get_method_display().lower(),
            "url": f"{settings.SAFERHOMES_BASE_URL}{reverse('cases:contacts', args=[plan.case.reference])}",
            "signature": f"{settings.LANDLORD_NAME} community safety casework",
        }
        subject = " ".join(render_to_string("cases/email/contact_reminder_subject.txt", context).split())
        body = render_to_string("cases/email/contact_reminder.txt", context)
        try:
            EmailMessage(subject=subject, body=body, to=[officer.email]).send()
        except OSError:
            logger.exception("Contact reminder %s: the email could not be sent", reminder.pk)
            continue
        ContactPlanReminder.objects.filter(pk=reminder.pk).update(sent_at=timezone.now())
        run.sent += 1
    return run
