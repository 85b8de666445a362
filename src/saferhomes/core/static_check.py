"""Production serves static files from `collectstatic`'s output; without its manifest every page is a 500."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MANIFEST = "staticfiles.json"


def static_manifest() -> Path:
    return Path(settings.STATIC_ROOT) / MANIFEST


def static_files_collected_or_refuse() -> None:
    """In production, refuse to serve until `saferhomes collectstatic --noinput` has been run; elsewhere nothing."""
    if settings.PRODUCTION and not static_manifest().exists():
        raise ImproperlyConfigured(
            f"Static files are not collected: {static_manifest()} is missing. Run `saferhomes collectstatic --noinput` "
            "(the Containerfile does it at build time) before starting the web server; see docs/operations.md."
        )
