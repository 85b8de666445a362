"""What the public report form needs beyond `report_submit`: rate limits, files waiting for the report, sending it.

Rate limits count `IntakeAttempt` rows keyed by a salted SHA-256 of the IP address or email (never the value). A
refusal says when the visitor can try again; the form keeps their answers, and the page gives the phone number.
Files are checked by content with the case evidence checks and stored privately at once; they wait in the session
(by ReportAttachment id, with no report) until the report is sent. Files of journeys never finished, and attempt
records past their window, are deleted here by `intake_leftovers_delete`, which the hourly `intake-leftovers` job
(`intake/tasks.py`) runs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from saferhomes.cases.services.evidence import inspect_upload
from saferhomes.cases.storage import EVIDENCE_TYPES, evidence_storage
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.uploads import safe_upload_name
from saferhomes.intake.models import Channel, DiaryEntry, IntakeAttempt, Report, ReportAttachment
from saferhomes.intake.services.report import ReportDetails, report_by_idempotency_key, report_submit
from saferhomes.intake.services.status import status_link_issue

# The limits, in one place: (attempt kind, how many, in what window).
LIMIT_WINDOW = dt.timedelta(hours=1)
REPORTS_PER_IP = 5
REPORTS_PER_EMAIL = 3
LINK_REQUESTS_PER_IP = 5
LINK_REQUESTS_PER_EMAIL = 3
KIND_IP, KIND_EMAIL, KIND_LINK_IP, KIND_LINK_EMAIL = "ip", "email", "link_ip", "link_email"
LIMITS: dict[str, int] = {
    KIND_IP: REPORTS_PER_IP,
    KIND_EMAIL: REPORTS_PER_EMAIL,
    KIND_LINK_IP: LINK_REQUESTS_PER_IP,
    KIND_LINK_EMAIL: LINK_REQUESTS_PER_EMAIL,
}


class RateLimitedError(Exception):
    """Too many attempts from this address or email: `retry_at` is when the next one will be accepted."""

    def __init__(self, retry_at: dt.datetime) -> None:
        super().__init__(f"Too many attempts; try again after {retry_at.isoformat()}")
        self.retry_at = retry_at


def attempt_key(kind: str, value: str) -> str:
    """The salted SHA-256 an attempt is kept under (SECRET_KEY as the salt: the value cannot be recovered)."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{kind}:{value.strip().lower()}".encode()).hexdigest()


def rate_limit_check(
    keys: dict[str, str], *, now: dt.datetime | None = None, limits: dict[str, int] | None = None
) -> None:
    """Raise RateLimitedError when any (kind -> value) has reached its limit in the last hour (empty: skipped).
    `limits` gives another form's own kinds and limits (case_review); intake's `LIMITS` otherwise."""
    now = now or timezone.now()
    limits = LIMITS if limits is None else limits
    retry_at: dt.datetime | None = None
    for kind, value in keys.items():
        if not value:
            continue
        recent = list(
            IntakeAttempt.objects.filter(kind=kind, key_hash=attempt_key(kind, value), at__gt=now - LIMIT_WINDOW)
            .order_by("-at")
            .values_list("at", flat=True)[: limits[kind]]
        )
        if len(recent) >= limits[kind]:
            when = recent[-1] + LIMIT_WINDOW  # the oldest of the last N leaves the window then
            retry_at = max(retry_at, when) if retry_at else when
    if retry_at is not None:
        raise RateLimitedError(retry_at)


def attempt_record(keys: dict[str, str]) -> None:
    """Count one attempt against each (kind -> value) given."""
    IntakeAttempt.objects.bulk_create(
        [IntakeAttempt(kind=kind, key_hash=attempt_key(kind, value)) for kind, value in keys.items() if value]
    )


# Files --------------------------------------------------------------------------------------------------------


