"""Who Case Review tells, and when (issue 17 parts 1 and 3).

- The applicant: an acknowledgement with the reference, the decision deadline in words and their private status link,
  by email only when they gave an address, chose email as a safe way to contact them, and the housing register does
  not say never to email them. Whether sent or withheld, and why, is in the audit trail.
- Staff: `decision_alerts_send` (the worker's `case-review-decision-alerts` job) emails the people who decide
  thresholds once per (application, deadline, kind) when a decision is due soon (within a working day) or overdue,
  claimed by a `DecisionAlert` row first so a rerun or a second worker sends nothing twice. Emails carry the reference,
  the deadline in words and a link: never the applicant's name or words.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.case_review.models import Application, ApplicationStatus, DecisionAlert, DecisionAlertKind
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.calendar import deadline_in_words, working_time_between
from saferhomes.core.calendar_config import calendar_current
from saferhomes.core.links import staff_url
from saferhomes.core.mail import deliver_claimed, templated_email
from saferhomes.housing.models import ContactMethod

logger = logging.getLogger(__name__)

DECIDE = "case_review.decide_case_review"
WITHHELD_NO_EMAIL = "No email address given"
WITHHELD_NOT_CHOSEN = "The applicant did not choose email as a safe way to contact them"
WITHHELD_AVOIDED = "The housing register says never to email them"


def email_withheld_reason(application: Application) -> str:
    """Why no email may go to this applicant ('' when one may)."""
    if not application.email:
        return WITHHELD_NO_EMAIL
    if ContactMethod.EMAIL not in (application.contact_methods or []):
        return WITHHELD_NOT_CHOSEN
    if application.person is not None and ContactMethod.EMAIL in (application.person.contact_avoid or []):
        return WITHHELD_AVOIDED
    return ""


def acknowledgement_send(application_id: int, token: str) -> bool:
    """Email the applicant their reference, deadline and status link, if it is safe to; True when sent."""
    from saferhomes.case_review.services.applications import status_url

    application = Application.objects.select_related("person").get(pk=application_id)
    withheld = email_withheld_reason(application)
    if withheld:
        audit(actor=None, verb=AuditVerb.CASE_REVIEW_ACK_WITHHELD, obj=application, reason=withheld)
        return False
    context = {
        "first_name": application.first_name,
        "reference": application.reference,
        "deadline": deadline_in_words(application.decision_due_at) if application.decision_due_at else "",
        "status_url": status_url(token) if token else "",
        "landlord_name": settings.LANDLORD_NAME,
        "contact": settings.LANDLORD_CONTACT,
    }
    message = templated_email("case_review/email/acknowledgement", context, to=[application.email])
    try:
        message.send()
    except OSError:
        logger.exception("Case Review acknowledgement %s could not be sent", application.reference)
        audit(
            actor=None, verb=AuditVerb.CASE_REVIEW_ACK_WITHHELD, obj=application, reason="The email could not be sent"
        )
        return False
    audit(actor=None, verb=AuditVerb.CASE_REVIEW_ACKNOWLEDGED, obj=application)
    return True


# Decision alerts --------------------------------------------------------------------------------------------------


@dataclass
class AlertRun:
    checked: int = 0
    claimed: int = 0
    emails: int = 0
    already_sent: int = 0
    references: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def decision_state(due_at: datetime, *, now: datetime) -> str:
    """'overdue', 'due_soon' (less than a working day left) or '' (on track)."""
    if now > due_at:
        return DecisionAlertKind.OVERDUE
    calendar = calendar_current()
    if working_time_between(now, due_at, calendar) < calendar.working_day_length:
        return DecisionAlertKind.DUE_SOON
    return ""


def deciders() -> list[User]:
    """Everyone active who may decide thresholds, with an email address."""
    staff = User.objects.filter(is_active=True).exclude(email="")
    return [user for user in staff if user.has_perm(DECIDE)]


def decision_alerts_send(*, now: datetime | None = None) -> AlertRun:
    """Email the deciders once about each application whose threshold decision is due soon or overdue."""
    now = now or timezone.now()
    run = AlertRun()
    waiting = Application.objects.filter(
        status=ApplicationStatus.RECEIVED, decision_due_at__isnull=False, decision_due_at__lt=now + timedelta(days=7)
    ).order_by("decision_due_at")
    recipients: list[User] | None = None
    for application in waiting:
        run.checked += 1
        assert application.decision_due_at is not None
        kind = decision_state(application.decision_due_at, now=now)
        if not kind:
            continue
        recipients = deciders() if recipients is None else recipients
        if not recipients:
            continue
        try:
            with transaction.atomic():
                claim = DecisionAlert.objects.create(
                    application=application, due_at=application.decision_due_at, kind=kind
                )
                context = {
                    "reference": application.reference,
                    "overdue": kind == DecisionAlertKind.OVERDUE,
                    "deadline": deadline_in_words(application.decision_due_at),
                    "url": staff_url(reverse("case-review-staff:detail", args=[application.reference])),
                    "signature": f"{settings.LANDLORD_NAME} community safety casework",
                }
                messages = [
                    templated_email("case_review/email/decision_alert", context, to=[user.email]) for user in recipients
                ]
                audit(actor=None, verb=AuditVerb.CASE_REVIEW_DECISION_ALERT, obj=application, after={"kind": kind})
                deliver = partial(
                    deliver_claimed,
                    claim=DecisionAlert,
                    claim_id=claim.pk,
                    messages=messages,
                    what="Case Review decision alert",
                )
                transaction.on_commit(deliver)
        except IntegrityError:
            run.already_sent += 1
            continue
        run.claimed += 1
        run.emails += len(recipients)
        run.references.append(application.reference)
    return run
