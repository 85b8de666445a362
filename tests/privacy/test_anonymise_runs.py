"""Carrying out an approved run (issue 19): one case per transaction, held and no-longer-due cases skipped, a run
stopped half-way resumes and finishes, no case done twice."""

from __future__ import annotations

from typing import Any

import pytest

from saferhomes.accounts.models import User
from saferhomes.cases.models import Case
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.models import AuditEvent
from saferhomes.privacy.models import ItemStatus, LegalHold, RunStatus
from saferhomes.privacy.services import execute as execute_module
from saferhomes.privacy.services.execute import execute_run
from saferhomes.privacy.services.runs import plan_run
from saferhomes.privacy.tasks import retention_execute
from tests.cases.factories import CaseFactory, PartyFactory, force_status
from tests.privacy.anonymise_helpers import (  # the fixtures: evidence_dir, officer, manager
    SEVEN_YEARS,
    approved_run,
    evidence_dir_fixture,
    manager_fixture,
    officer_fixture,
)

pytestmark = pytest.mark.django_db

__all__ = ["evidence_dir_fixture", "manager_fixture", "officer_fixture"]


def _closed_cases(n: int) -> list[Case]:
    cases = []
    for _ in range(n):
        case = force_status(CaseFactory.create(), "closed")
        PartyFactory.create(case=case)
        cases.append(case)
    return cases


def _anonymised_events() -> list[str]:
    return list(AuditEvent.objects.filter(verb=AuditVerb.CASE_ANONYMISED).values_list("object_id", flat=True))


def test_a_run_stopped_half_way_by_a_limit_resumes_and_finishes(dpo_daniel: User) -> None:
    cases = _closed_cases(5)
    run = approved_run(dpo_daniel)

    first = execute_run(run, limit=2)

    run.refresh_from_db()
    assert (first.anonymised, first.pending, first.finished, run.status) == (2, 3, False, RunStatus.RUNNING)
    second = execute_run(run)
    run.refresh_from_db()
    assert (second.anonymised, second.pending, second.finished, run.status) == (3, 0, True, RunStatus.FINISHED)
    assert sorted(_anonymised_events()) == sorted(str(c.pk) for c in cases)  # each once
    finished = AuditEvent.objects.get(verb=AuditVerb.RETENTION_RUN_FINISHED)
    assert finished.after is not None
    assert finished.after["anonymised"] == 5
    assert finished.after["pending"] == 0


def test_a_run_that_crashes_on_a_case_leaves_it_untouched_and_finishes_on_the_next_call(
    dpo_daniel: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = _closed_cases(4)
    run = approved_run(dpo_daniel)
    real = execute_module.anonymise_case
    calls = {"n": 0}

    def crash_on_the_third(case_id: int, **kwargs: Any) -> Any:
        calls["n"] += 1
        summary = real(case_id, **kwargs)
        if calls["n"] == 3:
            raise RuntimeError("the power went off")
        return summary

    monkeypatch.setattr(execute_module, "anonymise_case", crash_on_the_third)
    with pytest.raises(RuntimeError):
        execute_run(run)

    assert Case.objects.filter(anonymised_at__isnull=False).count() == 2  # the third case's transaction rolled back
    assert run.items.filter(status=ItemStatus.PENDING).count() == 2
    monkeypatch.setattr(execute_module, "anonymise_case", real)
    result = execute_run(run)
    assert (result.anonymised, result.finished) == (2, True)
    assert sorted(_anonymised_events()) == sorted(str(c.pk) for c in cases)


def test_a_case_put_on_hold_after_approval_is_skipped_as_held(dpo_daniel: User, manager: User) -> None:
    held, _other = _closed_cases(2)
    run = approved_run(dpo_daniel)
    LegalHold.objects.create(case=held, reason="Claim issued in the county court", placed_by=manager)

    result = execute_run(run)

    assert (result.anonymised, result.skipped_held) == (1, 1)
    assert run.items.get(case=held).status == ItemStatus.SKIPPED_HELD
    assert Case.objects.get(pk=held.pk).anonymised_at is None


def test_a_case_reopened_after_approval_is_skipped_as_no_longer_due(dpo_daniel: User) -> None:
    reopened, other = _closed_cases(2)
    run = approved_run(dpo_daniel)
    force_status(reopened, "reopened")

    result = execute_run(run)

    assert (result.anonymised, result.skipped_not_due) == (1, 1)
    assert run.items.get(case=reopened).status == ItemStatus.SKIPPED_NOT_DUE
    assert Case.objects.get(pk=reopened.pk).anonymised_at is None
    item = run.items.get(case=other)
    assert item.status == ItemStatus.ANONYMISED
    assert item.done_at is not None


def test_a_case_not_yet_due_on_the_runs_day_is_skipped(dpo_daniel: User) -> None:
    _closed_cases(1)
    run = approved_run(dpo_daniel)
    run.as_of = run.as_of - SEVEN_YEARS  # as if the schedule had been lengthened since the list was made
    run.save(update_fields=["as_of"])

    result = execute_run(run)

    assert (result.anonymised, result.skipped_not_due) == (0, 1)


def test_only_an_approved_run_is_carried_out(dpo_daniel: User) -> None:
    (case,) = _closed_cases(1)
    from django.utils import timezone

    run = plan_run(actor=None, as_of=timezone.localdate() + SEVEN_YEARS)
    assert run is not None

    with pytest.raises(DomainError, match="only an approved run"):
        execute_run(run)

    assert Case.objects.get(pk=case.pk).anonymised_at is None


def test_the_worker_job_carries_out_approved_runs(dpo_daniel: User) -> None:
    _closed_cases(2)
    run = approved_run(dpo_daniel)

    totals = retention_execute.call()

    assert totals["anonymised"] == 2
    assert totals["pending"] == 0
    run.refresh_from_db()
    assert run.status == RunStatus.FINISHED


def test_the_worker_job_is_registered_nightly() -> None:
    from datetime import timedelta

    from saferhomes.core.schedule import registry

    job = next(job for job in registry.all() if job.name == "retention-execute")
    assert job.every == timedelta(days=1)


@pytest.mark.parametrize("role", ["officer", "coordinator", "da_specialist", "manager", "partner", "admin"])
def test_only_the_dpo_may_anonymise_a_case_by_name(make_staff, role: str) -> None:
    from django.core.exceptions import PermissionDenied

    from saferhomes.privacy.services.anonymise import anonymise_case

    (case,) = _closed_cases(1)
    with pytest.raises(PermissionDenied):
        anonymise_case(case.pk, actor=make_staff(role))
    assert Case.objects.get(pk=case.pk).anonymised_at is None


def test_the_dpo_may_anonymise_a_case_and_is_named_in_the_audit_event(dpo_daniel: User) -> None:
    from saferhomes.privacy.services.anonymise import anonymise_case

    (case,) = _closed_cases(1)
    anonymise_case(case.pk, actor=dpo_daniel)
    assert AuditEvent.objects.get(verb=AuditVerb.CASE_ANONYMISED).actor == dpo_daniel
