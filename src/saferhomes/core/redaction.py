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
        if isinstance(record.args, dict):  # named arguments (gunicorn's access atoms): redact each, keep the mapping
            for key, value in record.args.items():
                if isinstance(value, str):
                    record.args[key] = redact_private_links(value)
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


# --- Third-party redaction (issue 19 part 4, subject access; docs/adr/0019) -------------------------------------
THIRD_PARTY = "[third party]"
_PHONE_PREFIX = r"(?:\+\s?44\s?(?:\(0\)\s?)?|0044\s?|0)"


def normalise_phone(value: str) -> str:
    """A UK phone number as its national digits ('+44 7700 900123' and '07700-900 123' both give '07700900123');
    other digits as they are."""
    digits = re.sub(r"\D", "", value or "")
    if digits.startswith("0044"):
        digits = "0" + digits[4:]
    elif digits.startswith("44") and len(digits) == 12:
        digits = "0" + digits[2:]
    return digits


def _phone_pattern(value: str) -> str | None:
    digits = normalise_phone(value)
    if len(digits) < 7:
        return None
    body = digits[1:] if digits.startswith("0") else digits
    prefix = _PHONE_PREFIX if digits.startswith("0") else ""
    return prefix + r"[\s().-]{0,2}".join(re.escape(d) for d in body)


class TermRedactor:
    """Replaces known values in free text with a placeholder: `phrases` (full names, emails, addresses, postcodes,
    words a reviewer chose) in any letter case, `names` (a single first or last name) only as written with a capital,
    and `phones` in any of the usual ways of writing them. Whole words only; longest first."""

    def __init__(
        self,
        *,
        phrases: list[str] | tuple[str, ...] = (),
        names: list[str] | tuple[str, ...] = (),
        phones: list[str] | tuple[str, ...] = (),
        replacement: str = THIRD_PARTY,
    ) -> None:
        self.replacement = replacement
        self._patterns: list[re.Pattern[str]] = []
        words = sorted({p.strip() for p in phrases if p and len(p.strip()) >= 2}, key=len, reverse=True)
        numbers = [p for p in (_phone_pattern(phone) for phone in phones) if p]
        insensitive = [r"\s+".join(re.escape(part) for part in word.split()) for word in words] + numbers
        if insensitive:
            self._patterns.append(re.compile(rf"(?<![\w@]){'|'.join(f'(?:{p})' for p in insensitive)}(?![\w@])", re.I))
        single = sorted({n.strip() for n in names if n and len(n.strip()) >= 2}, key=len, reverse=True)
        if single:
            forms = {form for name in single for form in (name[0].upper() + name[1:], name.upper())}
            alternatives = "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))
            self._patterns.append(re.compile(rf"(?<![\w@])(?:{alternatives})(?![\w@])"))

    def __call__(self, text: str) -> str:
        """`text` with every known value replaced."""
        for pattern in self._patterns:
            text = pattern.sub(self.replacement, text)
        return text
