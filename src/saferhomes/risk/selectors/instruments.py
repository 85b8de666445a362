"""Reading risk instruments: the published version of each, every version for admins, one version's definition."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from saferhomes.risk.models import Instrument, InstrumentStatus
from saferhomes.risk.rules import Definition, definition_from_data


def published_instruments(*, case_type: str | None = None) -> QuerySet[Instrument]:
    """The published version of every instrument, or of those offered for `case_type` (asb, hate, da)."""
    qs = Instrument.objects.filter(status=InstrumentStatus.PUBLISHED).order_by("key")
    if case_type is None:
        return qs
    # applies_to is a JSON list; SQLite has no JSON containment lookup, and there are only a handful of rows.
    return qs.filter(pk__in=[pk for pk, applies in qs.values_list("pk", "applies_to") if case_type in (applies or [])])


def instrument_get(*, key: str, version: int | None = None) -> Instrument:
    """One version of an instrument, or its published version when `version` is None; Http404 when there is none."""
    qs = Instrument.objects.filter(key=key)
    qs = qs.filter(version=version) if version is not None else qs.filter(status=InstrumentStatus.PUBLISHED)
    instrument = qs.first()
    if instrument is None:
        raise Http404("No such instrument version")
    return instrument


def instrument_versions(*, key: str | None = None) -> QuerySet[Instrument]:
    """Every loaded version (newest first within each key), for the admin pages and `instruments list`."""
    qs = Instrument.objects.select_related("loaded_by", "published_by").order_by("key", "-version")
    return qs.filter(key=key) if key is not None else qs


def latest_version(key: str) -> int:
    """The highest version number loaded for `key` (0 when none is)."""
    found = Instrument.objects.filter(key=key).order_by("-version").values_list("version", flat=True).first()
    return found or 0


def instrument_definition(instrument: Instrument) -> Definition:
    """The instrument version's Definition: its questions, options, bands and MARAC rules."""
    return definition_from_data(instrument.definition)
