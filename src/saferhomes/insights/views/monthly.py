"""The monthly performance report page under /staff/insights/monthly/ (issue 18 part 1) and its PDF and XLSX
downloads: the same figures the `saferhomes report monthly` command and the worker's email give."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from saferhomes.accounts.http import actor_of
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.exports import XLSX_CONTENT_TYPE
from saferhomes.core.pdf import pdf_response
from saferhomes.core.permissions import require
from saferhomes.insights import rules
from saferhomes.insights.forms.periods import MonthForm
from saferhomes.insights.selectors.monthly import monthly_report_for_actor
from saferhomes.insights.selectors.tsm import VIEW_PERFORMANCE
from saferhomes.insights.services.reports import (
    ReportFormat,
    monthly_report_pdf,
    monthly_report_xlsx,
    report_context,
    report_filename,
)


def _month_form(request: HttpRequest) -> MonthForm:
    """The month asked for, or last month when none is."""
    if "month" in request.GET:
        return MonthForm(request.GET)
    default = rules.last_full_month(timezone.localdate())
    return MonthForm({"month": f"{default:%Y-%m}"})


@require_GET
def monthly(request: HttpRequest) -> HttpResponse:
    """GET ?month=YYYY-MM: every section of the report, charts beside their tables, with downloads."""
    actor = actor_of(request)
    require(actor, VIEW_PERFORMANCE)
    form = _month_form(request)
    if not form.is_valid():  # a GOV.UK form with its errors, like any other form page
        return render(request, "insights/monthly.html", {"form": form})
    report = monthly_report_for_actor(actor=actor, month=form.cleaned_data["month"])
    return render(request, "insights/monthly.html", {"form": form, **report_context(report)})


@require_GET
def monthly_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """GET ?month=YYYY-MM: the report as a PDF or an XLSX workbook (a sheet per section); audited."""
    actor = actor_of(request)
    require(actor, VIEW_PERFORMANCE)
    form = _month_form(request)
    if not form.is_valid():
        return render(request, "insights/monthly.html", {"form": form}, status=400)
    report = monthly_report_for_actor(actor=actor, month=form.cleaned_data["month"])
    report_format = ReportFormat(fmt)
    audit(
        actor=actor,
        verb=AuditVerb.MONTHLY_REPORT_DOWNLOADED,
        object_type="insights.monthlyreport",
        object_id=f"{report.month:%Y-%m}",
        object_label=f"Monthly performance report {report.label}",
        after={"format": str(report_format)},
        request=request,
    )
    filename = report_filename(report.month, report_format)
    if report_format == ReportFormat.PDF:
        return pdf_response(monthly_report_pdf(report), filename)
    response = HttpResponse(monthly_report_xlsx(report), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
