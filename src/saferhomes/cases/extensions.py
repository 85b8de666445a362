"""Extension points for apps above `cases` in the import layers (risk, referrals, interventions...).

Those apps may import `cases`, never the reverse, so they add to these registries from their AppConfig.ready():
a dashboard panel, a kind of timeline entry, a reason a case cannot close yet, a column of the team workload. Each
registry is read at request time, so the order of `ready()` calls does not matter. Every extension point of the
project is listed in docs/architecture.md ("Extension points") with who fills it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from saferhomes.accounts.models import User
    from saferhomes.cases.models import Case
    from saferhomes.cases.rules import Blocker
    from saferhomes.cases.timeline import TimelineEntry


@dataclass(frozen=True)
class DashboardPanel:
    """A section of the case dashboard: the template that draws it and what it needs."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)


DashboardPanelSource = Callable[..., DashboardPanel | None]
"""Called as `source(actor=user, sees_all=bool)`; returns a panel, or None to show nothing to this user."""

DASHBOARD_PANELS: list[DashboardPanelSource] = []


@dataclass(frozen=True)
class TimelineSource:
    """A kind of timeline entry contributed by another app: its filter value, plural label, tag and reader."""

    kind: str
    label: str
    tag: str
    entries: Callable[[Case], Iterable[TimelineEntry]]


TIMELINE_SOURCES: dict[str, TimelineSource] = {}


def register_dashboard_panel(source: DashboardPanelSource) -> None:
    """Add a dashboard panel (idempotent: registering the same function twice shows it once)."""
    if source not in DASHBOARD_PANELS:
        DASHBOARD_PANELS.append(source)


def register_timeline_source(source: TimelineSource) -> None:
    """Add (or replace) a kind of timeline entry."""
    TIMELINE_SOURCES[source.kind] = source


def dashboard_panels(*, actor: User, sees_all: bool) -> list[DashboardPanel]:
    """The registered panels this user should see, in registration order."""
    panels = (source(actor=actor, sees_all=sees_all) for source in DASHBOARD_PANELS)
    return [panel for panel in panels if panel is not None]


PromptAddon = Callable[..., DashboardPanel | None]
"""Called as `addon(case=case, actor=user, prompt=prompt)` for a case page prompt with the addon's code; returns what
to draw under the prompt (a template and its context), or None."""

PROMPT_ADDONS: dict[str, PromptAddon] = {}
"""Extension point: what another app adds under a case page prompt, by the prompt's code (case_review: the ASB Case
Review prompt's "I have told the reporter" record). Read by the case overview (`cases.views.cases.case_detail`)."""


def register_prompt_addon(code: str, addon: PromptAddon) -> None:
    """Add (or replace) what is drawn under the prompt with this code."""
    PROMPT_ADDONS[code] = addon


def prompt_addons(*, case: Case, actor: User, prompts: Iterable[Any]) -> list[tuple[Any, DashboardPanel | None]]:
    """Each prompt with what its addon draws under it (None when no addon, or it has nothing to show)."""
    rows = []
    for prompt in prompts:
        addon = PROMPT_ADDONS.get(prompt.code)
        rows.append((prompt, addon(case=case, actor=actor, prompt=prompt) if addon is not None else None))
    return rows


ClosureCheck = Callable[["Case"], "list[Blocker]"]
"""Called with a case that may be closing; returns the reasons it cannot close yet (empty when none)."""

CLOSURE_CHECKS: list[ClosureCheck] = []
"""Extension point: DESIGN.md §3 says a required MARAC referral (risk), open referrals and interventions must be
resolved before closing; those apps sit above `cases`, so they register their checks here rather than being
imported by it. Read by `cases.selectors.closure.case_closure_blockers`."""


def register_closure_check(check: ClosureCheck) -> None:
    """Add a closure check (idempotent)."""
    if check not in CLOSURE_CHECKS:
        CLOSURE_CHECKS.append(check)


NoteShared = Callable[["Case", int], None]
"""Called as `listener(case, note_id)` after a note marked shareable with the reporter is committed."""

ON_NOTE_SHARED: list[NoteShared] = []
"""Extension point: intake tells the reporter there is an update (cases knows nothing of reports or how a reporter
may be contacted). Called by `cases.services.record.note_add` after the commit, robustly."""


def on_note_shared(listener: NoteShared) -> None:
    """Add a listener (idempotent)."""
    if listener not in ON_NOTE_SHARED:
        ON_NOTE_SHARED.append(listener)


def note_shared(case: Case, note_id: int) -> None:
    """Tell every listener about a shareable note."""
    for listener in ON_NOTE_SHARED:
        listener(case, note_id)


@dataclass(frozen=True)
class DueCounts:
    """How many of an officer's open cases have something due (not yet overdue), and how many are overdue."""

    due: int = 0
    overdue: int = 0


WorkloadCounts = Callable[..., "dict[int | None, DueCounts]"]
"""Called as `counts(cases=<open cases the actor may see>, today=date)`; returns the counts per assigned officer's id
(None for unassigned cases), in one query whatever the number of officers and cases."""


@dataclass(frozen=True)
class WorkloadColumn:
    """Something due on cases, counted per officer, that an app above `cases` adds to the team workload."""

    key: str  # its name in the API ("reassessments")
    label: str  # "Reassessments"
    due_words: str  # what "due" means for it: "due within 7 days"
    counts: WorkloadCounts


WORKLOAD_COLUMNS: dict[str, WorkloadColumn] = {}
"""Extension point: risk adds reassessments due and overdue (its dates live in risk, which cases never imports).
Read by `cases.selectors.workload.team_workload`, so by the workload page and `GET /api/v1/workload`."""


def register_workload_column(column: WorkloadColumn) -> None:
    """Add (or replace) a column of the team workload."""
    WORKLOAD_COLUMNS[column.key] = column


def workload_columns() -> list[WorkloadColumn]:
    """The registered workload columns, in registration order."""
    return list(WORKLOAD_COLUMNS.values())


def workload_counts(column: WorkloadColumn, *, cases: QuerySet[Case], today: dt.date) -> dict[int | None, DueCounts]:
    """One column's counts per officer for these cases."""
    return column.counts(cases=cases, today=today)


@dataclass(frozen=True)
class BenchTiming:
    """An operation an app above `cases` adds to `saferhomes bench` (bench/cases_bench.py): its application path and
    its raw-SQL floor, both called with each of `params()` and returning the same row keys (the harness checks)."""

    name: str
    description: str
    app: Callable[[Any], Any]
    floor: Callable[[Any], Any]
    params: Callable[[], list[Any]]


BENCH_TIMINGS: dict[str, BenchTiming] = {}
"""Extension point: insights adds the monthly report and the TSM year (it sits above cases, which owns the bench
command). Read by `bench.cases_bench.operations`."""


def register_bench_timing(timing: BenchTiming) -> None:
    """Add (or replace) an operation of the bench."""
    BENCH_TIMINGS[timing.name] = timing


def bench_timings() -> list[BenchTiming]:
    """The registered bench operations, in registration order."""
    return list(BENCH_TIMINGS.values())
