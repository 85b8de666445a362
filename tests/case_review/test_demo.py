"""Demo Case Review applications: the seed step "case_review_applications" (order 72) holds applications at the
received stage (one overdue, one on someone's behalf) and the decided stages (met and not met)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from saferhomes.case_review.models import Application, ApplicationStatus
from saferhomes.core.calendar import LONDON
from saferhomes.core.seed import SEED_STEPS, seed_demo

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 1)


def test_case_review_applications_are_the_step_at_72() -> None:
    assert {step.name: step.order for step in SEED_STEPS}["case_review_applications"] == 72


def test_the_demo_holds_applications_received_and_decided() -> None:
    with time_machine.travel(dt.datetime(2026, 6, 1, 17, tzinfo=LONDON), tick=False):
        seed_demo(homes=700, seed=1, today=TODAY)
    statuses = list(Application.objects.values_list("status", flat=True))
    assert statuses.count(ApplicationStatus.RECEIVED) == 4
    assert ApplicationStatus.REVIEW in statuses
    assert ApplicationStatus.THRESHOLD_NOT_MET in statuses
    overdue = Application.objects.filter(
        status=ApplicationStatus.RECEIVED, decision_due_at__lt=dt.datetime(2026, 6, 1, 17, tzinfo=LONDON)
    )
    assert overdue.exists()
    assert Application.objects.filter(on_behalf=True, victim_consent=True).count() == 1
    # The applications this step takes through the services (the review step's later-stage ones write their decision
    # directly and are checked by tests/case_review_review/test_demo.py).
    for application in Application.objects.filter(created_by__isnull=False):
        assert application.complaints.exists(), application.reference  # the engine found their complaints
        if application.decided_at is not None:
            assert application.rule_set is not None
            assert application.decision_reasons
