"""The one way services record what happened: `audit(actor=..., verb=..., obj=...)`.

Client IP addresses come from REMOTE_ADDR only. X-Forwarded-For is written by whoever sends the request, so
trusting it would let anyone put any address in the audit trail. Behind reverse proxies, set
`TRUSTED_PROXY_COUNT` (env SAFERHOMES_TRUSTED_PROXY_COUNT) to the number of proxies you run: the address that
many hops from the right of X-Forwarded-For (the one your outermost proxy saw) is then recorded instead.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.http import HttpRequest

from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.models import AuditEvent

# Who did it: a member of staff, an anonymous visitor (a member of the public), or None for the system.
Actor = AbstractBaseUser | AnonymousUser | None


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """A JSON-safe dict of a model instance's concrete field values (foreign keys as ids)."""
    names = list(fields) if fields is not None else [f.attname for f in obj._meta.concrete_fields]
    data = {name: getattr(obj, name) for name in names}
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _valid_ip(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client's IP address: REMOTE_ADDR, or X-Forwarded-For only as far as TRUSTED_PROXY_COUNT allows."""
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return _valid_ip(hops[-min(proxies, len(hops))])
    return _valid_ip(request.META.get("REMOTE_ADDR"))


def audit(
    *,
    actor: Actor,
    verb: AuditVerb,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    object_label: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    ip_address: str | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Append one audit event. `actor` is a user, or None for the system; `request` supplies the client IP."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_label = object_label or str(obj)[:200]
    user = actor if isinstance(actor, AbstractBaseUser) and actor.is_authenticated else None
    # None is the system (jobs, imports); an unauthenticated visitor is a member of the public.
    actor_label = user.get_username() if user is not None else ("system" if actor is None else "anonymous")
    if ip_address is None and request is not None:
        ip_address = client_ip(request)
    return AuditEvent.objects.create(
        actor_id=user.pk if user is not None else None,
        actor_label=actor_label,
        verb=verb,
        object_type=object_type,
        object_id=str(object_id),
        object_label=object_label[:200],
        before=before,
        after=after,
        reason=reason,
        ip_address=_valid_ip(ip_address),
    )


def audit_read(*, actor: Actor, obj: models.Model, reason: str = "", request: HttpRequest | None = None) -> AuditEvent:
    """Record that `actor` looked at `obj` (restricted reads): verb `<model name>.viewed`, one of `AuditVerb`."""
    return audit(actor=actor, verb=AuditVerb(f"{obj._meta.model_name}.viewed"), obj=obj, reason=reason, request=request)
