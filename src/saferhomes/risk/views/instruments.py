"""Administrator pages for risk instruments: every version, one version in full, upload a new one, publish it.

Thin: the form reads the files, `services.instruments` validates, stores and publishes (audited),
`selectors_instruments` reads. A rejected file is shown in the GOV.UK error summary, one "line N: reason" each.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from saferhomes.accounts.http import actor_of
from saferhomes.cases.models import CaseType
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.risk.forms.instruments import InstrumentUploadForm
from saferhomes.risk.models import Instrument, InstrumentStatus
from saferhomes.risk.rules import Band, Definition, Question, band_range
from saferhomes.risk.schema import InstrumentFileError
from saferhomes.risk.selectors.instruments import (
    instrument_definition,
    instrument_get,
    instrument_versions,
)
from saferhomes.risk.services.instruments import PUBLISH_INSTRUMENT, instrument_load, instrument_publish

VIEW_INSTRUMENT = "risk.view_instrument"


@dataclass(frozen=True)
class InstrumentGroup:
    key: str
    name: str
    versions: list[Instrument]

    @property
    def published(self) -> Instrument | None:
        return next((i for i in self.versions if i.status == InstrumentStatus.PUBLISHED), None)


@dataclass(frozen=True)
class SectionView:
    key: str
    title: str
    questions: tuple[Question, ...]


def _sections(definition: Definition) -> list[SectionView]:
    return [SectionView(s.key, s.title, definition.section_questions(s.key)) for s in definition.sections]


def _bands(definition: Definition) -> list[tuple[Band, str]]:
    return [(band, band_range(definition, band)) for band in definition.bands]


class InstrumentListView(View):
    """GET /staff/risk/instruments/: each instrument with its versions and which one is published."""

    def get(self, request: HttpRequest) -> HttpResponse:
        require(request.user, VIEW_INSTRUMENT)
        groups = [
            InstrumentGroup(key=key, name=versions[0].name, versions=versions)
            for key, versions in ((k, list(v)) for k, v in groupby(instrument_versions(), key=lambda i: i.key))
        ]
        return render(
            request,
            "risk/instruments/list.html",
            {"groups": groups, "can_publish": request.user.has_perm(PUBLISH_INSTRUMENT)},
        )


class InstrumentDetailView(View):
    """GET /staff/risk/instruments/<key>/<version>/: every question, answer, weight, band and rule of a version."""

    def get(self, request: HttpRequest, key: str, version: int) -> HttpResponse:
        require(request.user, VIEW_INSTRUMENT)
        instrument = instrument_get(key=key, version=version)
        definition = instrument_definition(instrument)
        context: dict[str, Any] = {
            "instrument": instrument,
            "definition": definition,
            "case_types": [CaseType(t).label for t in definition.applies_to],
            "sections": _sections(definition),
            "bands": _bands(definition),
            "versions": list(instrument_versions(key=key)),
            "can_publish": request.user.has_perm(PUBLISH_INSTRUMENT)
            and instrument.status != InstrumentStatus.PUBLISHED,
        }
        return render(request, "risk/instruments/detail.html", context)


class InstrumentUploadView(View):
    """GET/POST /staff/risk/instruments/upload/: load a new version from a file (and optional licensed wording)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        require(request.user, PUBLISH_INSTRUMENT)
        return render(request, "risk/instruments/upload.html", {"form": InstrumentUploadForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        require(request.user, PUBLISH_INSTRUMENT)
        form = InstrumentUploadForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            before = set(Instrument.objects.values_list("pk", flat=True))
            try:
                instrument = instrument_load(
                    actor=actor_of(request),
                    text=data["file"],
                    source_name=form.file_name("file"),
                    publish=data["publish"],
                    wording=data["wording"],
                    wording_name=form.file_name("wording"),
                    request=request,
                )
            except InstrumentFileError as rejected:
                target = (
                    "wording"
                    if data["wording"] is not None and rejected.source_name == form.file_name("wording")
                    else "file"
                )
                for line in rejected.lines():
                    form.add_error(target, line)
            except DomainError as error:
                for message in error.messages:
                    form.add_error("file", message)
            else:
                what = f"{instrument.name} version {instrument.version}"
                if instrument.pk in before:
                    messages.info(request, f"{what} was already loaded ({instrument.get_status_display().lower()}).")
                elif instrument.status == InstrumentStatus.PUBLISHED:
                    messages.success(request, f"{what} is loaded and published.")
                else:
                    messages.success(request, f"{what} is loaded as a draft. Check it, then publish it.")
                return redirect("risk:instrument-detail", key=instrument.key, version=instrument.version)
        return render(request, "risk/instruments/upload.html", {"form": form})


class InstrumentPublishView(View):
    """GET /staff/risk/instruments/<key>/<version>/publish/: confirm; POST publishes (retiring the one before)."""

    def get(self, request: HttpRequest, key: str, version: int) -> HttpResponse:
        require(request.user, PUBLISH_INSTRUMENT)
        instrument = instrument_get(key=key, version=version)
        if instrument.status == InstrumentStatus.PUBLISHED:
            messages.info(request, f"{instrument.name} version {instrument.version} is already published.")
            return redirect("risk:instrument-detail", key=key, version=version)
        current = Instrument.objects.filter(key=key, status=InstrumentStatus.PUBLISHED).first()
        return render(request, "risk/instruments/publish.html", {"instrument": instrument, "current": current})

    def post(self, request: HttpRequest, key: str, version: int) -> HttpResponse:
        require(request.user, PUBLISH_INSTRUMENT)
        instrument = instrument_get(key=key, version=version)
        instrument_publish(actor=actor_of(request), instrument=instrument, request=request)
        messages.success(
            request,
            f"{instrument.name} version {instrument.version} is published: new assessments use it from now on.",
        )
        return redirect("risk:instrument-detail", key=key, version=version)
