"""The legal rules of interventions (issue 16 item 3, DESIGN.md §5): pure functions, no database, worked examples in
tests/interventions/test_rules.py.

The law counts calendar time for all of these, so they do: calendar days and months, and real elapsed hours for the
closure notice's 48 hours (a clock change makes a wall-clock 48h30m only 47h30m). None is in working days, so the
working-time engine (core/calendar.py) is not used here. Each problem names its rule (`Finding.rule`), which the
services turn into a DomainError and the API into 422 problem+json.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from saferhomes.core.calendar import LONDON, add_months
from saferhomes.housing.rules import age_on

ANY_TENANCY = "any"

# Rule names (stable: the API and the tests name them).
RULE_TENANCY_TYPE = "tenancy_type"
RULE_PROPORTIONALITY = "proportionality"
RULE_CPN_NEEDS_CPW = "cpn_needs_cpw"
RULE_CPW_TIME_TO_COMPLY = "cpw_time_to_comply"
RULE_INJUNCTION_YOT = "injunction_youth_offending_team"
RULE_INJUNCTION_UNDER_18_LENGTH = "injunction_under_18_12_months"
RULE_CLOSURE_HEARING_48_HOURS = "closure_hearing_48_hours"
RULE_CLOSURE_ORDER_3_MONTHS = "closure_order_3_months"
RULE_CLOSURE_ORDER_6_MONTHS = "closure_order_6_months"
RULE_ABSOLUTE_GROUND_CONDITION = "absolute_ground_condition"
RULE_ABSOLUTE_GROUND_REVIEW_WINDOW = "absolute_ground_review_window"
RULE_ABSOLUTE_GROUND_NOTICE_TIME_LIMIT = "absolute_ground_notice_time_limit"

INJUNCTION_UNDER_18_MAX_MONTHS = 12  # ASBCPA 2014 s1(6)
CLOSURE_HEARING_HOURS = 48  # ASBCPA 2014 s80: the application is heard within 48 hours of service
CLOSURE_ORDER_MAX_MONTHS = 3  # ASBCPA 2014 s80
CLOSURE_ORDER_MAX_TOTAL_MONTHS = 6  # ASBCPA 2014 s82: extended, never more than 6 months in all
REVIEW_WINDOW_DAYS = 7  # Housing Act 1985 s85ZA(2): 7 days beginning with the day the notice is served

# ASBCPA 2014 s94 (Housing Act 1985 s84A; Housing Act 1988 Sch 2 Ground 7A): the five conditions.
ABSOLUTE_GROUND_CONDITIONS: dict[str, str] = {
    "serious_offence": "Condition 1: convicted of a serious offence",
    "injunction_breach": "Condition 2: found to have breached a civil injunction",
    "cbo_breach": "Condition 3: convicted of breaching a criminal behaviour order",
    "closure_order": "Condition 4: the home is subject to a closure order",
    "noise_abatement": "Condition 5: convicted of breaching a noise abatement notice or order",
}
# Housing Act 1985 s83ZA, Housing Act 1988 s8: the notice is served within a time of the event that met the condition
# (the conviction, the court's finding of breach, the closure order), or of the end of an appeal against it: 12 months
# for conditions 1, 2, 3 and 5; 3 months for condition 4. "Beginning with" the day: that day is the first of them.
NOTICE_TIME_LIMIT_MONTHS: dict[str, int] = {
    "serious_offence": 12,
    "injunction_breach": 12,
    "cbo_breach": 12,
    "closure_order": 3,
    "noise_abatement": 12,
}
TRIGGER_WORDS: dict[str, str] = {
    "serious_offence": "the conviction",
    "injunction_breach": "the court's finding of the breach",
    "cbo_breach": "the conviction",
    "closure_order": "the closure order",
    "noise_abatement": "the conviction",
}


@dataclass(frozen=True)
class Finding:
    """A rule's verdict: `blocking` findings stop the write; the others are warnings shown to the officer."""

    rule: str
    message: str
    blocking: bool = True


def blocking(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.blocking]


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


# Which tools the tenancy allows ----------------------------------------------------------------------------------


