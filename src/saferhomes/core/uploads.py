"""Uploaded files at the edge (issue 21 part 5): the bound on what is kept of one file, and the one safe file name.

Django streams a file of any size to a temporary file before a form sees it, so without a bound a visitor to the
public report form could fill the disk with one request. `BoundedUploadHandler` runs first among the upload handlers:
it passes on at most `upload_max_bytes() + 1` bytes of each file and drops the rest, so the file a form receives is
never much bigger than the limit, and the size check (`cases.services.evidence.inspect_upload`) still sees a file
that is too big and says so in words. The proxy in front should cap request bodies too (docs/security.md).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler

# Characters never kept in a file name we show or send back: control characters and the Windows path reserved ones.
_UNSAFE_NAME_CHARACTERS = re.compile(r'[\x00-\x1f\x7f<>:"|?*]')


def upload_max_bytes() -> int:
    """The largest file any form accepts (evidence files are the largest kind: settings.EVIDENCE_MAX_BYTES)."""
    return int(getattr(settings, "EVIDENCE_MAX_BYTES", 20 * 1024 * 1024))


def safe_upload_name(name: object, default: str) -> str:
    """The last part of an uploader's file name, without folders, control characters or a name of dots only.

    A name is only ever shown and offered back on download; files are stored under names we make, so this keeps
    `../../etc/passwd`, `C:\\x\\report.pdf` or a NUL-terminated name from reaching a page, a header or an archive.
    """
    text = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/")
    base = PurePosixPath(text).name if text.strip("/") else ""
    base = _UNSAFE_NAME_CHARACTERS.sub("", base).strip(" .")
    return base[:255] or default


class BoundedUploadHandler(FileUploadHandler):
    """First upload handler: the handlers after it receive at most the limit plus one byte of each file."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0
        self.limit = upload_max_bytes() + 1

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        room = self.limit - self.received
        self.received += len(raw_data)
        if room <= 0:
            return None  # read from the request and dropped: the handlers after this one never see it
        return raw_data[:room]

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler (memory or temporary file) builds the file from what was passed on
