"""Review and outcome-letter deadline alerts (issue 17 part 3: "on dashboards and in alerts like response deadlines").

`review_deadline_alerts_send` is the core of the periodic `case-review-deadline-alerts` job (`case_review/tasks.py`);
tests call it directly. Once a review's panel is overdue (`review_due_at` passed, not concluded) or a concluded
review's outcome letter is overdue (`outcome_due_at` passed, not sent), it emails the single point of contact, or,
when there is none who may see the application, the managers who run reviews. Once per application and kind: a
`DeadlineAlert` row is claimed before the email goes (`core.mail.claim_and_send`: a rerun or a second worker finds
it or hits the constraint). The email carries the reference, what is overdue and the date, never the applicant's
name or what the application is about.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict, dataclass, field
from functools import partial
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.case_review.models import Application, ApplicationStatus, DeadlineAlert, DeadlineAlertKind
from saferhomes.case_review.selectors.applications import applications_visible_to
from saferhomes.case_review.selectors.review import DECIDE_CASE_REVIEW
from saferhomes.core.links import staff_url
from saferhomes.core.mail import claim_and_send, templated_email

logger = logging.getLogger(__name__)


@dataclass
class AlertRun:
    checked: int = 0
    claimed: int = 0
    already_sent: int = 0
    unrouted: int = 0
    references: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _overdue(now: dt.datetime) -> list[tuple[Application, str, dt.datetime]]:
    reviews = Application.objects.filter(
        status=ApplicationStatus.REVIEW, review_held_at__isnull=True, review_due_at__lt=now
    ).exclude(deadline_alerts__kind=DeadlineAlertKind.REVIEW)
    letters = Application.objects.filter(
        status=ApplicationStatus.REVIEW,
        review_held_at__isnull=False,
        outcome_sent_at__isnull=True,
        outcome_due_at__lt=now,
    ).exclude(deadline_alerts__kind=DeadlineAlertKind.OUTCOME)
    found = [(a, DeadlineAlertKind.REVIEW.value, a.review_due_at) for a in reviews.select_related("spoc")]
    found += [(a, DeadlineAlertKind.OUTCOME.value, a.outcome_due_at) for a in letters.select_related("spoc")]
    return [(a, kind, due) for a, kind, due in found if due is not None]


def _may_tell(user: User | None, application: Application) -> bool:
    return (
        user is not None
        and user.is_active
        and bool(user.email)
        and user.has_perm(DECIDE_CASE_REVIEW)
        and applications_visible_to(actor=user).filter(pk=application.pk).exists()
    )


def recipients_for(application: Application) -> list[User]:
    """The single point of contact, else the managers who run reviews."""
    if _may_tell(application.spoc, application):
        assert application.spoc is not None
        return [application.spoc]
    managers = User.objects.filter(is_active=True, role=Role.MANAGER).exclude(email="").order_by("pk")
    return [user for user in managers if _may_tell(user, application)]


def review_deadline_alerts_send(*, now: dt.datetime | None = None) -> AlertRun:
    """Email staff once about each overdue review and each overdue outcome letter (see the module docstring)."""
    now = now or timezone.now()
    run = AlertRun()
    for application, kind, due in _overdue(now):
        run.checked += 1
        people = recipients_for(application)
        if not people:
            run.unrouted += 1
            logger.warning("Case Review %s: nobody to tell that the %s is overdue", application.pk, kind)
            continue
        context = {
            "reference": application.reference,
            "what": "review panel" if kind == DeadlineAlertKind.REVIEW else "outcome letter",
            "due": date_format(timezone.localtime(due), "j F Y"),
            "url": staff_url(reverse("case-review-staff:review", args=[application.reference])),
            "signature": f"{settings.LANDLORD_NAME} community safety casework",
        }
        messages = [templated_email("case_review/email/deadline_alert", context, to=[u.email]) for u in people]
        outcome = claim_and_send(
            partial(
                DeadlineAlert.objects.create,
                application=application,
                kind=kind,
                due_at=due,
                recipients=[u.pk for u in people],
            ),
            messages=messages,
            what="Case Review deadline alert",
        )
        if outcome != "claimed":
            run.already_sent += 1
            continue
        run.claimed += 1
        run.references.append(application.reference)
    return run
