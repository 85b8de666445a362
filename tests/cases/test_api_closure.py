"""The closure API: the access matrix for every endpoint, blockers as a 422 naming each, and the same services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.accounts.services import token_create
from saferhomes.cases.models import Priority, Status, SurveyInvitation
from tests.access.surfaces import CaseSurface
from tests.api.conftest import assert_problem, bearer
from tests.cases.closure_helpers import closed_case, closing_case, open_action, open_case
from tests.cases.matrix import case_for, page_matrix

pytestmark = pytest.mark.django_db


@pytest.fixture
def call() -> Callable[..., Any]:
    """call(user, "get", url, data) with a fresh token of the user's, from a client with no session."""
    api_client = Client()

    def _call(user: User, method: str, url: str, data: dict[str, Any] | None = None) -> Any:
        _token, raw = token_create(actor=None, user=user, name="tests")
        if method == "get":
            return api_client.get(url, data or {}, headers=bearer(raw))
        return api_client.post(url, data or {}, content_type="application/json", headers=bearer(raw))

    return _call


@pytest.fixture(name="officer")
def officer_fixture(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.OFFICER)


REQUEST = {"outcome": "resolved", "outcome_summary": "It stopped."}
API = "Cases API"
# (the endpoint, body, case status to start from)
ENDPOINTS: list[tuple[CaseSurface, dict[str, Any], str]] = [
    (CaseSurface(API, "Closure checklist", "GET", "/api/v1/cases/{ref}/closure", None), {}, Status.OPEN),
    (
        CaseSurface(API, "Request closure", "POST", "/api/v1/cases/{ref}/closure/request", "cases.close_case"),
        REQUEST,
        Status.OPEN,
    ),
    (
        CaseSurface(API, "Reopen", "POST", "/api/v1/cases/{ref}/reopen", "cases.close_case"),
        {"reason": "Again"},
        Status.CLOSED,
    ),
]


@pytest.mark.parametrize(("surface", "body", "start"), ENDPOINTS, ids=[e[0].name for e in ENDPOINTS])
@pytest.mark.parametrize(("role", "sensitivity", "relation"), page_matrix(ENDPOINTS[0][0].relations))
def test_closure_endpoint_access_matrix(
    surface: CaseSurface,
    body: dict[str, Any],
    start: str,
    role: str,
    sensitivity: str,
    relation: str,
    make_staff: Callable[..., User],
    call: Callable[..., Any],
) -> None:
    user = make_staff(role)
    extra: dict[str, Any] = {"status": start}
    if start == Status.CLOSED:
        extra.update(outcome="resolved", closed_at="2026-01-01T12:00:00Z")
    case = case_for(user, sensitivity=sensitivity, relation=relation, **extra)

    response = call(user, surface.method.lower(), surface.url(ref=case.reference), body)

    want = surface.expected(role, sensitivity, relation)
    if want == 200:
        assert response.status_code == 200, response.content
    else:
        assert_problem(response, want)


def test_closure_read_lists_the_blockers(officer: User, call: Callable[..., Any]) -> None:
    case = open_case(officer, priority=Priority.HIGH)

    body = call(officer, "get", f"/api/v1/cases/{case.reference}/closure").json()

    assert body["needs_approval"] is True
    assert [b["code"] for b in body["blockers"]] == ["outcome_not_discussed", "approval_missing"]
    assert body["blockers"][0]["fix_at"] == "contacts"


def test_a_refused_close_is_a_422_naming_every_blocker(officer: User, call: Callable[..., Any]) -> None:
    case = closing_case(officer)
    open_action(case, "Check the CCTV")

    response = call(officer, "post", f"/api/v1/cases/{case.reference}/close", {"version": case.version})

    assert_problem(response, 422)
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == ["open_actions"]
    assert "Check the CCTV" in response.json()["detail"]


def test_put_forward_approve_and_close_over_the_api(
    make_staff: Callable[..., User],
    officer: User,
    call: Callable[..., Any],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    manager = make_staff(Role.MANAGER)
    case = closing_case(officer, priority=Priority.HIGH)
    base = f"/api/v1/cases/{case.reference}"

    approved = call(manager, "post", f"{base}/closure/approve", {"version": case.version}).json()
    assert approved["closure_approved_at"] is not None
    with django_capture_on_commit_callbacks(execute=True):
        closed = call(officer, "post", f"{base}/close", {"version": approved["version"]})
    assert closed.status_code == 200, closed.content
    assert closed.json()["status"] == "closed"
    assert SurveyInvitation.objects.filter(case=case).count() == 1
    survey = call(officer, "get", f"{base}/closure").json()["survey"]
    assert survey["delivery"] == "email"
    assert "token" not in str(survey)


def test_a_bad_outcome_and_a_stale_version_are_422s(officer: User, call: Callable[..., Any]) -> None:
    case = open_case(officer)
    base = f"/api/v1/cases/{case.reference}"

    bad = call(officer, "post", f"{base}/closure/request", {"outcome": "made_up", "outcome_summary": ""})
    assert_problem(bad, 422)
    assert {e["field"] for e in bad.json()["errors"]} == {"body.payload.outcome", "body.payload.outcome_summary"}
    stale = call(officer, "post", f"{base}/closure/request", {**REQUEST, "version": case.version - 1})
    assert_problem(stale, 422)


def test_reopen_needs_a_reason_over_the_api(officer: User, call: Callable[..., Any]) -> None:
    case = closed_case(officer)

    response = call(officer, "post", f"/api/v1/cases/{case.reference}/reopen", {"reason": " "})

    assert_problem(response, 422)
    assert response.json()["errors"] == [{"field": "reason", "message": "Enter why the case is being reopened"}]
