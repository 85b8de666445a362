"""Acknowledging a report (issue 6 part 6): an email, and a text ready for staff to send, honouring safe contact.

Runs after every report is committed (an `ON_SUBMITTED` listener). Nothing is ever sent to an anonymous reporter,
nor by a way of contact the reporter did not choose. Domestic abuse reports get a neutral subject and body that
never mention abuse, anyone else, or the landlord's domestic abuse service. Whether an email may go at all is the one
rule in `reporter_contact.email_withheld_reason`. Every decision is kept as an `OutboundMessage`: sent, or withheld
with the reason.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from saferhomes.core.calendar import deadline_in_words
from saferhomes.core.sms import SmsError, SmsNotConfiguredError, sms_send
from saferhomes.housing.models import ContactMethod
from saferhomes.intake.extensions import on_report_submitted
from saferhomes.intake.models import OutboundMessage, Report
from saferhomes.intake.services.reporter_contact import (
    WITHHELD_FAILED,
    email_withheld_reason,
    is_domestic_abuse,
    text_withheld_reason,
)
from saferhomes.intake.services.status import status_link_issue, status_url

logger = logging.getLogger(__name__)

KIND = "acknowledgement"
SMS_MAX = 160
SMS_NOT_SENT = "Ready for staff to send: no text message service is set up"
SMS_FAILED = "The text message could not be sent: ready for staff to send"


def _context(report: Report, *, token: str = "") -> dict[str, object]:
    return {
        "reference": report.reference,
        "deadline": deadline_in_words(report.response_due_at) if report.response_due_at else "",
        "status_url": status_url(token) if token else "",
        "landlord_name": settings.LANDLORD_NAME,
        "contact": settings.LANDLORD_CONTACT,
        "first_name": report.first_name,
    }


def sms_text(report: Report) -> str:
    """The acknowledgement as a text message (at most 160 characters; neutral whatever the report is about)."""
    deadline = deadline_in_words(report.response_due_at) if report.response_due_at else "soon"
    text = f"{settings.LANDLORD_NAME}: thank you for getting in touch. Your reference is {report.reference}. "
    text += f"We will contact you by {deadline}."
    if len(text) > SMS_MAX:
        text = f"{settings.LANDLORD_NAME[:40]}: your reference is {report.reference}. We will be in touch soon."
    return text[:SMS_MAX]


def report_acknowledge(report: Report) -> list[OutboundMessage]:
    """Acknowledge a new report by email (when safe and agreed) and prepare a text (when agreed); keep both."""
    messages = [_acknowledge_by_email(report)]
    if not report.anonymous and report.phone and ContactMethod.TEXT in (report.contact_methods or []):
        messages.append(_acknowledge_by_text(report))
    return messages


def _acknowledge_by_text(report: Report) -> OutboundMessage:
    """Text the acknowledgement through the configured SMS backend when it is safe; otherwise keep why not."""
    message = OutboundMessage(report=report, kind=KIND, channel="sms", to=report.phone, body=sms_text(report))
    message.withheld_reason = text_withheld_reason(report)
    if not message.withheld_reason:
        try:
            sms_send(to=report.phone, body=message.body)
        except SmsNotConfiguredError:
            message.withheld_reason = SMS_NOT_SENT
        except SmsError as error:  # the report is safe whatever the provider says; staff see it was not sent
            logger.warning("Could not text the acknowledgement for %s: %s", report.reference, error)
            message.withheld_reason = SMS_FAILED
        else:
            message.sent_at = timezone.now()
    message.save()
    return message


def _acknowledge_by_email(report: Report) -> OutboundMessage:
    reason = email_withheld_reason(report)
    if reason:
        to = "" if report.anonymous else report.email
        return OutboundMessage.objects.create(report=report, kind=KIND, channel="email", to=to, withheld_reason=reason)
    token = status_link_issue(report=report)
    context = _context(report, token=token)
    neutral = is_domestic_abuse(report)
    prefix = "intake/email/acknowledgement_neutral" if neutral else "intake/email/acknowledgement"
    subject = render_to_string(f"{prefix}_subject.txt", context).strip()
    body = render_to_string(f"{prefix}.txt", context)
    message = OutboundMessage.objects.create(
        report=report, kind=KIND, channel="email", to=report.email, subject=subject, body=body
    )
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [report.email], fail_silently=False)
    except Exception:  # the report is safe whatever the mail server says; staff see the withheld message
        logger.exception("Could not email the acknowledgement for %s", report.reference)
        message.withheld_reason = WITHHELD_FAILED
        message.save(update_fields=["withheld_reason"])
    else:
        message.sent_at = timezone.now()
        message.save(update_fields=["sent_at"])
    return message


def _listener(report: Report) -> None:
    try:
        report_acknowledge(report)
    except Exception:  # never turn a kept report into an error page
        logger.exception("Could not acknowledge %s", report.reference)


def register() -> None:
    """Acknowledge every new report (called once from IntakeConfig.ready)."""
    on_report_submitted(_listener)
