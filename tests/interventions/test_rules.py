"""Worked examples of the legal rules (interventions/rules.py): calendar time, as the law counts it."""

from __future__ import annotations

import datetime as dt

import pytest

from saferhomes.interventions import rules
from saferhomes.interventions.rules import WarningGiven

D = dt.date


def rule_names(findings: list[rules.Finding]) -> list[str]:
    return [f.rule for f in findings]


# Tenancy type decides the possession tools ----------------------------------------------------------------------

KINDS = [
    {"key": "cpw", "name": "CPW", "rung": 5, "formal": True, "tenancy_types": "any"},
    {"key": "absolute_ground", "name": "Absolute", "rung": 10, "formal": True, "tenancy_types": ["secure", "assured"]},
    {"key": "demotion", "name": "Demotion", "rung": 9, "formal": True, "tenancy_types": ["secure", "assured"]},
    {"key": "starter_extension", "name": "Starter extension", "rung": 9, "formal": True, "tenancy_types": ["starter"]},
    {"key": "advice", "name": "Advice", "rung": 1, "formal": False, "tenancy_types": "any"},
]  # fmt: skip


@pytest.mark.parametrize(
    ("tenancy_type", "offered"),
    [
        ("secure", ["advice", "cpw", "demotion", "absolute_ground"]),
        ("assured", ["advice", "cpw", "demotion", "absolute_ground"]),
        ("starter", ["advice", "cpw", "starter_extension"]),
        ("leasehold", ["advice", "cpw"]),
        (None, ["advice", "cpw"]),  # not our tenant: no possession tool at all
    ],
)
def test_the_tenancy_type_decides_which_possession_tools_are_offered(
    tenancy_type: str | None, offered: list[str]
) -> None:
    assert [k["key"] for k in rules.kinds_offered(KINDS, tenancy_type)] == offered


def test_a_possession_tool_for_the_wrong_tenancy_names_the_rule_and_the_tenancy() -> None:
    (finding,) = rules.tenancy_findings(KINDS[3], "secure", "Secure")
    assert (finding.rule, finding.blocking) == ("tenancy_type", True)
    assert "holds a secure tenancy" in finding.message
    assert rules.tenancy_findings(KINDS[3], "starter") == []


def test_formal_action_needs_proportionality_reasoning_informal_does_not() -> None:
    assert rule_names(rules.proportionality_findings(KINDS[0], "  ")) == ["proportionality"]
    assert rules.proportionality_findings(KINDS[0], "Three warnings ignored; noise nightly") == []
    assert rules.proportionality_findings(KINDS[4], "") == []


# CPN after CPW --------------------------------------------------------------------------------------------------


def test_a_cpn_needs_an_earlier_cpw() -> None:
    assert rule_names(rules.cpn_findings(issued_on=D(2026, 5, 1), warnings=[])) == ["cpn_needs_cpw"]
    # A warning issued the same day is not earlier.
    same_day = [WarningGiven(issued_on=D(2026, 5, 1), comply_by=D(2026, 4, 30))]
    assert rule_names(rules.cpn_findings(issued_on=D(2026, 5, 1), warnings=same_day)) == ["cpn_needs_cpw"]


def test_a_cpn_waits_until_the_warnings_time_to_comply_has_passed() -> None:
    warning = [WarningGiven(issued_on=D(2026, 4, 1), comply_by=D(2026, 4, 15))]
    (finding,) = rules.cpn_findings(issued_on=D(2026, 4, 15), warnings=warning)  # the last day to comply
    assert finding.rule == "cpw_time_to_comply"
    assert "it ends on 15 April 2026" in finding.message
    assert rules.cpn_findings(issued_on=D(2026, 4, 16), warnings=warning) == []
    unknown = [WarningGiven(issued_on=D(2026, 4, 1), comply_by=None)]
    assert "record when it ends" in rules.cpn_findings(issued_on=D(2026, 6, 1), warnings=unknown)[0].message


