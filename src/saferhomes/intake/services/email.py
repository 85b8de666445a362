"""Email intake (issue 6 part 4): messages from the intake mailbox (IMAP) or a provider's webhook become draft reports.

Each message is kept once per Message-ID (`InboundEmail`), so reading the mailbox again, or a provider posting twice,
never makes a second report. The draft report (channel email, status draft) has the message as its description and
the sender as its reporter; staff complete and triage it from the "to complete" list. Attachments pass the case
evidence checks (type by content, size); a refused one is named in the description, never silently dropped. A message
whose report cannot be made is still kept (report empty) and logged, so nothing a resident sent is lost.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email
import email.policy
import email.utils
import hashlib
import imaplib
import logging
import re
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from saferhomes.cases.services.evidence import inspect_upload
from saferhomes.cases.storage import EVIDENCE_TYPES, evidence_storage
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.uploads import safe_upload_name
from saferhomes.intake import rules
from saferhomes.intake.models import Channel, InboundEmail, Report, ReportAttachment, ReportStatus
from saferhomes.intake.services.report import ReportDetails, clean_text, report_submit

logger = logging.getLogger(__name__)

MAX_ATTACHMENTS = 10
_TAGS = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class InboundAttachment:
    """A file that came with a message."""

    filename: str
    content: bytes


@dataclass(frozen=True)
class InboundMessage:
    """One inbound email, however it reached us."""

    message_id: str
    from_address: str
    from_name: str = ""
    subject: str = ""
    text: str = ""
    received_at: dt.datetime | None = None
    attachments: tuple[InboundAttachment, ...] = field(default_factory=tuple)


def _text_of(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        return ""
    try:
        content = body.get_content()
    except (LookupError, UnicodeDecodeError):
        payload = body.get_payload(decode=True)
        content = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""
    if body.get_content_type() == "text/html":
        content = _TAGS.sub(" ", str(content))
    return str(content)


def message_parse(raw: bytes) -> InboundMessage:
    """An RFC 822 message as an InboundMessage (a message without a Message-ID is named by its content's hash)."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    name, address = email.utils.parseaddr(str(message.get("From", "")))
    message_id = str(message.get("Message-ID", "")).strip() or f"<sha256-{hashlib.sha256(raw).hexdigest()}@saferhomes>"
    received_at = None
    try:
        received_at = email.utils.parsedate_to_datetime(str(message.get("Date", "")))
    except (TypeError, ValueError, IndexError):
        received_at = None
    attachments = []
    for part in message.iter_attachments():
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            attachments.append(InboundAttachment(filename=part.get_filename() or "attachment", content=payload))
    return InboundMessage(
        message_id=message_id[:255],
        from_address=address,
        from_name=name,
        subject=str(message.get("Subject", "")),
        text=_text_of(message),
        received_at=received_at,
        attachments=tuple(attachments),
    )


def _names(message: InboundMessage) -> tuple[str, str]:
    """First and last name from the sender's display name, else the address's local part as the name."""
    name = clean_text(message.from_name, multiline=False)
    if not name:
        name = message.from_address.split("@", 1)[0] or "Unknown sender"
    first, _, last = name.partition(" ")
    return first[:100], (last or "")[:100]


def _description(message: InboundMessage, refused: list[str]) -> str:
    subject = clean_text(message.subject, multiline=False)
    body = clean_text(message.text) or "(The email had no text.)"
    text = f"Subject: {subject}\n\n{body}" if subject else body
    notes = "".join(f"\n\n[Attachment not kept: {note}]" for note in refused)
    room = rules.DESCRIPTION_MAX - len(notes)
    if len(text) > room:
        marker = "\n\n[Email shortened here: the whole message is kept with the inbound email.]"
        text = text[: room - len(marker)] + marker
    return text + notes


def _received(message: InboundMessage) -> dt.datetime:
    """When it reached us: the message's Date, unless missing, in the future or over a year old (then now)."""
    now = timezone.now()
    when = message.received_at
    if when is None or timezone.is_naive(when) or when > now or when < now - dt.timedelta(days=365):
        return now
    return when


def _checked(attachments: tuple[InboundAttachment, ...]) -> tuple[list[tuple[InboundAttachment, Any]], list[str]]:
    """The attachments that pass the evidence checks (with what the check found), and why the others did not."""
    kept: list[tuple[InboundAttachment, Any]] = []
    refused: list[str] = []
    for index, attachment in enumerate(attachments):
        name = safe_upload_name(clean_text(attachment.filename, multiline=False), "attachment")[:200]
        if index >= MAX_ATTACHMENTS:
            refused.append(f"{name}: only the first {MAX_ATTACHMENTS} files are kept")
            continue
        upload = ContentFile(attachment.content, name=name)
        try:
            kept.append((attachment, inspect_upload(upload)))
        except DomainError as error:
            refused.append(f"{name}: {'; '.join(m for ms in error.field_errors.values() for m in ms)}")
    return kept, refused


def inbound_email_receive(*, message: InboundMessage, source: str) -> tuple[InboundEmail, bool]:
    """Keep a message and make its draft report; (the InboundEmail, whether it was new). Idempotent by Message-ID."""
    existing = InboundEmail.objects.filter(message_id=message.message_id).select_related("report").first()
    if existing is not None:
        return existing, False
    kept, refused = _checked(message.attachments)
    first, last = _names(message)
    received_at = _received(message)
    details = ReportDetails(
        case_type="asb",
        problem="other",
        description=_description(message, refused),
        first_name=first,
        last_name=last,
        email=message.from_address,
    )
    stored: list[str] = []
    try:
        with transaction.atomic():
            inbound = InboundEmail.objects.create(
                message_id=message.message_id,
                source=source,
                from_address=message.from_address[:255],
                from_name=clean_text(message.from_name, multiline=False)[:255],
                subject=clean_text(message.subject, multiline=False)[:255],
                body_text=clean_text(message.text),
                received_at=received_at,
            )
            report = _draft(details=details, received_at=received_at)
            if report is not None:
                inbound.report = report
                inbound.save(update_fields=["report"])
                for attachment, (content_type, sha256, size) in kept:
                    row = ReportAttachment(
                        report=report,
                        original_name=safe_upload_name(clean_text(attachment.filename, multiline=False), "attachment"),
                        content_type=content_type,
                        size=size,
                        sha256=sha256,
                    )
                    row.file.save(
                        f"evidence.{EVIDENCE_TYPES[content_type].extension}",
                        ContentFile(attachment.content),
                        save=False,
                    )
                    stored.append(row.file.name or "")
                    row.save()
            audit(
                actor=None,
                verb=AuditVerb.INBOUND_EMAIL_RECEIVED,
                obj=inbound,
                object_label=(report.reference if report else message.message_id)[:200],
                after={"source": source, "report": report.reference if report else None, "files": len(stored)},
            )
    except IntegrityError:
        # The same message arrived twice at once (webhook retry racing the mailbox): the other one kept it.
        for name in stored:
            evidence_storage().delete(name)
        return InboundEmail.objects.get(message_id=message.message_id), False
    except BaseException:
        for name in stored:
            evidence_storage().delete(name)
        raise
    return inbound, True


def _draft(*, details: ReportDetails, received_at: dt.datetime) -> Report | None:
    """The draft report, or None if even a sender-less draft cannot be made (the message is kept regardless)."""
    try:
        return report_submit(details=details, channel=Channel.EMAIL, received_at=received_at, status=ReportStatus.DRAFT)
    except DomainError as error:
        if "email" not in error.field_errors:
            logger.warning("Inbound email kept without a report: %s", error)
            return None
    # An unusable From address: keep the draft with the address in the name, for staff to sort out.
    try:
        return report_submit(
            details=ReportDetails(
                case_type=details.case_type,
                problem=details.problem,
                description=details.description,
                first_name=details.first_name,
                last_name=details.last_name,
            ),
            channel=Channel.EMAIL,
            received_at=received_at,
            status=ReportStatus.DRAFT,
        )
    except DomainError as error:
        logger.warning("Inbound email kept without a report: %s", error)
        return None


# Reading the mailbox ------------------------------------------------------------------------------------------------


@dataclass
class FetchResult:
    """What one read of the mailbox did."""

    seen: int = 0
    created: int = 0
    duplicates: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"seen": self.seen, "created": self.created, "duplicates": self.duplicates, "failed": self.failed}


