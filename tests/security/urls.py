"""Every route of the product as a concrete path (ASVS V3, V8: sweeps over all of them, not a hand-picked few)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

_CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")
_SAMPLES = {"int": "1", "uuid": str(uuid.UUID(int=1)), "slug": "x", "str": "x", "path": "x", None: "x"}
# The admin's own routes are regular expressions; these stand for them (a list, an add form, a change form).
ADMIN_SAMPLES = ["/staff/admin/", "/staff/admin/accounts/user/add/", "/staff/admin/accounts/user/1/change/"]


def _route(pattern: object) -> str | None:
    if isinstance(pattern, RoutePattern):
        return _CONVERTER.sub(lambda m: _SAMPLES.get(m["kind"], "x"), str(pattern))
    if isinstance(pattern, RegexPattern):
        return None  # the admin's, and django-ninja's: stood for by ADMIN_SAMPLES and the API's own tests
    return None


def _walk(patterns: list[URLPattern | URLResolver], prefix: str) -> Iterator[tuple[str, object]]:
    for entry in patterns:
        route = _route(entry.pattern)
        if route is None:
            continue
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + route)
        else:
            yield prefix + route, entry.callback


def every_path() -> list[tuple[str, object]]:
    """(a concrete path, its view) for every route written with path() — each app's pages and forms."""
    return sorted(set(_walk(get_resolver().url_patterns, "/")), key=lambda item: item[0])
