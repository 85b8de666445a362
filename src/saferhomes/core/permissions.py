"""Permission checks that services call before they act."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import PermissionDenied

from saferhomes.core.audit import Actor


def require(actor: Actor, perm: str, obj: Any | None = None) -> None:
    """Raise PermissionDenied unless `actor` holds `perm` (e.g. 'core.search_auditevent')."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not getattr(actor, "is_active", False):
        raise PermissionDenied("You must be signed in to do that.")
    if not isinstance(actor, PermissionsMixin) or (not actor.has_perm(perm, obj) and not actor.has_perm(perm)):
        raise PermissionDenied("You do not have permission to do that.")
