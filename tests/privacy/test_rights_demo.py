"""Demo rights requests (seed order 85): a subject access request in progress and due soon, an overdue one, and an
erasure request completed and refused in part, all about demo people on the register."""

from __future__ import annotations

import datetime as dt

import pytest

from saferhomes.core.seed import SEED_STEPS, seed_demo
from saferhomes.privacy.models_rights import RightsDecision, RightsKind, RightsRequest, RightsStatus

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 15)


def test_rights_requests_are_seeded_after_insights() -> None:
    order = {step.name: step.order for step in SEED_STEPS}
    assert order["rights_requests"] == 85


def test_demo_has_a_sar_due_soon_an_overdue_request_and_an_erasure_refused_in_part() -> None:
    seed_demo(homes=60, seed=1, today=TODAY)
    rows = {row.kind: row for row in RightsRequest.objects.all()}
    assert set(rows) == {RightsKind.ACCESS, RightsKind.RECTIFICATION, RightsKind.ERASURE}
    sar = rows[RightsKind.ACCESS]
    assert sar.status == RightsStatus.IN_PROGRESS
    assert 0 <= (sar.current_due_on - TODAY).days <= 7
    assert rows[RightsKind.RECTIFICATION].current_due_on < TODAY
    erasure = rows[RightsKind.ERASURE]
    assert erasure.decision == RightsDecision.PARTLY
    assert "Anonymise early" in erasure.action_taken
    assert all(row.person_id is not None for row in rows.values())
