"""Pure case rules (DESIGN.md §3): the status lifecycle, minors' personalised approach, the ASB Case Review prompt.

No ORM here: plain values in, reasons out. Services enforce these; the case page shows the prompts.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from saferhomes.housing.rules import age_on

# Status values (mirrors models.Status without importing the ORM layer).
NEW, TRIAGED, OPEN, CLOSING, CLOSED, REOPENED = "new", "triaged", "open", "closing", "closed", "reopened"

# DESIGN.md §3: new → triaged → open → closing → closed, with reopened. Each move names what it means.
TRANSITIONS: dict[str, dict[str, str]] = {
    NEW: {TRIAGED: "Triage the case"},
    TRIAGED: {OPEN: "Start the investigation"},
    OPEN: {CLOSING: "Put the case forward for closure"},
    CLOSING: {CLOSED: "Close the case", OPEN: "Withdraw the closure and carry on working the case"},
    CLOSED: {REOPENED: "Reopen the case"},
    REOPENED: {CLOSING: "Put the case forward for closure"},
}

_LABELS = {
    NEW: "new",
    TRIAGED: "triaged",
    OPEN: "open",
    CLOSING: "closing",
    CLOSED: "closed",
    REOPENED: "reopened",
}

# Why a move is not allowed, for the moves people most often try.
_WHY_NOT: dict[tuple[str, str], str] = {
    (NEW, OPEN): "A new case must be triaged before it is opened",
    (NEW, CLOSING): "A new case must be triaged and investigated before it can be put forward for closure",
    (NEW, CLOSED): "A new case must be triaged, investigated and its outcome discussed before it can be closed",
    (TRIAGED, CLOSING): "Start the investigation before putting the case forward for closure",
    (TRIAGED, CLOSED): "A case can only be closed from closing, once its outcome has been discussed",
    (OPEN, CLOSED): "Put the case forward for closure first: the outcome must be discussed before it is closed",
    (REOPENED, CLOSED): "Put the case forward for closure first: the outcome must be discussed before it is closed",
    (CLOSED, OPEN): "A closed case must be reopened, with a reason, before it is worked again",
    (CLOSED, CLOSING): "A closed case must be reopened, with a reason, before it is worked again",
}


def allowed_transitions(current: str) -> list[str]:
    """The statuses a case in `current` may move to."""
    return list(TRANSITIONS.get(current, {}))


def transition_problem(current: str, target: str) -> str | None:
    """Why a case cannot move from `current` to `target`, or None when the move is allowed."""
    if target not in _LABELS:
        return f"'{target}' is not a case status"
    if current == target:
        return f"The case is already {_LABELS[target]}"
    if target in TRANSITIONS.get(current, {}):
        return None
    if (current, target) in _WHY_NOT:
        return _WHY_NOT[(current, target)]
    if target == NEW:
        return "A case cannot go back to new once it has been triaged"
    if target == TRIAGED:
        return "Only a new case can be triaged"
    if target == REOPENED:
        return "Only a closed case can be reopened"
    allowed = ", ".join(_LABELS[s] for s in allowed_transitions(current)) or "nothing"
    return f"A {_LABELS.get(current, current)} case cannot become {_LABELS[target]}: it can only become {allowed}"


def transition_label(current: str, target: str) -> str:
    """What moving from `current` to `target` means, in words for a button."""
    return TRANSITIONS.get(current, {}).get(target, "")


# Minors (policy: "fully investigating all reports ... including those relating to minors").
ALLEGED_PERPETRATOR = "alleged_perpetrator"


@dataclass(frozen=True)
class Prompt:
    """Something the officer should do or consider; `code` is stable for tests and templates."""

    code: str
    message: str


def minor_prompts(*, role: str, date_of_birth: dt.date | None, on_date: dt.date) -> list[Prompt]:
    """The personalised-approach prompts for a party who was under 18 on `on_date` (empty for adults/unknown)."""
    if date_of_birth is None or age_on(date_of_birth, on_date) >= 18:
        return []
    age = age_on(date_of_birth, on_date)
    prompts = [
        Prompt(
            "safeguarding_referral",
            f"Aged {age} on the incident date: consider a safeguarding referral to children's social care.",
        ),
        Prompt(
            "parent_guardian_contact",
            "Contact a parent or guardian, unless doing so would put the young person at risk.",
        ),
    ]
    if role == ALLEGED_PERPETRATOR:
        prompts.append(
            Prompt(
                "youth_offending_team",
                "Consult the youth offending team before any legal action (injunctions for under-18s: "
                "12 months at most).",
            )
        )
    return prompts


# ASB Case Review (DESIGN.md §3): "A second report by the same victim within 6 months, or a third complaint
# overall, prompts the officer to tell the reporter about the ASB Case Review."
CASE_REVIEW_VICTIM_REPORTS = 2
CASE_REVIEW_WINDOW_MONTHS = 6
CASE_REVIEW_COMPLAINTS = 3


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier (clamped to the month's last day)."""
    year, month_zero = divmod(day.year * 12 + (day.month - 1) - months, 12)
    month = month_zero + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def case_review_prompt(
    *, victim_report_dates: Iterable[dt.date], complaints_overall: int, on_date: dt.date
) -> Prompt | None:
    """The Case Review prompt when the same victim reported twice within 6 months, or there were 3+ complaints."""
    window_start = months_before(on_date, CASE_REVIEW_WINDOW_MONTHS)
    recent = [day for day in victim_report_dates if window_start <= day <= on_date]
    if len(recent) >= CASE_REVIEW_VICTIM_REPORTS:
        return Prompt(
            "case_review",
            f"The same victim has reported {len(recent)} times in the last 6 months: tell the reporter about "
            "the ASB Case Review (Community Trigger) and how to apply.",
        )
    if complaints_overall >= CASE_REVIEW_COMPLAINTS:
        return Prompt(
            "case_review",
            f"There have been {complaints_overall} complaints about this problem: tell the reporter about the "
            "ASB Case Review (Community Trigger) and how to apply.",
        )
    return None


# Triage (DESIGN.md §3): "Criminal ASB and hate crime prompt a police referral at triage".
HATE = "hate"


def triage_prompts(*, case_type: str, criminal: bool) -> list[Prompt]:
    """What triage should prompt: a police referral for criminal ASB and hate crime."""
    if not criminal:
        return []
    what = "hate crime" if case_type == HATE else "criminal behaviour"
    return [
        Prompt(
            "police_referral",
            f"This is {what}: refer it to the police and record the crime reference number. "
            "The time from report to referral is measured.",
        )
    ]
