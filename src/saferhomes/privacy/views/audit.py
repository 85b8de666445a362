"""The DPO's audit-trail search and its CSV download (/staff/privacy/audit/)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from saferhomes.accounts.http import actor_of
from saferhomes.core.exports import Column, ExportFormat, export_response
from saferhomes.core.models import AuditEvent
from saferhomes.core.pagination import paginate, query_without_page
from saferhomes.core.permissions import require
from saferhomes.privacy.forms.audit import AuditSearchForm
from saferhomes.privacy.selectors.audit import (
    SEARCH_PERMISSION,
    AuditEntry,
    audit_entries,
    audit_events_search,
    audit_object_types,
    audit_verbs,
)

PAGE_SIZE = 50


def _json(value: Any) -> str:
    return "" if value is None else json.dumps(value, sort_keys=True)


# The download's columns, through the one export helper (core/exports.py: formula-safe, UTF-8 with a byte-order mark).
CSV_COLUMNS: list[Column] = [
    Column("When (Europe/London)", lambda e: timezone.localtime(e.event.at).strftime("%Y-%m-%d %H:%M:%S")),
    Column("Username", lambda e: e.event.actor_label),
    Column("What happened", lambda e: e.what),
    Column("What happened (code)", lambda e: e.event.verb),
    Column("Type of record", lambda e: e.event.object_type),
    Column("Record ID", lambda e: e.event.object_id),
    Column("Record", lambda e: e.record),
    Column("Record description", lambda e: e.event.object_label),
    Column("Reason", lambda e: e.event.reason),
    Column("IP address", lambda e: e.event.ip_address or ""),
    Column("Before", lambda e: _json(e.event.before)),
    Column("After", lambda e: _json(e.event.after)),
]


def _search_form(request: HttpRequest) -> AuditSearchForm:
    return AuditSearchForm(request.GET, verbs=audit_verbs(), object_types=audit_object_types())


class AuditSearchView(View):
    """GET /staff/privacy/audit/: filter form, newest-first results 50 to a page, CSV link."""

    def get(self, request: HttpRequest) -> HttpResponse:
        require(request.user, SEARCH_PERMISSION)
        form = _search_form(request)
        context: dict[str, Any] = {"form": form, "page_obj": None}
        if form.is_valid():
            events = audit_events_search(actor=actor_of(request), filters=form.filters(), request=request)
            query = query_without_page(request.GET)
            context.update(
                **paginate(events, request.GET, per_page=PAGE_SIZE),
                download_href=f"{reverse('privacy:audit-download')}?{query.urlencode()}",
                filtered=bool(form.filters().as_dict()),
            )
            context["entries"] = audit_entries(context["page_obj"])
        return render(request, "privacy/audit_search.html", context)


def _chunks(events: Any, size: int = 2000) -> Iterator[list[AuditEvent]]:
    chunk: list[AuditEvent] = []
    for event in events.iterator(chunk_size=size):
        chunk.append(event)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _entries(events: Any) -> Iterator[AuditEntry]:
    """The events in words, read a chunk at a time so a long trail streams without loading it all."""
    for chunk in _chunks(events):
        yield from audit_entries(chunk)


class AuditDownloadView(View):
    """GET /staff/privacy/audit/download/: the current search as CSV, streamed row by row."""

    def get(self, request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
        require(request.user, SEARCH_PERMISSION)
        form = _search_form(request)
        if not form.is_valid():
            # Send the DPO back to the form, which shows what is wrong with the filters and keeps them.
            return redirect(f"{reverse('privacy:audit-search')}?{query_without_page(request.GET).urlencode()}")
        events = audit_events_search(actor=actor_of(request), filters=form.filters(), request=request, output="csv")
        return export_response(ExportFormat.CSV, CSV_COLUMNS, _entries(events), name="audit-trail", title="Audit trail")
