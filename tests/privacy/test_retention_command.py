"""`saferhomes retention run [--dry-run]` (issue 19): the dry run lists the cases due and where the DPO approves
them; without it, only what the DPO approved is anonymised, with a progress bar and a rate."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.cases.models import Case
from saferhomes.privacy.models import RetentionRun, RunStatus
from tests.cases.factories import CaseFactory, force_status
from tests.privacy.anonymise_helpers import SEVEN_YEARS, approved_run

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("retention", "run", *args, stdout=out)
    return out.getvalue()


def test_dry_run_plans_a_run_lists_the_cases_and_says_where_the_dpo_approves_it() -> None:
    case = force_status(CaseFactory.create(), "closed")

    out = _run("--dry-run", "--as-of", (timezone.localdate() + SEVEN_YEARS).isoformat())

    run = RetentionRun.objects.get()
    assert run.status == RunStatus.PROPOSED
    assert run.created_by is None
    assert case.reference in out
    assert "Anti-social behaviour" in out
    assert f"/staff/privacy/retention/runs/{run.pk}/" in out
    assert "Nothing has been anonymised" in out
    assert Case.objects.get(pk=case.pk).anonymised_at is None


def test_dry_run_with_nothing_due_says_so() -> None:
    force_status(CaseFactory.create(), "closed")

    assert "No case is due" in _run("--dry-run")
    assert not RetentionRun.objects.exists()


def test_without_an_approved_run_nothing_is_anonymised_and_it_says_so() -> None:
    case = force_status(CaseFactory.create(), "closed")
    _run("--dry-run", "--as-of", (timezone.localdate() + SEVEN_YEARS).isoformat())

    out = _run("--yes")

    assert "No anonymisation run is approved: nothing was anonymised" in out
    assert Case.objects.get(pk=case.pk).anonymised_at is None


def test_a_named_run_that_is_not_approved_is_refused() -> None:
    force_status(CaseFactory.create(), "closed")
    _run("--dry-run", "--as-of", (timezone.localdate() + SEVEN_YEARS).isoformat())
    run = RetentionRun.objects.get()

    with pytest.raises(CommandError, match="only a run the DPO has approved"):
        _run("--run", str(run.pk), "--yes")


def test_an_approved_run_is_carried_out_with_a_rate(dpo_daniel: User) -> None:
    cases = [force_status(CaseFactory.create(), "closed") for _ in range(3)]
    run = approved_run(dpo_daniel)

    out = _run("--yes")

    assert f"Run {run.pk} finished: 3 anonymised" in out
    assert "cases/s" in out
    assert Case.objects.filter(pk__in=[c.pk for c in cases], anonymised_at__isnull=False).count() == 3


def test_without_yes_and_no_terminal_it_asks_for_yes(dpo_daniel: User) -> None:
    case = force_status(CaseFactory.create(), "closed")
    approved_run(dpo_daniel, as_of=timezone.localdate() + SEVEN_YEARS + timedelta(days=1))

    with pytest.raises(CommandError, match="--yes"):
        _run()

    assert Case.objects.get(pk=case.pk).anonymised_at is None


def test_stopped_with_ctrl_c_it_says_the_run_is_resumable_and_a_second_run_finishes_it(
    dpo_daniel: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from saferhomes.privacy.management.commands import retention as command

    cases = [force_status(CaseFactory.create(), "closed") for _ in range(3)]
    approved_run(dpo_daniel)
    real = command.execute_run

    def interrupted_after_one(run: RetentionRun, **kwargs: object) -> object:
        real(run, limit=1)
        raise KeyboardInterrupt

    monkeypatch.setattr(command, "execute_run", interrupted_after_one)
    with pytest.raises(CommandError, match="resumable"):
        _run("--yes")
    assert Case.objects.filter(anonymised_at__isnull=False).count() == 1

    monkeypatch.setattr(command, "execute_run", real)
    assert "finished: 2 anonymised" in _run("--yes")
    assert Case.objects.filter(pk__in=[c.pk for c in cases], anonymised_at__isnull=False).count() == 3
