"""POST /api/v1/reports and GET /api/v1/reports/{reference}: the contract of issue 6 part 8."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.intake.models import Channel, Report, ReportStatus
from saferhomes.intake.services.triage import TriageDecision, report_open_case
from tests.access.surfaces import RoleSurface
from tests.api.conftest import assert_problem, bearer, token_for
from tests.housing.factories import PropertyFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports"
__all__ = ["token_for"]  # the API tests' fixture, used here too


@pytest.fixture
def post(token_for: Callable[[User], str]) -> Callable[..., Any]:
    def _post(user: User, body: Any, **headers: str) -> Any:
        raw = body if isinstance(body, str) else json.dumps(body)
        return Client().post(URL, raw, content_type="application/json", headers={**bearer(token_for(user)), **headers})

    return _post


def _body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "channel": "partner",
        "type": "asb",
        "description": "Youths throwing stones at windows",
        "location": "Car park behind Bramble Court",
        "reporter": {"first_name": "Ada", "last_name": "Hale", "email": "ada@example.org"},
        "anonymous": False,
        "urgent": False,
    }
    body.update(changes)
    return body


@time_machine.travel(dt.datetime(2025, 12, 24, 15, 0, tzinfo=dt.UTC), tick=False)
def test_post_creates_a_report_with_its_deadline(make_staff: Callable[..., User], post: Callable[..., Any]) -> None:
    response = post(make_staff(Role.OFFICER), _body())
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"reference", "case_reference", "status", "urgent", "received_at", "response_due_at"}
    assert body["reference"] == "RPT-2025-000001"
    assert body["case_reference"] is None
    assert body["status"] == "new"
    assert body["urgent"] is False
    assert body["received_at"] == "2025-12-24T15:00:00Z"
    assert body["response_due_at"] == "2026-01-05T23:59:59Z"  # DESIGN.md §4.1 worked example
    report = Report.objects.get()
    assert report.channel == Channel.PARTNER


@time_machine.travel(dt.datetime(2025, 12, 24, 15, 0, tzinfo=dt.UTC), tick=False)
def test_urgent_and_back_dated_received_at(make_staff: Callable[..., User], post: Callable[..., Any]) -> None:
    response = post(make_staff(Role.OFFICER), _body(urgent=True, received_at="2025-12-24T15:00:00+00:00"))
    body = response.json()
    assert body["urgent"] is True
    assert body["response_due_at"] == "2025-12-29T15:00:00Z"


def test_types_map_to_case_types(make_staff: Callable[..., User], post: Callable[..., Any]) -> None:
    officer = make_staff(Role.OFFICER)
    assert post(officer, _body(type="hate")).status_code == 201
    assert post(officer, _body(type="domestic_abuse")).status_code == 201
    assert sorted(Report.objects.values_list("case_type", flat=True)) == ["da", "hate"]
    assert Report.objects.get(case_type="hate").hate_strands == ["other"]


def test_same_idempotency_key_creates_one_report_and_replays_the_201(
    make_staff: Callable[..., User], post: Callable[..., Any]
) -> None:
    officer = make_staff(Role.OFFICER)
    first = post(officer, _body(), **{"Idempotency-Key": "partner-123"})
    again = post(officer, _body(), **{"Idempotency-Key": "partner-123"})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Report.objects.count() == 1
    other = post(officer, _body(), **{"Idempotency-Key": "partner-124"})
    assert other.json()["reference"] != first.json()["reference"]


def test_bad_input_is_a_422_naming_each_field(make_staff: Callable[..., User], post: Callable[..., Any]) -> None:
    tomorrow = (timezone.now() + dt.timedelta(days=1)).isoformat()
    response = post(
        make_staff(Role.OFFICER),
        _body(type="burglary", description="x", received_at=tomorrow, reporter={"email": "nope"}),
    )
    body = assert_problem(response, 422)
    # an unknown type (and text longer than its column) is refused by the schema before anything else
    assert {e["field"] for e in body["errors"]} == {"body.payload.type"}
    response = post(make_staff(Role.OFFICER), _body(description="x" * 10_000))
    assert {e["field"] for e in assert_problem(response, 422)["errors"]} == {"body.payload.description"}
    response = post(
        make_staff(Role.OFFICER),
        _body(description="x", received_at=tomorrow, reporter={"email": "nope", "first_name": "A"}),
    )
    fields = {e["field"] for e in assert_problem(response, 422)["errors"]}
    assert fields == {"received_at", "reporter.email"}
    assert not Report.objects.exists()


def test_schema_errors_and_unreadable_bodies_are_problems(
    make_staff: Callable[..., User], post: Callable[..., Any]
) -> None:
    officer = make_staff(Role.OFFICER)
    assert_problem(post(officer, {"type": "asb"}), 422)
    assert_problem(post(officer, _body(received_at="31/02/2026")), 422)
    assert_problem(post(officer, "{not json"), 400)


def test_reporter_null_needs_anonymous(make_staff: Callable[..., User], post: Callable[..., Any]) -> None:
    officer = make_staff(Role.OFFICER)
    assert {e["field"] for e in assert_problem(post(officer, _body(reporter=None)), 422)["errors"]} == {"reporter"}
    assert post(officer, _body(reporter=None, anonymous=True)).status_code == 201


def test_property_reference_must_exist(make_staff: Callable[..., User], post: Callable[..., Any]) -> None:
    officer = make_staff(Role.OFFICER)
    home = PropertyFactory.create()
    body = assert_problem(post(officer, _body(property_reference="PRP-NOPE")), 422)
    assert body["errors"][0]["field"] == "property_reference"
    assert post(officer, _body(property_reference=home.reference)).status_code == 201
    assert Report.objects.get().home == home


NO_TAKE = [Role.PARTNER, Role.DPO, Role.ADMIN]
TAKE_API = RoleSurface(
    "Reports", "Take a report (API)", "POST", URL, "intake.take_report", 201, tried=frozenset(NO_TAKE)
)


@pytest.mark.parametrize("role", NO_TAKE)
def test_roles_without_take_report_get_403(
    role: str, make_staff: Callable[..., User], post: Callable[..., Any]
) -> None:
    assert_problem(post(make_staff(role), _body()), TAKE_API.expected(role))
    assert not TAKE_API.allows(role)


def test_no_token_is_401() -> None:
    response = Client().post(URL, json.dumps(_body()), content_type="application/json")
    assert_problem(response, 401)


def test_get_shows_the_case_reference_after_triage(
    make_staff: Callable[..., User], post: Callable[..., Any], token_for: Callable[[User], str]
) -> None:
    officer = make_staff(Role.OFFICER)
    reference = post(officer, _body()).json()["reference"]
    client = Client(headers=bearer(token_for(officer)))
    assert client.get(f"{URL}/{reference}").json()["case_reference"] is None
    report = Report.objects.get(reference=reference)
    result = report_open_case(actor=officer, report=report, decision=TriageDecision(case_type="asb"))
    body = client.get(f"{URL}/{reference}").json()
    assert result.case is not None
    assert body["case_reference"] == result.case.reference
    assert body["status"] == ReportStatus.CASE_OPENED


def test_get_da_report_is_404_for_an_officer(
    make_staff: Callable[..., User], post: Callable[..., Any], token_for: Callable[[User], str]
) -> None:
    officer = make_staff(Role.OFFICER)
    specialist = make_staff(Role.DA_SPECIALIST)
    reference = post(officer, _body(type="domestic_abuse")).json()["reference"]
    assert_problem(Client(headers=bearer(token_for(officer))).get(f"{URL}/{reference}"), 404)
    assert Client(headers=bearer(token_for(specialist))).get(f"{URL}/{reference}").status_code == 200


def test_reports_endpoints_are_in_the_openapi_document(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    post_op = schema["paths"]["/api/v1/reports"]["post"]
    assert "Idempotency-Key" in json.dumps(post_op)
    assert "201 with the same body" in post_op["description"]
    assert "application/problem+json" in post_op["responses"]["422"]["content"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.fixed_dictionaries(
        {},
        optional={
            "channel": st.one_of(st.sampled_from(Channel.values), st.text(max_size=20)),
            "type": st.one_of(st.sampled_from(["asb", "hate", "domestic_abuse"]), st.text(max_size=20), st.none()),
            "description": st.one_of(st.text(max_size=300), st.integers(), st.none()),
            "occurred_at": st.one_of(st.datetimes().map(lambda d: d.isoformat()), st.text(max_size=30)),
            "location": st.text(max_size=300),
            "reporter": st.one_of(
                st.none(),
                st.fixed_dictionaries(
                    {}, optional={"first_name": st.text(max_size=120), "email": st.text(max_size=40)}
                ),
            ),
            "anonymous": st.one_of(st.booleans(), st.text(max_size=5)),
            "urgent": st.one_of(st.booleans(), st.none(), st.integers()),
            "received_at": st.one_of(st.datetimes().map(lambda d: d.isoformat()), st.text(max_size=30)),
        },
    )
)
def test_random_bodies_never_cause_a_5xx(body: dict[str, Any], officer_token: tuple[User, str]) -> None:
    _user, raw = officer_token
    response = Client().post(URL, json.dumps(body), content_type="application/json", headers=bearer(raw))
    assert response.status_code in {201, 400, 422}, response.content
    if response.status_code != 201:
        assert_problem(response, response.status_code)


@pytest.fixture
def officer_token(make_staff: Callable[..., User], token_for: Callable[[User], str]) -> tuple[User, str]:
    officer = make_staff(Role.OFFICER)
    return officer, token_for(officer)
