"""The retention schedule's worked examples (ADR 0018): which rule a case falls under, from which day it counts, and
which cases are due. A case is kept up to and including its 'kept until' date and is due from the next day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saferhomes.cases.models import CaseType
from saferhomes.privacy.models import OutcomeGroup, RetentionRecord, RetentionRule
from saferhomes.privacy.selectors.retention import case_retention, due_cases, period_in_words
from tests.privacy.retention_helpers import closed_case, hold, legal_action, london

pytestmark = pytest.mark.django_db


def test_defaults_cover_every_case_type_and_outcome_group_with_a_basis() -> None:
    rules = {(r.record, r.case_type, r.outcome_group): r for r in RetentionRule.objects.all()}
    for case_type in ("asb", "hate"):
        assert rules[("case", case_type, "no_legal_action")].months == 72
        assert rules[("case", case_type, "legal_action")].starts_from == "order_end"
    assert rules[("case", "da", "any")].months == 72
    assert rules[("report_not_taken_forward", "", "any")].months == 12
    assert rules[("status_link", "", "any")].months == 3
    assert rules[("case_review", "", "any")].months == 72
    assert all(r.basis.strip() != "" for r in rules.values())


def test_asb_closed_without_legal_action_is_kept_six_years_after_closure() -> None:
    case = closed_case(london(2026, 3, 12))
    retention = case_retention(case)
    assert retention.keep_until == dt.date(2032, 3, 12)
    assert retention.line == "Kept until 12 March 2032 (6 years after closure — ASB closed without legal action)"


def test_leap_day_closure_is_kept_to_the_end_of_february_and_due_on_1_march() -> None:
    case = closed_case(london(2028, 2, 29))
    assert case_retention(case).keep_until == dt.date(2034, 2, 28)
    assert case not in due_cases(dt.date(2034, 2, 28))
    assert case in due_cases(dt.date(2034, 3, 1))


def test_closure_just_after_midnight_in_summer_time_counts_from_the_london_date() -> None:
    # The clocks went forward at 01:00 on 30 March 2025; 00:30 BST on the 31st is 23:30 UTC on the 30th.
    case = closed_case(london(2025, 3, 31, 0, 30), case_type=CaseType.ASB)
    assert case.closed_at is not None
    assert case.closed_at.astimezone(dt.UTC).date() == dt.date(2025, 3, 30)
    assert case_retention(case).keep_until == dt.date(2031, 3, 31)
    assert case not in due_cases(dt.date(2031, 3, 31))
    assert case in due_cases(dt.date(2031, 4, 1))


def test_closure_on_the_night_the_clocks_change_counts_from_that_london_date() -> None:
    case = closed_case(london(2025, 3, 30, 0, 30))
    assert case_retention(case).keep_until == dt.date(2031, 3, 30)
    assert case not in due_cases(dt.date(2031, 3, 30))
    assert case in due_cases(dt.date(2031, 3, 31))


def test_legal_action_counts_from_the_order_end_when_it_is_later_than_closure() -> None:
    case = closed_case(london(2026, 5, 1), outcome="legal_action_concluded")
    legal_action(case, order_expires=dt.date(2028, 5, 1))
    retention = case_retention(case)
    assert retention.keep_until == dt.date(2034, 5, 1)
    assert retention.explanation == "6 years after the order ends — ASB after legal action"
    assert case not in due_cases(dt.date(2034, 5, 1))
    assert case in due_cases(dt.date(2034, 5, 2))


def test_approved_formal_intervention_is_legal_action_even_with_another_outcome() -> None:
    case = closed_case(london(2026, 5, 1), outcome="resolved")
    legal_action(case, outcome_on=dt.date(2027, 1, 10))
    assert case_retention(case).keep_until == dt.date(2033, 1, 10)
    assert case not in due_cases(dt.date(2032, 5, 2))


def test_order_end_before_closure_counts_from_closure() -> None:
    case = closed_case(london(2026, 5, 1), outcome="legal_action_concluded")
    legal_action(case, order_expires=dt.date(2025, 1, 1))
    assert case_retention(case).keep_until == dt.date(2032, 5, 1)


def test_da_rule_is_the_landlords_and_applies_to_any_outcome() -> None:
    RetentionRule.objects.filter(record="case", case_type="da").update(months=120)
    case = closed_case(london(2026, 6, 15), outcome="legal_action_concluded", case_type=CaseType.DA)
    retention = case_retention(case)
    assert retention.keep_until == dt.date(2036, 6, 15)
    assert retention.explanation == "10 years after closure — DA, any outcome"


def test_rule_changed_by_the_dpo_changes_the_date_and_who_is_due() -> None:
    case = closed_case(london(2020, 1, 10))
    assert case in due_cases(dt.date(2026, 1, 11))
    RetentionRule.objects.filter(record="case", case_type="asb", outcome_group="no_legal_action").update(
        months=84, days=10
    )
    assert case_retention(case).keep_until == dt.date(2027, 1, 20)
    assert case not in due_cases(dt.date(2026, 1, 11))
    assert case in due_cases(dt.date(2027, 1, 21))


def test_held_case_is_never_due(dpo_daniel) -> None:
    case = closed_case(london(2018, 1, 10))
    assert case in due_cases(dt.date(2026, 1, 1))
    hold(case, dpo_daniel)
    assert case not in due_cases(dt.date(2026, 1, 1))
    assert case_retention(case).held_since is not None


def test_open_case_is_kept_while_open() -> None:
    from tests.cases.factories import CaseFactory

    case = CaseFactory.create(case_type=CaseType.HATE)
    retention = case_retention(case)
    assert retention.keep_until is None
    assert retention.line == "Kept while open, then 6 years after closure — Hate closed without legal action"


def test_missing_rule_falls_back_to_the_any_type_rule() -> None:
    RetentionRule.objects.filter(record="case", case_type="hate").delete()
    RetentionRule.objects.create(
        record=RetentionRecord.CASE, outcome_group=OutcomeGroup.ANY, starts_from="closure", months=24, basis="x"
    )
    case = closed_case(london(2026, 1, 1), case_type=CaseType.HATE)
    assert case_retention(case).keep_until == dt.date(2028, 1, 1)
    assert case in due_cases(dt.date(2028, 1, 2))


def test_due_cases_takes_two_queries_however_many_cases() -> None:
    for year in (2010, 2011, 2012):
        legal_action(closed_case(london(year, 1, 1)), order_expires=dt.date(year + 1, 1, 1))
        closed_case(london(year, 2, 1), case_type=CaseType.DA)
    with CaptureQueriesContext(connection) as captured:
        due = list(due_cases(dt.date(2026, 1, 1)))
    assert len(due) == 6
    assert len(captured.captured_queries) == 2


@pytest.mark.parametrize(
    ("months", "days", "words"),
    [(72, 0, "6 years"), (12, 0, "1 year"), (18, 0, "18 months"), (3, 10, "3 months and 10 days"), (0, 30, "30 days")],
)
def test_period_in_words(months: int, days: int, words: str) -> None:
    assert period_in_words(months, days) == words


def test_due_cases_in_sql_agree_with_each_cases_date_in_python() -> None:
    """The SQL (`due_cases`) and the Python (`case_retention`) say the same for every kind of case, day by day."""
    RetentionRule.objects.filter(record="case", case_type="hate", outcome_group="legal_action").update(
        months=60, days=5
    )
    cases = [
        closed_case(london(2020, 2, 29)),
        closed_case(london(2020, 3, 31, 0, 30), case_type=CaseType.HATE),
        closed_case(london(2020, 1, 15), case_type=CaseType.DA),
        closed_case(london(2020, 1, 15), outcome="legal_action_concluded"),
        closed_case(london(2020, 1, 15), outcome="legal_action_concluded", case_type=CaseType.HATE),
    ]
    late_order = closed_case(london(2020, 1, 15))
    legal_action(late_order, order_expires=dt.date(2021, 3, 1), outcome_on=dt.date(2023, 1, 1))  # expiry wins
    outcome_only = closed_case(london(2020, 1, 15), case_type=CaseType.HATE)
    legal_action(outcome_only, outcome_on=dt.date(2020, 9, 30))
    cases += [late_order, outcome_only]
    expected = {case.pk: case_retention(case).keep_until for case in cases}
    assert expected[late_order.pk] == dt.date(2027, 3, 1)
    assert expected[outcome_only.pk] == dt.date(2025, 10, 5)
    for as_of in sorted({d + dt.timedelta(days=shift) for d in expected.values() if d for shift in (0, 1)}):
        due = set(due_cases(as_of).values_list("pk", flat=True))
        assert due == {pk for pk, until in expected.items() if until and until < as_of}, as_of
