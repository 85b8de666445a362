"""The one way services record what happened: `audit(actor=..., verb=..., obj=...)`."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from saferhomes.core.models import AuditEvent


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """A JSON-safe dict of a model instance's concrete field values (foreign keys as ids)."""
    names = list(fields) if fields is not None else [f.attname for f in obj._meta.concrete_fields]
    data = {name: getattr(obj, name) for name in names}
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def audit(
    *,
    actor: Any | None,
    verb: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    object_label: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    ip_address: str | None = None,
) -> AuditEvent:
    """Append one audit event. `actor` is a user or None for the system."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_label = object_label or str(obj)[:200]
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        actor_label=user.get_username() if user is not None else "system",
        verb=verb,
        object_type=object_type,
        object_id=str(object_id),
        object_label=object_label[:200],
        before=before,
        after=after,
        reason=reason,
        ip_address=ip_address,
    )
