"""Demo risk assessments: a step of the seed after the cases, deterministic, worked out by the instruments' own rules,
with every kind of MARAC decision and overdue reassessments for the dashboard; closed cases untouched."""

from __future__ import annotations

import datetime as dt

import pytest

from saferhomes.cases.models import Case, CaseType, Status
from saferhomes.cases.selectors.closure import case_closure_blockers
from saferhomes.core.seed import SEED_STEPS
from saferhomes.housing.demo_data import SeedContext
from saferhomes.risk import rules
from saferhomes.risk.demo_data import seed_risk
from saferhomes.risk.models import Assessment, MaracDecision
from saferhomes.risk.selectors.assessments import (
    WORKING_STATUSES,
    instrument_definition,
    latest_assessment,
    reassessment_due,
)
from tests.demo_once import seeded_once

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)
HOMES = 700


seeded = seeded_once(homes=HOMES, seed=1, today=TODAY)


def test_risk_is_a_step_after_the_cases() -> None:
    names = [step.name for step in SEED_STEPS]
    assert names.index("risk") > names.index("cases")
    assert {step.name: step.order for step in SEED_STEPS}["risk"] == 60


def test_the_same_seed_gives_the_same_assessments(seeded: None) -> None:
    order = ("case__reference", "assessed_at", "instrument__key", "score")
    first = list(Assessment.objects.order_by(*order).values_list("score", "band"))
    assert first
    MaracDecision.objects.all().delete()
    Assessment.objects.all().delete()
    seed_risk(SeedContext(homes=HOMES, seed=1, today=TODAY))
    again = list(Assessment.objects.order_by(*order).values_list("score", "band"))
    assert again == first


def _most_working_cases_are_assessed_with_the_right_instrument() -> None:
    working = Case.objects.filter(status__in=WORKING_STATUSES)
    assessed = working.filter(risk_assessments__isnull=False).distinct()
    assert assessed.count() >= 0.7 * working.count()
    assert not Assessment.objects.exclude(case__status__in=WORKING_STATUSES).exists()
    for assessment in Assessment.objects.select_related("case", "instrument"):
        assert assessment.case.case_type in assessment.instrument.applies_to
        assert assessment.assessed_at >= assessment.case.received_at
        assert assessment.assessed_at.date() <= TODAY
    reassessed = [case for case in assessed if case.risk_assessments.filter(instrument__kind="matrix").count() > 1]
    assert reassessed, "some cases have been reassessed"


def _scores_bands_and_marac_are_the_rules_own() -> None:
    for assessment in Assessment.objects.select_related("instrument"):
        definition = instrument_definition(assessment.instrument)
        scored = rules.score(definition, assessment.answers)
        assert (assessment.score, assessment.yes_count) == (scored.score, scored.yes_count)
        assert assessment.computed_band == (scored.band.key if scored.band else "")
        if not assessment.overridden:
            assert assessment.band == assessment.computed_band


def _da_cases_have_every_kind_of_marac_decision() -> None:
    decisions = MaracDecision.objects.select_related("case", "assessment")
    assert all(d.case.case_type == CaseType.DA for d in decisions)
    required = [d for d in decisions if d.required]
    assert any(d.assessment.yes_count is not None and d.assessment.yes_count >= 14 for d in required)
    assert any(d.referral_made_on is not None for d in required)
    assert any(d.repeat for d in required)
    assert any(d.outstanding for d in required)
    assert any(d.not_referred_at is not None for d in required)
    assert any("potential_escalation" in d.grounds for d in required)
    for decision in required:
        if decision.outstanding:
            assert decision.case.status != Status.CLOSING
            assert any(b.code == "marac_outstanding" for b in case_closure_blockers(case=decision.case))


def _some_reassessments_are_overdue_and_priorities_follow_the_band() -> None:
    overdue = 0
    for case in Case.objects.filter(status__in=WORKING_STATUSES, risk_assessments__isnull=False).distinct():
        latest = latest_assessment(case=case)
        assert latest is not None
        due = reassessment_due(case, latest=latest, today=TODAY)
        overdue += bool(due and due.overdue)
        band = instrument_definition(latest.instrument).band(latest.band)
        assert band is not None
        assert case.priority == band.priority
    assert overdue >= 3
    assert Assessment.objects.filter(overridden_at__isnull=False).exclude(override_reason="").exists()


def _closed_demo_cases_still_obey_the_closure_rules() -> None:
    for case in Case.objects.filter(status=Status.CLOSED):
        assert case_closure_blockers(case=case) == []


def test_the_demo_is_true_to_the_rules(seeded: None) -> None:
    """One seed (they take seconds), every check on it."""
    _most_working_cases_are_assessed_with_the_right_instrument()
    _scores_bands_and_marac_are_the_rules_own()
    _da_cases_have_every_kind_of_marac_decision()
    _some_reassessments_are_overdue_and_priorities_follow_the_band()
    _closed_demo_cases_still_obey_the_closure_rules()