def attachment_store(
    *, file: File[Any], report: Report | None = None, diary_entry: DiaryEntry | None = None
) -> ReportAttachment:
    """Check a file by its content (the case evidence rules) and keep it privately; DomainError says what is wrong."""
    content_type, sha256, size = inspect_upload(file)
    original_name = safe_upload_name(getattr(file, "name", ""), "evidence")
    attachment = ReportAttachment(
        report=report,
        diary_entry=diary_entry,
        original_name=original_name,
        content_type=content_type,
        size=size,
        sha256=sha256,
    )
    file.seek(0)
    attachment.file.save(f"evidence.{EVIDENCE_TYPES[content_type].extension}", file, save=False)
    try:
        attachment.save()
    except BaseException:
        evidence_storage().delete(attachment.file.name or "")
        raise
    return attachment


def pending_attachments(ids: list[int]) -> list[ReportAttachment]:
    """The files still waiting for a report, among `ids` (those already sent with a report are left out)."""
    return list(ReportAttachment.objects.filter(pk__in=ids, report__isnull=True, diary_entry__isnull=True))


def pending_attachment_remove(*, attachment_id: int, ids: list[int]) -> list[int]:
    """Delete a waiting file the visitor uploaded (only one of theirs); returns the ids left."""
    if attachment_id in ids:
        for attachment in ReportAttachment.objects.filter(pk=attachment_id, report__isnull=True):
            name = attachment.file.name
            attachment.delete()
            if name:
                evidence_storage().delete(name)
    return [pk for pk in ids if pk != attachment_id]


def intake_leftovers_delete(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Delete what abandoned journeys and old rate limits leave behind: files uploaded to a report that was never
    sent, once no session can still hold them (the session's 12 hours, and an hour's grace), and attempt records
    past the rate-limit window. Personal data kept for no purpose is a breach of the storage-limitation principle."""
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=settings.SESSION_COOKIE_AGE) - dt.timedelta(hours=1)
    files = 0
    abandoned = ReportAttachment.objects.filter(report__isnull=True, diary_entry__isnull=True, uploaded_at__lt=stale)
    for attachment in abandoned.iterator():
        name = attachment.file.name
        attachment.delete()
        if name:
            evidence_storage().delete(name)
        files += 1
    attempts, _ = IntakeAttempt.objects.filter(at__lt=now - LIMIT_WINDOW).delete()
    return {"abandoned_files": files, "attempts": attempts}


# Sending ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sent:
    """A report sent from the public form, and its status link's token (shown once)."""

    report: Report
    token: str
    replayed: bool = False  # the form was sent before (after a fault): this is the report it made then


def report_submit_public(
    *,
    details: ReportDetails,
    attachment_ids: list[int],
    ip: str,
    submission_key: str = "",
    request: HttpRequest | None = None,
) -> Sent:
    """Send a report from the public form: within the rate limits, with its files, and a private status link.

    `submission_key` is the form's own token: a form sent again (the visitor saw an error after a fault, or pressed
    Back and Send) finds the report it already made and is not stored twice. The status link of a replay is not
    shown again (only its hash is kept); the reporter can ask for a new one.
    """
    if submission_key:
        existing = report_by_idempotency_key(actor=None, key=submission_key)
        if existing is not None:
            return Sent(report=existing, token="", replayed=True)
    keys = {KIND_IP: ip, KIND_EMAIL: details.email.strip().lower()}
    rate_limit_check(keys)
    with transaction.atomic():
        report = report_submit(details=details, channel=Channel.WEB, idempotency_key=submission_key, request=request)
        tied = ReportAttachment.objects.filter(pk__in=attachment_ids, report__isnull=True, diary_entry__isnull=True)
        count = tied.update(report=report)
        attempt_record(keys)
        token = status_link_issue(report=report)
        if count:
            audit(actor=None, verb=AuditVerb.REPORT_FILES_ATTACHED, obj=report, after={"files": count}, request=request)
    return Sent(report=report, token=token)


def honeypot_refusal(*, ip: str, where: str, request: HttpRequest | None = None) -> None:
    """Count a robot's attempt (it fills the hidden field) against its address, and note it in the audit trail."""
    attempt_record({KIND_IP: ip})
    audit(
        actor=None, verb=AuditVerb.REPORT_REFUSED_HONEYPOT, object_type="intake.report", reason=where, request=request
    )
