"""The team workload (issue 14 item 20): open cases per officer by type and priority, first responses due and overdue,
and what apps above `cases` count per officer (`WORKLOAD_COLUMNS`: risk's reassessments due and overdue).

Only cases the actor may see are counted (`cases_visible_to`: a DA case is counted only for those entitled to see it,
a restricted case only for those named on it), so two managers may see different numbers for the same officer.
"Open" is every status but closed. The counts are grouped queries: a fixed number whatever the number of officers
and cases (officers, one grouped count, one per registered column, and the names of anyone else holding cases).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from saferhomes.accounts.models import Team, User
from saferhomes.cases.extensions import DueCounts, WorkloadColumn, workload_columns, workload_counts
from saferhomes.cases.filters import officers_for_filter
from saferhomes.cases.models import Case, CaseType, Priority, Status
from saferhomes.cases.permissions import ASSIGN_CASE
from saferhomes.cases.selectors.case import cases_for_list, cases_visible_to
from saferhomes.core.permissions import require

UNASSIGNED = "unassigned"
# Highest first: the order a manager reads a caseload's risk in.
PRIORITIES = (Priority.HIGH, Priority.NORMAL, Priority.LOW)
# Short words for a table cell on a phone.
TYPE_WORDS = {CaseType.ASB: "ASB", CaseType.HATE: "hate", CaseType.DA: "DA"}


@dataclass(frozen=True)
class Tally:
    """How many open cases have one value of a field (a case type, a priority)."""

    value: str
    label: str
    words: str  # short, for a table cell ("ASB", "high")
    count: int


@dataclass(frozen=True)
class ColumnCounts:
    """One registered column's counts for one officer."""

    column: WorkloadColumn
    counts: DueCounts


@dataclass(frozen=True)
class WorkloadRow:
    """One officer's open cases (or, with no officer, the cases nobody holds)."""

    officer: User | None
    may_work: bool  # False for someone who still holds cases but can no longer work them (left, or changed role)
    open_cases: int
    by_type: list[Tally]
    by_priority: list[Tally]
    responses: DueCounts
    columns: list[ColumnCounts] = field(default_factory=list)

    @property
    def key(self) -> str:
        """The officer's id, or "unassigned": how a URL names this row."""
        return UNASSIGNED if self.officer is None else str(self.officer.pk)

    @property
    def name(self) -> str:
        return "Unassigned" if self.officer is None else self.officer.get_full_name() or self.officer.get_username()


@dataclass(frozen=True)
class Workload:
    """The rows of the team workload: unassigned first, then officers by name."""

    rows: list[WorkloadRow]
    columns: list[WorkloadColumn]
    team: Team | None
    now: dt.datetime

    @property
    def open_cases(self) -> int:
        return sum(row.open_cases for row in self.rows)


def open_cases_visible_to(*, actor: User, team: Team | None = None) -> QuerySet[Case]:
    """The cases the actor may see that are not closed; with a team, those its officers hold and its unassigned ones."""
    cases = cases_visible_to(actor=actor).exclude(status=Status.CLOSED)
    if team is not None:
        cases = cases.filter(Q(assigned_officer__team=team) | Q(assigned_officer__isnull=True, team=team))
    return cases


def _aggregates(now: dt.datetime) -> dict[str, Count]:
    unanswered = Q(responded_at__isnull=True, response_due_at__isnull=False)
    counts = {"open_cases": Count("pk")}
    counts.update({f"type_{value}": Count("pk", filter=Q(case_type=value)) for value in CaseType.values})
    counts.update({f"priority_{value}": Count("pk", filter=Q(priority=value)) for value in Priority.values})
    counts["responses_due"] = Count("pk", filter=unanswered & Q(response_due_at__gte=now))
    counts["responses_overdue"] = Count("pk", filter=unanswered & Q(response_due_at__lt=now))
    return counts


