"""Tenant Satisfaction Measures under /staff/insights/tsm/?year=2026 (issue 18 part 2): NM01(1), NM01(2) and TP12
for an April-March year, how each was counted, the cases counted (so a board member can audit a figure), and the
data return as CSV."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from saferhomes.accounts.http import actor_of
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.exports import Column, ExportFormat, export_response
from saferhomes.core.pagination import paginate
from saferhomes.core.permissions import require
from saferhomes.insights import rules
from saferhomes.insights.charts import bar_chart_svg
from saferhomes.insights.forms.periods import YearForm
from saferhomes.insights.selectors.tsm import (
    VIEW_PERFORMANCE,
    TsmYear,
    counted_case_row,
    counted_cases_for_actor,
    tsm_year_for_actor,
)
from saferhomes.insights.services.tsm_return import data_return_columns, data_return_rows

CASES_PER_PAGE = 50
MEASURES = {"nm01_1": "NM01(1)", "nm01_2": "NM01(2)"}


def _year_form(request: HttpRequest) -> YearForm:
    if "year" in request.GET:
        return YearForm(request.GET)
    return YearForm({"year": str(rules.tsm_year_of(timezone.localdate()))})


def _measure(request: HttpRequest) -> str:
    asked = request.GET.get("measure", "nm01_1")
    return asked if asked in MEASURES else "nm01_1"


def _tp12_chart(figures: TsmYear) -> Any:
    return bar_chart_svg(
        "TP12 answers by score",
        [score.label for score in figures.scores],
        [(figures.label, [score.count for score in figures.scores])],
    )


@require_GET
def tsm(request: HttpRequest) -> HttpResponse:
    """GET ?year=2026[&measure=nm01_2][&page=N]: the three measures and the cases counted."""
    actor = actor_of(request)
    require(actor, VIEW_PERFORMANCE)
    form = _year_form(request)
    if not form.is_valid():  # a GOV.UK form with its errors, like any other form page
        return render(request, "insights/tsm.html", {"form": form})
    year = form.cleaned_data["year"]
    figures = tsm_year_for_actor(actor=actor, year=year)
    measure = _measure(request)
    cases = counted_cases_for_actor(actor=actor, year=year, measure=measure)
    page = paginate(cases, request.GET, per_page=CASES_PER_PAGE)
    rows = [counted_case_row(case) for case in page["page_obj"].object_list]
    return render(
        request,
        "insights/tsm.html",
        {
            "form": form,
            "figures": figures,
            "chart": _tp12_chart(figures),
            "measure": measure,
            "measures": MEASURES,
            "rows": rows,
            **page,
        },
    )


def _export_audit(request: HttpRequest, year: int, what: str) -> None:
    audit(
        actor=actor_of(request),
        verb=AuditVerb.TSM_CASES_EXPORTED,
        object_type="insights.tsm",
        object_id=str(year),
        object_label=f"Tenant Satisfaction Measures {rules.tsm_year_label(year)}",
        after={"what": what},
        request=request,
    )


@require_GET
def tsm_data_return(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """GET ?year=2026: the measures as CSV in the regulator's data-return layout."""
    actor = actor_of(request)
    require(actor, VIEW_PERFORMANCE)
    form = _year_form(request)
    if not form.is_valid():
        return render(request, "insights/tsm.html", {"form": form}, status=400)
    figures = tsm_year_for_actor(actor=actor, year=form.cleaned_data["year"])
    _export_audit(request, figures.year, "data return")
    return export_response(
        ExportFormat.CSV,
        data_return_columns(),
        data_return_rows(figures),
        name=f"tsm-data-return-{figures.year}",
        title="TSM data return",
    )


@require_GET
def tsm_cases_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """GET ?year=2026&measure=nm01_1: every case a measure counted, as CSV (references and facts, no one's details)."""
    actor = actor_of(request)
    require(actor, VIEW_PERFORMANCE)
    form = _year_form(request)
    if not form.is_valid():
        return render(request, "insights/tsm.html", {"form": form}, status=400)
    year, measure = form.cleaned_data["year"], _measure(request)
    _export_audit(request, year, f"cases counted in {MEASURES[measure]}")
    columns = [
        Column("Case reference", lambda row: row.reference),
        Column("Received (London date)", lambda row: row.received_on),
        Column("Case type", lambda row: row.case_type),
        Column("Hate strands", lambda row: row.strands),
        Column("Counted in NM01(2)", lambda row: row.in_nm01_2),
    ]
    cases = counted_cases_for_actor(actor=actor, year=year, measure=measure)
    rows = (counted_case_row(case) for case in cases.iterator(chunk_size=2000))
    return export_response(
        ExportFormat.CSV, columns, rows, name=f"tsm-{measure.replace('_', '')}-cases-{year}", title="Cases counted"
    )
