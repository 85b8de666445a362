"""The insights operations of `saferhomes bench` (bench/README.md, "Insights"): registered through the cases
extension point, and each application path returns exactly what its raw-SQL floor returns."""

from __future__ import annotations

import datetime as dt

import pytest

from saferhomes.cases.extensions import bench_timings
from saferhomes.cases.models import CaseType, HateStrand, Outcome, Status
from saferhomes.housing.models import TenancyType
from saferhomes.insights.bench import monthly_app, monthly_floor, tsm_app, tsm_floor
from saferhomes.insights.models import HomeSale
from tests.cases.factories import CaseFactory, force_status
from tests.housing.factories import PropertyFactory, TenancyFactory
from tests.insights.helpers import OCTOBER, at, october_example

pytestmark = pytest.mark.django_db


def test_insights_registers_its_two_operations_with_the_bench() -> None:
    names = [timing.name for timing in bench_timings()]
    assert "insights: monthly report" in names
    assert "insights: TSM year" in names
    for timing in bench_timings():
        assert len(timing.params()) == 1


def test_the_monthly_report_and_its_floor_agree() -> None:
    october_example()
    app = monthly_app(OCTOBER)
    assert app == monthly_floor(OCTOBER)
    assert ("type", "Anti-social behaviour", 3, 1, 0) in app


def test_the_tsm_year_and_its_floor_agree() -> None:
    PropertyFactory.create_batch(5, is_owned=True)
    HomeSale.objects.create(property=PropertyFactory.create(is_owned=False), sold_on=dt.date(2026, 5, 1))
    HomeSale.objects.create(property=PropertyFactory.create(is_owned=False), sold_on=dt.date(2027, 6, 1))
    leasehold = PropertyFactory.create(is_owned=True)
    TenancyFactory.create(property=leasehold, tenancy_type=TenancyType.LEASEHOLD, start_date=dt.date(2015, 1, 1))
    june = at(dt.date(2026, 6, 1))
    CaseFactory.create(case_type=CaseType.ASB, received_at=june)
    CaseFactory.create(case_type=CaseType.HATE, hate_strands=[HateStrand.RELIGION], received_at=june)
    CaseFactory.create(case_type=CaseType.HATE, hate_strands=[HateStrand.OTHER], received_at=june)
    CaseFactory.create(case_type=CaseType.DA, received_at=june)
    force_status(CaseFactory.create(received_at=june), Status.CLOSED, outcome=Outcome.MERGED)
    assert tsm_app(2026) == tsm_floor(2026) == [(3, 1, 6, 0)]
