"""`register_import`: check every row, then write all of them in one transaction, or nothing."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.db import models, transaction
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.permissions import require
from saferhomes.housing.extensions import register_changed
from saferhomes.housing.importers.columns import (
    BATCH_SIZE,
    KINDS,
    ImportFileError,
    ImportRejectedError,
    ImportResult,
    ImportRow,
    ProgressCallback,
    RowProblem,
)
from saferhomes.housing.importers.files import check_columns
from saferhomes.housing.importers.people import plan_people
from saferhomes.housing.importers.plan import Plan, duplicates
from saferhomes.housing.importers.properties import plan_properties
from saferhomes.housing.importers.tenancies import plan_tenancies
from saferhomes.housing.models import (
    Person,
    Property,
    Tenancy,
)

_PLANNERS: dict[str, Callable[[Sequence[ImportRow], list[RowProblem], ProgressCallback | None], Plan]] = {
    "properties": plan_properties,
    "people": plan_people,
    "tenancies": plan_tenancies,
}
_MODELS: dict[str, type[models.Model]] = {"properties": Property, "people": Person, "tenancies": Tenancy}


def register_import(
    *,
    kind: str,
    rows: Sequence[ImportRow],
    actor: User | None,
    dry_run: bool = False,
    source: str = "",
    progress: ProgressCallback | None = None,
) -> ImportResult:
    """Check every row, then create or update the records all together (or, if any row is invalid, none)."""
    if actor is not None:
        require(actor, "housing.import_register")
    if kind not in _PLANNERS:
        raise ImportFileError(f"Unknown import '{kind}'. Choose one of: {', '.join(KINDS)}.")
    if not rows:
        raise ImportFileError("There are no rows to import.")
    check_columns(kind, rows[0].values.keys())
    problems: list[RowProblem] = []
    duplicates(rows, problems)
    plan = _PLANNERS[kind](rows, problems, progress)
    if problems:
        raise ImportRejectedError(sorted(problems, key=lambda p: p.row))
    result = ImportResult(
        kind=kind,
        rows=len(rows),
        created=len(plan.create),
        updated=len(plan.update),
        unchanged=plan.unchanged,
        dry_run=dry_run,
        notes=plan.notes,
    )
    if dry_run:
        return result
    model = _MODELS[kind]
    with transaction.atomic():
        steps = len(plan.create) + len(plan.update)
        written = 0
        for step in plan.before_writing:
            step()
        for start in range(0, len(plan.create), BATCH_SIZE):
            batch = plan.create[start : start + BATCH_SIZE]
            model._default_manager.bulk_create(batch)
            written += len(batch)
            if progress is not None:
                progress("Writing", written, steps)
        if plan.update:
            now = timezone.now()
            fields = sorted(plan.update_fields | {"updated_at"})
            for obj in plan.update:
                obj.updated_at = now
            for start in range(0, len(plan.update), BATCH_SIZE):
                batch = plan.update[start : start + BATCH_SIZE]
                model._default_manager.bulk_update(batch, fields)
                written += len(batch)
                if progress is not None:
                    progress("Writing", written, steps)
        for step in plan.after_writing:
            step()
        changed = [obj.pk for obj in plan.update]
        if model is Person:
            register_changed(person_ids=changed)
        elif model is Property:
            register_changed(property_ids=changed)
        audit(
            actor=actor,
            verb=AuditVerb.HOUSING_IMPORTED,
            object_type=model._meta.label_lower,
            object_label=f"{kind} import" + (f" from {source}" if source else ""),
            after={
                "kind": kind,
                "source": source,
                "rows": result.rows,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
            },
        )
    return result