@dataclass(frozen=True)
class MailboxSettings:
    """Where the intake mailbox is (settings.INTAKE_IMAP)."""

    host: str
    port: int = 993
    user: str = ""
    password: str = ""
    mailbox: str = "INBOX"
    ssl: bool = True

    @classmethod
    def from_settings(cls, values: dict[str, Any]) -> MailboxSettings:
        return cls(**{key: values[key] for key in ("host", "port", "user", "password", "mailbox", "ssl")})


def _fetched_bytes(data: list[Any]) -> bytes | None:
    for item in data:
        if isinstance(item, tuple) and len(item) >= 2 and isinstance(item[1], bytes):
            return item[1]
    return None


def mailbox_fetch(*, mailbox: MailboxSettings, timeout: float = 30.0) -> FetchResult:
    """Read the unseen messages in the intake mailbox into draft reports, marking each \\Seen once it is kept.

    A message that fails is left unseen (and logged), so the next run tries it again; Message-IDs make reruns safe.
    """
    result = FetchResult()
    connection: imaplib.IMAP4
    if mailbox.ssl:
        connection = imaplib.IMAP4_SSL(mailbox.host, mailbox.port, timeout=timeout)
    else:
        connection = imaplib.IMAP4(mailbox.host, mailbox.port, timeout=timeout)
    try:
        connection.login(mailbox.user, mailbox.password)
        status, _ = connection.select(mailbox.mailbox)
        if status != "OK":
            raise imaplib.IMAP4.error(f"Cannot open the mailbox {mailbox.mailbox!r}")
        status, found = connection.search(None, "UNSEEN")
        numbers = found[0].split() if status == "OK" and found and found[0] else []
        for number in numbers:
            result.seen += 1
            try:
                status, data = connection.fetch(number.decode(), "(RFC822)")
                raw = _fetched_bytes(data) if status == "OK" else None
                if raw is None:
                    raise ValueError(f"message {number!r} could not be fetched")
                _inbound, created = inbound_email_receive(message=message_parse(raw), source="imap")
            except Exception:
                logger.exception("Could not take message %s from the intake mailbox", number)
                result.failed += 1
                continue
            connection.store(number.decode(), "+FLAGS", "(\\Seen)")
            if created:
                result.created += 1
            else:
                result.duplicates += 1
    finally:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            connection.logout()
    return result
