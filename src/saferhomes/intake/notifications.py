"""Who intake tells, and when (issue 14 item 13): triage staff when a report reaches the queue, and the reporter when
an officer adds a note marked to share with them — both after the commit, honouring safe contact.

- A new report: an email to the coordinators (domestic abuse reports: the DA specialists), or the managers where there
  are none, who may see it, never to whoever took it; the reference, channel, urgency and deadline only.
- An update for the reporter: an email to each reporter on the case's reports who agreed to email and for whom it is
  safe (`reporter_contact.email_withheld_reason`), saying there is an update and where to see it — never the note's
  words. Each decision, sent or withheld, is kept as an `OutboundMessage`.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection, send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.extensions import on_note_shared
from saferhomes.cases.models import Case, CaseType
from saferhomes.core.calendar import deadline_in_words
from saferhomes.intake.extensions import on_report_submitted
from saferhomes.intake.models import OutboundMessage, Report, ReportStatus
from saferhomes.intake.selectors.staff import reports_visible_to
from saferhomes.intake.services.reporter_contact import WITHHELD_FAILED, email_withheld_reason, is_domestic_abuse

logger = logging.getLogger(__name__)

UPDATE_KIND = "update"
TRIAGE_STATUSES = (ReportStatus.NEW, ReportStatus.DRAFT)


def triage_recipients(report: Report) -> list[User]:
    """Who is told a report waits for triage: coordinators (DA: DA specialists), else managers, who may see it."""
    first = Role.DA_SPECIALIST if report.case_type == CaseType.DA else Role.COORDINATOR
    for role in (first, Role.MANAGER):
        staff = User.objects.filter(is_active=True, role=role).exclude(email="")
        if report.created_by_id is not None:
            staff = staff.exclude(pk=report.created_by_id)
        told = [user for user in staff if reports_visible_to(actor=user).filter(pk=report.pk).exists()]
        if told:
            return told
    return []


def report_waiting_notify(report: Report) -> int:
    """Email triage staff that a report has reached the queue; returns how many were told."""
    if report.status not in TRIAGE_STATUSES or report.case_id is not None:
        return 0
    context = {
        "reference": report.reference,
        "channel": report.get_channel_display(),
        "urgent": report.urgent,
        "draft": report.status == ReportStatus.DRAFT,
        "deadline": deadline_in_words(report.response_due_at) if report.response_due_at else "",
        "url": f"{settings.SAFERHOMES_BASE_URL}{reverse('intake-staff:detail', args=[report.reference])}",
        "signature": f"{settings.LANDLORD_NAME} community safety casework",
    }
    subject = " ".join(render_to_string("intake/email/report_waiting_subject.txt", context).split())
    body = render_to_string("intake/email/report_waiting.txt", context)
    messages = [EmailMessage(subject=subject, body=body, to=[user.email]) for user in triage_recipients(report)]
    if not messages:
        return 0
    try:
        with get_connection() as connection:
            connection.send_messages(messages)
    except OSError:
        logger.exception("New report %s: the triage email could not be sent", report.reference)
        return 0
    return len(messages)


def reporter_update_notify(case: Case, note_id: int) -> list[OutboundMessage]:
    """Tell each reporter of the case's reports that there is an update on their status page (when safe)."""
    kept = []
    for report in Report.objects.select_related("case").filter(case=case).exclude(email=""):
        reason = email_withheld_reason(report)
        context = {
            "reference": report.reference,
            "case_reference": case.reference,
            "neutral": is_domestic_abuse(report),
            "new_link_url": f"{settings.PUBLIC_BASE_URL}{reverse('intake:link-request')}",
            "landlord_name": settings.LANDLORD_NAME,
            "first_name": report.first_name,
        }
        message = OutboundMessage(report=report, kind=UPDATE_KIND, channel="email", to=report.email)
        if reason:
            message.withheld_reason = reason
        else:
            message.subject = " ".join(render_to_string("intake/email/reporter_update_subject.txt", context).split())
            message.body = render_to_string("intake/email/reporter_update.txt", context)
            try:
                send_mail(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [report.email])
            except Exception:  # the note is kept whatever the mail server says; staff see it was not sent
                logger.exception("Could not email the update for %s", report.reference)
                message.withheld_reason = WITHHELD_FAILED
            else:
                message.sent_at = timezone.now()
        message.save()
        kept.append(message)
    return kept


def _report_waiting(report: Report) -> None:
    report_waiting_notify(report)


def _note_shared(case: Case, note_id: int) -> None:
    reporter_update_notify(case, note_id)


def register() -> None:
    """Plug intake's notifications into report submission and shareable notes (from IntakeConfig.ready)."""
    on_report_submitted(_report_waiting)
    on_note_shared(_note_shared)
