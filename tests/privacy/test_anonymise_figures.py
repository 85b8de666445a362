"""Anonymisation keeps what the figures read (issue 19): the monthly report and the Tenant Satisfaction Measures,
computed by the real selectors, are the same before and after a case is anonymised."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.core.calendar import LONDON
from saferhomes.insights import rules
from saferhomes.insights.selectors.monthly import monthly_report_figures, report_as_data
from saferhomes.insights.selectors.tsm import tsm_year_figures
from saferhomes.privacy.services.execute import execute_run
from tests.privacy.anonymise_helpers import (  # the fixtures: evidence_dir, officer, manager
    approved_run,
    evidence_dir_fixture,
    manager_fixture,
    officer_fixture,
)
from tests.privacy.fullcase import full_case

pytestmark = pytest.mark.django_db

__all__ = ["evidence_dir_fixture", "manager_fixture", "officer_fixture"]


def _figures(full_case_received: Any) -> tuple[dict[str, Any], Any]:
    received = timezone.localtime(full_case_received, LONDON).date()
    now = timezone.now()
    monthly = report_as_data(monthly_report_figures(received.replace(day=1), now=now))
    monthly.pop("built_at", None)
    return monthly, tsm_year_figures(rules.tsm_year_of(received))


@time_machine.travel(dt.datetime(2026, 11, 16, 12, 0, tzinfo=dt.UTC))  # received, answered: one TSM year
def test_the_monthly_report_and_the_tsm_figures_are_the_same_after_anonymisation(
    officer: User, manager: User, dpo_daniel: User, evidence_dir: Path
) -> None:
    full = full_case(officer, manager, tag="Kilo")
    before = _figures(full.case.received_at)
    assert before[1].nm01_1.cases >= 1
    assert sum(s.count for s in before[1].scores) == 1

    result = execute_run(approved_run(dpo_daniel))

    assert result.anonymised == 1
    assert _figures(full.case.received_at) == before
