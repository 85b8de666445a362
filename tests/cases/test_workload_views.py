"""The team workload pages (issue 14 item 20): who may open them (every role), the numbers and their case-list links,
and reassigning ticked cases from an officer's page (all or nothing, what was chosen kept, a banner on success)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries, DjangoCaptureOnCommitCallbacks

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Case, Priority, Status
from saferhomes.core.models import AuditEvent
from tests.access.surfaces import RoleSurface
from tests.cases.matrix import ROLES
from tests.cases.workload_helpers import Crew, case_held_by, da_case_held_by, make_crew
from tests.conftest import client_verified_as

pytestmark = pytest.mark.django_db

MAY_ASSIGN = {Role.COORDINATOR, Role.MANAGER}


@pytest.fixture
def crew(make_staff: Callable[..., User]) -> Crew:
    return make_crew(make_staff)


def page_url(officer: User | None) -> str:
    return f"/staff/cases/workload/{'unassigned' if officer is None else officer.pk}/"


WORKLOAD = "Workload"
WORKLOAD_PAGES = [
    RoleSurface(WORKLOAD, "Team workload", "GET", "/staff/cases/workload/", frozenset(MAY_ASSIGN)),
    RoleSurface(WORKLOAD, "Unassigned cases", "GET", "/staff/cases/workload/unassigned/", frozenset(MAY_ASSIGN)),
]
REASSIGN = RoleSurface(
    WORKLOAD,
    "Reassign an officer's cases (post)",
    "POST",
    "/staff/cases/workload/{officer}/",
    frozenset(MAY_ASSIGN),
    302,
)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", WORKLOAD_PAGES, ids=[page.path for page in WORKLOAD_PAGES])
def test_workload_pages_are_for_staff_who_assign_cases(
    role: str, page: RoleSurface, staff_client: Callable[..., Client]
) -> None:
    response = staff_client(role).get(page.url())
    assert response.status_code == page.expected(role)


@pytest.mark.parametrize("role", ROLES)
def test_reassigning_is_refused_to_everyone_else(role: str, crew: Crew, make_staff: Callable[..., User]) -> None:
    case = case_held_by(crew.olivia)
    user = make_staff(role, username=f"someone_{role}")
    response = client_verified_as(user).post(
        REASSIGN.url(officer=crew.olivia.pk), {"cases": [case.reference], "officer": crew.omar.pk, "reason": "Cover"}
    )
    assert response.status_code == REASSIGN.expected(role)
    moved = Case.objects.get(pk=case.pk).assigned_officer_id == crew.omar.pk
    assert moved == (role in MAY_ASSIGN)


def test_dashboard_links_to_the_workload_only_for_those_who_may_use_it(crew: Crew) -> None:
    assert "/staff/cases/workload/" in client_verified_as(crew.cara).get("/staff/cases/").content.decode()
    assert "/staff/cases/workload/" not in client_verified_as(crew.olivia).get("/staff/cases/").content.decode()


def test_workload_page_shows_each_officer_and_links_numbers_to_the_case_list(crew: Crew) -> None:
    case_held_by(crew.olivia, priority=Priority.HIGH)
    case_held_by(crew.olivia)
    case_held_by(crew.olivia, status=Status.CLOSED)
    case_held_by(None, status=Status.NEW)
    client = client_verified_as(crew.cara)

    body = client.get("/staff/cases/workload/").content.decode()

    assert '<h1 class="govuk-heading-l">Team workload</h1>' in body
    assert f'href="{page_url(crew.olivia)}">Olivia Bennett</a>' in body
    assert f'href="{page_url(None)}">Unassigned</a>' in body
    link = re.search(r'href="([^"]+)">2 cases<span class="govuk-visually-hidden"> open, held by Olivia Bennett', body)
    assert link is not None
    query = parse_qs(urlsplit(link.group(1).replace("&amp;", "&")).query)
    assert query["officer"] == [str(crew.olivia.pk)]
    assert sorted(query["status"]) == sorted(["new", "triaged", "open", "closing", "reopened"])
    listed = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert "Showing 1 to 2 of 2 cases" in " ".join(listed.split())
    high = re.search(r'href="([^"]+)">1&nbsp;high<span', body)
    assert high is not None
    assert "priority=high" in high.group(1)


def test_workload_page_filters_by_team_and_refuses_an_unknown_team(crew: Crew) -> None:
    case_held_by(crew.cara)
    client = client_verified_as(crew.maya)
    body = client.get("/staff/cases/workload/", {"team": crew.north.pk}).content.decode()
    assert "Olivia Bennett" in body
    assert "Cara Jones" not in body
    wrong = client.get("/staff/cases/workload/", {"team": "999999"}).content.decode()
    assert "Select a team from the list" in wrong
    assert "Cara Jones" in wrong  # every team is shown meanwhile


def test_responses_due_link_lists_only_unanswered_cases_not_yet_overdue(crew: Crew) -> None:

    now = timezone.now()
    due = case_held_by(crew.olivia, response_due_at=now + dt.timedelta(days=2))
    late = case_held_by(crew.olivia, response_due_at=now - dt.timedelta(hours=2))
    client = client_verified_as(crew.cara)
    body = client.get("/staff/cases/workload/").content.decode()
    due_link = re.search(r'href="([^"]+)">1 due<span', body)
    overdue_link = re.search(r'href="([^"]+)">1 overdue<span', body)
    assert due_link is not None
    assert overdue_link is not None
    due_list = client.get(due_link.group(1).replace("&amp;", "&")).content.decode()
    overdue_list = client.get(overdue_link.group(1).replace("&amp;", "&")).content.decode()
    assert due.reference in due_list
    assert late.reference not in due_list
    assert late.reference in overdue_list
    assert due.reference not in overdue_list


def test_officer_page_lists_their_open_cases_with_checkboxes(crew: Crew) -> None:
    mine = case_held_by(crew.olivia)
    closed = case_held_by(crew.olivia, status=Status.CLOSED)
    other = case_held_by(crew.omar)
    body = client_verified_as(crew.cara).get(page_url(crew.olivia)).content.decode()
    assert "govuk-checkboxes govuk-checkboxes--small" in body
    assert f'value="{mine.reference}"' in body
    assert closed.reference not in body
    assert other.reference not in body
    assert "Cases held by Olivia Bennett" in body


def test_officer_page_is_404_for_someone_unknown(crew: Crew, make_staff: Callable[..., User]) -> None:
    client = client_verified_as(crew.cara)
    dpo = make_staff(Role.DPO)
    for key in ("999999", "olivia", str(dpo.pk), "9" * 40):
        assert client.get(f"/staff/cases/workload/{key}/").status_code == 404, key


def test_ticked_cases_are_reassigned_with_a_banner(
    crew: Crew, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    first, second, kept = case_held_by(crew.olivia), case_held_by(crew.olivia), case_held_by(crew.olivia)
    client = client_verified_as(crew.cara)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            page_url(crew.olivia),
            {"cases": [first.reference, second.reference], "officer": crew.omar.pk, "reason": "Olivia is on leave"},
        )
    assert response.status_code == 302
    assert response["Location"] == page_url(crew.olivia)
    page = client.get(response["Location"]).content.decode()
    assert "2 cases reassigned to Omar Haddad" in page
    assert "govuk-notification-banner--success" in page
    assert kept.reference in page
    assert first.reference not in page
    assert AuditEvent.objects.filter(verb="case.reassigned", reason="Olivia is on leave").count() == 2
    assert len(mail.outbox) == 1


def test_a_case_that_cannot_go_keeps_everything_chosen_and_says_why(crew: Crew) -> None:
    asb, da = case_held_by(crew.dev), da_case_held_by(crew.dev)
    response = client_verified_as(crew.maya).post(
        page_url(crew.dev), {"cases": [asb.reference, da.reference], "officer": crew.omar.pk, "reason": "Dev is away"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert f"{da.reference} cannot be reassigned: it is a domestic abuse case and Omar Haddad is not DA-trained" in body
    assert body.count('checked="checked"') == 2
    assert re.search(rf'<option value="{crew.omar.pk}"[^>]*selected', body)
    assert "Dev is away</textarea>" in body
    assert Case.objects.filter(assigned_officer=crew.dev).count() == 2


def test_reassigning_needs_cases_an_officer_and_a_reason(crew: Crew) -> None:
    case_held_by(crew.olivia)
    body = client_verified_as(crew.cara).post(page_url(crew.olivia), {}).content.decode()
    for message in (
        "Select the cases to reassign",
        "Select who to reassign the cases to",
        "Enter why the cases are being reassigned",
    ):
        assert message in body
    assert "<title>Error: " in body


def test_the_officers_offered_say_who_is_da_trained_and_leave_out_the_holder(crew: Crew) -> None:
    case_held_by(crew.olivia)
    body = client_verified_as(crew.maya).get(page_url(crew.olivia)).content.decode()
    assert "Dev Sharma (Domestic abuse team, DA-trained)" in body
    assert "Omar Haddad (North neighbourhood team)" in body
    assert f'<option value="{crew.olivia.pk}"' not in body


def test_unassigned_cases_can_be_given_out_from_the_workload(crew: Crew) -> None:
    case = case_held_by(None, status=Status.NEW)
    response = client_verified_as(crew.cara).post(
        page_url(None), {"cases": [case.reference], "officer": crew.omar.pk, "reason": "Triage rota"}
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).assigned_officer_id == crew.omar.pk


def test_workload_page_queries_are_flat(
    crew: Crew, make_staff: Callable[..., User], django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for number in range(10):
        officer = make_staff(Role.OFFICER, username=f"officer_{number}", team=crew.north)
        case_held_by(officer)
        case_held_by(officer, priority=Priority.HIGH)
    client = client_verified_as(crew.maya)
    # session, user, device, permissions, 6 of the workload (one per registered column), teams
    with django_assert_max_num_queries(13):
        assert client.get("/staff/cases/workload/").status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(page_url(crew.olivia)).status_code == 200