def kind_allowed_for_tenancy(kind: dict[str, Any], tenancy_type: str | None) -> bool:
    """Whether a catalogue kind is offered for a party holding this tenancy type (None: no tenancy with us)."""
    allowed = kind["tenancy_types"]
    return allowed == ANY_TENANCY or (tenancy_type is not None and tenancy_type in allowed)


def kinds_offered(kinds: Sequence[dict[str, Any]], tenancy_type: str | None) -> list[dict[str, Any]]:
    """The kinds offered for a party, lightest rung first: possession tools only where the tenancy type allows."""
    offered = [k for k in kinds if kind_allowed_for_tenancy(k, tenancy_type)]
    return sorted(offered, key=lambda k: (k["rung"], k["name"]))


def tenancy_findings(kind: dict[str, Any], tenancy_type: str | None, tenancy_label: str = "") -> list[Finding]:
    if kind_allowed_for_tenancy(kind, tenancy_type):
        return []
    held = f"a {tenancy_label.lower() or tenancy_type} tenancy" if tenancy_type else "no tenancy with us"
    return [
        Finding(
            RULE_TENANCY_TYPE,
            f"{kind['name']} is not available: the person holds {held} "
            f"(it applies to {', '.join(kind['tenancy_types'])} tenancies)",
        )
    ]


def proportionality_findings(kind: dict[str, Any], proportionality: str) -> list[Finding]:
    if kind["formal"] and not proportionality.strip():
        return [
            Finding(
                RULE_PROPORTIONALITY,
                f"{kind['name']} is formal action: say why it is necessary and proportionate",
            )
        ]
    return []


# Community protection: a notice only after a warning whose time to comply has passed -----------------------------


@dataclass(frozen=True)
class WarningGiven:
    """A community protection warning to the same party on the same case: when issued, when its time to comply ends."""

    issued_on: dt.date | None
    comply_by: dt.date | None


def cpn_findings(*, issued_on: dt.date, warnings: Sequence[WarningGiven]) -> list[Finding]:
    """ASBCPA 2014 s43(5): a CPN needs an earlier written warning and the time to deal with it to have passed."""
    earlier = [w for w in warnings if w.issued_on is not None and w.issued_on < issued_on]
    if not earlier:
        return [
            Finding(
                RULE_CPN_NEEDS_CPW,
                "A community protection notice needs an earlier community protection warning to the same person "
                "on this case: record the warning first",
            )
        ]
    if any(w.comply_by is not None and w.comply_by < issued_on for w in earlier):
        return []
    ends = [w.comply_by for w in earlier if w.comply_by is not None]
    when = f" (it ends on {_day(max(ends))})" if ends else " (record when it ends)"
    return [
        Finding(
            RULE_CPW_TIME_TO_COMPLY,
            f"The community protection warning's time to comply has not passed by {_day(issued_on)}{when}",
        )
    ]


# Civil injunction against someone under 18 ---------------------------------------------------------------------


def is_under_18(date_of_birth: dt.date | None, on_date: dt.date) -> bool:
    """Under 18 on the day (as cases.rules.minor_prompts): an unrecorded date of birth is not treated as a minor."""
    return date_of_birth is not None and age_on(date_of_birth, on_date) < 18


def injunction_application_findings(
    *, date_of_birth: dt.date | None, applied_on: dt.date, yot_consulted_on: dt.date | None
) -> list[Finding]:
    """ASBCPA 2014 s14: before applying against someone under 18, the youth offending team must be consulted."""
    if not is_under_18(date_of_birth, applied_on):
        return []
    if yot_consulted_on is None:
        return [
            Finding(
                RULE_INJUNCTION_YOT,
                f"The person is under 18 on {_day(applied_on)}: record when the youth offending team was consulted "
                "before the application",
            )
        ]
    if yot_consulted_on > applied_on:
        return [
            Finding(
                RULE_INJUNCTION_YOT,
                f"The youth offending team must be consulted before the application ({_day(yot_consulted_on)} is "
                f"after {_day(applied_on)})",
            )
        ]
    return []


