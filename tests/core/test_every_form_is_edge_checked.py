"""Every form Saferhomes defines passes the one edge check (core.forms.EdgeChecked, in EdgeForm) before its fields
and rules: none is left to crash on text no column can hold."""

from __future__ import annotations

import importlib
import pkgutil

import django_filters
from django import forms

import saferhomes
from saferhomes.core.forms import EdgeChecked


def _saferhomes_forms() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(saferhomes.__path__, "saferhomes."):
        if ".migrations" not in module.name and ".management" not in module.name:
            importlib.import_module(module.name)
    found: list[type[forms.BaseForm]] = []
    pending: list[type] = [forms.BaseForm]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            pending.append(sub)
            if sub.__module__.startswith("saferhomes."):
                found.append(sub)
    return found


def test_every_saferhomes_form_is_an_edge_form() -> None:
    found = _saferhomes_forms()
    assert len(found) > 30  # the walk found the project's forms
    unchecked = sorted(f"{cls.__module__}.{cls.__qualname__}" for cls in found if not issubclass(cls, EdgeChecked))
    assert unchecked == []


def test_filter_forms_are_edge_forms_too() -> None:
    from saferhomes.cases.filters import CaseFilter

    assert issubclass(CaseFilter._meta.form, EdgeChecked)
    assert issubclass(CaseFilter, django_filters.FilterSet)
