"""Pure case rules (DESIGN.md §3): the status lifecycle, minors' personalised approach, the ASB Case Review prompt.

No ORM here: plain values in, reasons out. Services enforce these; the case page shows the prompts.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from django.utils import timezone

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


class HasStatus(Protocol):
    """Anything with a lifecycle status: a case, or a row read for a list."""

    @property
    def status(self) -> str: ...


def case_workable(case: HasStatus) -> bool:
    """Whether the case takes new work (records, parties, assignment, assessments): any state but closed.

    The one answer to "may this be worked on?"; pages show what it says and never re-derive it from `status`.
    """
    return case.status != CLOSED


def is_future(value: dt.datetime | dt.date | None, *, now: dt.datetime) -> bool:
    """Whether a recorded moment (or a date, against the local date of `now`) lies after `now`; None never does."""
    if value is None:
        return False
    if isinstance(value, dt.datetime):
        return value > now
    return value > timezone.localdate(now)


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


# Closure (DESIGN.md §3): what still stands between a case and closing, and the survey's wording.
# `selectors/closure.py` gathers the facts of a case into `ClosureFacts`; `closure_blockers` turns them into reasons
# an officer can act on, each saying where on the case page to fix it. Later apps add their own reasons through the
# `CLOSURE_CHECKS` extension point in `cases/extensions.py`, not here.

# Policy: "Reviewing the case and discussing with the reporter the outcome of the case prior to it being closed".
# DESIGN.md §3: "high-risk and DA closures need manager approval"; high risk is priority high.
APPROVAL_PRIORITIES = frozenset({"high"})
APPROVAL_CASE_TYPES = frozenset({"da"})
APPROVAL_SENSITIVITIES = frozenset({"da"})

# DESIGN.md §4.4: the Tenant Satisfaction Measure TP12, word for word, and "what could we have done better".
TP12_QUESTION = (
    "How satisfied or dissatisfied are you with {landlord_name}'s approach to handling anti-social behaviour?"
)
DO_BETTER_QUESTION = "What could we have done better?"


class FixAt(StrEnum):
    """The tab of the case page where a blocker is put right."""

    PARTIES = "parties"
    CONTACTS = "contacts"
    ACTIONS = "actions"
    RISK = "risk"
    PARTNERSHIP = "partnership"
    INTERVENTIONS = "interventions"
    CLOSURE = "closure"


@dataclass(frozen=True)
class Blocker:
    """One reason a case cannot close yet: a stable code, what to do, and where to do it."""

    code: str
    message: str
    fix_at: FixAt
    fix_text: str


@dataclass(frozen=True)
class ClosureFacts:
    """What the closure rules need to know about a case, as plain values."""

    case_type: str
    priority: str
    sensitivity: str
    has_reporter_or_victim: bool
    reporter_anonymous: bool
    outcome_discussed: bool
    failed_discussion_attempts: int
    not_discussed_reason: str
    open_actions: tuple[str, ...]
    approved: bool


def needs_manager_approval(*, case_type: str, priority: str, sensitivity: str) -> bool:
    """Whether closing needs a manager's approval: high-priority (high-risk) and domestic abuse cases do."""
    return priority in APPROVAL_PRIORITIES or case_type in APPROVAL_CASE_TYPES or sensitivity in APPROVAL_SENSITIVITIES


def approval_reason(*, case_type: str, priority: str, sensitivity: str) -> str:
    """Why a manager must approve closing, in words for the officer ('' when no approval is needed)."""
    if case_type in APPROVAL_CASE_TYPES or sensitivity in APPROVAL_SENSITIVITIES:
        return "it is a domestic abuse case"
    if priority in APPROVAL_PRIORITIES:
        return "it is high priority"
    return ""


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _quoted_list(items: tuple[str, ...], limit: int = 3) -> str:
    shown = [f'"{item}"' for item in items[:limit]]
    if len(items) > limit:
        shown.append(_plural(len(items) - limit, "other", "others"))
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"


