"""Demo retention data: the seed step "privacy_retention" (order 84) leaves closed cases past their retention date,
one on legal hold, and a proposed run of the others waiting for the demo DPO."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from saferhomes.core.calendar import LONDON
from saferhomes.core.seed import SEED_STEPS, seed_demo
from saferhomes.privacy.models import LegalHold, RetentionRun, RunStatus
from saferhomes.privacy.selectors.holds import cases_waiting_for_approval

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 1)


def test_privacy_retention_is_the_step_at_84() -> None:
    assert {step.name: step.order for step in SEED_STEPS}["privacy_retention"] == 84


def test_the_demo_dpo_has_a_run_waiting_and_a_held_case_left_off_it() -> None:
    with time_machine.travel(dt.datetime(2026, 6, 1, 17, tzinfo=LONDON), tick=False):
        seed_demo(homes=700, seed=1, today=TODAY)
    run = RetentionRun.objects.get()
    held = LegalHold.objects.get()
    assert run.status == RunStatus.PROPOSED
    assert run.created_by is not None
    assert run.created_by.username == "dpo_daniel"
    assert held.active
    assert not run.items.filter(case=held.case).exists()
    assert cases_waiting_for_approval() >= 3
