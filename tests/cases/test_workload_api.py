"""The team workload over the API (issue 14 item 20): GET /api/v1/workload and POST /api/v1/cases/reassign, for staff
who assign cases, with the page's counts and the service's all-or-nothing rule; errors as problem+json."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from pytest_django import DjangoCaptureOnCommitCallbacks

from saferhomes.accounts.models import User
from saferhomes.accounts.services import token_create
from saferhomes.cases.models import Case, CaseType, Priority, Status
from saferhomes.core.models import AuditEvent
from tests.access.surfaces import RoleSurface
from tests.api.conftest import assert_problem, bearer
from tests.cases.matrix import ROLES
from tests.cases.workload_helpers import Crew, case_held_by, da_case_held_by, make_crew

pytestmark = pytest.mark.django_db

MAY_ASSIGN = {"coordinator", "manager"}


@pytest.fixture
def crew(make_staff: Callable[..., User]) -> Crew:
    return make_crew(make_staff)


@pytest.fixture
def call() -> Callable[..., Any]:
    """call(user, "get", "/api/v1/workload", data) with a fresh token of the user's, from a client with no session."""
    client = Client()

    def _call(user: User, method: str, url: str, data: dict[str, Any] | None = None) -> Any:
        _token, raw = token_create(actor=None, user=user, name="tests")
        if method == "get":
            return client.get(url, data or {}, headers=bearer(raw))
        return client.post(url, data or {}, content_type="application/json", headers=bearer(raw))

    return _call


def row(body: dict[str, Any], officer: User | None) -> dict[str, Any]:
    return next(r for r in body["rows"] if r["officer_id"] == (officer.pk if officer else None))


WORKLOAD_API = RoleSurface("Workload", "Team workload (API)", "GET", "/api/v1/workload", frozenset(MAY_ASSIGN))
REASSIGN_API = RoleSurface("Workload", "Reassign cases (API)", "POST", "/api/v1/cases/reassign", frozenset(MAY_ASSIGN))


@pytest.mark.parametrize("role", ROLES)
def test_workload_endpoint_is_for_staff_who_assign_cases(
    role: str, make_staff: Callable[..., User], call: Callable[..., Any]
) -> None:
    response = call(make_staff(role), "get", WORKLOAD_API.url())
    if WORKLOAD_API.allows(role):
        assert response.status_code == WORKLOAD_API.ok
    else:
        assert_problem(response, WORKLOAD_API.denied)


@pytest.mark.parametrize("role", ROLES)
def test_reassign_endpoint_is_for_staff_who_assign_cases(
    role: str, crew: Crew, make_staff: Callable[..., User], call: Callable[..., Any]
) -> None:
    case = case_held_by(crew.olivia)
    user = make_staff(role, username=f"someone_{role}")
    body = {"references": [case.reference], "officer": crew.omar.username, "reason": "Cover"}
    response = call(user, "post", REASSIGN_API.url(), body)
    if REASSIGN_API.allows(role):
        assert response.status_code == REASSIGN_API.ok, response.content
    else:
        assert_problem(response, REASSIGN_API.denied)
        assert Case.objects.get(pk=case.pk).assigned_officer_id == crew.olivia.pk


def test_workload_counts_as_the_page_does(crew: Crew, call: Callable[..., Any]) -> None:
    case_held_by(crew.olivia, priority=Priority.HIGH)
    case_held_by(crew.olivia, status=Status.NEW, case_type=CaseType.HATE, hate_strands=["race"])
    da_case_held_by(crew.dev)
    case_held_by(None, status=Status.NEW)

    body = call(crew.cara, "get", "/api/v1/workload").json()

    assert body["team"] is None
    assert body["open_cases"] == 3  # the DA case is not the coordinator's to see
    assert body["rows"][0]["officer"] is None
    assert body["rows"][0]["name"] == "Unassigned"
    olivia = row(body, crew.olivia)
    assert olivia == {
        "officer": crew.olivia.username,
        "officer_id": crew.olivia.pk,
        "name": "Olivia Bennett",
        "team": "North neighbourhood team",
        "may_work": True,
        "open_cases": 2,
        "by_type": {"asb": 1, "hate": 1, "da": 0},
        "by_priority": {"high": 1, "normal": 1, "low": 0},
        "due": {
            "responses": {"due": 0, "overdue": 0},
            "reassessments": {"due": 0, "overdue": 0},
            "milestones": {"due": 0, "overdue": 0},
        },
    }
    assert row(call(crew.maya, "get", "/api/v1/workload").json(), crew.dev)["by_type"]["da"] == 1