def injunction_grant_findings(
    *, date_of_birth: dt.date | None, granted_on: dt.date, ends_on: dt.date | None
) -> list[Finding]:
    """ASBCPA 2014 s1(6): an injunction against someone under 18 runs for 12 months at most (calendar months)."""
    if not is_under_18(date_of_birth, granted_on):
        return []
    latest = add_months(granted_on, INJUNCTION_UNDER_18_MAX_MONTHS)
    if ends_on is None:
        return [
            Finding(
                RULE_INJUNCTION_UNDER_18_LENGTH,
                f"The person is under 18: record when the injunction ends (by {_day(latest)} at the latest)",
            )
        ]
    if ends_on > latest:
        return [
            Finding(
                RULE_INJUNCTION_UNDER_18_LENGTH,
                f"An injunction against someone under 18 cannot run past 12 months: it must end by {_day(latest)}, "
                f"not {_day(ends_on)}",
            )
        ]
    return []


# Closure notice and order --------------------------------------------------------------------------------------


def _utc(moment: dt.datetime) -> dt.datetime:
    # Subtracting two datetimes in the same zone gives the wall-clock difference; in UTC it is the real time.
    return moment.astimezone(dt.UTC)


def _christmas_overlap(start: dt.datetime, end: dt.datetime) -> dt.timedelta:
    start, end = _utc(start), _utc(end)
    total = dt.timedelta(0)
    for year in range(start.astimezone(LONDON).year, end.astimezone(LONDON).year + 1):
        day_start = _utc(dt.datetime(year, 12, 25, tzinfo=LONDON))
        day_end = _utc(dt.datetime(year, 12, 26, tzinfo=LONDON))
        overlap = min(end, day_end) - max(start, day_start)
        if overlap > dt.timedelta(0):
            total += overlap
    return total


def closure_hearing_hours(served_at: dt.datetime, hearing_at: dt.datetime) -> dt.timedelta:
    """Real elapsed time from service to the hearing, Christmas Day disregarded (ASBCPA 2014 s80)."""
    return (_utc(hearing_at) - _utc(served_at)) - _christmas_overlap(served_at, hearing_at)


def closure_hearing_findings(
    *, served_on: dt.date, served_time: dt.time | None, hearing_on: dt.date, hearing_time: dt.time | None
) -> list[Finding]:
    """A warning (not a block: the court decides) when the hearing is not within 48 hours of the notice's service."""
    if served_time is None or hearing_time is None:
        served_at = dt.datetime.combine(served_on, dt.time(0), tzinfo=LONDON)
        hearing_at = dt.datetime.combine(hearing_on, dt.time(0), tzinfo=LONDON)
        if closure_hearing_hours(served_at, hearing_at) <= dt.timedelta(hours=CLOSURE_HEARING_HOURS):
            return []  # without the times it may be within 48 hours: give the benefit of the doubt
    else:
        served_at = dt.datetime.combine(served_on, served_time, tzinfo=LONDON)
        hearing_at = dt.datetime.combine(hearing_on, hearing_time, tzinfo=LONDON)
        if closure_hearing_hours(served_at, hearing_at) <= dt.timedelta(hours=CLOSURE_HEARING_HOURS):
            return []
    return [
        Finding(
            RULE_CLOSURE_HEARING_48_HOURS,
            "The court hearing is not within 48 hours of the closure notice's service (Christmas Day aside): "
            "the notice may lapse; check with the court and the police or council",
            blocking=False,
        )
    ]


def closure_order_findings(*, order_months: int | None, extension_months: Sequence[int]) -> list[Finding]:
    """A closure order runs up to 3 months; extended, up to 6 months in all."""
    if order_months is None or order_months < 1:
        return [Finding(RULE_CLOSURE_ORDER_3_MONTHS, "Record the closure order's length in months (1 to 3)")]
    if order_months > CLOSURE_ORDER_MAX_MONTHS:
        return [
            Finding(
                RULE_CLOSURE_ORDER_3_MONTHS,
                f"A closure order runs for 3 months at most, not {order_months}",
            )
        ]
    total = order_months + sum(extension_months)
    if total > CLOSURE_ORDER_MAX_TOTAL_MONTHS:
        return [
            Finding(
                RULE_CLOSURE_ORDER_6_MONTHS,
                f"A closure order with its extensions runs for 6 months in all at most, not {total}",
            )
        ]
    return []