# Injunctions against under-18s ----------------------------------------------------------------------------------


def test_an_injunction_against_a_16_year_old_needs_the_yot_consulted_before_the_application() -> None:
    born = D(2010, 3, 10)  # 16 on 1 March 2027
    assert rule_names(
        rules.injunction_application_findings(date_of_birth=born, applied_on=D(2027, 3, 1), yot_consulted_on=None)
    ) == ["injunction_youth_offending_team"]
    assert rule_names(
        rules.injunction_application_findings(
            date_of_birth=born, applied_on=D(2027, 3, 1), yot_consulted_on=D(2027, 3, 2)
        )
    ) == ["injunction_youth_offending_team"]
    assert (
        rules.injunction_application_findings(
            date_of_birth=born, applied_on=D(2027, 3, 1), yot_consulted_on=D(2027, 2, 20)
        )
        == []
    )


def test_age_is_taken_on_the_day_an_18th_birthday_ends_the_youth_rules() -> None:
    born = D(2009, 3, 1)
    assert rule_names(
        rules.injunction_application_findings(date_of_birth=born, applied_on=D(2027, 2, 28), yot_consulted_on=None)
    ) == ["injunction_youth_offending_team"]
    assert (
        rules.injunction_application_findings(date_of_birth=born, applied_on=D(2027, 3, 1), yot_consulted_on=None) == []
    )
    assert (
        rules.injunction_application_findings(date_of_birth=None, applied_on=D(2027, 3, 1), yot_consulted_on=None) == []
    )


def test_an_injunction_against_an_under_18_runs_12_calendar_months_at_most_leap_day_clamped() -> None:
    born = D(2012, 6, 1)
    # Granted on leap day 2028: 12 calendar months later is 28 February 2029 (no 29th).
    assert rules.injunction_grant_findings(date_of_birth=born, granted_on=D(2028, 2, 29), ends_on=D(2029, 2, 28)) == []
    (finding,) = rules.injunction_grant_findings(date_of_birth=born, granted_on=D(2028, 2, 29), ends_on=D(2029, 3, 1))
    assert finding.rule == "injunction_under_18_12_months"
    assert "must end by 28 February 2029, not 1 March 2029" in finding.message
    # An adult's injunction may run longer.
    assert (
        rules.injunction_grant_findings(date_of_birth=D(1990, 1, 1), granted_on=D(2028, 2, 29), ends_on=D(2030, 2, 28))
        == []
    )


# Closure ---------------------------------------------------------------------------------------------------------


def test_a_closure_hearing_more_than_48_hours_after_service_is_a_warning_not_a_block() -> None:
    (finding,) = rules.closure_hearing_findings(
        served_on=D(2026, 6, 1), served_time=dt.time(10), hearing_on=D(2026, 6, 3), hearing_time=dt.time(10, 1)
    )
    assert (finding.rule, finding.blocking) == ("closure_hearing_48_hours", False)
    assert (
        rules.closure_hearing_findings(
            served_on=D(2026, 6, 1), served_time=dt.time(10), hearing_on=D(2026, 6, 3), hearing_time=dt.time(10)
        )
        == []
    )


def test_the_48_hours_are_real_hours_across_the_spring_clock_change() -> None:
    # Served 09:00 GMT Saturday 28 March 2026; clocks go forward at 01:00 on Sunday 29 March. A hearing at 09:30 BST
    # on Monday 30 March is 48h30m on the wall clock but only 47h30m of real time: within 48 hours.
    assert (
        rules.closure_hearing_findings(
            served_on=D(2026, 3, 28), served_time=dt.time(9), hearing_on=D(2026, 3, 30), hearing_time=dt.time(9, 30)
        )
        == []
    )
    # In the autumn the clocks go back (25 October 2026): 47h30m on the wall clock is 48h30m of real time.
    assert rule_names(
        rules.closure_hearing_findings(
            served_on=D(2026, 10, 24), served_time=dt.time(9), hearing_on=D(2026, 10, 26), hearing_time=dt.time(8, 30)
        )
    ) == ["closure_hearing_48_hours"]


