"""Policy review reminders (issue 18 part 5: "reviewed annually, with a full review every three years"), the core of
the periodic `policy-review-reminders` job (`insights/tasks.py`); tests call `policy_review_reminders_send`.

A review not yet approved is emailed to managers (holders of `insights.manage_registers` with an email address) once
when it comes within `POLICY_REVIEW_NOTICE_DAYS` (30) of its due date, and once more when it is overdue. Each email is
claimed first by a `PolicyReviewReminder` row (unique per review and step), so a rerun or a second worker sends
nothing twice; it goes on commit, and a mail failure is logged (core.mail.deliver_claimed). With nobody to tell,
nothing is claimed, so a later run tries again.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict, dataclass, field
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from saferhomes.accounts.models import User
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.links import staff_url
from saferhomes.core.mail import deliver_claimed, templated_email
from saferhomes.insights.models import PolicyReview, PolicyReviewReminder, ReminderStep
from saferhomes.insights.selectors.registers import MANAGE, notice_days

logger = logging.getLogger(__name__)


@dataclass
class PolicyReminderRun:
    checked: int = 0
    claimed: int = 0
    already_sent: int = 0
    unrouted: int = 0
    reviews: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def managers_to_tell() -> list[User]:
    """Active staff holding insights.manage_registers through their role, with an email address."""
    holders = User.objects.with_perm(
        MANAGE, is_active=True, include_superusers=False, backend="django.contrib.auth.backends.ModelBackend"
    )
    return list(holders.exclude(email="").order_by("username"))


def reminder_step(review: PolicyReview, today: dt.date) -> str | None:
    """Which reminder is due for this review today (None: none yet)."""
    if today > review.due_on:
        return ReminderStep.OVERDUE
    if (review.due_on - today).days <= notice_days():
        return ReminderStep.DUE
    return None


def policy_review_reminders_send(*, today: dt.date | None = None) -> PolicyReminderRun:
    """Email managers once about each review coming due, and once more when it is overdue."""
    today = today or timezone.localdate()
    run = PolicyReminderRun()
    managers = managers_to_tell()
    horizon = today + dt.timedelta(days=notice_days())
    for review in PolicyReview.objects.filter(approved_at__isnull=True, due_on__lte=horizon).order_by("due_on", "pk"):
        step = reminder_step(review, today)
        if step is None or PolicyReviewReminder.objects.filter(review=review, step=step).exists():
            continue
        run.checked += 1
        if not managers:
            run.unrouted += 1
            logger.warning("Policy review %s is due: no manager with an email address to tell", review.pk)
            continue
        context = {
            "kind": review.get_kind_display(),
            "overdue": step == ReminderStep.OVERDUE,
            "due_on": date_format(review.due_on, "j F Y"),
            "url": staff_url(reverse("insights:policy-review", args=[review.pk])),
            "signature": f"{settings.LANDLORD_NAME} community safety casework",
        }
        message = templated_email("insights/email/policy_review", context, to=[user.email for user in managers])
        try:
            with transaction.atomic():
                reminder = PolicyReviewReminder.objects.create(review=review, step=step)
                audit(
                    actor=None,
                    verb=AuditVerb.POLICY_REVIEW_REMINDED,
                    obj=review,
                    after={"step": step, "due_on": review.due_on.isoformat(), "recipients": [u.pk for u in managers]},
                )
                transaction.on_commit(
                    partial(
                        deliver_claimed,
                        claim=PolicyReviewReminder,
                        claim_id=reminder.pk,
                        messages=[message],
                        what="Policy review reminder",
                    )
                )
        except IntegrityError:
            run.already_sent += 1
            continue
        run.claimed += 1
        run.reviews.append(review.pk)
    return run
