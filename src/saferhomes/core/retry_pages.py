"""Where a visitor can pick up again after an outage (issue 21 part 4), an extension point: an app with a form whose
answers live in the session registers its URL prefix and the page to go back to, and the 503 page shown while the
database cannot be reached says that their answers are saved and links there, instead of leaving them to guess.

Filled from `AppConfig.ready()` (intake: /report/ → check your answers). Read by `core.views.server_error`, which
runs with no database: the registry holds URL names, reversed when the page is drawn.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

# URL prefix -> the URL name of the page to pick up from (longest prefix wins).
_RETRY_PAGES: dict[str, str] = {}


def retry_page_register(prefix: str, url_name: str) -> None:
    """Send visitors to `url_name` after an outage on any page under `prefix` (idempotent)."""
    _RETRY_PAGES[prefix] = url_name


def retry_url_for(path: str) -> str | None:
    """The page a visitor whose request to `path` failed in an outage can pick up from, or None."""
    for prefix in sorted(_RETRY_PAGES, key=len, reverse=True):
        if path.startswith(prefix):
            try:
                return reverse(_RETRY_PAGES[prefix])
            except NoReverseMatch:
                return None
    return None
