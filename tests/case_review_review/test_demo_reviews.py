"""Demo Case Reviews (issue 17, "the demo holds applications at every stage"): the seed step at 73 leaves
applications at every stage after the threshold decision, made through the services, with letters and an appeal
chaired by someone other than the review's chair, and last year's figures above the small-number threshold."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from saferhomes.case_review.models import Appeal, Application, ApplicationLetter, ApplicationStatus, ReviewPanel
from saferhomes.case_review.review_rules import StatisticsYear, statistics_year_of
from saferhomes.case_review.selectors.statistics import figures_for_year
from saferhomes.core.seed import SEED_STEPS, seed_demo

pytestmark = pytest.mark.django_db


def test_case_review_reviews_is_the_step_at_73() -> None:
    assert {step.name: step.order for step in SEED_STEPS}["case_review_reviews"] == 73


def test_the_demo_holds_reviews_at_every_stage(private_dir: Path) -> None:
    today = timezone.localdate()
    seed_demo(homes=150, seed=1, today=today)
    statuses = set(Application.objects.values_list("status", flat=True))
    assert {
        ApplicationStatus.THRESHOLD_NOT_MET,
        ApplicationStatus.REVIEW,
        ApplicationStatus.OUTCOME_SENT,
        ApplicationStatus.APPEAL,
        ApplicationStatus.APPEAL_CONCLUDED,
    } <= statuses
    reviewing = Application.objects.filter(status=ApplicationStatus.REVIEW)
    assert reviewing.filter(review_held_at__isnull=True, panel__isnull=True).exists()  # no meeting yet
    assert reviewing.filter(review_held_at__isnull=True, panel__isnull=False).exists()  # met, not concluded
    assert reviewing.filter(review_held_at__isnull=False, outcome_sent_at__isnull=True).exists()  # letter due
    assert ReviewPanel.objects.filter(attendees__isnull=False).exists()
    for appeal in Appeal.objects.all():
        assert appeal.chair_id != appeal.original_chair_id
    kinds = set(ApplicationLetter.objects.values_list("kind", "language"))
    assert {("decision", "en"), ("decision", "cy"), ("outcome", "cy"), ("appeal_outcome", "en")} <= kinds
    names = list(Application.objects.values_list("first_name", "last_name"))
    assert len(set(names)) > len(names) // 2  # synthetic people, not one name repeated
    last_year = StatisticsYear(statistics_year_of(today).start_year - 1)
    figures = figures_for_year(last_year)
    assert figures.applications >= 5
    assert figures.reviews_carried_out >= 5
