"""Pure rules of the equality report (issue 18 part 5): whether any group's cases take longer to close or close
differently. Plain values in, rows out; a group smaller than the suppression threshold shows no figure at all."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

NOT_ANSWERED = "Not answered"


@dataclass(frozen=True)
class ClosedCase:
    """One closed case as seen through one person's answer: their group, days it took, how it closed."""

    group: str
    days: int
    outcome: str


@dataclass(frozen=True)
class GroupRow:
    group: str
    suppressed: bool
    cases: int | None  # None when suppressed
    median_days: float | None
    outcome_percent: dict[str, int]  # outcome -> whole per cent of the group's cases


@dataclass(frozen=True)
class EqualityTable:
    rows: list[GroupRow]
    overall_median_days: float | None
    outcomes: list[str]  # every outcome that appears in an unsuppressed group, in the order given


def percent(part: int, whole: int) -> int:
    """Whole per cent, rounded half up (so 1 of 8 is 13 %, not 12 %)."""
    return (200 * part + whole) // (2 * whole) if whole else 0


def equality_table(
    cases: Iterable[ClosedCase], *, groups: Sequence[str], outcomes: Sequence[str], threshold: int
) -> EqualityTable:
    """For each group (in the order given), its closed cases, median days to close and outcome mix; groups with fewer
    cases than the threshold are suppressed (no figure shown). The overall median is over every case given."""
    by_group: dict[str, list[ClosedCase]] = {}
    every: list[int] = []
    for case in cases:
        by_group.setdefault(case.group, []).append(case)
        every.append(case.days)
    rows: list[GroupRow] = []
    seen_outcomes: set[str] = set()
    for group in groups:
        members = by_group.get(group, [])
        if len(members) < threshold:
            rows.append(GroupRow(group=group, suppressed=True, cases=None, median_days=None, outcome_percent={}))
            continue
        mix = Counter(member.outcome for member in members)
        seen_outcomes.update(mix)
        rows.append(
            GroupRow(
                group=group,
                suppressed=False,
                cases=len(members),
                median_days=float(statistics.median(member.days for member in members)),
                outcome_percent={outcome: percent(n, len(members)) for outcome, n in mix.items()},
            )
        )
    return EqualityTable(
        rows=rows,
        overall_median_days=float(statistics.median(every)) if every else None,
        outcomes=[outcome for outcome in outcomes if outcome in seen_outcomes],
    )