def test_christmas_day_is_disregarded_but_boxing_day_bank_holiday_counts() -> None:
    # Served 10:00 on 24 December 2026, heard 10:00 on 27 December: 72 hours, less Christmas Day's 24 = 48.
    assert (
        rules.closure_hearing_findings(
            served_on=D(2026, 12, 24), served_time=dt.time(10), hearing_on=D(2026, 12, 27), hearing_time=dt.time(10)
        )
        == []
    )
    # Across Boxing Day (a bank holiday) alone, nothing is disregarded.
    assert rule_names(
        rules.closure_hearing_findings(
            served_on=D(2026, 12, 26), served_time=dt.time(10), hearing_on=D(2026, 12, 29), hearing_time=dt.time(10)
        )
    ) == ["closure_hearing_48_hours"]


def test_without_times_a_hearing_three_days_later_is_flagged_two_days_later_is_not() -> None:
    assert (
        rules.closure_hearing_findings(
            served_on=D(2026, 6, 1), served_time=None, hearing_on=D(2026, 6, 3), hearing_time=None
        )
        == []
    )
    assert rule_names(
        rules.closure_hearing_findings(
            served_on=D(2026, 6, 1), served_time=None, hearing_on=D(2026, 6, 4), hearing_time=None
        )
    ) == ["closure_hearing_48_hours"]


@pytest.mark.parametrize(
    ("order", "extensions", "broken"),
    [
        (3, [], []),
        (4, [], ["closure_order_3_months"]),
        (None, [], ["closure_order_3_months"]),
        (3, [3], []),
        (3, [2, 1], []),
        (3, [2, 2], ["closure_order_6_months"]),
    ],
)
def test_a_closure_order_runs_3_months_and_6_in_all(
    order: int | None, extensions: list[int], broken: list[str]
) -> None:
    assert rule_names(rules.closure_order_findings(order_months=order, extension_months=extensions)) == broken


def test_a_closure_order_made_on_30_november_for_3_months_ends_on_28_february() -> None:
    assert rules.closure_order_ends_on(D(2026, 11, 30), 3) == D(2027, 2, 28)
    assert rules.closure_order_ends_on(D(2027, 11, 30), 3) == D(2028, 2, 29)  # leap year


# Absolute ground ---------------------------------------------------------------------------------------------------


def test_an_absolute_ground_notice_records_one_of_the_five_conditions() -> None:
    assert len(rules.ABSOLUTE_GROUND_CONDITIONS) == 5
    assert rule_names(rules.absolute_ground_findings(None)) == ["absolute_ground_condition"]
    assert rule_names(rules.absolute_ground_findings("rudeness")) == ["absolute_ground_condition"]
    assert rules.absolute_ground_findings("closure_order") == []


def test_a_secure_tenants_review_window_is_7_calendar_days_from_service_bank_holidays_included() -> None:
    # Served Tuesday 22 December 2026: 7 days beginning with that day end on Monday 28 December, though Christmas Day
    # and Boxing Day (substitute holiday on the 28th) fall in it: the law counts calendar days.
    assert rules.review_window_ends(served_on=D(2026, 12, 22), tenancy_type="secure") == D(2026, 12, 28)
    # Across leap day: served 26 February 2028 ends 3 March; in 2027 it ends 4 March.
    assert rules.review_window_ends(served_on=D(2028, 2, 26), tenancy_type="secure") == D(2028, 3, 3)
    assert rules.review_window_ends(served_on=D(2027, 2, 26), tenancy_type="secure") == D(2027, 3, 4)
    assert rules.review_window_ends(served_on=D(2026, 12, 22), tenancy_type="assured") is None


