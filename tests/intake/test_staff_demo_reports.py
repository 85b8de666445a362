"""Demo reports: a seed step after the cases, with a triage queue across channels (one DA, some overdue) and two
email drafts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.core.seed import SEED_STEPS, seed_demo
from saferhomes.housing.demo_data import SeedContext
from saferhomes.intake.demo_data import seed_reports
from saferhomes.intake.models import Report, ReportStatus
from saferhomes.intake.selectors.staff import triage_queue

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)


@pytest.fixture(name="seeded")
def seeded_fixture() -> None:
    seed_demo(homes=300, seed=1, today=TODAY)


def test_reports_are_a_step_after_the_cases() -> None:
    names = [step.name for step in SEED_STEPS]
    assert names.index("reports") > names.index("cases")


def test_the_demo_has_a_queue_drafts_and_the_reports_behind_the_cases(
    seeded: None, make_staff: Callable[..., User]
) -> None:
    new = Report.objects.filter(status=ReportStatus.NEW)
    assert new.count() == 12
    assert len(set(new.values_list("channel", flat=True))) >= 6
    assert Report.objects.filter(status=ReportStatus.DRAFT, inbound_email__isnull=False).count() == 2
    assert Report.objects.filter(status=ReportStatus.NEW, response_due_at__lt=timezone.now()).exists()  # overdue
    officer, specialist = make_staff(Role.OFFICER), make_staff(Role.DA_SPECIALIST)
    assert triage_queue(actor=officer).count() == 11  # the DA report is not theirs to see
    assert triage_queue(actor=specialist).count() == 12


def test_the_same_seed_gives_the_same_queue(seeded: None) -> None:
    first = list(Report.objects.order_by("reference").values_list("reference", "channel", "first_name"))
    Report.objects.all().delete()
    seed_reports(SeedContext(homes=300, seed=1, today=TODAY))
    again = list(Report.objects.order_by("reference").values_list("channel", "first_name"))
    assert [(c, n) for _r, c, n in first] == again
