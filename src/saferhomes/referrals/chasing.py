"""Chasing referrals no agency has acknowledged (issue 15 item 2): the core of the periodic `referral-chases` job
(`referrals/tasks.py`); tests call `referral_chases_send` directly.

A referral with neither an acknowledgement, an outcome nor a withdrawal is chased when
`REFERRAL_CHASE_AFTER_WORKING_DAYS` (N, 5 unless set in the environment) working days have passed since it was sent,
under the calendar in force (bank holidays, weekends and closure days do not count): step 1 at N working days, step 2
at 2N, and so on. Each step is told once:

- The step is claimed by inserting its `ReferralChase` row (unique per referral and step) before the email goes; a
  rerun, an overlapping run or a second worker finds the row or hits the constraint and sends nothing. After a long
  pause only the latest step that has fallen due is sent (never a burst of old ones).
- The row is written only when it can be sent: the case's assigned officer, active, with an email address, who may
  still see the case; otherwise the referral is left for a later run (and is on the case's Partnership tab meanwhile).
- The email carries the case reference, the agency and the date sent, and a link to the Partnership tab: never who is
  involved, what was shared or why. It goes after the commit; a failed send is logged and leaves `sent_at` empty.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from saferhomes.accounts.models import User
from saferhomes.cases.models import Case, Status
from saferhomes.cases.selectors.case import cases_visible_to
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.calendar_config import calendar_current
from saferhomes.core.links import staff_url
from saferhomes.core.mail import claim_and_send, templated_email
from saferhomes.referrals.models import Referral, ReferralChase
from saferhomes.referrals.referral_rules import chase_due_at, chase_step_due

logger = logging.getLogger(__name__)


@dataclass
class ChaseRun:
    """What one run did: referrals with a step due and not yet chased, chases claimed (emails go on commit), chases
    another run had claimed, and referrals left for later because nobody could be told."""

    checked: int = 0
    claimed: int = 0
    already_sent: int = 0
    unrouted: int = 0
    references: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The run as JSON-safe values (a background task's result)."""
        return asdict(self)


def _unacknowledged() -> QuerySet[Referral]:
    """Referrals still waiting on the agency: not acknowledged, no outcome, not withdrawn, on a case not closed."""
    return Referral.objects.filter(
        acknowledged_at__isnull=True, outcome_at__isnull=True, withdrawn_at__isnull=True
    ).exclude(case__status=Status.CLOSED)


def referral_chase_email(
    *, referral: Referral, case: Case, step: int, working_days: int, officer: User
) -> EmailMessage:
    """The plain-text email telling the officer to chase the agency: reference, agency and date sent only."""
    context = {
        "reference": case.reference,
        "agency": referral.agency.name,
        "sent": date_format(timezone.localtime(referral.sent_at), "j F Y"),
        "working_days": working_days,
        "step": step,
        "url": staff_url(reverse("referrals:case", args=[case.reference]) + "#referrals"),
        "signature": f"{settings.LANDLORD_NAME} community safety casework",
    }
    return templated_email("referrals/email/referral_chase", context, to=[officer.email])


def _may_tell(officer: User | None, case: Case) -> bool:
    return (
        officer is not None
        and officer.is_active
        and bool(officer.email)
        and cases_visible_to(actor=officer).filter(pk=case.pk).exists()
    )


def _claim(*, referral: Referral, step: int, due_at: dt.datetime, message: EmailMessage, officer: User) -> str:
    """Insert the chase row and queue its email: "claimed"; "taken" if another run had; "stale" if the referral was
    acknowledged, given an outcome or withdrawn since this run read it."""

    def claim() -> ReferralChase | None:
        if not _unacknowledged().filter(pk=referral.pk).exists():
            return None
        chase = ReferralChase.objects.create(referral=referral, step=step, due_at=due_at)
        audit(
            actor=None,
            verb=AuditVerb.REFERRAL_CHASED,
            obj=referral,
            object_label=f"{referral.case.reference}: referral to {referral.agency.name}"[:200],
            after={"step": step, "due_at": due_at.isoformat(), "recipient": officer.pk},
            reason=f"Not acknowledged {step * settings.REFERRAL_CHASE_AFTER_WORKING_DAYS} working days after it "
            f"was sent; officer reminded to chase",
        )
        return chase

    return claim_and_send(claim, messages=[message], what="Referral chase")


def referral_chases_send(*, now: dt.datetime | None = None) -> ChaseRun:
    """Remind each unacknowledged referral's officer to chase the agency, once per step (see the module docstring)."""
    now = now or timezone.now()
    after_days = settings.REFERRAL_CHASE_AFTER_WORKING_DAYS
    run = ChaseRun()
    if after_days <= 0:
        return run
    calendar = calendar_current()
    # Working time never runs faster than the clock, so nothing sent later than this can have a step due yet.
    earliest = now - calendar.working_day_length * after_days
    candidates = (
        _unacknowledged()
        .filter(sent_at__lte=earliest)
        .select_related("case__assigned_officer", "agency")
        .annotate(last_step=Max("chases__step"))
        .order_by("sent_at", "pk")
    )
    for referral in candidates:
        step = chase_step_due(referral.sent_at, now, after_days, calendar)
        if step <= (referral.last_step or 0):
            continue
        run.checked += 1
        case = referral.case
        officer = case.assigned_officer
        if officer is None or not _may_tell(officer, case):
            run.unrouted += 1
            logger.warning("Referral chase for referral %s: no assigned officer who may see the case", referral.pk)
            continue
        message = referral_chase_email(
            referral=referral, case=case, step=step, working_days=step * after_days, officer=officer
        )
        outcome = _claim(
            referral=referral,
            step=step,
            due_at=chase_due_at(referral.sent_at, step, after_days, calendar),
            message=message,
            officer=officer,
        )
        if outcome == "taken":
            run.already_sent += 1
        if outcome != "claimed":
            continue
        run.claimed += 1
        run.references.append(case.reference)
    return run
