"""What checking a file plans to write, and the helpers every kind of record shares to plan it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import models

from saferhomes.housing.importers.cells import cell_text
from saferhomes.housing.importers.columns import LOOKUP_CHUNK, PROGRESS_EVERY, ImportRow, ProgressCallback, RowProblem


@dataclass
class Plan:
    """The outcome of checking: objects to create and to update (with changed fields), and unchanged count."""

    create: list[Any] = field(default_factory=list)
    update: list[Any] = field(default_factory=list)
    update_fields: set[str] = field(default_factory=set)
    unchanged: int = 0
    before_writing: list[Callable[[], None]] = field(default_factory=list)
    after_writing: list[Callable[[], None]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


M = TypeVar("M", bound=models.Model)


def by_key(queryset: models.QuerySet[M], key: str, values: Iterable[Any]) -> dict[Any, M]:
    found: dict[Any, M] = {}
    wanted = list(dict.fromkeys(v for v in values if v not in ("", None)))
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        for obj in queryset.filter(**{f"{key}__in": wanted[start : start + LOOKUP_CHUNK]}):
            found[getattr(obj, key)] = obj
    return found


def duplicates(rows: Sequence[ImportRow], problems: list[RowProblem]) -> None:
    seen: dict[str, int] = {}
    for row in rows:
        reference = cell_text(row.values.get("reference"))
        if not reference:
            continue
        if reference in seen:
            problems.append(RowProblem(row.number, "reference", f"'{reference}' also appears on row {seen[reference]}"))
        else:
            seen[reference] = row.number


def apply_values(obj: Any, values: Mapping[str, Any], plan: Plan, *, also_changed: bool = False) -> None:
    """Set changed values on an existing object and plan its update, or count it unchanged."""
    changed = []
    for name, value in values.items():
        model_field = obj._meta.get_field(name)
        if model_field.is_relation:
            # Compare ids without loading the related row; an unsaved (new) related object always differs.
            wanted_id = None if value is None else value.pk
            differs = getattr(obj, model_field.attname) != wanted_id or (value is not None and value.pk is None)
        else:
            differs = getattr(obj, name) != value
        if differs:
            setattr(obj, name, value)
            changed.append(name)
    if changed or also_changed:
        plan.update.append(obj)
        plan.update_fields.update(changed)
    else:
        plan.unchanged += 1


def tick(progress: ProgressCallback | None, phase: str, done: int, total: int) -> None:
    if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
        progress(phase, done, total)
