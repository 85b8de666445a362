"""The dashboard is a summary (issue 14 item 12): counts of what is waiting, each the size of the case list it links
to, no case listed twice, a fixed number of queries however many cases there are, and only what the actor may see."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from saferhomes.accounts.models import Team, User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import ActionItem, Case, CaseType, ContactPlan, Outcome, Status
from saferhomes.cases.selectors.dashboard import dashboard_summary
from saferhomes.housing.models import ContactMethod
from tests.access.surfaces import RoleSurface
from tests.cases.factories import CaseFactory, PartyFactory
from tests.cases.test_deadline_notifications import (  # noqa: F401
    SATURDAY,
    coordinator_fixture,
    london,
    make_case,
    officer_fixture,
    staff,
    team_fixture,
)
from tests.conftest import client_verified_as
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 4, 11, 0, tzinfo=dt.UTC)  # a Wednesday in term time


def _plan(case: Case, due: dt.datetime) -> ContactPlan:
    party = PartyFactory.create(case=case)
    return ContactPlan.objects.create(
        case=case, party=party, frequency_days=7, method=ContactMethod.VISIT, agreed_at=due, next_due_at=due
    )


def test_responses_count_what_the_actor_may_see(officer: User, coordinator: User) -> None:
    other_team_officer = staff(Role.OFFICER, TeamFactory.create(name="South team"), username="officer_south")
    make_case(officer, received_at=london(2026, 2, 23, 10, 0))  # due end of Mon 2 Mar: overdue
    make_case(officer)  # due end of Mon 9 Mar: due soon on Saturday
    make_case(other_team_officer, received_at=london(2026, 2, 24, 10, 0))  # overdue, another team
    make_case(officer, received_at=london(2026, 3, 6, 10, 0))  # due end of Fri 13 Mar: on track
    make_case(officer, received_at=london(2026, 2, 23, 10, 0), responded_at=london(2026, 3, 3, 9, 0))  # answered
    make_case(
        officer,
        received_at=london(2026, 2, 23, 10, 0),
        status=Status.CLOSED,
        closed_at=london(2026, 3, 1),
        outcome=Outcome.RESOLVED,
    )  # closed: waits on nobody
    make_case(staff(Role.DA_SPECIALIST, officer.team, username="da_dev"), case_type=CaseType.DA)  # DA: hidden

    with time_machine.travel(SATURDAY, tick=False):
        mine = dashboard_summary(actor=officer)
        everyone = dashboard_summary(actor=coordinator)

    assert (mine.responses_overdue, mine.responses_due_soon, mine.my_open) == (1, 1, 4)
    assert (everyone.responses_overdue, everyone.responses_due_soon, everyone.my_open) == (2, 1, 0)
    assert everyone.by_status == {
        "new": 0, "triaged": 0, "open": 5, "closing": 0, "closed": 1, "reopened": 0
    }  # fmt: skip
    assert (mine.sees_all, everyone.sees_all) == (False, True)


def test_planned_contacts_and_tasks_count_cases_waiting_on_us(officer: User, coordinator: User, team: Team) -> None:
    today = timezone.localdate(NOW)
    missed = make_case(officer)
    _plan(missed, NOW - dt.timedelta(days=1))
    _plan(make_case(officer), NOW + dt.timedelta(hours=12))  # due in the next two days
    _plan(make_case(officer), NOW + dt.timedelta(days=10))  # not yet
    closed = make_case(officer, status=Status.CLOSED, closed_at=NOW, outcome=Outcome.RESOLVED)
    _plan(closed, NOW - dt.timedelta(days=3))  # closed: nobody's job
    colleague = staff(Role.OFFICER, team, username="officer_colleague")
    _plan(make_case(colleague), NOW - dt.timedelta(days=2))  # a teammate's
    far = staff(Role.OFFICER, TeamFactory.create(name="Far"), username="officer_far")
    _plan(make_case(far), NOW - dt.timedelta(days=2))  # another team's: the coordinator still sees it
    late = make_case(officer)
    ActionItem.objects.create(case=late, description="Visit", due_date=today - dt.timedelta(days=2))
    ActionItem.objects.create(case=late, description="Letter", due_date=today - dt.timedelta(days=1))
    ActionItem.objects.create(case=make_case(officer), description="Due today", due_date=today)
    done = make_case(officer)
    ActionItem.objects.create(case=done, description="Done", due_date=today - dt.timedelta(days=5), done_at=NOW)

    with time_machine.travel(NOW, tick=False):
        mine = dashboard_summary(actor=officer)
        everyone = dashboard_summary(actor=coordinator)

    assert (mine.contacts_due, mine.contacts_missed, mine.tasks_overdue) == (2, 1, 1)
    assert (everyone.contacts_due, everyone.contacts_missed, everyone.tasks_overdue) == (4, 3, 1)


def test_a_manager_sees_how_many_closures_wait_and_an_officer_is_not_asked(
    make_staff: Callable[..., User], officer: User
) -> None:
    manager = make_staff(Role.MANAGER)
    CaseFactory.create(status=Status.CLOSING, priority="high", closure_requested_at=timezone.now())
    assert dashboard_summary(actor=manager).approvals == 1
    assert dashboard_summary(actor=officer).approvals is None


def _counts(page: str) -> dict[str, tuple[int, str]]:
    """Each count on the page: its number and the address it links to."""
    return {
        name: (int(number), unquote(href.replace("&amp;", "&")))
        for href, name, number in re.findall(r'href="([^"]+)" data-count="([a-z_]+)">(\d+)', page)
    }


def _listed(client: Client, href: str) -> int:
    """How many cases the list at `href` says it has."""
    page = client.get(href).content.decode()
    found = re.search(r"of (?:more than )?([\d,]+) cases?,", page)
    return int(found.group(1).replace(",", "")) if found else 0


@pytest.mark.parametrize("role", [Role.OFFICER, Role.COORDINATOR, Role.MANAGER])
def test_every_count_is_the_length_of_the_list_it_links_to(role: str, team: Team) -> None:
    user = staff(role, team, username=f"{role}_user")
    colleague = staff(Role.OFFICER, team, username="officer_colleague")
    with time_machine.travel(NOW, tick=True):
        for owner in (user, colleague):
            for received in (london(2026, 2, 20, 10, 0), london(2026, 3, 3, 10, 0), london(2026, 3, 4, 9, 0)):
                case = make_case(owner if role == Role.OFFICER or owner is colleague else None, team=team,
                                 received_at=received)  # fmt: skip
                _plan(case, NOW - dt.timedelta(days=1) if received.day == 20 else NOW + dt.timedelta(hours=3))
                ActionItem.objects.create(case=case, description="Ring back", due_date=dt.date(2026, 3, received.day))
        client = client_verified_as(user)
        counts = _counts(client.get(reverse("cases:dashboard")).content.decode())
        assert {"overdue", "due_soon", "contacts_due", "contacts_missed", "tasks_overdue", "mine"} <= set(counts)
        assert any(number for number, _href in counts.values())
        for name, (number, href) in counts.items():
            if href.startswith(reverse("cases:list")):
                assert _listed(client, href) == number, (name, href)


def test_no_case_is_listed_on_the_dashboard(officer: User) -> None:
    case = make_case(officer, received_at=london(2026, 2, 23, 10, 0))
    with time_machine.travel(SATURDAY, tick=True):
        page = client_verified_as(officer).get(reverse("cases:dashboard")).content.decode()
    assert case.reference not in page
    assert "<table" not in page


def _cases_with_everything(officer: User, count: int) -> None:
    for n in range(count):
        case = make_case(officer, received_at=london(2026, 2, 20 + n % 8, 10, 0))
        _plan(case, NOW - dt.timedelta(days=n % 3))
        ActionItem.objects.create(case=case, description="Visit", due_date=dt.date(2026, 3, 1))


@pytest.mark.parametrize("role", [Role.OFFICER, Role.COORDINATOR, Role.MANAGER, Role.DA_SPECIALIST])
def test_the_dashboard_runs_the_same_queries_for_3_or_30_cases(
    role: str, team: Team, officer: User, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    user = officer if role == Role.OFFICER else staff(role, team, username=f"{role}_user")
    client = client_verified_as(user)
    client.get(reverse("cases:dashboard"))  # warm: session, permissions cache, calendar config
    _cases_with_everything(officer, 3)
    with time_machine.travel(NOW, tick=True):
        with django_assert_max_num_queries(QUERY_BUDGET) as small:
            assert client.get(reverse("cases:dashboard")).status_code == 200
        _cases_with_everything(officer, 27)
        with django_assert_max_num_queries(QUERY_BUDGET) as large:
            assert client.get(reverse("cases:dashboard")).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


# Session, user and 2FA device (3), permissions (2), the calendar's revision (1), the summary (4, and 1 for a
# manager's closures to approve), the reassessments panel's counts (2), the interventions panel's milestone counts
# (1, and 1 for a manager's formal action to approve; issue 16), the Case Review "decisions due" counts (1, and the
# calendar's revision for "due soon": 1; issue 17 part A), the Case Review review panel's counts for staff who run
# reviews (2, issue 17 part B), and the idle-timeout's session save (3, in a savepoint): 22 for a manager.
QUERY_BUDGET = 22


NOT_CASE_STAFF = [Role.PARTNER, Role.DPO, Role.ADMIN]
DASHBOARD = RoleSurface(
    "Case pages", "Dashboard", "GET", "/staff/cases/", "cases.view_case", tried=frozenset(NOT_CASE_STAFF)
)


@pytest.mark.parametrize("role", NOT_CASE_STAFF)
def test_staff_who_do_not_work_cases_are_refused(role: str, make_staff: Callable[..., User]) -> None:
    user = make_staff(role)
    if user.has_perm("cases.view_case"):
        pytest.fail(f"{role} was expected not to see cases")
    assert DASHBOARD.url() == reverse("cases:dashboard")
    assert client_verified_as(user).get(DASHBOARD.url()).status_code == DASHBOARD.expected(role) == 403
