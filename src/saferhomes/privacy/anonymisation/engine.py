"""Apply the field map to one case, inside the caller's transaction (services.anonymise holds the lock and writes the
audit event). Set-based: one query finds which models hold rows of the case, then one UPDATE per such model (rows
with files or JSON to rewrite are read first), the case's homes unlinked, the audit events about every touched
record redacted, the search document rebuilt."""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from functools import cache, reduce
from typing import Any

from django.apps import apps
from django.db import connections, models, router
from django.db.models import Case as SqlCase
from django.db.models import CharField, Exists, F, Q, Value, When
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone

from saferhomes.cases.models import Case
from saferhomes.cases.search import refresh_search_documents
from saferhomes.core.models import AuditEvent
from saferhomes.privacy.anonymisation.fields import PLANS, ModelPlan
from saferhomes.privacy.anonymisation.statements import (
    CASE_MARK,
    NOW_MARK,
    Statement,
    select_statement,
    update_statement,
)
from saferhomes.privacy.anonymisation.steps import ANONYMISATION_STEPS
from saferhomes.privacy.anonymisation.treatments import ANONYMISED_NAME, REMOVED, How, Treat


@dataclass
class Done:
    """What the engine did to one case: rows changed per record kind, files deleted, audit events redacted."""

    records: dict[str, int] = field(default_factory=dict)
    files_deleted: int = 0
    audit_events_redacted: int = 0


@dataclass(frozen=True)
class _Compiled:
    plan: ModelPlan
    model: type[models.Model]
    sql_fields: tuple[tuple[str, Treat], ...]  # set by the UPDATE
    file_fields: tuple[str, ...]
    json_fields: tuple[str, ...]
    cut_fields: tuple[str, ...]

    @property
    def kind(self) -> str:
        return self.model._meta.label_lower

    def rows(self, case_id: int) -> models.QuerySet[Any]:
        condition = reduce(operator.or_, (Q(**{lookup: case_id}) for lookup in self.plan.case_lookups))
        return self.model._default_manager.filter(condition)

    @property
    def changes_anything(self) -> bool:
        return bool(self.sql_fields or self.file_fields or self.json_fields or self.cut_fields)


_DONE_IN_PYTHON = {How.KEEP, How.FILE, How.REDACT_JSON, How.CUT}


@cache
def compiled_plans() -> tuple[_Compiled, ...]:
    """The field map with its models resolved (once per process)."""
    out = []
    for plan in PLANS:
        model = apps.get_model(plan.label)
        items = plan.fields.items()
        out.append(
            _Compiled(
                plan=plan,
                model=model,
                sql_fields=tuple((name, treat) for name, treat in items if treat.how not in _DONE_IN_PYTHON),
                file_fields=tuple(name for name, treat in items if treat.how is How.FILE),
                json_fields=tuple(name for name, treat in items if treat.how is How.REDACT_JSON),
                cut_fields=tuple(name for name, treat in items if treat.how is How.CUT),
            )
        )
    return tuple(out)


def _unless_empty(name: str, value: str) -> SqlCase:
    return SqlCase(When(**{name: ""}, then=Value("")), default=Value(value), output_field=CharField())


def _expression(model: type[models.Model], name: str, treat: Treat, now: Any) -> Any:
    how = treat.how
    if how is How.NAME:
        return _unless_empty(name, ANONYMISED_NAME)
    if how is How.NAME_ALWAYS:
        return ANONYMISED_NAME
    if how is How.BLANK:
        return ""
    if how is How.NULL:
        return None
    if how is How.REDACT:
        max_length = model._meta.get_field(name).max_length  # type: ignore[union-attr]
        return _unless_empty(name, REMOVED) if max_length is None or max_length >= len(REMOVED) else ""
    if how is How.FIXED:
        return treat.value
    if how is How.EMPTY_LIST:
        return []
    if how is How.REVOKE:
        return Coalesce(F(name), Value(now))
    if how is How.UNIQUE:
        return Concat(Value("anonymised-"), Cast("pk", CharField()))
    raise ValueError(f"{model._meta.label}.{name}: {how} is not done in SQL")


def _redact_json(value: Any) -> Any:
    if isinstance(value, str):
        return REMOVED if value else value
    if isinstance(value, dict):
        return {key: _redact_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_redact_json(item) for item in value]
    return value


def _delete_files(compiled: _Compiled, rows: models.QuerySet[Any]) -> int:
    """Delete the stored files of `rows` (a file already gone is fine: a rerun after a crash finds it so)."""
    deleted = 0
    for name in compiled.file_fields:
        storage = compiled.model._meta.get_field(name).storage  # type: ignore[union-attr]
        for stored in rows.exclude(**{name: ""}).values_list(name, flat=True):
            if stored:
                storage.delete(stored)
                deleted += 1
    return deleted


def _rewrite_json(compiled: _Compiled, rows: models.QuerySet[Any]) -> None:
    for pk, *values in rows.values_list("pk", *compiled.json_fields):
        changes = {name: _redact_json(value) for name, value in zip(compiled.json_fields, values, strict=True)}
        compiled.model._default_manager.filter(pk=pk).update(**changes)


