"""The team workload selector (issue 14 item 20): open cases per officer by type and priority, responses and
reassessments due and overdue, only cases the actor may see, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django import DjangoAssertNumQueries

from saferhomes.accounts.models import User
from saferhomes.cases.extensions import DueCounts
from saferhomes.cases.models import CaseType, Priority, Status
from saferhomes.cases.selectors.workload import UNASSIGNED, Workload, WorkloadRow, team_workload
from saferhomes.risk.services.assessments import assessment_record
from tests.cases.workload_helpers import Crew, case_held_by, da_case_held_by, make_crew
from tests.factories import TeamFactory, UserFactory
from tests.risk.assessment_helpers import MATRIX, MATRIX_HIGH, matrix_answers, published

pytestmark = pytest.mark.django_db

MONDAY = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)


@pytest.fixture
def crew(make_staff: Callable[..., User]) -> Crew:
    return make_crew(make_staff)


def row_of(workload: Workload, officer: User | None) -> WorkloadRow:
    key = UNASSIGNED if officer is None else str(officer.pk)
    return next(row for row in workload.rows if row.key == key)


def by(tallies: list) -> dict[str, int]:
    return {tally.value: tally.count for tally in tallies}


def test_open_cases_are_counted_per_officer_by_type_and_priority(crew: Crew) -> None:
    case_held_by(crew.olivia, priority=Priority.HIGH)
    case_held_by(crew.olivia)
    case_held_by(crew.olivia, status=Status.NEW, case_type=CaseType.HATE, hate_strands=["race"])
    case_held_by(crew.olivia, status=Status.CLOSED)  # closed: not workload
    case_held_by(crew.omar, status=Status.TRIAGED, priority=Priority.LOW)
    case_held_by(None, status=Status.NEW)

    workload = team_workload(actor=crew.cara)

    olivia = row_of(workload, crew.olivia)
    assert olivia.open_cases == 3
    assert by(olivia.by_type) == {"asb": 2, "hate": 1, "da": 0}
    assert by(olivia.by_priority) == {"high": 1, "normal": 2, "low": 0}
    assert row_of(workload, crew.omar).open_cases == 1
    assert by(row_of(workload, crew.omar).by_priority) == {"high": 0, "normal": 0, "low": 1}
    assert row_of(workload, None).open_cases == 1
    assert workload.open_cases == 5


def test_unassigned_comes_first_then_officers_by_name_with_everyone_who_can_work_cases(crew: Crew) -> None:
    workload = team_workload(actor=crew.maya)
    assert [row.name for row in workload.rows] == [
        "Unassigned",
        "Cara Jones",
        "Dev Sharma",
        "Maya Clarke",
        "Olivia Bennett",
        "Omar Haddad",
    ]
    assert all(row.open_cases == 0 for row in workload.rows)


def test_da_case_is_hidden_from_a_coordinator_without_da_rights(crew: Crew) -> None:
    da_case_held_by(crew.dev)
    case_held_by(crew.dev)

    coordinator_sees = row_of(team_workload(actor=crew.cara), crew.dev)
    manager_sees = row_of(team_workload(actor=crew.maya), crew.dev)

    assert (coordinator_sees.open_cases, by(coordinator_sees.by_type)["da"]) == (1, 0)
    assert (manager_sees.open_cases, by(manager_sees.by_type)["da"]) == (2, 1)


def test_restricted_case_counts_only_for_those_named_on_it(crew: Crew) -> None:
    case = case_held_by(crew.olivia, sensitivity="restricted")
    assert row_of(team_workload(actor=crew.maya), crew.olivia).open_cases == 0
    case.restricted_to.add(crew.maya)
    assert row_of(team_workload(actor=crew.maya), crew.olivia).open_cases == 1


def test_response_due_turns_overdue_when_the_deadline_passes(crew: Crew) -> None:
    deadline = MONDAY + dt.timedelta(days=3)
    received = MONDAY - dt.timedelta(days=1)
    case_held_by(crew.olivia, received_at=received, response_due_at=deadline)
    case_held_by(crew.olivia, received_at=received, response_due_at=deadline, responded_at=MONDAY)  # answered: neither
    case_held_by(crew.olivia, received_at=received, response_due_at=None)  # no deadline: neither

    with time_machine.travel(deadline - dt.timedelta(hours=1), tick=False):
        before = row_of(team_workload(actor=crew.cara), crew.olivia).responses
    with time_machine.travel(deadline + dt.timedelta(hours=1), tick=False):
        after = row_of(team_workload(actor=crew.cara), crew.olivia).responses

    assert before == DueCounts(due=1, overdue=0)
    assert after == DueCounts(due=0, overdue=1)
    assert row_of(team_workload(actor=crew.cara, now=deadline + dt.timedelta(days=1)), crew.olivia).responses == after


def test_reassessments_due_within_a_week_then_overdue(crew: Crew) -> None:
    case = case_held_by(crew.olivia)
    with time_machine.travel(MONDAY, tick=False):  # a high band: reassess within 7 days, by Monday 9 March
        assessment_record(
            actor=crew.olivia, case=case, instrument=published(MATRIX), answers=matrix_answers(**MATRIX_HIGH)
        )
    case_held_by(crew.olivia)  # never assessed: nothing due

    def reassessments(at: dt.datetime) -> DueCounts:
        with time_machine.travel(at, tick=False):
            row = row_of(team_workload(actor=crew.cara), crew.olivia)
        (column,) = [c for c in row.columns if c.column.key == "reassessments"]
        return column.counts

    assert reassessments(MONDAY - dt.timedelta(days=1)) == DueCounts(due=0, overdue=0)  # more than a week away
    assert reassessments(MONDAY + dt.timedelta(days=3)) == DueCounts(due=1, overdue=0)
    assert reassessments(MONDAY + dt.timedelta(days=8)) == DueCounts(due=0, overdue=1)
    assert row_of(team_workload(actor=crew.cara), crew.omar).columns[0].counts == DueCounts()


def test_team_filter_keeps_its_officers_and_its_unassigned_cases(crew: Crew) -> None:
    case_held_by(crew.olivia)
    case_held_by(crew.cara)
    case_held_by(None, status=Status.NEW, team=crew.north)
    case_held_by(None, status=Status.NEW, team=TeamFactory.create(name="South neighbourhood team"))

    workload = team_workload(actor=crew.maya, team=crew.north)

    assert [row.name for row in workload.rows] == ["Unassigned", "Olivia Bennett", "Omar Haddad"]
    assert [row.open_cases for row in workload.rows] == [1, 1, 0]
    assert workload.team == crew.north


def test_someone_who_can_no_longer_work_cases_keeps_a_row_while_they_hold_cases(crew: Crew) -> None:
    leaver = UserFactory.create(username="leaver", first_name="Lee", last_name="Vere", team=crew.north)
    case_held_by(leaver)
    User.objects.filter(pk=leaver.pk).update(is_active=False)

    row = row_of(team_workload(actor=crew.cara), leaver)

    assert (row.open_cases, row.may_work) == (1, False)
    assert row_of(team_workload(actor=crew.cara), crew.olivia).may_work


def test_officer_may_not_see_the_team_workload(crew: Crew) -> None:
    with pytest.raises(PermissionDenied):
        team_workload(actor=crew.olivia)
    with pytest.raises(PermissionDenied):
        team_workload(actor=crew.dev)


def _queries(actor: User) -> int:
    fresh = User.objects.get(pk=actor.pk)  # no permissions cached from an earlier call
    with CaptureQueriesContext(connection) as queries:
        team_workload(actor=fresh)
    return len(queries)


def test_workload_queries_do_not_grow_with_officers_and_cases(
    crew: Crew, make_staff: Callable[..., User], django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    case_held_by(crew.olivia)
    case_held_by(None, status=Status.NEW)
    few = _queries(crew.maya)
    for number in range(12):
        officer = make_staff("officer", username=f"officer_{number}", team=crew.north)
        for _ in range(3):
            case_held_by(officer, priority=Priority.HIGH, response_due_at=MONDAY)
        da_case_held_by(crew.dev)
    many = _queries(crew.maya)

    assert many == few
    with django_assert_max_num_queries(7):
        team_workload(actor=User.objects.get(pk=crew.maya.pk))