def closure_order_ends_on(made_on: dt.date, total_months: int) -> dt.date:
    return add_months(made_on, total_months)


# Absolute ground for possession ----------------------------------------------------------------------------------


def absolute_ground_findings(condition: str | None) -> list[Finding]:
    if condition in ABSOLUTE_GROUND_CONDITIONS:
        return []
    return [
        Finding(
            RULE_ABSOLUTE_GROUND_CONDITION,
            "Record which of the five conditions is met: " + "; ".join(ABSOLUTE_GROUND_CONDITIONS.values()),
        )
    ]


def months_beginning_with(day: dt.date, months: int) -> dt.date:
    """The last day of a period of `months` calendar months beginning with `day`: the day before the corresponding
    date that many months on, or, when that month has no such date, its last day (Dodds v Walker [1981]).
    15 March 2026 + 12 -> 14 March 2027; 30 November 2026 + 3 -> 28 February 2027; 29 February 2028 + 12 ->
    28 February 2029."""
    year, month_zero = divmod(day.year * 12 + day.month - 1 + months, 12)
    month = month_zero + 1
    last = calendar.monthrange(year, month)[1]
    if day.day > last:
        return dt.date(year, month, last)
    return dt.date(year, month, day.day) - dt.timedelta(days=1)


def notice_deadline(*, condition: str, trigger_on: dt.date) -> dt.date:
    """The last day to serve an absolute-ground notice: 12 (or 3) calendar months beginning with the trigger day."""
    return months_beginning_with(trigger_on, NOTICE_TIME_LIMIT_MONTHS[condition])


def notice_time_limit_findings(
    *, condition: str | None, trigger_on: dt.date | None, served_on: dt.date
) -> list[Finding]:
    """An absolute-ground notice needs the date of the event that met its condition (or of the end of the appeal
    against it), not after the notice, and is refused once the time limit has passed."""
    if condition not in NOTICE_TIME_LIMIT_MONTHS:
        return []  # absolute_ground_findings asks for the condition
    event = TRIGGER_WORDS[condition]
    if trigger_on is None:
        return [
            Finding(
                RULE_ABSOLUTE_GROUND_NOTICE_TIME_LIMIT,
                f"Enter the date of {event} (or of the end of an appeal against it): the notice must be served "
                f"within {NOTICE_TIME_LIMIT_MONTHS[condition]} months of it",
            )
        ]
    if trigger_on > served_on:
        return [Finding(RULE_ABSOLUTE_GROUND_NOTICE_TIME_LIMIT, f"The date of {event} cannot be after the notice")]
    last_day = notice_deadline(condition=condition, trigger_on=trigger_on)
    if served_on > last_day:
        months = NOTICE_TIME_LIMIT_MONTHS[condition]
        return [
            Finding(
                RULE_ABSOLUTE_GROUND_NOTICE_TIME_LIMIT,
                f"Too late for the absolute ground: a notice on this condition must be served within {months} months "
                f"beginning with the date of {event} ({_day(trigger_on)}), so by {_day(last_day)}. Consider the "
                "discretionary grounds instead",
            )
        ]
    return []


def review_window_ends(*, served_on: dt.date, tenancy_type: str | None) -> dt.date | None:
    """The last day a secure tenant may ask for a review (7 calendar days beginning with service); None otherwise."""
    if tenancy_type != "secure":
        return None
    return served_on + dt.timedelta(days=REVIEW_WINDOW_DAYS - 1)


def review_request_findings(*, window_ends: dt.date | None, requested_on: dt.date) -> list[Finding]:
    """A warning when the review is asked for after the 7 days: the landlord has no power to extend them (Hounslow
    LBC v Harris [2017] EWCA Civ 1476); to allow a review it withdraws the notice and serves a fresh one."""
    if window_ends is None or requested_on <= window_ends:
        return []
    return [
        Finding(
            RULE_ABSOLUTE_GROUND_REVIEW_WINDOW,
            f"The review was asked for after the 7-day window, which ended on {_day(window_ends)}. The landlord "
            "cannot extend it: to allow a review, withdraw the notice and serve a fresh one",
            blocking=False,
        )
    ]
