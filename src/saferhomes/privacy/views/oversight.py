"""The DPO's oversight of access (issue 19 part 5; ADR 0020), metadata only:

- /staff/privacy/oversight/              restricted and DA reads (and partners' reads of shared cases): who, when,
                                         which case (reference, type, sensitivity), how
- /staff/privacy/oversight/break-glass/  every break glass and access given to the DPO: who, who gave it, why, until
                                         when, and what was read and done while it lasted
- /staff/privacy/oversight/anomalies/    bursts of reads, reads out of hours, break glass left unused, explained
- /staff/privacy/oversight/<section>/download/?format=csv|xlsx  the same, through `core.exports`

For holders of `privacy.view_oversight` (the DPO). Every page view is audited (`oversight.viewed`), every download
(`oversight.exported`). Filters are GET, so a view is a link; bad filters are shown on the form, never a server error.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from saferhomes.accounts.http import actor_of
from saferhomes.core.calendar_config import calendar_current
from saferhomes.core.errors import DomainError
from saferhomes.core.exports import MAX_ROWS, Column, ExportFormat, export_response
from saferhomes.core.pagination import paginate, query_without_page
from saferhomes.core.permissions import require
from saferhomes.privacy.forms.oversight import OversightFilterForm
from saferhomes.privacy.selectors.anomalies import (
    Anomaly,
    anomalies_for,
    burst_cases,
    burst_minutes,
    working_hours,
)
from saferhomes.privacy.selectors.oversight import (
    VIEW_OVERSIGHT,
    GrantRow,
    OversightFilters,
    ReadRow,
    break_glass_uses,
    grant_rows,
    oversight_exported,
    oversight_viewed,
    read_rows,
    restricted_reads,
)
from saferhomes.privacy.services.dpo_access import dpo_grants_for

PAGE_SIZE = 50
COUNT_LIMIT = 10_000
READS, BREAK_GLASS, ANOMALIES = "reads", "break-glass", "anomalies"
SECTIONS = {
    READS: ("Restricted reads", "privacy:oversight-reads"),
    BREAK_GLASS: ("Break glass", "privacy:oversight-break-glass"),
    ANOMALIES: ("Anomalies", "privacy:oversight-anomalies"),
}


def _local(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


READ_COLUMNS: list[Column] = [
    Column("When (Europe/London)", lambda r: _local(r.at)),
    Column("Username", lambda r: r.username),
    Column("Case", lambda r: r.case.reference if r.case else ""),
    Column("Case type", lambda r: r.case.type_label if r.case else ""),
    Column("Sensitivity", lambda r: r.case.sensitivity_label if r.case else ""),
    Column("How", lambda r: r.how),
    Column("Detail", lambda r: r.detail),
    Column("Page or download read", lambda r: r.page),
]
GRANT_COLUMNS: list[Column] = [
    Column("Given (Europe/London)", lambda g: _local(g.grant.granted_at)),
    Column("Kind", lambda g: g.kind),
    Column("Username", lambda g: g.username),
    Column("Given by", lambda g: g.given_by),
    Column("Case", lambda g: g.case.reference if g.case else ""),
    Column("Case type", lambda g: g.case.type_label if g.case else ""),
    Column("Sensitivity", lambda g: g.case.sensitivity_label if g.case else ""),
    Column("Reason", lambda g: g.reason),
    Column("Access ends (Europe/London)", lambda g: _local(g.grant.expires_at)),
    Column("Pages read", lambda g: len(g.reads)),
    Column("Pages", lambda g: "; ".join(page for _at, page in g.reads)),
    Column("Other actions", lambda g: "; ".join(what for _at, what in g.actions)),
]
ANOMALY_COLUMNS: list[Column] = [
    Column("First read (Europe/London)", lambda a: _local(a.first_at)),
    Column("Last read (Europe/London)", lambda a: _local(a.last_at)),
    Column("Kind", lambda a: a.kind_label),
    Column("Username", lambda a: a.username),
    Column("Cases", lambda a: ", ".join(a.cases)),
    Column("Reads", lambda a: a.reads),
    Column("Explanation", lambda a: a.explanation),
]


def _form(request: HttpRequest) -> OversightFilterForm:
    data = request.GET.copy()
    data.pop("format", None)
    return OversightFilterForm(data, today=timezone.localdate())


def _with_format(request: HttpRequest, export_format: ExportFormat) -> str:
    query = query_without_page(request.GET)
    query["format"] = str(export_format)
    return str(query.urlencode())


class _SectionView(View):
    section = READS
    template = ""

    def rows(self, request: HttpRequest, filters: OversightFilters) -> dict[str, Any]:
        raise NotImplementedError

    def get(self, request: HttpRequest) -> HttpResponse:
        actor = actor_of(request)
        require(actor, VIEW_OVERSIGHT)
        form = _form(request)
        context: dict[str, Any] = {
            "form": form,
            "page_obj": None,
            "section": self.section,
            "sections": [(key, label, reverse(name)) for key, (label, name) in SECTIONS.items()],
            "title": SECTIONS[self.section][0],
            "action": reverse(SECTIONS[self.section][1]),
            "my_grants": dpo_grants_for(dpo=actor),
        }
        if form.is_valid():
            filters = form.filters()
            try:
                found = self.rows(request, filters)
            except DomainError as error:  # too much to check at once: say so on the form
                for name, messages in error.field_errors.items():
                    for message in messages:
                        form.add_error(name if name in form.fields else None, message)
                return render(request, self.template, context)
            oversight_viewed(actor=actor, section=self.section, filters=filters, request=request)
            download = reverse("privacy:oversight-download", args=[self.section])
            context.update(
                filters=filters,
                csv_href=f"{download}?{_with_format(request, ExportFormat.CSV)}",
                xlsx_href=f"{download}?{_with_format(request, ExportFormat.XLSX)}",
                **found,
            )
        return render(request, self.template, context)


class ReadsView(_SectionView):
    """GET /staff/privacy/oversight/: reads of restricted and DA cases, newest first, 50 to a page."""

    section = READS
    template = "privacy/oversight/reads.html"

    def rows(self, request: HttpRequest, filters: OversightFilters) -> dict[str, Any]:
        events = restricted_reads(actor=actor_of(request), filters=filters)
        context = paginate(events, request.GET, per_page=PAGE_SIZE, count_limit=COUNT_LIMIT)
        context["rows"] = read_rows(context["page_obj"])
        return context


class BreakGlassView(_SectionView):
    """GET /staff/privacy/oversight/break-glass/: break glass and access given to the DPO, newest first."""

    section = BREAK_GLASS
    template = "privacy/oversight/break_glass.html"

    def rows(self, request: HttpRequest, filters: OversightFilters) -> dict[str, Any]:
        grants = break_glass_uses(actor=actor_of(request), filters=filters)
        context = paginate(grants, request.GET, per_page=PAGE_SIZE, count_limit=COUNT_LIMIT)
        context["rows"] = grant_rows(context["page_obj"])
        return context


class AnomaliesView(_SectionView):
    """GET /staff/privacy/oversight/anomalies/: anomalies that began in the period, newest first, explained."""

    section = ANOMALIES
    template = "privacy/oversight/anomalies.html"

    def rows(self, request: HttpRequest, filters: OversightFilters) -> dict[str, Any]:
        found = anomalies_for(actor=actor_of(request), filters=filters)
        opens, closes = working_hours(calendar_current())
        context = paginate(found, request.GET, per_page=PAGE_SIZE)
        context.update(burst_cases=burst_cases(), burst_minutes=burst_minutes(), opens=opens, closes=closes)
        return context


def _chunked_reads(events: Any) -> Iterator[ReadRow]:
    chunk: list[Any] = []
    for event in events[:MAX_ROWS].iterator(chunk_size=2000):
        chunk.append(event)
        if len(chunk) == 2000:
            yield from read_rows(chunk)
            chunk = []
    if chunk:
        yield from read_rows(chunk)


def _chunked_grants(grants: Any) -> Iterator[GrantRow]:
    chunk: list[Any] = []
    for grant in grants[:MAX_ROWS].iterator(chunk_size=500):
        chunk.append(grant)
        if len(chunk) == 500:
            yield from grant_rows(chunk)
            chunk = []
    if chunk:
        yield from grant_rows(chunk)


class OversightDownloadView(View):
    """GET /staff/privacy/oversight/<section>/download/?format=csv|xlsx: the section as a spreadsheet; audited."""

    def get(self, request: HttpRequest, section: str) -> HttpResponse | StreamingHttpResponse:
        actor = actor_of(request)
        require(actor, VIEW_OVERSIGHT)
        if section not in SECTIONS:
            raise Http404("No such section")
        form = _form(request)
        formats = {str(value): value for value in ExportFormat}
        export_format = formats.get(request.GET.get("format", ""), ExportFormat.CSV)
        if not form.is_valid():
            query = query_without_page(request.GET)
            query.pop("format", None)
            return redirect(f"{reverse(SECTIONS[section][1])}?{query.urlencode()}")
        filters = form.filters()
        found: list[Anomaly] = []
        if section == ANOMALIES:
            try:
                found = anomalies_for(actor=actor, filters=filters)
            except DomainError:  # too many reads to check at once: the page says so on the form
                return redirect(f"{reverse(SECTIONS[section][1])}?{query_without_page(request.GET).urlencode()}")
        oversight_exported(
            actor=actor, section=section, filters=filters, export_format=str(export_format), request=request
        )
        name = f"access-oversight-{section}"
        title = f"Access oversight - {SECTIONS[section][0].lower()}"
        if section == READS:
            reads = _chunked_reads(restricted_reads(actor=actor, filters=filters))
            return export_response(export_format, READ_COLUMNS, reads, name=name, title=title)
        if section == BREAK_GLASS:
            grants = _chunked_grants(break_glass_uses(actor=actor, filters=filters))
            return export_response(export_format, GRANT_COLUMNS, grants, name=name, title=title)
        return export_response(export_format, ANOMALY_COLUMNS, found, name=name, title=title)
