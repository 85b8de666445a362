"""Tenant Satisfaction Measures NM01(1), NM01(2) and TP12 against hand-computed worked examples (issue 18 part 2,
"Done when"): repeat reports, reports after closure, the year boundary in British Summer Time, hate strands, the
"other" strand, domestic abuse under both settings, and homes sold during the year."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Case, CaseType, HateStrand, Outcome, Status, SurveyInvitation
from saferhomes.core.calendar import LONDON
from saferhomes.core.errors import DomainError
from saferhomes.housing.models import TenancyType
from saferhomes.insights.models import HomeSale, MeasureSettings
from saferhomes.insights.selectors.tsm import counted_cases_for_actor, homes_owned_at, tsm_year_figures
from saferhomes.intake.services.triage import TriageDecision, report_add_to_case, report_open_case
from tests.cases.factories import CaseFactory, force_status
from tests.housing.factories import PropertyFactory, TenancyFactory
from tests.intake.triage_helpers import submit

pytestmark = pytest.mark.django_db

IN_YEAR = dt.datetime(2026, 6, 15, 10, 0, tzinfo=LONDON)


def _case(case_type: str = CaseType.ASB, *, strands: tuple[str, ...] = (), at: dt.datetime = IN_YEAR) -> Case:
    return CaseFactory.create(case_type=case_type, hate_strands=list(strands), received_at=at)


def _homes(count: int) -> None:
    PropertyFactory.create_batch(count, is_owned=True)


def _asb() -> TriageDecision:
    return TriageDecision(case_type=CaseType.ASB, category="nuisance", sub_types=("noise",))


def test_a_repeat_report_on_an_open_case_is_not_a_new_case_and_one_after_it_closed_is(
    make_staff: Callable[..., User],
) -> None:
    officer = make_staff(Role.OFFICER)
    _homes(2000)
    first = submit(received_at=IN_YEAR)
    case = report_open_case(actor=officer, report=first, decision=_asb()).case
    assert case is not None
    repeat = submit(received_at=IN_YEAR + dt.timedelta(days=3))
    report_add_to_case(actor=officer, report=repeat, case_reference=case.reference, decision=_asb())
    figures = tsm_year_figures(2026)
    assert figures.nm01_1.cases == 1  # two reports, one case
    force_status(case, Status.CLOSED)
    after = submit(received_at=IN_YEAR + dt.timedelta(days=40))
    with pytest.raises(DomainError):  # intake will not add a report to a closed case ...
        report_add_to_case(actor=officer, report=after, case_reference=case.reference, decision=_asb())
    report_open_case(actor=officer, report=after, decision=_asb())  # ... it opens a new one
    figures = tsm_year_figures(2026)
    assert figures.nm01_1.cases == 2
    assert figures.homes_owned == 2000
    assert figures.nm01_1.per_1000 == Decimal("1.00")  # 2 / 2000 * 1000


def test_a_case_belongs_to_the_year_of_its_london_date_in_british_summer_time(
    make_staff: Callable[..., User],
) -> None:
    # 31 March 2026 23:30 BST is 22:30 UTC: 2025/26. 1 April 2026 00:30 BST is 31 March 23:30 UTC: 2026/27.
    late_march = _case(at=dt.datetime(2026, 3, 31, 23, 30, tzinfo=LONDON))
    early_april = _case(at=dt.datetime(2026, 4, 1, 0, 30, tzinfo=LONDON))
    assert early_april.received_at.astimezone(dt.UTC).date() == dt.date(2026, 3, 31)
    assert tsm_year_figures(2025).nm01_1.cases == 1
    assert tsm_year_figures(2026).nm01_1.cases == 1
    staff = make_staff(Role.MANAGER)
    assert [c.pk for c in counted_cases_for_actor(actor=staff, year=2025)] == [late_march.pk]
    assert [c.pk for c in counted_cases_for_actor(actor=staff, year=2026)] == [early_april.pk]


def test_a_race_hate_case_counts_in_both_and_an_other_strand_case_only_in_nm01_1() -> None:
    _homes(1000)
    _case()  # plain ASB: (1) only
    _case(CaseType.HATE, strands=(HateStrand.RACE,))  # both
    _case(CaseType.HATE, strands=(HateStrand.OTHER,))  # (1) only
    _case(CaseType.HATE, strands=(HateStrand.OTHER, HateStrand.TRANSGENDER))  # both: one monitored strand
    figures = tsm_year_figures(2026)
    assert (figures.nm01_1.cases, figures.nm01_2.cases) == (4, 2)
    assert (figures.nm01_1.per_1000, figures.nm01_2.per_1000) == (Decimal("4.00"), Decimal("2.00"))


def test_a_merged_duplicate_case_is_not_counted() -> None:
    kept = _case()
    duplicate = _case()
    force_status(duplicate, Status.CLOSED, outcome=Outcome.MERGED)
    assert kept.pk
    assert tsm_year_figures(2026).nm01_1.cases == 1


def test_a_domestic_abuse_only_case_is_not_counted_by_default_and_is_when_the_setting_says_so() -> None:
    _homes(500)
    _case()
    _case(CaseType.DA)
    assert tsm_year_figures(2026).count_da is False
    assert tsm_year_figures(2026).nm01_1.cases == 1
    MeasureSettings.objects.create(pk=MeasureSettings.SINGLETON_ID, count_domestic_abuse_in_nm01=True)
    figures = tsm_year_figures(2026)
    assert figures.count_da is True
    assert figures.nm01_1.cases == 2
    assert figures.nm01_1.per_1000 == Decimal("4.00")  # 2 / 500 * 1000
    assert figures.nm01_2.cases == 0  # no hate strand


def test_homes_sold_during_the_year_are_not_owned_at_its_end_but_were_at_the_end_of_the_year_before() -> None:
    kept = PropertyFactory.create_batch(7, is_owned=True)
    sold_in_year = PropertyFactory.create(is_owned=False)  # the register now says no: sold in 2026/27
    HomeSale.objects.create(property=sold_in_year, sold_on=dt.date(2026, 9, 1))
    sold_next_year = PropertyFactory.create(is_owned=True)  # still owned on 31 March 2027, sold after
    HomeSale.objects.create(property=sold_next_year, sold_on=dt.date(2027, 5, 1))
    PropertyFactory.create(is_owned=False)  # managed for another owner: never counted
    leasehold = PropertyFactory.create(is_owned=True)
    TenancyFactory.create(property=leasehold, tenancy_type=TenancyType.LEASEHOLD, start_date=dt.date(2010, 1, 1))
    assert len(kept) == 7
    # 31 March 2027: 7 kept + the one sold later = 8 (the leasehold, the managed and the sold one are not).
    assert homes_owned_at(dt.date(2027, 3, 31)) == 8
    # 31 March 2026: the home sold in September 2026 was still ours.
    assert homes_owned_at(dt.date(2026, 3, 31)) == 9
    _case()
    _case()
    figures = tsm_year_figures(2026)
    assert figures.homes_owned == 8
    assert figures.nm01_1.per_1000 == Decimal("250.00")  # 2 / 8 * 1000


def test_tp12_counts_answers_given_in_the_year_on_the_five_point_scale() -> None:
    case = _case()
    answered = dt.datetime(2026, 7, 1, 12, 0, tzinfo=LONDON)
    for n, score in enumerate([5, 5, 4, 3, 1]):
        SurveyInvitation.objects.create(
            case=case, token_hash=f"{n:064d}", sent_at=answered, answered_at=answered, satisfaction=score
        )
    SurveyInvitation.objects.create(  # answered the year before: not in 2026/27
        case=case,
        token_hash="x" * 64,
        sent_at=answered - dt.timedelta(days=365),
        expires_at=answered,
        answered_at=answered - dt.timedelta(days=365),
        satisfaction=1,
    )
    SurveyInvitation.objects.create(case=case, token_hash="y" * 64, sent_at=answered)  # not answered
    tp12 = tsm_year_figures(2026).tp12
    assert (tp12.responses, tp12.satisfied, tp12.percent) == (5, 3, Decimal("60.0"))
    # 1.96 * sqrt(0.6 * 0.4 / 5) * 100 = 42.9
    assert tp12.margin_of_error == Decimal("42.9")


def test_nm01_is_counted_in_a_fixed_number_of_queries_whatever_the_number_of_cases(
    django_assert_max_num_queries: Any,
) -> None:
    for _ in range(30):
        _case(CaseType.HATE, strands=(HateStrand.DISABILITY,))
    # settings, the counts, homes (three counts), TP12; on PostgreSQL also a savepoint, SET LOCAL jit and its release
    with django_assert_max_num_queries(9):
        figures = tsm_year_figures(2026)
    assert figures.nm01_2.cases == 30
    assert timezone.is_aware(IN_YEAR)
