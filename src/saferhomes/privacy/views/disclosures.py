"""The DPO's disclosure log (issue 15 item 5): /staff/privacy/disclosures/ lists every disclosure of personal data
outside the landlord, newest first, 50 to a page, filtered by agency, case, how, lawful basis, dates and who; the same
search downloads as CSV or XLSX (`core.exports`), each download audited. For holders of
`referrals.view_disclosure_log` (the DPO, managers). Bad filters are shown on the form, never a server error."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from saferhomes.accounts.http import actor_of
from saferhomes.core.exports import Column, ExportFormat, export_response
from saferhomes.core.pagination import paginate, query_without_page
from saferhomes.core.permissions import require
from saferhomes.privacy.forms.disclosures import DisclosureLogForm
from saferhomes.privacy.selectors.rights import subject_access_exports_logged
from saferhomes.referrals.selectors.disclosures import (
    VIEW_LOG,
    disclosure_agencies,
    disclosure_log,
    disclosure_log_for_export,
)

PAGE_SIZE = 50
COLUMNS = [
    Column("When (Europe/London)", lambda d: d.disclosed_at),
    Column("Case", lambda d: d.case.reference if d.case_id else ""),
    Column("Disclosed to", lambda d: d.agency.name),
    Column("Agency code", lambda d: d.agency.code),
    Column("How", lambda d: d.get_source_display()),
    Column("What", lambda d: d.what),
    Column("Why", lambda d: d.reason),
    Column("Lawful basis", lambda d: d.get_lawful_basis_display()),
    Column("Agreement", lambda d: d.agreement.name if d.agreement_id else ""),
    Column("Disclosed by", lambda d: d.disclosed_by.get_username()),
    Column("Disclosed by (name)", lambda d: d.disclosed_by.get_full_name()),
]


def _form(request: HttpRequest) -> DisclosureLogForm:
    return DisclosureLogForm(request.GET, agencies=disclosure_agencies())


class DisclosureLogView(View):
    """GET /staff/privacy/disclosures/: the filters, then the disclosures newest first, with CSV and XLSX links."""

    def get(self, request: HttpRequest) -> HttpResponse:
        require(request.user, VIEW_LOG)
        form = _form(request)
        context: dict[str, Any] = {"form": form, "page_obj": None}
        if form.is_valid():
            filters = form.filters()
            rows = disclosure_log(actor=actor_of(request), filters=filters)
            query = query_without_page(request.GET)
            download = reverse("privacy:disclosure-download")
            context.update(
                **paginate(rows, request.GET, per_page=PAGE_SIZE),
                csv_href=f"{download}?{_with_format(query, ExportFormat.CSV)}",
                xlsx_href=f"{download}?{_with_format(query, ExportFormat.XLSX)}",
                filtered=bool(filters.as_dict()),
            )
        context["subject_access_exports"] = subject_access_exports_logged()  # issue 19 part 4
        return render(request, "privacy/disclosure_log.html", context)


def _with_format(query: Any, export_format: ExportFormat) -> str:
    copy = query.copy()
    copy["format"] = str(export_format)
    return str(copy.urlencode())


class DisclosureLogDownloadView(View):
    """GET /staff/privacy/disclosures/download/?format=csv|xlsx: the current search as a spreadsheet; audited."""

    def get(self, request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
        require(request.user, VIEW_LOG)
        form = _form(request)
        formats = {str(value): value for value in ExportFormat}
        export_format = formats.get(request.GET.get("format", ""), ExportFormat.CSV)
        if not form.is_valid():
            # Back to the log, which shows what is wrong with the filters and keeps them.
            query = query_without_page(request.GET)
            query.pop("format", None)
            return redirect(f"{reverse('privacy:disclosure-log')}?{query.urlencode()}")
        rows = disclosure_log_for_export(
            actor=actor_of(request), filters=form.filters(), export_format=str(export_format), request=request
        )
        # In chunks, so a long log is streamed rather than held in memory.
        chunks = rows.iterator(chunk_size=2000)
        return export_response(export_format, COLUMNS, chunks, name="disclosure-log", title="Disclosure log")
