"""Logs never carry a resident's private links (issue 14 item 9).

A status link (`/report/status/<token>/`) or a survey link (`/survey/<token>/`) is a password: whoever has it reads
the report's progress or answers the survey. Only their SHA-256 is stored, so the one place a token could leak is a
log line — Django's request warnings (404s), the development server's access log, our own loggers. Every handler in
settings.LOGGING filters records through `RedactSecretsFilter`; a production access log (gunicorn, issue 20) uses
`redact_secrets` on the request line the same way.
"""

from __future__ import annotations

import logging
import re

REDACTED = "[redacted]"
# The private-token paths of the public site; a token is URL-safe base64 (letters, digits, - and _), any length.
_SECRET_PATHS = re.compile(r"(?P<prefix>/(?:report/status|survey)/)(?P<token>[^/\s?#\"']+)")


def redact_secrets(text: str) -> str:
    """`text` with every private token in a status or survey link replaced by [redacted]."""
    return _SECRET_PATHS.sub(lambda match: f"{match['prefix']}{REDACTED}", text)


class RedactSecretsFilter(logging.Filter):
    """Rewrites each record's message (and any request path it carries) with `redact_secrets`; drops nothing."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_secrets(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        request = getattr(record, "request", None)
        if request is not None and isinstance(getattr(request, "path", None), str):
            record.request_path = redact_secrets(request.path)
        if record.exc_text:
            record.exc_text = redact_secrets(record.exc_text)
        return True
