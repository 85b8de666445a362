"""Review reminders for information-sharing agreements (issue 15 item 5: "review reminders"), the core of the periodic
`agreement-review-reminders` job (`referrals/tasks.py`); tests call `agreement_review_reminders_send` directly.

An agreement in force (not ended) whose review date is within `settings.AGREEMENT_REVIEW_NOTICE_DAYS` (14) days, or
has passed, is emailed once to the staff who keep the register (`referrals.manage_agreements`, the DPO):
- claimed by inserting an `AgreementReviewReminder` (one per agreement and review date) before the email goes, so a
  rerun, an overlapping run or a second worker sends nothing more; moving the review date makes a new one due;
- the email goes on commit; a failure is logged and leaves `sent_at` empty (never retried);
- with nobody to tell (no active holder with an email), nothing is claimed: a later run tries again.
Agreements name organisations, not people, so the email may say which agreement it is.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict, dataclass, field
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from saferhomes.accounts.models import User
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.links import staff_url
from saferhomes.core.mail import claim_and_send, templated_email
from saferhomes.referrals.models import AgreementReviewReminder, SharingAgreement
from saferhomes.referrals.selectors.agreements import MANAGE, review_notice_days

logger = logging.getLogger(__name__)


@dataclass
class ReviewReminderRun:
    """What one run did: agreements due and not yet reminded, reminders claimed, and those left for later."""

    checked: int = 0
    claimed: int = 0
    already_sent: int = 0
    unrouted: int = 0
    agreements: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def register_keepers() -> list[User]:
    """Who is told: active staff holding referrals.manage_agreements through their role, with an email address."""
    keepers = User.objects.with_perm(
        MANAGE, is_active=True, include_superusers=False, backend="django.contrib.auth.backends.ModelBackend"
    )
    return list(keepers.exclude(email="").order_by("username"))


def _due_unreminded(today: dt.date) -> Any:
    reminded = Exists(AgreementReviewReminder.objects.filter(agreement=OuterRef("pk"), review_on=OuterRef("review_on")))
    return (
        SharingAgreement.objects.filter(review_on__lte=today + dt.timedelta(days=review_notice_days()))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .exclude(reminded)
        .prefetch_related("agencies")
        .order_by("review_on", "pk")
    )


def agreement_review_email(*, agreement: SharingAgreement, today: dt.date, to: list[str]) -> EmailMessage:
    """The plain-text email saying an agreement is due (or overdue) for review."""
    context = {
        "name": agreement.name,
        "overdue": agreement.review_on < today,
        "review_on": date_format(agreement.review_on, "j F Y"),
        "agencies": ", ".join(agency.name for agency in agreement.agencies.all()),
        "url": staff_url(reverse("referrals:agreement", args=[agreement.pk])),
        "signature": f"{settings.LANDLORD_NAME} community safety casework",
    }
    return templated_email("referrals/email/agreement_review", context, to=to)


def _claim_review_reminder(*, agreement: SharingAgreement, keepers: list[User]) -> AgreementReviewReminder:
    reminder = AgreementReviewReminder.objects.create(agreement=agreement, review_on=agreement.review_on)
    audit(
        actor=None,
        verb=AuditVerb.AGREEMENT_REVIEW_REMINDED,
        obj=agreement,
        after={"review_on": agreement.review_on.isoformat(), "recipients": [u.pk for u in keepers]},
    )
    return reminder


def agreement_review_reminders_send(*, today: dt.date | None = None) -> ReviewReminderRun:
    """Email the register's keepers once about each agreement due for review (see the module docstring)."""
    today = today or timezone.localdate()
    run = ReviewReminderRun()
    keepers = register_keepers()
    for agreement in list(_due_unreminded(today)):
        run.checked += 1
        if not keepers:
            run.unrouted += 1
            logger.warning("Agreement %s is due for review: nobody keeps the register to tell", agreement.pk)
            continue
        message = agreement_review_email(agreement=agreement, today=today, to=[user.email for user in keepers])
        claim = partial(_claim_review_reminder, agreement=agreement, keepers=keepers)
        if claim_and_send(claim, messages=[message], what="Agreement review reminder") == "taken":
            run.already_sent += 1
            continue
        run.claimed += 1
        run.agreements.append(agreement.pk)
    return run
