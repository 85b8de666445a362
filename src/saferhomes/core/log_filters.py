"""One warning line per refused request (issue 14 item 16): Django logs a PermissionDenied on `django.request` with
its whole traceback, which says nothing a 403 needs (the refusal is also in the audit trail, `request.forbidden`)."""

from __future__ import annotations

import logging

FORBIDDEN = 403


class ForbiddenWithoutTraceback(logging.Filter):
    """Drop the traceback from django.request's "Forbidden (Permission denied)" records; keep the line."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Strip `exc_info` from 403 records in place; never drops a record."""
        if getattr(record, "status_code", None) == FORBIDDEN:
            record.exc_info, record.exc_text = None, None
        return True
