"""Pure case rules: every status move allowed or refused with a reason; minors' prompts; the Case Review prompt."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saferhomes.cases import rules
from saferhomes.cases.models import Status

ALLOWED = {
    ("new", "triaged"),
    ("triaged", "open"),
    ("open", "closing"),
    ("closing", "closed"),
    ("closing", "open"),
    ("closed", "reopened"),
    ("reopened", "closing"),
}
ALL_MOVES = list(itertools.product(Status.values, Status.values))


def test_rules_know_every_model_status() -> None:
    assert set(rules.TRANSITIONS) == set(Status.values)


@pytest.mark.parametrize(("current", "target"), sorted(ALLOWED))
def test_lifecycle_move_is_allowed(current: str, target: str) -> None:
    assert rules.transition_problem(current, target) is None
    assert target in rules.allowed_transitions(current)
    assert rules.transition_label(current, target)


@pytest.mark.parametrize(("current", "target"), [move for move in ALL_MOVES if move not in ALLOWED])
def test_lifecycle_move_is_refused_with_a_reason(current: str, target: str) -> None:
    problem = rules.transition_problem(current, target)
    assert problem
    assert target not in rules.allowed_transitions(current)


def test_a_case_cannot_close_without_going_through_closing() -> None:
    assert rules.transition_problem("open", "closed") == (
        "Put the case forward for closure first: the outcome must be discussed before it is closed"
    )


def test_a_new_case_must_be_triaged_before_it_is_opened() -> None:
    assert rules.transition_problem("new", "open") == "A new case must be triaged before it is opened"


def test_staying_put_is_not_a_move() -> None:
    assert rules.transition_problem("open", "open") == "The case is already open"


def test_unknown_status_is_refused() -> None:
    assert rules.transition_problem("open", "archived") == "'archived' is not a case status"


@given(st.sampled_from(Status.values), st.sampled_from(Status.values))
def test_a_move_is_allowed_exactly_when_it_is_listed(current: str, target: str) -> None:
    assert (rules.transition_problem(current, target) is None) == ((current, target) in ALLOWED)


INCIDENT = dt.date(2026, 5, 10)


def test_adult_on_the_incident_date_gets_no_minor_prompts() -> None:
    assert rules.minor_prompts(role="victim", date_of_birth=dt.date(2008, 5, 10), on_date=INCIDENT) == []


def test_unknown_date_of_birth_is_not_treated_as_a_minor() -> None:
    assert rules.minor_prompts(role="victim", date_of_birth=None, on_date=INCIDENT) == []


def test_minor_victim_prompts_safeguarding_and_parent_contact() -> None:
    prompts = rules.minor_prompts(role="victim", date_of_birth=dt.date(2008, 5, 11), on_date=INCIDENT)
    assert [p.code for p in prompts] == ["safeguarding_referral", "parent_guardian_contact"]
    assert "Aged 17" in prompts[0].message


def test_minor_alleged_perpetrator_also_prompts_youth_offending_team() -> None:
    prompts = rules.minor_prompts(role="alleged_perpetrator", date_of_birth=dt.date(2012, 1, 1), on_date=INCIDENT)
    assert [p.code for p in prompts] == ["safeguarding_referral", "parent_guardian_contact", "youth_offending_team"]


def test_minor_is_judged_on_the_incident_date_not_today() -> None:
    dob = dt.date(2008, 6, 1)  # 18 on 1 June 2026
    assert rules.minor_prompts(role="victim", date_of_birth=dob, on_date=dt.date(2026, 5, 31))
    assert rules.minor_prompts(role="victim", date_of_birth=dob, on_date=dt.date(2026, 6, 1)) == []


def test_months_before_clamps_to_the_end_of_a_shorter_month() -> None:
    assert rules.months_before(dt.date(2026, 8, 31), 6) == dt.date(2026, 2, 28)
    assert rules.months_before(dt.date(2026, 3, 15), 6) == dt.date(2025, 9, 15)


def test_second_report_by_the_same_victim_within_six_months_prompts_case_review() -> None:
    prompt = rules.case_review_prompt(
        victim_report_dates=[dt.date(2026, 1, 10), dt.date(2026, 5, 1)], complaints_overall=1, on_date=INCIDENT
    )
    assert prompt is not None
    assert prompt.code == "case_review"


def test_second_report_more_than_six_months_later_does_not_prompt() -> None:
    prompt = rules.case_review_prompt(
        victim_report_dates=[dt.date(2025, 11, 9), INCIDENT], complaints_overall=1, on_date=INCIDENT
    )
    assert prompt is None


def test_report_exactly_six_months_earlier_counts() -> None:
    prompt = rules.case_review_prompt(
        victim_report_dates=[dt.date(2025, 11, 10), INCIDENT], complaints_overall=1, on_date=INCIDENT
    )
    assert prompt is not None


def test_third_complaint_overall_prompts_case_review() -> None:
    assert rules.case_review_prompt(victim_report_dates=[], complaints_overall=2, on_date=INCIDENT) is None
    prompt = rules.case_review_prompt(victim_report_dates=[], complaints_overall=3, on_date=INCIDENT)
    assert prompt is not None
    assert "3 complaints" in prompt.message


def test_criminal_asb_prompts_police_referral_at_triage() -> None:
    assert [p.code for p in rules.triage_prompts(case_type="asb", criminal=True)] == ["police_referral"]
    assert "hate crime" in rules.triage_prompts(case_type="hate", criminal=True)[0].message
    assert rules.triage_prompts(case_type="asb", criminal=False) == []