def test_workload_by_team_and_an_unknown_team(crew: Crew, call: Callable[..., Any]) -> None:
    body = call(crew.maya, "get", "/api/v1/workload", {"team": crew.north.name}).json()
    assert body["team"] == crew.north.name
    assert [r["name"] for r in body["rows"]] == ["Unassigned", "Olivia Bennett", "Omar Haddad"]
    problem = assert_problem(call(crew.maya, "get", "/api/v1/workload", {"team": "Nowhere"}), 422)
    assert problem["errors"] == [{"field": "team", "message": "No team is called Nowhere"}]


def test_reassign_moves_every_case_and_tells_the_officer_once(
    crew: Crew, call: Callable[..., Any], django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    first, second = case_held_by(crew.olivia), case_held_by(crew.olivia)
    with django_capture_on_commit_callbacks(execute=True):
        response = call(
            crew.cara,
            "post",
            "/api/v1/cases/reassign",
            {
                "references": [second.reference.lower(), first.reference],
                "officer": str(crew.omar.pk),
                "reason": "Leave",
            },
        )
    assert response.status_code == 200, response.content
    assert response.json() == {
        "officer": crew.omar.username,
        "count": 2,
        "references": sorted([first.reference, second.reference]),
    }
    assert set(Case.objects.filter(pk__in=[first.pk, second.pk]).values_list("assigned_officer_id", flat=True)) == {
        crew.omar.pk
    }
    assert AuditEvent.objects.filter(verb="case.reassigned", reason="Leave").count() == 2
    assert len(mail.outbox) == 1


def test_reassign_is_all_or_nothing_naming_the_case_that_cannot_go(crew: Crew, call: Callable[..., Any]) -> None:
    asb, da = case_held_by(crew.dev), da_case_held_by(crew.dev)
    body = {"references": [asb.reference, da.reference], "officer": crew.omar.username, "reason": "Cover"}
    problem = assert_problem(call(crew.maya, "post", "/api/v1/cases/reassign", body), 422)
    why = "it is a domestic abuse case and Omar Haddad is not DA-trained"
    assert problem["errors"] == [{"field": "references", "message": f"{da.reference} cannot be reassigned: {why}"}]
    assert Case.objects.filter(assigned_officer=crew.dev).count() == 2


def test_reassign_refuses_cases_the_caller_cannot_see_without_saying_they_exist(
    crew: Crew, call: Callable[..., Any]
) -> None:
    da = da_case_held_by(crew.dev)
    mine = case_held_by(crew.olivia)
    body = {"references": [mine.reference, da.reference, "ASB-2026-999999"], "officer": "officer_omar", "reason": "X"}
    problem = assert_problem(call(crew.cara, "post", "/api/v1/cases/reassign", body), 422)
    assert problem["errors"] == [
        {"field": "references", "message": f"No case you can see has the reference {da.reference}"},
        {"field": "references", "message": "No case you can see has the reference ASB-2026-999999"},
    ]
    assert AuditEvent.objects.filter(verb="case.read_refused", object_id=str(da.pk)).exists()
    assert Case.objects.get(pk=mine.pk).assigned_officer_id == crew.olivia.pk


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"reason": " "}, "reason", "Enter why the cases are being reassigned"),
        ({"reason": None}, "reason", "Enter why the cases are being reassigned"),
        ({"officer": "nobody"}, "officer", "No active member of staff has the username or id nobody"),
    ],
)
def test_reassign_needs_a_reason_and_a_known_officer(
    change: dict[str, Any], field: str, message: str, crew: Crew, call: Callable[..., Any]
) -> None:
    case = case_held_by(crew.olivia)
    body = {"references": [case.reference], "officer": "officer_omar", "reason": "Cover", **change}
    problem = assert_problem(call(crew.cara, "post", "/api/v1/cases/reassign", body), 422)
    assert problem["errors"] == [{"field": field, "message": message}]


def test_reassign_body_is_checked_before_anything_happens(crew: Crew, call: Callable[..., Any]) -> None:
    for body in ({"references": [], "officer": "officer_omar"}, {"officer": "officer_omar"}, {"references": ["x"]}):
        assert_problem(call(crew.cara, "post", "/api/v1/cases/reassign", body), 422)


def test_reassign_address_does_not_shadow_reading_a_case(crew: Crew, call: Callable[..., Any]) -> None:
    case = case_held_by(crew.olivia)
    assert call(crew.cara, "get", f"/api/v1/cases/{case.reference}").status_code == 200
    assert_problem(call(crew.cara, "get", "/api/v1/cases/reassign"), 405)
