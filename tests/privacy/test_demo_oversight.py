"""Demo data for the DPO's oversight (issue 19 part 5): the seed step "oversight" (order 86) leaves one burst of reads,
one read out of hours and one break glass, by demo staff on demo restricted and DA cases, so the DPO demo login sees
all three sections filled."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from saferhomes.accounts.models import User
from saferhomes.core.calendar import LONDON
from saferhomes.core.seed import SEED_STEPS, seed_demo
from saferhomes.privacy.oversight_models import AnomalyKind
from saferhomes.privacy.selectors.anomalies import anomalies_for
from saferhomes.privacy.selectors.oversight import OversightFilters, break_glass_uses, restricted_reads

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 3)


def test_oversight_is_the_step_at_86() -> None:
    assert {step.name: step.order for step in SEED_STEPS}["oversight"] == 86


def test_the_demo_fills_every_oversight_section() -> None:
    with time_machine.travel(dt.datetime(2026, 6, 3, 17, tzinfo=LONDON), tick=False):
        seed_demo(homes=700, seed=1, today=TODAY)
        dpo = User.objects.get(username="dpo_daniel")
        filters = OversightFilters.recent(TODAY)
        assert restricted_reads(actor=dpo, filters=filters).count() >= 12
        [grant] = break_glass_uses(actor=dpo, filters=filters)
        assert grant.user.username == "manager_maya"
        kinds = {anomaly.kind for anomaly in anomalies_for(actor=dpo, filters=filters)}
    assert {AnomalyKind.BURST, AnomalyKind.OUT_OF_HOURS, AnomalyKind.UNUSED_BREAK_GLASS} <= kinds
