"""Reads for rights requests: the handler's list (with due and overdue filters), one request, the reminders due,
and the subject access exports the disclosure log lists."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case as When_
from django.db.models import F, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from saferhomes.accounts.models import User
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.housing.models import Person
from saferhomes.privacy.models_rights import OPEN_STATUSES, RightsRequest, SubjectAccessExport
from saferhomes.privacy.rights_rules import DUE_SOON_DAYS

HANDLE = "privacy.handle_rights_request"
LOGGED_EXPORTS = 50


@dataclass(frozen=True)
class RequestFilters:
    """'open' (default), 'due_soon' (within 7 days), 'overdue', 'closed' or 'all'; and a kind."""

    show: str = "open"
    kind: str = ""


def _with_deadline(rows: QuerySet[RightsRequest]) -> QuerySet[RightsRequest]:
    return rows.annotate(deadline=Coalesce(F("extended_due_on"), F("due_on")))


def rights_requests_for(*, actor: User, filters: RequestFilters, today: dt.date) -> QuerySet[RightsRequest]:
    """The requests the handler asked for, soonest deadline first."""
    require(actor, HANDLE)
    rows = _with_deadline(RightsRequest.objects.select_related("person", "handled_by"))
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.show == "open":
        rows = rows.filter(status__in=OPEN_STATUSES)
    elif filters.show == "due_soon":
        soon = Q(deadline__gte=today, deadline__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
        rows = rows.filter(soon, status__in=OPEN_STATUSES)
    elif filters.show == "overdue":
        rows = rows.filter(Q(deadline__lt=today), status__in=OPEN_STATUSES)
    elif filters.show == "closed":
        rows = rows.exclude(status__in=OPEN_STATUSES)
    open_first = When_(When(status__in=OPEN_STATUSES, then=Value(0)), default=Value(1))
    return rows.order_by(open_first, "deadline", "pk")


def rights_request_for(*, actor: User, pk: int) -> RightsRequest:
    """One request (RightsRequest.DoesNotExist when there is none)."""
    require(actor, HANDLE)
    return RightsRequest.objects.select_related(
        "person", "handled_by", "decided_by", "extended_by", "identity_verified_by"
    ).get(pk=pk)


def subject_access_exports_logged() -> list[SubjectAccessExport]:
    """The latest subject access exports, for the disclosure log (its view checks the log's own permission)."""
    rows = SubjectAccessExport.objects.select_related("request", "produced_by")[:LOGGED_EXPORTS]
    exports = list(rows)
    for export in exports:
        export.total_records = sum((export.record_counts or {}).values())  # type: ignore[attr-defined]
    return exports


def rights_subject_person(*, actor: User, reference: str) -> Person:
    """The register person a handler typed the reference of (any case); DomainError naming the field if nobody."""
    require(actor, HANDLE)
    reference = (reference or "").strip()
    person = Person.objects.filter(reference__iexact=reference).first() if reference else None
    if person is None:
        raise DomainError(field_errors={"person": f"No one on the housing register has the reference {reference}"})
    return person


def latest_export(rights_request: RightsRequest) -> SubjectAccessExport | None:
    """The newest export of a request, if any."""
    return rights_request.exports.select_related("produced_by").first()