def outcome_discussion_blockers(facts: ClosureFacts) -> list[Blocker]:
    """The outcome was discussed with the reporter, or (anonymous/unreachable) attempts and a reason are recorded."""
    if facts.outcome_discussed:
        return []
    if not facts.has_reporter_or_victim:
        return [
            Blocker(
                code="no_reporter",
                message="Add the reporter or victim to the case, then record discussing the outcome with them",
                fix_at=FixAt.PARTIES,
                fix_text="Add the reporter",
            )
        ]
    attempts = facts.failed_discussion_attempts
    if attempts and facts.not_discussed_reason.strip():
        return []
    if attempts:
        return [
            Blocker(
                code="not_discussed_reason_missing",
                message=(
                    f"You recorded {_plural(attempts, 'attempt', 'attempts')} to discuss the outcome without "
                    "reaching the reporter: give the reason it could not be discussed"
                ),
                fix_at=FixAt.CLOSURE,
                fix_text="Give the reason",
            )
        ]
    if facts.reporter_anonymous:
        message = (
            "The reporter is anonymous: record your attempt to reach them about the outcome as an unsuccessful "
            "outcome discussion contact, then give the reason it could not be discussed"
        )
    else:
        message = (
            "Discuss the outcome with the reporter and record it as a contact with the purpose "
            "'Outcome discussed before closure' (or record your attempts if you cannot reach them)"
        )
    return [
        Blocker(code="outcome_not_discussed", message=message, fix_at=FixAt.CONTACTS, fix_text="Record the discussion")
    ]


def closure_blockers(facts: ClosureFacts) -> list[Blocker]:
    """Every reason the case cannot close yet; an empty list means it may close."""
    blockers = outcome_discussion_blockers(facts)
    if facts.open_actions:
        count = len(facts.open_actions)
        blockers.append(
            Blocker(
                code="open_actions",
                message=(
                    f"{_plural(count, 'action is', 'actions are')} still open: "
                    f"{_quoted_list(facts.open_actions)}. Complete {'it' if count == 1 else 'them'} before closing"
                ),
                fix_at=FixAt.ACTIONS,
                fix_text="Complete the actions",
            )
        )
    kind = {"case_type": facts.case_type, "priority": facts.priority, "sensitivity": facts.sensitivity}
    if needs_manager_approval(**kind) and not facts.approved:
        blockers.append(
            Blocker(
                code="approval_missing",
                message=f"A manager must approve closing this case because {approval_reason(**kind)}",
                fix_at=FixAt.CLOSURE,
                fix_text="Ask a manager to approve",
            )
        )
    return blockers


def tp12_question(landlord_name: str) -> str:
    """The TP12 satisfaction question with the landlord's name, word for word."""
    return TP12_QUESTION.format(landlord_name=landlord_name)


REPORTER_SOURCES = frozenset({"report", "reporter_diary"})  # cases.IncidentSource values the reporter told us
FROM_THE_REPORTER = "From the reporter"


def told_by(*, source: str, recorded_by: str) -> str:
    """Who an incident is from, in words: the reporter's own account (their report or diary) is theirs, not the
    officer's who triaged it; otherwise who recorded it ('' when nobody is known)."""
    if source in REPORTER_SOURCES:
        return FROM_THE_REPORTER
    return recorded_by


def evidence_from(*, uploaded_by: str) -> str:
    """Who a file is from: a file with no member of staff as uploader came from the reporter (report or diary)."""
    return uploaded_by or FROM_THE_REPORTER


# Safe-contact instructions (issue 14 item 5, ADR 0009) -------------------------------------------------------------

OUTBOUND = "outbound"  # cases.Direction.OUTBOUND
# The ways someone can choose as safe on the report form; a list of chosen ways speaks only for these (a visit or a
# meeting at the office is neither chosen nor refused there, so only "never use" rules it out).
CHOOSABLE_METHODS = frozenset({"phone", "email", "text", "letter"})


@dataclass(frozen=True)
class ContactInstructions:
    """What a person told us about the ways we may reach them: the ways they chose as safe (empty: not said) and the
    ways they asked us never to use (from the case and the housing register together)."""

    name: str
    chosen: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()

    def conflict(self, method: str, *, labels: dict[str, str], direction: str = OUTBOUND) -> str:
        """Why reaching them this way goes against what they told us ('' when it does not). Only our contact
        counts: when they reach us, nothing is against their instructions."""
        if direction != OUTBOUND:
            return ""
        label = labels.get(method, method).lower()
        if method in self.avoid:
            return f"{self.name} asked us never to contact them by {label}"
        chosen = [labels.get(way, way).lower() for way in self.chosen]
        if chosen and method in CHOOSABLE_METHODS and method not in self.chosen:
            return f"{self.name} chose only {_and_list(chosen)} as safe ways to contact them, not {label}"
        return ""


def _and_list(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"