@cache
def _exists_statement(alias: str) -> tuple[tuple[_Compiled, ...], Statement]:
    plans = tuple(p for p in compiled_plans() if p.changes_anything)
    queryset = (
        Case.objects.using(alias)
        .filter(pk=CASE_MARK)
        .annotate(**{f"m{i}": Exists(p.rows(CASE_MARK)) for i, p in enumerate(plans)})
        .values(*(f"m{i}" for i in range(len(plans))))
        .order_by()
    )
    return plans, select_statement(queryset)


def _which_have_rows(case_id: int, alias: str) -> list[_Compiled]:
    """The plans with at least one row for the case: one query of EXISTS subqueries."""
    plans, statement = _exists_statement(alias)
    (flags,) = statement.fetchall(case_id)
    return [p for p, flag in zip(plans, flags, strict=True) if flag]


@cache
def _update_statement(label: str, alias: str) -> Statement | None:
    """The UPDATE applying a plan's SQL treatments to a case's rows (the case itself: also anonymised_at, version)."""
    compiled = next(c for c in compiled_plans() if c.plan.label == label)
    changes = {name: _expression(compiled.model, name, treat, NOW_MARK) for name, treat in compiled.sql_fields}
    if compiled.model is Case:
        changes.update(anonymised_at=NOW_MARK, version=F("version") + 1)
    if not changes:
        return None
    return update_statement(compiled.rows(CASE_MARK).using(alias), changes)


@cache
def _count_statement(label: str, alias: str) -> Statement:
    compiled = next(c for c in compiled_plans() if c.plan.label == label)
    return select_statement(compiled.rows(CASE_MARK).using(alias).order_by().values("pk"))


def _audit_queryset(compiled: _Compiled) -> models.QuerySet[Any]:
    """The audit events about a case's rows of one model (the case itself: about the case)."""
    if compiled.model is Case:
        events = AuditEvent.objects.filter(object_type=compiled.kind, object_id=str(CASE_MARK))
    else:
        ids_as_text = compiled.rows(CASE_MARK).annotate(_id_text=Cast("pk", CharField())).values("_id_text")
        events = AuditEvent.objects.filter(object_type=compiled.kind, object_id__in=ids_as_text)
    return events.order_by().values("pk")


@cache
def _audit_statement(labels: tuple[str, ...], alias: str) -> Statement:
    """One SELECT (a UNION ALL) of the ids of the audit events about the case's rows of the models `labels`."""
    by_label = {c.plan.label: c for c in compiled_plans()}
    parts = [select_statement(_audit_queryset(by_label[label]).using(alias)) for label in labels]
    params = tuple(p for part in parts for p in part.params)
    return Statement(sql=" UNION ALL ".join(part.sql for part in parts), params=params, alias=alias)


def _audit_event_ids(case_id: int, labels: list[str], alias: str) -> list[int]:
    statement = _audit_statement(tuple(labels), alias)
    params = statement.bind(case_id)
    text_mark = str(CASE_MARK)  # the case's own events compare its id as text
    params = [str(case_id) if p == text_mark else p for p in params]
    with connections[alias].cursor() as cursor:
        cursor.execute(statement.sql, params)
        return [row[0] for row in cursor.fetchall()]


def apply_field_map(case: Case) -> Done:
    """Anonymise every record of `case` (locked by the caller, inside its transaction) and set `anonymised_at`."""
    now = timezone.now()
    alias = router.db_for_write(Case)
    done = Done()
    with_rows = _which_have_rows(case.pk, alias)
    for compiled in with_rows:
        if compiled.model is Case:
            continue  # last, below
        rows = compiled.rows(case.pk)
        if compiled.file_fields:
            done.files_deleted += _delete_files(compiled, rows)
            rows.update(**{name: "" for name in compiled.file_fields})
        if compiled.json_fields:
            _rewrite_json(compiled, rows)
        statement = _update_statement(compiled.plan.label, alias)
        if statement is not None:
            done.records[compiled.kind] = statement.execute(case.pk, now)
        else:
            done.records[compiled.kind] = len(_count_statement(compiled.plan.label, alias).fetchall(case.pk))
    for step in ANONYMISATION_STEPS:
        for kind, count in step(case).items():
            done.records[kind] = done.records.get(kind, 0) + count
    labels = [c.plan.label for c in with_rows if c.model is not Case] + [Case._meta.label]
    event_ids = _audit_event_ids(case.pk, labels, alias)
    done.audit_events_redacted = AuditEvent.objects.redact(event_ids, object_label=case.reference)
    for name in _case_plan().cut_fields:  # the case's homes
        through = Case._meta.get_field(name).remote_field.through  # type: ignore[union-attr]
        through._default_manager.filter(case_id=case.pk).delete()
    case_update = _update_statement(Case._meta.label, alias)
    assert case_update is not None
    case_update.execute(case.pk, now)
    refresh_search_documents(case_ids=[case.pk])
    return done


def _case_plan() -> _Compiled:
    return next(c for c in compiled_plans() if c.model is Case)
