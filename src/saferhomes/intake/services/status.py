"""The reporter's private status link (issue 6 part 2, DESIGN.md §6); their diary is `diary.py`.

A status link is `secrets.token_urlsafe(32)`; only its SHA-256 is kept, so the link exists only in what we showed
or sent the reporter. Links are revocable; asking for a new one (reference + email) revokes the old ones and emails
a fresh one, and always gets the same answer, so nobody can learn which references or emails we hold. Every read is
audited.
"""

from __future__ import annotations

import hashlib
import logging
import secrets

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.links import public_url
from saferhomes.core.permissions import require
from saferhomes.intake.models import OutboundMessage, Report, StatusLink
from saferhomes.intake.services.report import clean_text
from saferhomes.intake.services.reporter_contact import WITHHELD_FAILED, email_withheld_reason

logger = logging.getLogger(__name__)

TRIAGE_REPORT = "intake.triage_report"


def status_token_hash(token: str) -> str:
    """The stored form of a status token: its SHA-256 hex digest (tokens are random, so no salt is needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


def status_url(token: str) -> str:
    """The full private status link for a token (for emails: there is no request to ask)."""
    return public_url(reverse("intake:status", args=[token]))


def status_link_issue(*, report: Report) -> str:
    """Make a new status link for a report; returns the raw token (shown or sent once, never stored)."""
    token = secrets.token_urlsafe(32)
    link = StatusLink.objects.create(report=report, token_hash=status_token_hash(token))
    audit(actor=None, verb=AuditVerb.REPORT_STATUS_LINK_ISSUED, obj=report, after={"link": link.pk})
    return token


def status_link_revoke(*, actor: User, link: StatusLink, reason: str, request: HttpRequest | None = None) -> StatusLink:
    """Stop a status link working (staff: for example, the reporter thinks someone else has seen it)."""
    require(actor, TRIAGE_REPORT)
    reason = clean_text(reason, multiline=False)
    if not reason:
        raise DomainError(field_errors={"reason": "Enter why the link is being stopped"})
    if len(reason) > 250:
        raise DomainError(field_errors={"reason": "The reason must be 250 characters or fewer"})
    with transaction.atomic():
        locked = StatusLink.objects.select_for_update().get(pk=link.pk)
        if locked.revoked_at is not None:
            return locked
        locked.revoked_at, locked.revoked_reason = timezone.now(), reason
        locked.save(update_fields=["revoked_at", "revoked_reason"])
        audit(
            actor=actor,
            verb=AuditVerb.REPORT_STATUS_LINK_REVOKED,
            obj=locked.report,
            reason=reason,
            after={"link": locked.pk},
            request=request,
        )
    link.revoked_at, link.revoked_reason = locked.revoked_at, locked.revoked_reason
    return locked


def _revoke_all(report: Report, reason: str) -> int:
    return StatusLink.objects.filter(report=report, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_reason=reason
    )


def status_link_for_token(*, token: str) -> StatusLink | None:
    """The working link for a token, with its report and case (None if unknown or revoked)."""
    if not token or len(token) > 100:
        return None
    return (
        StatusLink.objects.select_related("report", "report__case", "report__case__assigned_officer")
        .filter(token_hash=status_token_hash(token), revoked_at__isnull=True)
        .first()
    )


def status_link_used(*, link: StatusLink, request: HttpRequest | None = None) -> None:
    """Note that the reporter opened their status page (audited: a read of the report by a member of the public)."""
    now = timezone.now()
    StatusLink.objects.filter(pk=link.pk).update(last_used_at=now)
    link.last_used_at = now
    actor = getattr(request, "user", None) if request is not None else None
    report = link.report
    audit(actor=actor, verb=AuditVerb.REPORT_STATUS_VIEWED, obj=report, object_label=report.reference, request=request)


# Asking for a new link ----------------------------------------------------------------------------------------


def _send_link_email(*, report: Report, token: str, request: HttpRequest | None) -> None:
    context = {
        "reference": report.reference,
        "landlord_name": settings.LANDLORD_NAME,
        "status_url": status_url(token),
        "contact": settings.LANDLORD_CONTACT,
    }
    subject = render_to_string("intake/email/status_link_subject.txt", context).strip()
    body = render_to_string("intake/email/status_link.txt", context)
    message = OutboundMessage.objects.create(
        report=report, kind="status_link", channel="email", to=report.email, subject=subject, body=body
    )
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [report.email], fail_silently=False)
    except Exception:
        logger.exception("Could not email a new status link for %s", report.reference)
        message.withheld_reason = WITHHELD_FAILED
        message.save(update_fields=["withheld_reason"])
    else:
        message.sent_at = timezone.now()
        message.save(update_fields=["sent_at"])


def status_link_request(*, reference: str, email: str, request: HttpRequest | None = None) -> None:
    """Email a fresh status link if the reference and email match a named report (old links stop working).

    Returns nothing either way, so the page can only say "if the details match, we have emailed you"."""
    reference = clean_text(reference, multiline=False).upper()
    email = clean_text(email, multiline=False).lower()
    report = Report.objects.filter(reference=reference, anonymous=False).exclude(email="").first()
    if report is None or not secrets.compare_digest(report.email.lower(), email):
        audit(actor=None, verb=AuditVerb.REPORT_STATUS_LINK_NOT_MATCHED, object_type="intake.report", request=request)
        return
    unsafe = email_withheld_reason(report)
    if unsafe:
        # The same rules as the acknowledgement: no email where the reporter did not agree to email or where it may
        # not be safe (domestic abuse with safe-contact instructions). The page says the same either way; the
        # reporter can phone us, and staff see why nothing was sent.
        OutboundMessage.objects.create(
            report=report, kind="status_link", channel="email", to=report.email, withheld_reason=unsafe
        )
        audit(actor=None, verb=AuditVerb.REPORT_STATUS_LINK_WITHHELD, obj=report, reason=unsafe, request=request)
        return
    with transaction.atomic():
        revoked = _revoke_all(report, "The reporter asked for a new link")
        token = status_link_issue(report=report)
        audit(
            actor=None,
            verb=AuditVerb.REPORT_STATUS_LINK_REQUESTED,
            obj=report,
            after={"revoked": revoked},
            request=request,
        )
        transaction.on_commit(lambda: _send_link_email(report=report, token=token, request=request))
