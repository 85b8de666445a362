"""Reads for the privacy area: searching the audit trail (itself recorded in the audit trail)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.models import AuditEvent
from saferhomes.core.permissions import require

SEARCH_PERMISSION = "core.search_auditevent"


@dataclass(frozen=True)
class AuditFilters:
    """What the DPO asked for; empty values mean "any". Dates are local (Europe/London) and inclusive."""

    actor: str = ""
    verb: str = ""
    object_type: str = ""
    object_id: str = ""
    date_from: date | None = None
    date_to: date | None = None
    text: str = ""

    def as_dict(self) -> dict[str, str]:
        """The filters that were set, JSON-safe (dates as ISO strings), for the audit record of the search."""
        return {
            name: (value.isoformat() if isinstance(value, date) else value)
            for name, value in asdict(self).items()
            if value
        }


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def audit_verbs() -> list[str]:
    """Every verb recorded so far, alphabetically (choices for the search form)."""
    return list(AuditEvent.objects.order_by("verb").values_list("verb", flat=True).distinct())


def audit_object_types() -> list[str]:
    """Every object type recorded so far, alphabetically (choices for the search form)."""
    return list(
        AuditEvent.objects.exclude(object_type="")
        .order_by("object_type")
        .values_list("object_type", flat=True)
        .distinct()
    )


def audit_events_search(
    *, actor: User, filters: AuditFilters, request: HttpRequest | None = None, output: str = "page"
) -> QuerySet[AuditEvent]:
    """Audit events matching `filters`, newest first. Needs core.search_auditevent; records `audit.searched`."""
    require(actor, SEARCH_PERMISSION)
    events = AuditEvent.objects.all()
    if filters.actor:
        events = events.filter(actor_label__iexact=filters.actor)
    if filters.verb:
        events = events.filter(verb=filters.verb)
    if filters.object_type:
        events = events.filter(object_type=filters.object_type)
    if filters.object_id:
        events = events.filter(object_id=filters.object_id)
    if filters.date_from:
        events = events.filter(at__gte=_local_midnight(filters.date_from))
    if filters.date_to:
        events = events.filter(at__lt=_local_midnight(filters.date_to + timedelta(days=1)))
    if filters.text:
        events = events.filter(Q(reason__icontains=filters.text) | Q(object_label__icontains=filters.text))
    # Looking through the audit trail is itself a read worth accounting for (DPO's own access is logged too).
    # Results are the trail as it stood just before this search, so the search does not list itself.
    searched = audit(
        actor=actor,
        verb=AuditVerb.AUDIT_SEARCHED,
        object_type="core.auditevent",
        after={"filters": filters.as_dict(), "output": output},
        request=request,
    )
    return events.filter(pk__lt=searched.pk).order_by("-at", "-id")
