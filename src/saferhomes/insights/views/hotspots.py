"""Hotspots and trends (issue 18 part 3): /staff/insights/hotspots/ (by estate and by week or month, each chart
with its table, and the estates map) and /staff/insights/hotspots/repeats/ (repeat locations and victims), with CSV
and XLSX downloads of each table. Thin: the selectors count, with the actor, only cases the actor may see."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from saferhomes.accounts.http import actor_of
from saferhomes.cases.models import CaseType
from saferhomes.core.exports import Column, ExportFormat, export_response
from saferhomes.core.permissions import require
from saferhomes.insights.estate_map import Place, estate_map
from saferhomes.insights.forms.hotspots import HotspotFilterForm
from saferhomes.insights.selectors import hotspots as selectors
from saferhomes.insights.trend_charts import bar_chart

ESTATE_COLUMNS = [
    Column("Estate", lambda r: r.name),
    Column("Area", lambda r: r.area),
    Column("Cases", lambda r: r.count),
]
PERIOD_COLUMNS = [Column("Period starting", lambda r: r.starts), Column("Cases", lambda r: r.count)]
REPEAT_COLUMNS = [
    Column("Place or person", lambda r: r.label),
    Column("Estate or register reference", lambda r: r.detail),
    Column("Cases", lambda r: r.count),
    Column("Case references", lambda r: " ".join(r.references)),
]


def _filters(request: HttpRequest) -> tuple[HotspotFilterForm, selectors.HotspotFilters]:
    today = timezone.localdate()
    form = HotspotFilterForm(request.GET if request.GET else None, today=today)
    return form, form.filters()


def _query(request: HttpRequest) -> str:
    """The filters as a query string, for the download links (without a format or table of their own)."""
    query = request.GET.copy()
    for name in ("format", "table"):
        query.pop(name, None)
    return query.urlencode()


def _download(
    request: HttpRequest, columns: list[Column], rows: list[Any], *, name: str, title: str
) -> HttpResponse | StreamingHttpResponse | None:
    wanted = request.GET.get("format", "")
    if wanted not in (ExportFormat.CSV, ExportFormat.XLSX):
        return None
    return export_response(ExportFormat(wanted), columns, rows, name=name, title=title)


class HotspotsView(View):
    def get(self, request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
        actor = actor_of(request)
        require(actor, selectors.VIEW_HOTSPOTS)
        form, filters = _filters(request)
        estates = selectors.counts_by_estate(actor=actor, filters=filters)
        periods = selectors.counts_by_period(actor=actor, filters=filters)
        table = request.GET.get("table", "")
        if table == "estates":
            download = _download(request, ESTATE_COLUMNS, estates, name="cases-by-estate", title="Cases by estate")
        elif table == "periods":
            download = _download(request, PERIOD_COLUMNS, periods, name="cases-by-period", title="Cases by period")
        else:
            download = None
        if download is not None:
            return download
        by_word = "week" if filters.by == "week" else "month"
        places = [
            Place(name=e.name, latitude=e.latitude, longitude=e.longitude, count=e.count)
            for e in estates
            if e.latitude is not None and e.longitude is not None
        ]
        return render(
            request,
            "insights/hotspots.html",
            {
                "form": form,
                "filters": filters,
                "estates": estates,
                "periods": periods,
                "by_word": by_word,
                "case_type_label": dict(CaseType.choices).get(filters.case_type, ""),
                "estate_chart": bar_chart(
                    [e.name for e in estates], [e.count for e in estates], title="Cases by estate", horizontal=True
                ),
                "period_chart": bar_chart(
                    [p.label for p in periods], [p.count for p in periods], title=f"Cases received by {by_word}"
                ),
                "map": estate_map(places, tile_url=getattr(settings, "MAP_TILE_URL", "")),
                "mapped_estates": selectors.estates_with_coordinates(),
                "query": _query(request),
            },
        )


class RepeatsView(View):
    def get(self, request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
        actor = actor_of(request)
        require(actor, selectors.VIEW_HOTSPOTS)
        form, filters = _filters(request)
        locations = selectors.repeat_locations(actor=actor, filters=filters)
        victims = selectors.repeat_victims(actor=actor, filters=filters)
        table = request.GET.get("table", "")
        download = None
        if table == "locations":
            download = _download(request, REPEAT_COLUMNS, locations, name="repeat-locations", title="Repeat locations")
        elif table == "victims":
            download = _download(request, REPEAT_COLUMNS, victims, name="repeat-victims", title="Repeat victims")
        if download is not None:
            return download
        return render(
            request,
            "insights/repeats.html",
            {
                "form": form,
                "filters": filters,
                "locations": locations,
                "victims": victims,
                "at_least": selectors.REPEAT_AT_LEAST,
                "query": _query(request),
            },
        )
