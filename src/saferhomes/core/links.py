"""Absolute links for emails, SMS, PDFs and status and survey links: built only from the configured addresses.

Never from `request.build_absolute_uri` or the Host header (a forged Host would put an attacker's address into a
resident's or officer's email), and in production never from a default: settings refuse to start without
`SAFERHOMES_BASE_URL` (staff site) and `SAFERHOMES_PUBLIC_URL` (public site). Issue 14 item 15.
"""

from __future__ import annotations

from django.conf import settings


def _join(base: str, path: str) -> str:
    if not path.startswith("/"):
        raise ValueError(f"an absolute link needs a path from the site's root, not {path!r}")
    return f"{base}{path}"


def staff_url(path: str) -> str:
    """The staff site's address for `path` (e.g. reverse('cases:detail', ...)), for links in emails to staff."""
    return _join(settings.SAFERHOMES_BASE_URL, path)


def public_url(path: str) -> str:
    """The public site's address for `path`, for links given to residents (status page, diary, survey)."""
    return _join(settings.PUBLIC_BASE_URL, path)
