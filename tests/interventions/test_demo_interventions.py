"""Demo interventions: a seed step after risk and referrals, with open cases at each rung of the ladder, obeying the
rules the services enforce."""

from __future__ import annotations

import datetime as dt

import pytest

from saferhomes.cases.models import Status
from saferhomes.core.seed import SEED_STEPS, seed_demo
from saferhomes.interventions import rules
from saferhomes.interventions.models import Intervention, InterventionStatus
from saferhomes.interventions.selectors.interventions import (
    catalogue_kinds,
    party_tenancy_type,
    warnings_given,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)


def test_interventions_are_the_step_at_68() -> None:
    assert {step.name: step.order for step in SEED_STEPS}["interventions"] == 68


def test_the_demo_holds_open_cases_at_each_rung_of_the_ladder_within_the_rules() -> None:
    seed_demo(homes=700, seed=1, today=TODAY)
    items = list(Intervention.objects.select_related("case", "party__person", "catalogue"))
    kinds = {i.kind for i in items}
    assert {"advice", "warning_letter", "abc", "cpw", "cpn", "civil_injunction", "closure_order"} <= kinds
    assert {k["rung"] for k in catalogue_kinds() if k["key"] in kinds} >= set(range(1, 9))
    for item in items:
        assert item.case.status == Status.OPEN
        definition = item.kind_definition
        assert rules.kind_allowed_for_tenancy(definition, party_tenancy_type(item.party, TODAY)[0]), item.kind
        if item.formal and item.started_on is not None:
            assert item.approved_at is not None
            assert item.approved_at.date() <= item.started_on
        for milestone in item.milestones.all():
            if milestone.occurred_on is not None:
                assert item.started_on is not None
                assert item.started_on <= milestone.occurred_on <= TODAY
    cpn = next(i for i in items if i.kind == "cpn")
    issued = cpn.milestones.get(key="issued").occurred_on
    assert issued is not None
    assert rules.cpn_findings(issued_on=issued, warnings=warnings_given(case=cpn.case, party=cpn.party)) == []
    assert Intervention.objects.filter(status=InterventionStatus.AWAITING_APPROVAL).exists()
