"""Worked examples for the ASB Case Review threshold (DESIGN.md §4.3): the default rule (3 complaints about the same
problem in the 6 months before the application, each within a calendar month of the behaviour) and the alternatives
(one hate incident or crime; reports by different people about one location; a lower count), inclusive London dates."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saferhomes.case_review import rules
from saferhomes.case_review.rules import Complaint, Rule

D = dt.date
DEFAULT = Rule("three_complaints", "Three complaints", rules.COUNT_COMPLAINTS, 3, ("asb", "hate"))
HATE = Rule("one_hate_incident", "One hate incident or crime", rules.COUNT_COMPLAINTS, 1, ("hate",))
LOCATION = Rule("people_at_location", "Different people, one place", rules.COUNT_PEOPLE_AT_LOCATION, 3, ("asb", "hate"))
LOWER = Rule("two_complaints", "Two complaints", rules.COUNT_COMPLAINTS, 2, ("asb", "hate"))
APPLIED = D(2026, 8, 15)


def assess(rule: Rule, *complaints: Complaint, on: dt.date = APPLIED) -> rules.Assessment:
    return rules.assess(rule=rule, application_on=on, complaints=complaints, window_months=6, within_months=1)


def complaint(key: int, received: dt.date, occurred: dt.date | None = None, **kwargs: str) -> Complaint:
    kwargs.setdefault("problem", "asb")
    kwargs.setdefault("group", "cases:1")
    kwargs.setdefault("complainant", "person:1")
    return Complaint(key=key, received_on=received, occurred_on=occurred or received, **kwargs)


def reasons(assessment: rules.Assessment) -> list[str]:
    return [finding.reason for finding in assessment.findings]


def test_default_rule_is_met_by_exactly_three_complaints() -> None:
    result = assess(DEFAULT, complaint(1, D(2026, 3, 1)), complaint(2, D(2026, 5, 1)), complaint(3, D(2026, 8, 1)))
    assert (result.counted, result.required, result.suggested_met) == (3, 3, True)


def test_default_rule_is_not_met_by_two_complaints() -> None:
    result = assess(DEFAULT, complaint(1, D(2026, 3, 1)), complaint(2, D(2026, 5, 1)))
    assert (result.counted, result.suggested_met) == (2, False)


def test_lower_count_rule_is_met_by_two_complaints() -> None:
    result = assess(LOWER, complaint(1, D(2026, 3, 1)), complaint(2, D(2026, 5, 1)))
    assert (result.counted, result.suggested_met) == (2, True)


def test_complaint_made_one_calendar_month_after_the_behaviour_counts_31_january_to_28_february() -> None:
    result = assess(DEFAULT, complaint(1, D(2026, 2, 28), occurred=D(2026, 1, 31)), on=D(2026, 3, 10))
    assert reasons(result) == [""]
    assert rules.months_after(D(2026, 1, 31), 1) == D(2026, 2, 28)


def test_complaint_made_one_month_and_a_day_after_the_behaviour_is_late() -> None:
    result = assess(DEFAULT, complaint(1, D(2026, 3, 1), occurred=D(2026, 1, 31)), on=D(2026, 3, 10))
    assert reasons(result) == [rules.LATE]
    assert result.counted == 0


def test_leap_year_month_after_31_january_is_29_february() -> None:
    assert rules.months_after(D(2028, 1, 31), 1) == D(2028, 2, 29)
    assert rules.made_in_time(D(2028, 2, 29), D(2028, 1, 31), months=1)
    assert not rules.made_in_time(D(2028, 3, 1), D(2028, 1, 31), months=1)


def test_complaint_on_the_date_six_months_before_the_application_counts() -> None:
    result = assess(DEFAULT, complaint(1, D(2026, 2, 15)))
    assert reasons(result) == [""]


def test_complaint_the_day_before_the_six_month_window_is_outside_it() -> None:
    result = assess(DEFAULT, complaint(1, D(2026, 2, 14)))
    assert reasons(result) == [rules.OUTSIDE_WINDOW]


def test_complaint_on_the_application_date_counts_and_after_it_does_not() -> None:
    result = assess(DEFAULT, complaint(1, APPLIED), complaint(2, APPLIED + dt.timedelta(days=1)))
    assert reasons(result) == ["", rules.OUTSIDE_WINDOW]


def test_window_from_31_august_starts_on_the_last_day_of_february() -> None:
    assert rules.window_start(D(2026, 8, 31), 6) == D(2026, 2, 28)
    assert rules.in_window(D(2026, 2, 28), application_on=D(2026, 8, 31), months=6)
    assert not rules.in_window(D(2026, 2, 27), application_on=D(2026, 8, 31), months=6)


def test_three_complaints_with_one_late_does_not_meet_the_default_rule() -> None:
    result = assess(
        DEFAULT,
        complaint(1, D(2026, 3, 1)),
        complaint(2, D(2026, 5, 1)),
        complaint(3, D(2026, 7, 2), occurred=D(2026, 6, 1)),
    )
    assert reasons(result) == ["", "", rules.LATE]
    assert result.suggested_met is False


def test_a_complaint_about_a_different_problem_does_not_count() -> None:
    result = assess(
        DEFAULT,
        complaint(1, D(2026, 3, 1)),
        complaint(2, D(2026, 4, 1)),
        complaint(3, D(2026, 5, 1), group="cases:9"),
    )
    assert reasons(result) == ["", "", rules.DIFFERENT_PROBLEM]


def test_two_complaints_by_one_person_about_the_same_day_are_one_and_a_duplicate() -> None:
    result = assess(
        DEFAULT,
        complaint(1, D(2026, 3, 2), occurred=D(2026, 3, 1)),
        complaint(2, D(2026, 3, 3), occurred=D(2026, 3, 1)),
    )
    assert reasons(result) == ["", rules.DUPLICATE]


def test_a_complaint_to_another_agency_without_a_case_counts_towards_the_problem() -> None:
    result = assess(
        DEFAULT,
        complaint(1, D(2026, 3, 1)),
        complaint(2, D(2026, 4, 1)),
        complaint(3, D(2026, 5, 1), group="", problem="", complainant="agency:police"),
    )
    assert result.counted == 3
    assert result.suggested_met


def test_one_hate_incident_meets_the_hate_rule() -> None:
    result = assess(HATE, complaint(1, D(2026, 6, 1), problem="hate"))
    assert (result.counted, result.suggested_met) == (1, True)


def test_hate_rule_does_not_count_an_asb_complaint() -> None:
    result = assess(HATE, complaint(1, D(2026, 6, 1), problem="asb"))
    assert reasons(result) == [rules.NOT_COVERED]
    assert result.suggested_met is False


def test_hate_incident_reported_late_does_not_meet_the_hate_rule() -> None:
    result = assess(HATE, complaint(1, D(2026, 7, 2), occurred=D(2026, 6, 1), problem="hate"))
    assert reasons(result) == [rules.LATE]


def test_three_different_people_about_one_location_meet_the_location_rule() -> None:
    result = assess(
        LOCATION,
        complaint(1, D(2026, 3, 1), location="PROP-1", complainant="person:1"),
        complaint(2, D(2026, 4, 1), location="PROP-1", complainant="person:2"),
        complaint(3, D(2026, 5, 1), location="PROP-1", complainant="person:3"),
    )
    assert (result.counted, result.suggested_met) == (3, True)


def test_location_rule_counts_each_person_once_and_only_the_one_place() -> None:
    result = assess(
        LOCATION,
        complaint(1, D(2026, 3, 1), location="PROP-1", complainant="person:1"),
        complaint(2, D(2026, 4, 1), location="PROP-1", complainant="person:1"),
        complaint(3, D(2026, 5, 1), location="PROP-1", complainant="person:2"),
        complaint(4, D(2026, 6, 1), location="PROP-2", complainant="person:3"),
    )
    assert reasons(result) == ["", rules.DUPLICATE, "", rules.DIFFERENT_PROBLEM]
    assert (result.counted, result.suggested_met) == (2, False)


@pytest.mark.parametrize(("required", "refused"), [(0, True), (1, False), (3, False), (4, True)])
def test_a_rule_may_ask_for_one_to_three_complaints(required: int, refused: bool) -> None:
    assert bool(rules.required_refusal(required)) is refused


def test_a_decision_under_a_rule_that_covers_none_of_the_complaints_is_refused() -> None:
    assert rules.decision_refusal(rule=DEFAULT, problems=["da"], met=True)
    assert not rules.decision_refusal(rule=DEFAULT, problems=["da"], met=False)
    assert not rules.decision_refusal(rule=DEFAULT, problems=["da", "asb"], met=True)


@given(st.dates(min_value=D(1901, 1, 1), max_value=D(2099, 12, 1)))
def test_one_calendar_month_is_inclusive_and_not_a_day_more_for_any_behaviour_date(behaviour: dt.date) -> None:
    last = rules.months_after(behaviour, 1)
    assert rules.made_in_time(last, behaviour, months=1)
    assert not rules.made_in_time(last + dt.timedelta(days=1), behaviour, months=1)
    assert 28 <= (last - behaviour).days <= 31


@given(st.dates(min_value=D(1901, 7, 1), max_value=D(2099, 12, 31)))
def test_the_six_month_window_includes_its_first_day_and_not_the_day_before(applied: dt.date) -> None:
    first = rules.window_start(applied, 6)
    assert rules.in_window(first, application_on=applied, months=6)
    assert not rules.in_window(first - dt.timedelta(days=1), application_on=applied, months=6)
    assert rules.in_window(applied, application_on=applied, months=6)
