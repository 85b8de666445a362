"""The cases API: the access matrix for every endpoint, the list's filters and paging, writes through the services,
and problem+json errors for bad input."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.accounts.services import token_create
from saferhomes.cases.models import Case, CaseType, Sensitivity, Status
from saferhomes.core.models import AuditEvent
from tests.access.surfaces import CaseSurface, RoleSurface
from tests.api.conftest import assert_problem, bearer
from tests.cases.factories import CaseFactory, PartyFactory
from tests.cases.matrix import case_for, page_matrix
from tests.housing.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def call() -> Callable[..., Any]:
    """call(user, "get", "/api/v1/cases", data) with a fresh token of the user's, from a client with no session."""
    api_client = Client()

    def _call(user: User, method: str, url: str, data: dict[str, Any] | None = None) -> Any:
        _token, raw = token_create(actor=None, user=user, name="tests")
        headers = bearer(raw)
        if method == "get":
            return api_client.get(url, data or {}, headers=headers)
        return api_client.post(url, data or {}, content_type="application/json", headers=headers)

    return _call


ONE_HOUR_AGO = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).isoformat()
API = "Cases API"
CASE = "/api/v1/cases/{ref}"
READ = CaseSurface(API, "Read a case", "GET", CASE, None)
# (the endpoint, body, case status to start from)
ENDPOINTS: list[tuple[CaseSurface, dict[str, Any], str]] = [
    (READ, {}, Status.NEW),
    (CaseSurface(API, "Triage", "POST", f"{CASE}/triage", "cases.triage_case"),
     {"priority": "normal", "urgent": False}, Status.NEW),
    (CaseSurface(API, "Change status", "POST", f"{CASE}/transition", "cases.work_case"),
     {"to_status": "open"}, Status.TRIAGED),
    (CaseSurface(API, "Add a party", "POST", f"{CASE}/parties", "cases.work_case", ok=201),
     {"role": "witness", "first_name": "Wendy"}, Status.NEW),
    (CaseSurface(API, "List contacts", "GET", f"{CASE}/contacts", None), {}, Status.OPEN),
    # A contact an hour before the tests were collected: after the case was received (the day before each test).
    (CaseSurface(API, "Record a contact", "POST", f"{CASE}/contacts", "cases.work_case", ok=201),
     {"method": "visit", "occurred_at": ONE_HOUR_AGO, "summary": "Visited."}, Status.OPEN),
]  # fmt: skip
ASSIGN = CaseSurface(API, "Assign", "POST", f"{CASE}/assign", "cases.assign_case")
LIST = RoleSurface(API, "List cases", "GET", "/api/v1/cases", "cases.view_case")


