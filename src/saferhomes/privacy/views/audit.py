"""The DPO's audit-trail search and its CSV download (/staff/privacy/audit/)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from saferhomes.accounts.http import actor_of
from saferhomes.core.models import AuditEvent
from saferhomes.core.pagination import paginate, query_without_page
from saferhomes.core.permissions import require
from saferhomes.privacy.forms.audit import AuditSearchForm
from saferhomes.privacy.selectors import (
    SEARCH_PERMISSION,
    AuditEntry,
    audit_entries,
    audit_events_search,
    audit_object_types,
    audit_verbs,
)

PAGE_SIZE = 50
CSV_COLUMNS = [
    "When (Europe/London)",
    "Username",
    "What happened",
    "What happened (code)",
    "Type of record",
    "Record ID",
    "Record",
    "Record description",
    "Reason",
    "IP address",
    "Before",
    "After",
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


class _Echo:
    """A file-like object whose write() hands back the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def _cell(value: str) -> str:
    # Spreadsheet formula injection: a cell starting with = + - @ (or tab/CR) would run as a formula in Excel.
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _chunks(events: Any, size: int = 2000) -> Iterator[list[AuditEvent]]:
    chunk: list[AuditEvent] = []
    for event in events.iterator(chunk_size=size):
        chunk.append(event)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _csv_rows(events: Any) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    for chunk in _chunks(events):
        for entry in audit_entries(chunk):
            yield writer.writerow(_csv_row(entry))


def _csv_row(entry: AuditEntry) -> list[str]:
    event = entry.event
    return [
        _cell(value)
        for value in (
            timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"),
            event.actor_label,
            entry.what,
            event.verb,
            event.object_type,
            event.object_id,
            entry.record,
            event.object_label,
            event.reason,
            event.ip_address or "",
            "" if event.before is None else json.dumps(event.before, sort_keys=True),
            "" if event.after is None else json.dumps(event.after, sort_keys=True),
        )
    ]


class AuditDownloadView(View):
    """GET /staff/privacy/audit/download/: the current search as CSV, streamed row by row."""

    def get(self, request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
        require(request.user, SEARCH_PERMISSION)
        form = _search_form(request)
        if not form.is_valid():
            # Send the DPO back to the form, which shows what is wrong with the filters and keeps them.
            return redirect(f"{reverse('privacy:audit-search')}?{query_without_page(request.GET).urlencode()}")
        events = audit_events_search(actor=actor_of(request), filters=form.filters(), request=request, output="csv")
        filename = f"audit-trail-{timezone.localtime():%Y%m%d-%H%M%S}.csv"
        response = StreamingHttpResponse(_csv_rows(events), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response