def test_a_review_asked_for_after_the_window_is_a_warning() -> None:
    ends = D(2026, 12, 28)
    assert rules.review_request_findings(window_ends=ends, requested_on=D(2026, 12, 28)) == []
    (finding,) = rules.review_request_findings(window_ends=ends, requested_on=D(2026, 12, 29))
    assert (finding.rule, finding.blocking) == ("absolute_ground_review_window", False)
    # Hounslow LBC v Harris [2017] EWCA Civ 1476: the landlord cannot extend the 7 days.
    assert "cannot extend it" in finding.message
    assert "serve a fresh one" in finding.message
    assert rules.review_request_findings(window_ends=None, requested_on=D(2027, 1, 5)) == []


@pytest.mark.parametrize(
    ("day", "months", "last_day"),
    [
        (D(2026, 3, 15), 12, D(2027, 3, 14)),  # the day before the corresponding date
        (D(2026, 11, 30), 3, D(2027, 2, 28)),  # no 30 February: the month's last day
        (D(2026, 1, 31), 1, D(2026, 2, 28)),  # no 31 February (common year)
        (D(2028, 1, 31), 1, D(2028, 2, 29)),  # leap year
        (D(2028, 2, 29), 12, D(2029, 2, 28)),  # from leap day: no 29 February 2029
        (D(2027, 2, 28), 12, D(2028, 2, 27)),  # into a leap year: the corresponding date exists
        (D(2026, 12, 1), 3, D(2027, 2, 28)),  # over the year end
    ],
)
def test_a_period_of_months_beginning_with_a_day(day: dt.date, months: int, last_day: dt.date) -> None:
    assert rules.months_beginning_with(day, months) == last_day


def test_an_absolute_ground_notice_on_a_conviction_is_served_within_12_months_beginning_with_it() -> None:
    # Convicted of a serious offence on Sunday 15 March 2026 (the day counts): the last day is 14 March 2027.
    findings = rules.notice_time_limit_findings
    assert findings(condition="serious_offence", trigger_on=D(2026, 3, 15), served_on=D(2027, 3, 14)) == []
    (late,) = findings(condition="serious_offence", trigger_on=D(2026, 3, 15), served_on=D(2027, 3, 15))
    assert (late.rule, late.blocking) == ("absolute_ground_notice_time_limit", True)
    assert "within 12 months" in late.message
    assert "15 March 2026" in late.message
    assert "by 14 March 2027" in late.message
    # The same for a court's finding that an injunction was breached, and breaches of a CBO or noise abatement.
    for condition in ("injunction_breach", "cbo_breach", "noise_abatement"):
        assert findings(condition=condition, trigger_on=D(2026, 3, 15), served_on=D(2027, 3, 14)) == []
        assert rule_names(findings(condition=condition, trigger_on=D(2026, 3, 15), served_on=D(2027, 3, 15))) == [
            "absolute_ground_notice_time_limit"
        ]


def test_an_absolute_ground_notice_on_a_closure_order_is_served_within_3_months() -> None:
    # Closure order made Monday 30 November 2026: 3 months beginning with it end on Sunday 28 February 2027.
    findings = rules.notice_time_limit_findings
    assert findings(condition="closure_order", trigger_on=D(2026, 11, 30), served_on=D(2027, 2, 28)) == []
    (late,) = findings(condition="closure_order", trigger_on=D(2026, 11, 30), served_on=D(2027, 3, 1))
    assert "within 3 months" in late.message
    assert "by 28 February 2027" in late.message


def test_an_absolute_ground_notice_needs_the_date_of_its_trigger_not_after_the_notice() -> None:
    findings = rules.notice_time_limit_findings
    (missing,) = findings(condition="cbo_breach", trigger_on=None, served_on=D(2026, 6, 1))
    assert missing.rule == "absolute_ground_notice_time_limit"
    assert "Enter the date of the conviction" in missing.message
    (after,) = findings(condition="closure_order", trigger_on=D(2026, 6, 2), served_on=D(2026, 6, 1))
    assert "cannot be after the notice" in after.message
    # No condition yet: the condition rule asks for it; this one says nothing more.
    assert findings(condition=None, trigger_on=None, served_on=D(2026, 6, 1)) == []
