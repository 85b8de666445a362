"""Private storage for case evidence (DESIGN.md §6): files under VAR_DIR/evidence with no URL at all.

Evidence is never reachable through /static/ or /media/: the storage refuses to build a URL, and the only way
out is the permission-checked, audited download view (`cases:evidence-download`). Files are written readable by
the application's own user only. Names on disk are random; the name the uploader gave is kept on the record.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core.files.storage import Storage
from django.utils import timezone

from saferhomes.core.storage import PrivateFileStorage, private_storage_for_fields
from saferhomes.core.uploads import safe_upload_name


@dataclass(frozen=True)
class EvidenceType:
    """A kind of file staff may attach: how it is named to people, its usual extension and the others it may have."""

    label: str
    extension: str
    extensions: tuple[str, ...]


# Detected content type -> what it is. The upload service accepts these and nothing else (checked by content).
EVIDENCE_TYPES: dict[str, EvidenceType] = {
    "image/jpeg": EvidenceType("JPG", "jpg", ("jpg", "jpeg", "jpe", "jfif")),
    "image/png": EvidenceType("PNG", "png", ("png",)),
    "image/gif": EvidenceType("GIF", "gif", ("gif",)),
    "image/webp": EvidenceType("WebP", "webp", ("webp",)),
    "image/heic": EvidenceType("HEIC", "heic", ("heic", "heif")),
    "application/pdf": EvidenceType("PDF", "pdf", ("pdf",)),
    "audio/mpeg": EvidenceType("MP3", "mp3", ("mp3",)),
    "audio/mp4": EvidenceType("M4A", "m4a", ("m4a", "mp4", "aac")),
    "audio/x-wav": EvidenceType("WAV", "wav", ("wav", "wave")),
    "video/mp4": EvidenceType("MP4", "mp4", ("mp4", "m4v")),
    "video/quicktime": EvidenceType("MOV", "mov", ("mov", "qt")),
    "text/plain": EvidenceType("TXT", "txt", ("txt", "text", "log")),
}


# The private storage lives in core (chosen by settings.STORAGES["evidence"]: a folder, or an S3 bucket).
EvidenceStorage = PrivateFileStorage


def evidence_storage() -> Storage:
    """The storage for EvidenceFile.file and every other private file (a callable, so migrations name it instead of
    freezing a location or a backend); it follows settings.STORAGES["evidence"] on every use."""
    return private_storage_for_fields()


def evidence_upload_to(instance: Any, filename: str) -> str:
    """A random name under year/month, keeping only the extension the upload service chose from the content."""
    extension = PurePath(filename).suffix.lower()[:10]
    return f"{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


def evidence_download_name(original_name: str, content_type: str) -> str:
    """The uploader's file name, with the extension the content really has (so `notes.html` downloads as .txt)."""
    kind = EVIDENCE_TYPES.get(content_type)
    name = safe_upload_name(original_name, "evidence")
    if kind is None:
        return name
    stem, dot, suffix = name.rpartition(".")
    if dot and stem and suffix.lower() in kind.extensions:
        return name
    return f"{name}.{kind.extension}"
