"""Anonymisation runs, the DPO's side: plan a dry-run list of the cases due, leave cases out with a reason, approve
or cancel. Carrying out an approved run (one case per transaction, resumable) is `services.anonymise`'s work."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.privacy.models import ItemStatus, RetentionItem, RetentionRun, RunStatus
from saferhomes.privacy.selectors.retention import case_retention_annotated, case_rules, due_cases

MANAGE_RETENTION = "privacy.manage_retention"
REASON_MIN = 10
PLAN_BATCH = 2000


def _open_run() -> RetentionRun | None:
    return RetentionRun.objects.filter(status__in=[RunStatus.PROPOSED, RunStatus.APPROVED, RunStatus.RUNNING]).first()


def plan_run(*, actor: User | None, as_of: date | None = None) -> RetentionRun | None:
    """A dry-run list of every case due for anonymisation on `as_of` (today in London by default), waiting for the
    DPO's approval. None when nothing is due. `actor` None is the worker's weekly planning job. Refused while another
    run is still proposed, approved or running: one list at a time, so no case is on two."""
    if actor is not None:
        require(actor, MANAGE_RETENTION)
    as_of = as_of or timezone.localdate()
    with transaction.atomic():
        if (open_run := _open_run()) is not None:
            state = open_run.get_status_display().lower()
            raise DomainError(f"Run {open_run.pk} is still {state}: finish or cancel it first")
        fields = ("pk", "reference", "case_type", "status", "closed_at", "outcome")
        cases = list(due_cases(as_of).only(*fields))
        if not cases:
            return None
        rules = case_rules()  # the annotations carry each case's facts: no query per case
        run = RetentionRun.objects.create(as_of=as_of, created_by=actor)
        items = []
        for case in cases:
            retention = case_retention_annotated(case, rules)
            assert retention.keep_until is not None  # due_cases holds closed cases only
            items.append(
                RetentionItem(
                    run=run, case=case, reference=case.reference, due_on=retention.keep_until, rule=retention.rule
                )
            )
        RetentionItem.objects.bulk_create(items, batch_size=PLAN_BATCH)
        audit(actor=actor, verb=AuditVerb.RETENTION_RUN_PLANNED, obj=run, after={"cases": len(items), "as_of": as_of})
    return run


def _proposed(run: RetentionRun) -> RetentionRun:
    locked = RetentionRun.objects.select_for_update().get(pk=run.pk)
    if locked.status != RunStatus.PROPOSED:
        raise DomainError(f"This run is {locked.get_status_display().lower()}: only a proposed run can be changed")
    return locked


def exclude_item(*, actor: User, item: RetentionItem, reason: str) -> RetentionItem:
    """Leave one case out of a proposed run, with a reason (it will be proposed again next time unless held)."""
    require(actor, MANAGE_RETENTION)
    reason = reason.strip()
    if len(reason) < REASON_MIN:
        raise DomainError(field_errors={"reason": f"Enter why this case is left out ({REASON_MIN} characters or more)"})
    with transaction.atomic():
        _proposed(item.run)
        item = RetentionItem.objects.select_for_update().get(pk=item.pk)
        if item.status != ItemStatus.PENDING:
            raise DomainError(f"{item.reference} is already {item.get_status_display().lower()}")
        item.status, item.excluded_reason = ItemStatus.EXCLUDED, reason
        item.save(update_fields=["status", "excluded_reason"])
        verb = AuditVerb.RETENTION_ITEM_EXCLUDED
        audit(actor=actor, verb=verb, obj=item.run, object_label=item.reference, reason=reason)
    return item


def approve_run(*, actor: User, run: RetentionRun) -> RetentionRun:
    """The DPO approves the list: the worker (or `saferhomes retention run`) may now anonymise its pending cases."""
    require(actor, MANAGE_RETENTION)
    with transaction.atomic():
        run = _proposed(run)
        run.status, run.approved_by, run.approved_at = RunStatus.APPROVED, actor, timezone.now()
        run.save(update_fields=["status", "approved_by", "approved_at"])
        pending = run.items.filter(status=ItemStatus.PENDING).count()
        audit(actor=actor, verb=AuditVerb.RETENTION_RUN_APPROVED, obj=run, after={"cases": pending})
    return run


def cancel_run(*, actor: User, run: RetentionRun, reason: str) -> RetentionRun:
    """Cancel a proposed or approved run that has not started (its cases are untouched), with a reason."""
    require(actor, MANAGE_RETENTION)
    reason = reason.strip()
    if len(reason) < REASON_MIN:
        raise DomainError(field_errors={"reason": f"Enter why the run is cancelled ({REASON_MIN} characters or more)"})
    with transaction.atomic():
        run = RetentionRun.objects.select_for_update().get(pk=run.pk)
        if run.status not in (RunStatus.PROPOSED, RunStatus.APPROVED):
            raise DomainError(f"This run is {run.get_status_display().lower()}: it can no longer be cancelled")
        run.status, run.cancelled_reason = RunStatus.CANCELLED, reason
        run.save(update_fields=["status", "cancelled_reason"])
        audit(actor=actor, verb=AuditVerb.RETENTION_RUN_CANCELLED, obj=run, reason=reason)
    return run
