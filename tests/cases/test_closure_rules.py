"""Pure closure rules: each blocker with a worked example, approval for high-risk and DA, and the TP12 wording."""

from __future__ import annotations

import dataclasses

from hypothesis import given
from hypothesis import strategies as st

from saferhomes.cases.rules import (
    ClosureFacts,
    FixAt,
    closure_blockers,
    needs_manager_approval,
    tp12_question,
)

READY = ClosureFacts(
    case_type="asb",
    priority="normal",
    sensitivity="normal",
    has_reporter_or_victim=True,
    reporter_anonymous=False,
    outcome_discussed=True,
    failed_discussion_attempts=0,
    not_discussed_reason="",
    open_actions=(),
    approved=False,
)


def codes(facts: ClosureFacts) -> list[str]:
    return [blocker.code for blocker in closure_blockers(facts)]


def test_a_normal_case_with_the_outcome_discussed_and_no_open_actions_may_close() -> None:
    assert closure_blockers(READY) == []


def test_case_cannot_close_before_outcome_discussed() -> None:
    blockers = closure_blockers(dataclasses.replace(READY, outcome_discussed=False))

    assert [b.code for b in blockers] == ["outcome_not_discussed"]
    assert blockers[0].fix_at == FixAt.CONTACTS
    assert "Outcome discussed before closure" in blockers[0].message


def test_an_unreachable_reporter_needs_an_attempt_and_a_reason() -> None:
    unreachable = dataclasses.replace(READY, outcome_discussed=False, failed_discussion_attempts=2)

    blockers = closure_blockers(unreachable)
    assert [b.code for b in blockers] == ["not_discussed_reason_missing"]
    assert "2 attempts" in blockers[0].message
    assert blockers[0].fix_at == FixAt.CLOSURE
    assert closure_blockers(dataclasses.replace(unreachable, not_discussed_reason="   ")) == blockers
    assert closure_blockers(dataclasses.replace(unreachable, not_discussed_reason="No answer to 3 calls")) == []


def test_a_reason_without_any_attempt_is_not_enough() -> None:
    facts = dataclasses.replace(READY, outcome_discussed=False, not_discussed_reason="Could not reach them")

    assert codes(facts) == ["outcome_not_discussed"]


def test_an_anonymous_reporter_is_asked_for_the_attempt_and_the_reason() -> None:
    facts = dataclasses.replace(READY, outcome_discussed=False, reporter_anonymous=True)

    (blocker,) = closure_blockers(facts)
    assert blocker.code == "outcome_not_discussed"
    assert "anonymous" in blocker.message
    anonymous_tried = dataclasses.replace(facts, failed_discussion_attempts=1, not_discussed_reason="No details given")
    assert closure_blockers(anonymous_tried) == []


def test_a_case_with_no_reporter_or_victim_sends_the_officer_to_the_parties_tab() -> None:
    facts = dataclasses.replace(READY, outcome_discussed=False, has_reporter_or_victim=False)

    (blocker,) = closure_blockers(facts)
    assert (blocker.code, blocker.fix_at) == ("no_reporter", FixAt.PARTIES)


def test_case_cannot_close_with_open_actions_and_the_reason_names_them() -> None:
    (one,) = closure_blockers(dataclasses.replace(READY, open_actions=("Visit flat 3",)))
    assert one.code == "open_actions"
    assert one.fix_at == FixAt.ACTIONS
    assert one.message == '1 action is still open: "Visit flat 3". Complete it before closing'

    (many,) = closure_blockers(dataclasses.replace(READY, open_actions=("A", "B", "C", "D", "E")))
    assert many.message == ('5 actions are still open: "A", "B", "C" and 2 others. Complete them before closing')


def test_high_priority_case_needs_manager_approval() -> None:
    high = dataclasses.replace(READY, priority="high")

    (blocker,) = closure_blockers(high)
    assert blocker.code == "approval_missing"
    assert blocker.message == "A manager must approve closing this case because it is high priority"
    assert closure_blockers(dataclasses.replace(high, approved=True)) == []


def test_domestic_abuse_case_needs_manager_approval() -> None:
    da = dataclasses.replace(READY, case_type="da", sensitivity="da", priority="low")

    (blocker,) = closure_blockers(da)
    assert blocker.message == "A manager must approve closing this case because it is a domestic abuse case"
    assert closure_blockers(dataclasses.replace(da, approved=True)) == []


def test_only_high_priority_or_domestic_abuse_needs_approval() -> None:
    assert not needs_manager_approval(case_type="asb", priority="normal", sensitivity="normal")
    assert not needs_manager_approval(case_type="hate", priority="low", sensitivity="restricted")
    assert needs_manager_approval(case_type="hate", priority="high", sensitivity="normal")
    assert needs_manager_approval(case_type="asb", priority="normal", sensitivity="da")
    assert needs_manager_approval(case_type="da", priority="normal", sensitivity="da")


def test_every_blocker_is_reported_at_once() -> None:
    facts = dataclasses.replace(READY, outcome_discussed=False, open_actions=("Call police",), priority="high")

    assert codes(facts) == ["outcome_not_discussed", "open_actions", "approval_missing"]


@given(
    case_type=st.sampled_from(["asb", "hate", "da"]),
    priority=st.sampled_from(["low", "normal", "high"]),
    discussed=st.booleans(),
    attempts=st.integers(min_value=0, max_value=5),
    reason=st.sampled_from(["", "  ", "No answer"]),
    actions=st.lists(st.text(min_size=1, max_size=10), max_size=4).map(tuple),
    approved=st.booleans(),
    anonymous=st.booleans(),
)
def test_no_blockers_exactly_when_discussed_actions_done_and_approved_if_needed(
    case_type: str,
    priority: str,
    discussed: bool,
    attempts: int,
    reason: str,
    actions: tuple[str, ...],
    approved: bool,
    anonymous: bool,
) -> None:
    sensitivity = "da" if case_type == "da" else "normal"
    facts = ClosureFacts(
        case_type=case_type,
        priority=priority,
        sensitivity=sensitivity,
        has_reporter_or_victim=True,
        reporter_anonymous=anonymous,
        outcome_discussed=discussed,
        failed_discussion_attempts=attempts,
        not_discussed_reason=reason,
        open_actions=actions,
        approved=approved,
    )
    outcome_ok = discussed or (attempts > 0 and bool(reason.strip()))
    needed = needs_manager_approval(case_type=case_type, priority=priority, sensitivity=sensitivity)
    approval_ok = approved or not needed
    blockers = closure_blockers(facts)

    assert (blockers == []) == (outcome_ok and not actions and approval_ok)
    assert all(b.message and b.fix_text for b in blockers)


def test_tp12_question_is_word_for_word_with_the_landlord_name() -> None:
    assert tp12_question("Calico Homes") == (
        "How satisfied or dissatisfied are you with Calico Homes's approach to handling anti-social behaviour?"
    )
