"""Carry out an approved anonymisation run (issue 19): one case per transaction, resumable, never a case twice.

Each pending item is claimed with `SELECT ... FOR UPDATE SKIP LOCKED` (two workers never take the same case) and done
in the same transaction as its case: still on legal hold -> skipped (held), no longer due (reopened, or the schedule
changed) -> skipped (not due), otherwise anonymised. A run stopped half-way (Ctrl-C, a crash, a time budget, a
`limit`) keeps its status RUNNING and its undone items PENDING: the next call takes up where it stopped. When no item
is pending the run is FINISHED and one audit event records its counts.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.privacy.anonymisation.statements import CASE_MARK, Statement, select_statement
from saferhomes.privacy.models import ItemStatus, LegalHold, RetentionItem, RetentionRun, RunStatus
from saferhomes.privacy.selectors.retention import due_cases
from saferhomes.privacy.services.anonymise import anonymise_case
from saferhomes.privacy.services.runs import MANAGE_RETENTION

Progress = Callable[[RetentionItem], None]


@dataclass(frozen=True)
class RunResult:
    """What one call did: items done by outcome, how many are still pending, whether the run is finished."""

    run_id: int
    anonymised: int
    skipped_held: int
    skipped_not_due: int
    pending: int
    finished: bool
    seconds: float

    @property
    def done(self) -> int:
        return self.anonymised + self.skipped_held + self.skipped_not_due

    @property
    def rate(self) -> float:
        """Items done per second in this call."""
        return self.done / self.seconds if self.seconds > 0 else 0.0


def _start(run: RetentionRun) -> RetentionRun:
    with transaction.atomic():
        run = RetentionRun.objects.select_for_update().get(pk=run.pk)
        if run.status not in (RunStatus.APPROVED, RunStatus.RUNNING):
            raise DomainError(
                f"Run {run.pk} is {run.get_status_display().lower()}: only an approved run can be carried out"
            )
        if run.status == RunStatus.APPROVED:
            run.status, run.started_at = RunStatus.RUNNING, timezone.now()
            run.save(update_fields=["status", "started_at"])
    return run


def _do_one(run: RetentionRun, still_due: Statement, *, actor: User | None) -> RetentionItem | None:
    """Claim the next pending item and settle it, in one transaction with its case; None when none is left."""
    with transaction.atomic():
        item = (
            RetentionItem.objects.select_for_update(skip_locked=True)
            .filter(run=run, status=ItemStatus.PENDING)
            .order_by("id")
            .first()
        )
        if item is None:
            return None
        if LegalHold.objects.filter(case_id=item.case_id, lifted_at__isnull=True).exists():
            item.status = ItemStatus.SKIPPED_HELD
        elif not still_due.fetchall(item.case_id):
            anonymised = item.case.anonymised_at is not None
            item.status = ItemStatus.ANONYMISED if anonymised else ItemStatus.SKIPPED_NOT_DUE
        else:
            anonymise_case(item.case_id, actor=actor)
            item.status = ItemStatus.ANONYMISED
        item.done_at = timezone.now()
        item.save(update_fields=["status", "done_at"])
    return item


def _finish(run: RetentionRun, *, actor: User | None) -> bool:
    with transaction.atomic():
        run = RetentionRun.objects.select_for_update().get(pk=run.pk)
        if run.status == RunStatus.FINISHED:
            return True
        if run.items.filter(status=ItemStatus.PENDING).exists():
            return False
        run.status, run.finished_at = RunStatus.FINISHED, timezone.now()
        run.save(update_fields=["status", "finished_at"])
        counts = dict(run.items.order_by().values_list("status").annotate(n=Count("pk")))
        after = {status: counts.get(status, 0) for status in ItemStatus.values}
        audit(actor=actor, verb=AuditVerb.RETENTION_RUN_FINISHED, obj=run, after=after)
    return True


def execute_run(
    run: RetentionRun,
    *,
    actor: User | None = None,
    progress: Progress | None = None,
    limit: int | None = None,
    until: datetime | None = None,
) -> RunResult:
    """Anonymise the pending items of an approved (or running) run, one case per transaction. Stops after `limit`
    items or at `until` (the worker's time budget); call again to go on. `actor` None is the worker or the command
    line (the DPO approved the run); a named actor needs the retention permission."""
    if actor is not None:
        require(actor, MANAGE_RETENTION)
    run = _start(run)
    # Still due on the run's day under today's schedule (re-read on every call: a rule changed since is seen).
    still_due = select_statement(due_cases(run.as_of).filter(pk=CASE_MARK).order_by().values("pk")[:1])
    started = time.monotonic()
    tally = {ItemStatus.ANONYMISED: 0, ItemStatus.SKIPPED_HELD: 0, ItemStatus.SKIPPED_NOT_DUE: 0}
    while limit is None or sum(tally.values()) < limit:
        if until is not None and timezone.now() >= until:
            break
        item = _do_one(run, still_due, actor=actor)
        if item is None:
            break
        tally[ItemStatus(item.status)] += 1
        if progress is not None:
            progress(item)
    seconds = time.monotonic() - started
    finished = _finish(run, actor=actor)
    return RunResult(
        run_id=run.pk,
        anonymised=tally[ItemStatus.ANONYMISED],
        skipped_held=tally[ItemStatus.SKIPPED_HELD],
        skipped_not_due=tally[ItemStatus.SKIPPED_NOT_DUE],
        pending=run.items.filter(status=ItemStatus.PENDING).count(),
        finished=finished,
        seconds=seconds,
    )


def runs_to_execute() -> list[RetentionRun]:
    """Approved and running runs, oldest first (the worker and the command carry them out)."""
    return list(RetentionRun.objects.filter(status__in=[RunStatus.APPROVED, RunStatus.RUNNING]).order_by("id"))