def _row(officer: User | None, may_work: bool, counts: dict[str, int], columns: list[ColumnCounts]) -> WorkloadRow:
    return WorkloadRow(
        officer=officer,
        may_work=may_work,
        open_cases=counts.get("open_cases", 0),
        by_type=[Tally(t.value, t.label, TYPE_WORDS[t], counts.get(f"type_{t.value}", 0)) for t in CaseType],
        by_priority=[
            Tally(p.value, p.label, p.label.lower(), counts.get(f"priority_{p.value}", 0)) for p in PRIORITIES
        ],
        responses=DueCounts(due=counts.get("responses_due", 0), overdue=counts.get("responses_overdue", 0)),
        columns=columns,
    )


def team_workload(*, actor: User, team: Team | None = None, now: dt.datetime | None = None) -> Workload:
    """Per officer who can work cases (and anyone else still holding open cases), plus the unassigned cases: open
    cases by type and priority, first responses due and overdue at `now`, and each registered column's counts."""
    require(actor, ASSIGN_CASE)
    now = now or timezone.now()
    today = timezone.localdate(now)
    cases = open_cases_visible_to(actor=actor, team=team)
    grouped = {
        row.pop("assigned_officer_id"): row
        for row in cases.order_by().values("assigned_officer_id").annotate(**_aggregates(now))
    }
    columns = workload_columns()
    column_counts = {column.key: workload_counts(column, cases=cases, today=today) for column in columns}

    officers = officers_for_filter()
    if team is not None:
        officers = officers.filter(team=team)
    workers = list(officers)
    known = {officer.pk for officer in workers}
    holders = [pk for pk in grouped if pk is not None and pk not in known]
    others = list(User.objects.filter(pk__in=holders).select_related("team")) if holders else []

    def columns_for(pk: int | None) -> list[ColumnCounts]:
        return [ColumnCounts(column, column_counts[column.key].get(pk, DueCounts())) for column in columns]

    rows = [_row(None, False, grouped.get(None, {}), columns_for(None))]
    everyone = [(officer, True) for officer in workers] + [(other, False) for other in others]
    everyone.sort(key=lambda pair: (pair[0].first_name.lower(), pair[0].last_name.lower(), pair[0].username))
    rows += [
        _row(officer, may_work, grouped.get(officer.pk, {}), columns_for(officer.pk)) for officer, may_work in everyone
    ]
    return Workload(rows=rows, columns=columns, team=team, now=now)


def workload_officer(*, key: str) -> User | None:
    """The officer a workload URL names by id (None for "unassigned"): someone who can work cases or still holds open
    cases; Http404 for anyone else."""
    if key == UNASSIGNED:
        return None
    officer = (
        User.objects.filter(pk=int(key)).select_related("team").first() if key.isdigit() and len(key) < 12 else None
    )
    if officer is None:
        raise Http404("No officer has that id.")
    holds_cases = Case.objects.filter(assigned_officer=officer).exclude(status=Status.CLOSED).exists()
    if not holds_cases and not officers_for_filter().filter(pk=officer.pk).exists():
        raise Http404("No officer has that id.")
    return officer


def workload_cases(*, actor: User, officer: User | None) -> QuerySet[Case]:
    """The open cases the actor may see that `officer` holds (None: that nobody holds), oldest received first."""
    require(actor, ASSIGN_CASE)
    cases = cases_for_list(actor=actor).exclude(status=Status.CLOSED)
    cases = cases.filter(assigned_officer__isnull=True) if officer is None else cases.filter(assigned_officer=officer)
    return cases.order_by("received_at", "id")


def reassign_officers(*, exclude: User | None = None) -> QuerySet[User]:
    """Who cases may be reassigned to from the workload: staff who can work cases, by name."""
    officers = officers_for_filter()
    return officers.exclude(pk=exclude.pk) if exclude is not None else officers


def da_trained_ids(officers: QuerySet[User]) -> set[int]:
    """Which of these officers may take domestic abuse cases (one query)."""
    return set(officers.filter(groups__permissions__codename="view_da_cases").values_list("pk", flat=True))
