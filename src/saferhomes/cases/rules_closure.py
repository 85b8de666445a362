"""Pure closure rules (DESIGN.md §3): what still stands between a case and closing, and the survey's wording.

No ORM here. `services/closure.py` gathers the facts of a case into `ClosureFacts`; `closure_blockers` turns them
into reasons an officer can act on, each saying where on the case page to fix it. Later apps (referrals,
interventions) add their own reasons through `services.closure.CLOSURE_CHECKS`, not here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

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
