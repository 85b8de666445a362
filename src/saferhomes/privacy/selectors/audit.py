"""Reads for the privacy area: searching the audit trail (itself recorded in the audit trail)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.cases.selectors.case import case_id_by_reference, case_references_by_id
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb, verb_label
from saferhomes.core.models import AuditEvent
from saferhomes.core.permissions import require

SEARCH_PERMISSION = "core.search_auditevent"
CASE = "cases.case"


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


def object_type_label(object_type: str) -> str:
    """A record type in words ("Case" for cases.case), from the model's name; the code itself if no model has it."""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    return str(model._meta.verbose_name).capitalize()


def audit_verbs() -> list[tuple[str, str]]:
    """Every verb recorded so far as (code, words), by the words (choices for the search form)."""
    codes = AuditEvent.objects.order_by("verb").values_list("verb", flat=True).distinct()
    return sorted(((code, verb_label(code)) for code in codes), key=lambda choice: choice[1])


def audit_object_types() -> list[tuple[str, str]]:
    """Every object type recorded so far as (code, words), by the words (choices for the search form)."""
    codes = AuditEvent.objects.exclude(object_type="").order_by("object_type").values_list("object_type", flat=True)
    return sorted(((code, object_type_label(code)) for code in codes.distinct()), key=lambda choice: choice[1])


@dataclass(frozen=True)
class AuditEntry:
    """One event as the DPO reads it: what happened and which record, in words."""

    event: AuditEvent
    what: str  # "Case closed"
    record: str  # "Case ASB-2026-000302", "Evidence file 12", "" when the event names no record


def audit_entries(events: Iterable[AuditEvent]) -> list[AuditEntry]:
    """The events in words; cases are named by their reference (one query for the lot)."""
    events = list(events)
    references = case_references_by_id(ids={e.object_id for e in events if e.object_type == CASE})
    entries = []
    for event in events:
        record = ""
        if event.object_type:
            name = references.get(event.object_id, event.object_id) if event.object_type == CASE else event.object_id
            record = f"{object_type_label(event.object_type)} {name}".strip()
        entries.append(AuditEntry(event=event, what=verb_label(event.verb), record=record))
    return entries


def _record_q(object_id: str) -> Q:
    """Record ID as typed: a database id, or a case reference (ASB-2026-000302, any case) meaning that case."""
    if not object_id.isdigit():
        case_id = case_id_by_reference(reference=object_id)
        if case_id is not None:
            return Q(object_type=CASE, object_id=str(case_id)) | Q(object_label__istartswith=object_id.upper())
    return Q(object_id=object_id)


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
        events = events.filter(_record_q(filters.object_id))
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
