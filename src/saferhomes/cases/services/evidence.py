"""Evidence files on a case (issue 5 part 3): checked by content, size-limited, stored privately.

`inspect_upload` is the one check of an uploaded file (type sniffed from its bytes, size, sha256); intake uses it
for files the public send with a report or an email.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from typing import Any

import filetype
from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import HttpRequest

from saferhomes.accounts.models import User
from saferhomes.cases.models import Case, EvidenceFile, Incident
from saferhomes.cases.services.locking import case_locked_workable, case_touch
from saferhomes.cases.storage import EVIDENCE_TYPES, evidence_storage
from saferhomes.core.audit import audit, snapshot
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.uploads import safe_upload_name

EVIDENCE_AUDIT_FIELDS = ["case_id", "incident_id", "original_name", "content_type", "size", "sha256", "description"]
_SNIFF_BYTES = 8192  # what `filetype` reads to recognise a format
# Text evidence must be UTF-8 without the control characters that only binary files contain.
_BINARY_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Formats `filetype` names differently from how we store them.
_MIME_ALIASES = {"image/apng": "image/png"}


def evidence_max_bytes() -> int:
    """The largest evidence file staff may upload (settings.EVIDENCE_MAX_BYTES, 20 MB unless configured)."""
    return int(getattr(settings, "EVIDENCE_MAX_BYTES", 20 * 1024 * 1024))


def evidence_size_label(size: int) -> str:
    """A size in words for messages: '20 MB', '512 KB'."""
    if size >= 1024 * 1024:
        megabytes = size / (1024 * 1024)
        return f"{megabytes:g} MB" if megabytes == int(megabytes) else f"{megabytes:.1f} MB"
    return f"{max(1, size // 1024)} KB"


def evidence_types_label() -> str:
    """'JPG, PNG, … or TXT': the formats staff may upload, for hints and error messages."""
    labels = list(dict.fromkeys(kind.label for kind in EVIDENCE_TYPES.values()))
    return f"{', '.join(labels[:-1])} or {labels[-1]}"


def inspect_upload(file: File[Any]) -> tuple[str, str, int]:
    """(content type detected from the bytes, sha256, size) of an upload, or DomainError saying what is wrong."""
    size = file.size or 0
    limit = evidence_max_bytes()
    if size == 0:
        raise DomainError(field_errors={"file": "The selected file is empty"})
    if size > limit:
        raise DomainError(field_errors={"file": f"The selected file must be smaller than {evidence_size_label(limit)}"})
    file.seek(0)
    head = file.read(_SNIFF_BYTES)
    detected = filetype.guess_mime(head)
    detected = _MIME_ALIASES.get(detected, detected) if detected else None
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    maybe_text = detected is None
    for chunk in file.chunks():
        digest.update(chunk)
        if maybe_text:
            try:
                maybe_text = not _BINARY_CONTROL.search(decoder.decode(chunk))
            except UnicodeDecodeError:
                maybe_text = False
    if maybe_text:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            maybe_text = False
    content_type = "text/plain" if maybe_text else detected
    if content_type is None or content_type not in EVIDENCE_TYPES or (content_type == "text/plain" and not maybe_text):
        raise DomainError(field_errors={"file": f"The selected file must be a {evidence_types_label()}"})
    return content_type, digest.hexdigest(), size


def evidence_upload(
    *,
    actor: User,
    case: Case,
    file: File[Any],
    description: str = "",
    incident: Incident | None = None,
    request: HttpRequest | None = None,
) -> EvidenceFile:
    """Attach a file to a case (and optionally an incident): type checked by content, size-limited, stored privately."""
    description = description.strip()
    if len(description) > 250:
        raise DomainError(field_errors={"description": "The description must be 250 characters or fewer"})
    if incident is not None and incident.case_id != case.pk:
        raise DomainError(field_errors={"incident": "Select an incident on this case"})
    original_name = safe_upload_name(getattr(file, "name", ""), "evidence")
    storage = evidence_storage()
    stored_name = ""
    try:
        with transaction.atomic():
            locked = case_locked_workable(actor=actor, case=case)  # before reading a byte of an upload we may refuse
            content_type, sha256, size = inspect_upload(file)
            evidence = EvidenceFile(
                case=locked,
                incident=incident,
                original_name=original_name,
                content_type=content_type,
                size=size,
                sha256=sha256,
                description=description,
                uploaded_by=actor,
            )
            file.seek(0)
            evidence.file.save(f"evidence.{EVIDENCE_TYPES[content_type].extension}", file, save=False)
            stored_name = evidence.file.name or ""
            evidence.save()
            audit(
                actor=actor,
                verb=AuditVerb.EVIDENCE_UPLOADED,
                obj=evidence,
                object_label=f"{locked.reference}: {original_name}"[:200],
                after=snapshot(evidence, EVIDENCE_AUDIT_FIELDS) | {"file": evidence.file.name},
                request=request,
            )
            case_touch(locked=locked, case=case)
    except BaseException:
        # The row was never committed: do not leave its file behind.
        if stored_name:
            storage.delete(stored_name)
        raise
    return evidence
