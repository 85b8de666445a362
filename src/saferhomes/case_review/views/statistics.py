"""The four published Case Review figures (issue 17 part 7; ADR 0014): the public page /case-review/statistics/
(no account, no JavaScript: a GET form chooses the April-to-March year; counts below the small-number threshold are
shown as "fewer than N") and the staff download (CSV or XLSX through core.exports: every year, true counts).
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from saferhomes.accounts.http import actor_of
from saferhomes.case_review.forms.review import StatisticsYearForm
from saferhomes.case_review.selectors.applications import may_view_applications
from saferhomes.case_review.selectors.statistics import (
    FIGURE_LABELS,
    CaseReviewFigures,
    figures_for_year,
    published_figures,
    statistics_years,
)
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.exports import Column, ExportFormat, export_response


@require_GET
def statistics_page(request: HttpRequest) -> HttpResponse:
    """GET: the figures for one year (the latest complete year unless another is chosen)."""
    today = timezone.localdate()
    years = statistics_years(today)
    choices = [(year.slug, year.label + (" (so far)" if year.end >= today else "")) for year in years]
    default = years[1] if len(years) > 1 else years[0]
    form = StatisticsYearForm(request.GET or None, initial={"year": default.slug}, years=choices)
    chosen = default
    status = 200
    if request.GET:
        if form.is_valid():
            chosen = next(year for year in years if year.slug == form.cleaned_data["year"])
        else:
            status = 400
    threshold = settings.SUPPRESSION_THRESHOLD
    figures = published_figures(figures_for_year(chosen), threshold)
    return render(
        request,
        "case_review/statistics/public.html",
        {
            "form": form,
            "year": chosen,
            "figures": figures,
            "threshold": threshold,
            "partial": chosen.end >= today,
        },
        status=status,
    )


@require_GET
def statistics_download(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """GET ?format=csv|xlsx: every year's four figures, unsuppressed, for staff who see applications (audited)."""
    actor = actor_of(request)
    if not may_view_applications(actor):
        raise Http404("No such page")
    try:
        export_format = ExportFormat(request.GET.get("format", "csv"))
    except ValueError:
        raise Http404("No such format") from None
    rows = [(year, figures_for_year(year)) for year in statistics_years(timezone.localdate())]
    columns = [
        Column("Year", lambda row: row[0].label),
        Column("From", lambda row: row[0].start),
        Column("To", lambda row: row[0].end),
        *(Column(label, _figure(key)) for key, label in FIGURE_LABELS),
    ]
    audit(
        actor=actor,
        verb=AuditVerb.CASE_REVIEW_STATISTICS_EXPORTED,
        object_type="case_review.statistics",
        object_label=f"Case Review statistics ({export_format})",
        after={"years": len(rows), "format": str(export_format)},
        request=request,
    )
    return export_response(export_format, columns, rows, name="case-review-statistics", title="Case Review statistics")


def _figure(key: str):  # type: ignore[no-untyped-def]
    def value(row: tuple[object, CaseReviewFigures]) -> int:
        return int(getattr(row[1], key))

    return value
