"""The guard against tomorrow's models: every model of every app is either in the anonymisation field map or listed
as holding no record of a case (with a reason), and every text, char, JSON or file field, and every link to the
register, of a mapped model is treated or kept with a reason. Adding a model or such a field without deciding what
anonymisation does to it fails here."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.apps import apps
from django.db import models

from saferhomes.privacy.anonymisation.engine import compiled_plans
from saferhomes.privacy.anonymisation.fields import NOT_CASE_RECORDS, PLANS, ModelPlan
from saferhomes.privacy.anonymisation.treatments import REMOVED, How

PERSONAL_KINDS = (models.CharField, models.TextField, models.JSONField, models.FileField, models.GenericIPAddressField)
REGISTER = {"housing.Person", "housing.Property"}


def _must_be_listed(field: Any) -> bool:
    if isinstance(field, models.ManyToManyField):
        return True
    if field.is_relation:
        return field.related_model is not None and field.related_model._meta.label in REGISTER
    return isinstance(field, PERSONAL_KINDS) or field.name == "date_of_birth"


def test_every_model_is_mapped_or_listed_as_holding_no_case_record() -> None:
    mapped = {plan.label for plan in PLANS}
    assert not mapped & set(NOT_CASE_RECORDS), "a model is both mapped and listed as holding no case record"
    unlisted = [
        model._meta.label
        for model in apps.get_models()
        if model._meta.label not in mapped and model._meta.label not in NOT_CASE_RECORDS
    ]
    assert unlisted == [], f"decide what anonymising a case does to {unlisted} (privacy/anonymisation/fields.py)"
    assert all(reason.strip() for reason in NOT_CASE_RECORDS.values())


def _unlisted_fields(plans: tuple[ModelPlan, ...]) -> list[str]:
    missing = []
    for plan in plans:
        model = apps.get_model(plan.label)
        for field in model._meta.get_fields():
            if getattr(field, "concrete", False) and _must_be_listed(field) and field.name not in plan.fields:
                missing.append(f"{plan.label}.{field.name}")
    return missing


def test_every_personal_field_of_a_mapped_model_is_treated_or_kept_with_a_reason() -> None:
    missing = _unlisted_fields(PLANS)
    assert missing == [], f"decide what anonymisation does to {missing} (privacy/anonymisation/fields.py)"


def test_the_guard_notices_a_field_nobody_decided_about() -> None:
    party = next(plan for plan in PLANS if plan.label == "cases.Party")
    without_notes = replace(party, fields={k: v for k, v in party.fields.items() if k not in ("notes", "person")})
    assert _unlisted_fields((without_notes,)) == ["cases.Party.person", "cases.Party.notes"]


def test_the_map_names_only_real_fields_and_every_kept_field_says_why() -> None:
    for plan in PLANS:
        model = apps.get_model(plan.label)
        for name, treat in plan.fields.items():
            field = model._meta.get_field(name)
            if treat.how is How.KEEP:
                assert treat.reason.strip(), f"{plan.label}.{name}"
            if treat.how in (How.NULL,):
                assert field.null, f"{plan.label}.{name} cannot be null"
            if treat.how is How.FILE:
                assert isinstance(field, models.FileField), f"{plan.label}.{name}"
            if treat.how is How.CUT:  # the engine unlinks the case's own many-to-many links
                assert isinstance(field, models.ManyToManyField), f"{plan.label}.{name}"
                assert plan.label == "cases.Case", f"{plan.label}.{name}: only the case's links are cut"
            if treat.how is How.FIXED:
                assert len(treat.value) <= (field.max_length or len(treat.value)), f"{plan.label}.{name}"


def _max_length(label: str, name: str) -> int:
    return getattr(apps.get_model(label)._meta.get_field(name), "max_length", None) or 10**6


def test_free_text_too_short_for_the_marker_is_emptied_not_truncated() -> None:
    short = [
        f"{plan.label}.{name}"
        for plan in PLANS
        for name, treat in plan.fields.items()
        if treat.how is How.REDACT
        and (apps.get_model(plan.label)._meta.get_field(name).max_length or 10**6) < len(REMOVED)
    ]
    assert short == []  # none today; the engine would empty such a field rather than overflow it


def test_every_plan_finds_its_rows_through_the_case() -> None:
    for compiled in compiled_plans():
        str(compiled.rows(1).query)  # each lookup resolves to a real relation path
