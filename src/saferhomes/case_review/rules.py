"""The ASB Case Review threshold, as pure rules (DESIGN.md §4.3; issue 17 part 2). No ORM: plain values in and out.

A rule (from the partnership's versioned rules file, `schema.py`) asks for a number of qualifying complaints, never
more than three. A complaint qualifies when:
- it was received on a London date from six calendar months before the application's date to that date, inclusive
  (application 15 Aug: 15 Feb counts, 14 Feb does not);
- it was made within one calendar month of the behaviour it reports, inclusive (behaviour 31 Jan: 28 Feb counts in a
  common year, 29 Feb in a leap year; a day later does not);
- it is about a kind of problem the rule covers (a hate incident rule: hate incidents and crimes);
- it is not a duplicate of one already counted (the same person about the same day's behaviour), and, for a rule
  counting complaints about the same problem, it is about that problem (the case, with its linked cases, most
  complained about); for a rule counting different people about one location, it is the first from its person there.
`assess` lists each complaint with whether it counts and why not, and suggests met / not met; an officer decides.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

from saferhomes.cases.rules import months_before

MAX_REQUIRED = 3  # statutory guidance: the threshold may never ask for more than three complaints
COUNT_COMPLAINTS = "complaints"
COUNT_PEOPLE_AT_LOCATION = "different_people_one_location"
COUNT_KINDS = (COUNT_COMPLAINTS, COUNT_PEOPLE_AT_LOCATION)

OUTSIDE_WINDOW = "outside_window"
LATE = "late"
DIFFERENT_PROBLEM = "different_problem"
DUPLICATE = "duplicate"
NOT_COVERED = "not_covered"


@dataclass(frozen=True)
class Rule:
    """One threshold rule of a rule set."""

    key: str
    name: str
    counts: str
    required: int
    case_types: tuple[str, ...]


@dataclass(frozen=True)
class Timescales:
    decision_working_days: int
    review_working_days: int
    outcome_working_days: int


@dataclass(frozen=True)
class Complaint:
    """A complaint as the rules see it. `group` names the problem (a case and its linked cases; '' when unknown, for
    example a complaint to another agency, which is taken to be about the application's problem)."""

    key: Hashable
    received_on: dt.date
    occurred_on: dt.date | None = None
    problem: str = ""
    complainant: str = ""
    location: str = ""
    group: str = ""


@dataclass(frozen=True)
class Finding:
    complaint: Complaint
    counts: bool
    reason: str = ""


@dataclass(frozen=True)
class Assessment:
    rule: Rule
    required: int
    counted: int
    suggested_met: bool
    findings: tuple[Finding, ...]


def required_refusal(required: int) -> str:
    """Why a rule's `required` is refused ('' when it is allowed)."""
    if required < 1:
        return "a rule must ask for at least 1 complaint"
    if required > MAX_REQUIRED:
        return f"a rule may not ask for more than {MAX_REQUIRED} complaints (it asks for {required})"
    return ""


def months_after(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months later, clamped to the month's last day (31 Jan + 1 -> 28/29 Feb)."""
    year, month_zero = divmod(day.year * 12 + (day.month - 1) + months, 12)
    month = month_zero + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def window_start(application_on: dt.date, months: int) -> dt.date:
    """The first London date of the window: the same date `months` calendar months before the application."""
    return months_before(application_on, months)


def in_window(received_on: dt.date, *, application_on: dt.date, months: int) -> bool:
    """Received from `months` calendar months before the application's date to that date, both inclusive."""
    return window_start(application_on, months) <= received_on <= application_on


def made_in_time(received_on: dt.date, occurred_on: dt.date | None, *, months: int) -> bool:
    """Made within `months` calendar months of the behaviour, inclusive (no behaviour date: judged on receipt)."""
    return occurred_on is None or received_on <= months_after(occurred_on, months)


def _main(values: Iterable[str]) -> str:
    """The value given most often ('' ignored); ties go to the first seen."""
    counted = Counter(value for value in values if value)
    return counted.most_common(1)[0][0] if counted else ""


def assess(
    *,
    rule: Rule,
    application_on: dt.date,
    complaints: Sequence[Complaint],
    window_months: int,
    within_months: int,
) -> Assessment:
    """Each complaint with whether it counts under `rule` and why not, oldest first; met when enough count."""
    ordered = sorted(complaints, key=lambda c: (c.received_on, str(c.key)))
    reasons: dict[int, str] = {}
    for index, complaint in enumerate(ordered):
        if not in_window(complaint.received_on, application_on=application_on, months=window_months):
            reasons[index] = OUTSIDE_WINDOW
        elif not made_in_time(complaint.received_on, complaint.occurred_on, months=within_months):
            reasons[index] = LATE
        elif complaint.problem and complaint.problem not in rule.case_types:
            reasons[index] = NOT_COVERED
    eligible = [index for index in range(len(ordered)) if index not in reasons]
    by_location = rule.counts == COUNT_PEOPLE_AT_LOCATION
    main = _main(ordered[i].location if by_location else ordered[i].group for i in eligible)
    seen: set[tuple[str, ...]] = set()
    for index in eligible:
        complaint = ordered[index]
        if by_location:
            if main and complaint.location and complaint.location != main:
                reasons[index] = DIFFERENT_PROBLEM
                continue
            identity: tuple[str, ...] = (
                ("person", complaint.complainant) if complaint.complainant else ("key", str(index))
            )
        else:
            if main and complaint.group and complaint.group != main:
                reasons[index] = DIFFERENT_PROBLEM
                continue
            when = complaint.occurred_on.isoformat() if complaint.occurred_on else f"received {complaint.received_on}"
            identity = (complaint.complainant, when) if complaint.complainant else ("key", str(index))
        if identity in seen:
            reasons[index] = DUPLICATE
            continue
        seen.add(identity)
    findings = tuple(
        Finding(complaint=c, counts=i not in reasons, reason=reasons.get(i, "")) for i, c in enumerate(ordered)
    )
    counted = sum(1 for finding in findings if finding.counts)
    return Assessment(
        rule=rule, required=rule.required, counted=counted, suggested_met=counted >= rule.required, findings=findings
    )


def decision_refusal(*, rule: Rule, problems: Iterable[str], met: bool) -> str:
    """Why a decision that the threshold is met under `rule` is refused: every complaint is about a kind of problem
    the rule does not cover ('' when the decision may be recorded)."""
    kinds = {problem for problem in problems if problem}
    if met and kinds and not kinds & set(rule.case_types):
        return f"“{rule.name}” does not cover the kind of problem these complaints are about"
    return ""
