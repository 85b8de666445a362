"""Residents' private links never reach a log (issue 14 item 9): the status page, its diary and the survey carry a
secret token in the address, and whoever holds it reads the report. Every log line we write goes through
`RedactPrivateLinks`: Django's request and runserver loggers and ours (LOGGING in config/settings.py) and gunicorn's
access and error logs (config/gunicorn.py). Plain Python, no Django: gunicorn's master process loads it too.
"""

from __future__ import annotations

import logging
import re

REDACTED = "[redacted]"

# /report/status/<token>/, /report/status/<token>/diary/ and /survey/<token>/ (not /survey/thanks/), wherever they
# appear: the request line, the path, a Referer header, a full link in a message or an exception.
PRIVATE_LINK = re.compile(r"(/report/status/|/survey/(?!thanks(?:[/?#\s\"']|$)))[^/\s?#\"'<>]+")


def redact_private_links(text: str) -> str:
    """`text` with the token of every private status or survey link replaced by [redacted]."""
    return PRIVATE_LINK.sub(rf"\g<1>{REDACTED}", text)


class RedactPrivateLinks(logging.Filter):
    """A logging filter that removes private-link tokens from a record's message, traceback and stack."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact `record` in place (every handler after this one sees the redacted record); never drops it."""
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed call: keep what we can show, redacted
            message = f"{record.msg} {record.args}"
        clean = redact_private_links(message)
        if clean != message:
            record.msg, record.args = clean, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_private_links(record.exc_text)
        if record.stack_info:
            record.stack_info = redact_private_links(record.stack_info)
        return True