@pytest.mark.parametrize(("surface", "body", "start"), ENDPOINTS, ids=[e[0].name for e in ENDPOINTS])
@pytest.mark.parametrize(("role", "sensitivity", "relation"), page_matrix(READ.relations))
def test_case_endpoint_access_matrix(
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
    case = case_for(user, sensitivity=sensitivity, relation=relation, status=start)
    response = call(user, surface.method.lower(), surface.url(ref=case.reference), body)
    want = surface.expected(role, sensitivity, relation)
    if want == surface.ok:
        assert response.status_code == surface.ok, response.content
    else:
        assert_problem(response, want)


@pytest.mark.parametrize(("role", "sensitivity", "relation"), ASSIGN.params())
def test_assign_endpoint_access_matrix(
    role: str, sensitivity: str, relation: str, make_staff: Callable[..., User], call: Callable[..., Any]
) -> None:
    user = make_staff(role)
    case = case_for(user, sensitivity=sensitivity, relation=relation)
    target = make_staff(Role.DA_SPECIALIST, username="assign_target")
    response = call(user, "post", ASSIGN.url(ref=case.reference), {"officer": target.username, "reason": "x"})
    want = ASSIGN.expected(role, sensitivity, relation)
    if want == 200:
        assert response.status_code == 200, response.content
    else:
        assert_problem(response, want)


@pytest.mark.parametrize(("role", "sensitivity", "relation"), READ.params())
def test_list_endpoint_shows_exactly_the_visible_cases(
    role: str, sensitivity: str, relation: str, make_staff: Callable[..., User], call: Callable[..., Any]
) -> None:
    user = make_staff(role)
    case = case_for(user, sensitivity=sensitivity, relation=relation)
    response = call(user, "get", LIST.url())
    listed = READ.expected(role, sensitivity, relation)
    if not LIST.allows(role):
        assert_problem(response, LIST.denied)
        return
    assert response.status_code == 200
    references = [row["reference"] for row in response.json()["results"]]
    assert (case.reference in references) is (listed == 200)


def test_read_returns_the_case_with_parties_and_audits_da_reads(
    make_staff: Callable[..., User], call: Callable[..., Any]
) -> None:
    specialist = make_staff(Role.DA_SPECIALIST)
    case = case_for(specialist, sensitivity=Sensitivity.DA, relation="assigned")
    PartyFactory.create(case=case, first_name="Ann", last_name="Example", vulnerabilities="Deaf")
    body = call(specialist, "get", f"/api/v1/cases/{case.reference.lower()}").json()
    assert body["reference"] == case.reference
    assert body["parties"][0]["name"] == "Ann Example"
    assert body["parties"][0]["vulnerabilities"] == "Deaf"
    assert AuditEvent.objects.filter(verb="case.viewed", actor=specialist).count() == 1


def test_list_filters_search_and_pages(make_staff: Callable[..., User], call: Callable[..., Any]) -> None:
    coordinator = make_staff(Role.COORDINATOR)
    for n in range(7):
        CaseFactory.create(summary=f"Hate case {n}", case_type=CaseType.HATE, status=Status.OPEN)
    noise = CaseFactory.create(summary="Noise", status=Status.NEW)
    PartyFactory.create(case=noise, first_name="Nora", last_name="Nightingale")
    query = {"case_type": "hate", "status": ["open"], "page_size": 5}
    first = call(coordinator, "get", "/api/v1/cases", query).json()
    second = call(coordinator, "get", "/api/v1/cases", {**query, "cursor": first["next_cursor"]}).json()
    assert (len(first["results"]), len(second["results"]), second["next_cursor"]) == (5, 2, None)
    assert "count" not in first
    searched = call(coordinator, "get", "/api/v1/cases", {"q": "nightingale"}).json()
    assert [row["summary"] for row in searched["results"]] == ["Noise"]


def test_list_filters_by_officer_username_and_dates(make_staff: Callable[..., User], call: Callable[..., Any]) -> None:
    coordinator = make_staff(Role.COORDINATOR)
    officer = make_staff(Role.OFFICER)
    CaseFactory.create(assigned_officer=officer, summary="Theirs", received_at=dt.datetime(2026, 5, 1, tzinfo=dt.UTC))
    CaseFactory.create(summary="Not theirs")
    rows = call(coordinator, "get", "/api/v1/cases", {"officer": officer.username}).json()["results"]
    assert [row["summary"] for row in rows] == ["Theirs"]
    rows = call(coordinator, "get", "/api/v1/cases", {"received_to": "2026-05-01"}).json()["results"]
    assert [row["summary"] for row in rows] == ["Theirs"]


def test_list_bad_filter_is_a_422_problem(make_staff: Callable[..., User], call: Callable[..., Any]) -> None:
    coordinator = make_staff(Role.COORDINATOR)
    body = assert_problem(call(coordinator, "get", "/api/v1/cases", {"priority": "urgentest"}), 422)
    assert body["errors"] == [{"field": "query.priority", "message": "Input should be 'low', 'normal' or 'high'"}]
    body = assert_problem(call(coordinator, "get", "/api/v1/cases", {"page_size": 1000}), 422)
    assert body["errors"][0]["field"].endswith("page_size")


def test_list_runs_a_bounded_number_of_queries(
    make_staff: Callable[..., User], call: Callable[..., Any], django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    coordinator = make_staff(Role.COORDINATOR)
    call(coordinator, "get", "/api/v1/cases")
    CaseFactory.create_batch(40)
    # 11: the calendar's revision is read once per request for every row's response_status; and 6 more for the
    # token's rate-limit counter in the shared cache (the database's cache table: read, count, savepoint, read,
    # write, release; none with REDIS_URL).
    with django_assert_max_num_queries(11 + 6):
        response = call(coordinator, "get", "/api/v1/cases", {"page_size": 40})
    assert len(response.json()["results"]) == 40


def test_create_numbers_the_case_and_returns_it(make_staff: Callable[..., User], call: Callable[..., Any]) -> None:
    officer = make_staff(Role.OFFICER)
    person = PersonFactory.create(reference="PER000042")
    response = call(
        officer,
        "post",
        "/api/v1/cases",
        {
            "case_type": "hate",
            "summary": "Graffiti on the door",
            "received_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
            "hate_strands": ["race"],
            "reporter": {"role": "victim", "person_reference": "per000042"},
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["visible"] is True
    assert body["reference"].startswith("HATE-")
    assert body["case"]["parties"][0]["person_reference"] == person.reference


def test_create_da_case_by_an_officer_returns_only_the_reference(
    make_staff: Callable[..., User], call: Callable[..., Any]
) -> None:
    officer = make_staff(Role.OFFICER)
    response = call(
        officer,
        "post",
        "/api/v1/cases",
        {"case_type": "da", "summary": "Partner threatening", "received_at": timezone.now().isoformat()},
    )
    assert response.status_code == 201
    assert response.json()["case"] is None
    assert Case.objects.get().sensitivity == Sensitivity.DA


def test_create_with_bad_input_is_a_422_naming_each_field(
    make_staff: Callable[..., User], call: Callable[..., Any]
) -> None:
    officer = make_staff(Role.OFFICER)
    future = (timezone.now() + dt.timedelta(days=1)).isoformat()
    body = assert_problem(
        call(officer, "post", "/api/v1/cases", {"case_type": "hate", "summary": "", "received_at": future}), 422
    )
    assert {error["field"] for error in body["errors"]} == {"body.payload.summary"}  # the schema's, first
    body = assert_problem(
        call(officer, "post", "/api/v1/cases", {"case_type": "hate", "summary": "Shouting", "received_at": future}),
        422,
    )
    fields = {error["field"] for error in body["errors"]}
    assert {"received_at", "hate_strands"} <= fields
    body = assert_problem(call(officer, "post", "/api/v1/cases", {"summary": "x"}), 422)
    assert any(error["field"].endswith("case_type") for error in body["errors"])


def test_illegal_transition_says_why(make_staff: Callable[..., User], call: Callable[..., Any]) -> None:
    officer = make_staff(Role.OFFICER)
    case = case_for(officer, sensitivity="normal", relation="assigned")
    body = assert_problem(
        call(officer, "post", f"/api/v1/cases/{case.reference}/transition", {"to_status": "closed"}), 422
    )
    assert (
        body["detail"] == "A new case must be triaged, investigated and its outcome discussed before it can be closed"
    )


def test_stale_version_is_refused(make_staff: Callable[..., User], call: Callable[..., Any]) -> None:
    officer = make_staff(Role.OFFICER)
    case = case_for(officer, sensitivity="normal", relation="assigned")
    other = CaseFactory.create(assigned_officer=officer, team=officer.team)
    linked = call(
        officer,
        "post",
        f"/api/v1/cases/{case.reference}/links",
        {"other_reference": other.reference, "reason": "same_victim", "version": 1},
    )
    assert linked.json()["version"] == 2
    url = f"/api/v1/cases/{case.reference}/triage"
    body = assert_problem(call(officer, "post", url, {"priority": "low", "urgent": False, "version": 1}), 422)
    assert body["detail"].startswith("This case was changed by")
    assert call(officer, "post", url, {"priority": "low", "urgent": False, "version": 2}).status_code == 200


def test_triage_returns_police_prompt(make_staff: Callable[..., User], call: Callable[..., Any]) -> None:
    officer = make_staff(Role.OFFICER)
    case = case_for(officer, sensitivity="normal", relation="assigned")
    body = call(
        officer,
        "post",
        f"/api/v1/cases/{case.reference}/triage",
        {"priority": "high", "urgent": False, "criminal": True},
    ).json()
    assert body["case"]["status"] == "triaged"
    assert [p["code"] for p in body["prompts"]] == ["police_referral"]


def test_link_endpoint(make_staff: Callable[..., User], call: Callable[..., Any]) -> None:
    officer = make_staff(Role.OFFICER)
    case = case_for(officer, sensitivity="normal", relation="assigned")
    other = CaseFactory.create(assigned_officer=officer, team=officer.team)
    body = call(
        officer,
        "post",
        f"/api/v1/cases/{case.reference}/links",
        {"other_reference": other.reference, "reason": "same_victim"},
    ).json()
    assert body["linked_cases"] == [other.reference]


def test_cases_endpoints_are_in_the_openapi_document(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/cases", "/api/v1/cases/{reference}", "/api/v1/cases/{reference}/triage"} <= set(paths)
