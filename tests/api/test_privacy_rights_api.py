"""The rights-requests API (issue 19 part 4): the permission matrix (every role against every endpoint: only the
DPO), and the rules answered as 422 problems."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from saferhomes.accounts.roles import Role
from saferhomes.privacy.models_rights import RightsKind, RightsRequest
from tests.access.surfaces import RoleSurface
from tests.api.conftest import assert_problem, bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def rights_request() -> RightsRequest:
    today = timezone.localdate()
    made: RightsRequest = RightsRequest.objects.create(
        kind=RightsKind.ACCESS,
        requester_name="Sam Example",
        subject_names=["Sam Example"],
        received_on=today,
        due_on=today + dt.timedelta(days=30),
    )
    return made


A, RIGHTS, R = "Data protection", "privacy.handle_rights_request", "/api/v1/rights-requests"
# (the endpoint, its body)
API = [
    (RoleSurface(A, "Rights requests (API)", "GET", R, RIGHTS), None),
    (
        RoleSurface(A, "Log a rights request (API)", "POST", R, RIGHTS, ok=201),
        {"kind": "access", "requester_name": "A B", "received_on": "2026-01-05", "subject_names": ["A B"]},
    ),
    (RoleSurface(A, "A rights request (API)", "GET", R + "/{pk}", RIGHTS), None),
    (RoleSurface(A, "Extend the deadline (API)", "POST", R + "/{pk}/extend", RIGHTS), {"reason": "Complex"}),
    (
        RoleSurface(A, "Decide a rights request (API)", "POST", R + "/{pk}/decision", RIGHTS),
        {"decision": "refused", "reason": "Manifestly unfounded"},
    ),
]


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("endpoint", "body"), API, ids=[endpoint.name for endpoint, _ in API])
def test_rights_api_is_for_the_dpo_only(
    role, endpoint, body, make_staff, token_for, api_client, rights_request
) -> None:
    user = make_staff(role)
    headers = bearer(token_for(user))
    path = endpoint.url(pk=rights_request.pk)
    if endpoint.method == "GET":
        response = api_client.get(path, headers=headers)
    else:
        response = api_client.post(path, data=body, content_type="application/json", headers=headers)
    assert response.status_code == endpoint.expected(role), response.content


@time_machine.travel(dt.datetime(2026, 9, 10, 10, tzinfo=dt.UTC), tick=False)
def test_api_records_extends_and_refuses_with_problems(dpo_daniel, token_for, api_client) -> None:
    headers = bearer(token_for(dpo_daniel))
    body = {"kind": "erasure", "requester_name": "Sam Example", "received_on": "2026-09-03", "subject_names": []}
    problem = assert_problem(
        api_client.post("/api/v1/rights-requests", data=body, content_type="application/json", headers=headers), 422
    )
    assert any(e["field"] == "subject_names" for e in problem["errors"])
    body["subject_emails"] = ["sam@example.org"]
    made = api_client.post("/api/v1/rights-requests", data=body, content_type="application/json", headers=headers)
    assert made.status_code == 201
    created = made.json()
    assert created["due_on"] == "2026-10-05"
    extend = f"/api/v1/rights-requests/{created['id']}/extend"
    extended = api_client.post(extend, data={"reason": "Complex"}, content_type="application/json", headers=headers)
    assert extended.json()["due_on"] == "2026-12-03"
    again = api_client.post(extend, data={"reason": "Again"}, content_type="application/json", headers=headers)
    assert_problem(again, 422)
    decide = f"/api/v1/rights-requests/{created['id']}/decision"
    no_reason = api_client.post(decide, data={"decision": "partly"}, content_type="application/json", headers=headers)
    assert_problem(no_reason, 422)
    assert_problem(api_client.get("/api/v1/rights-requests/999999", headers=headers), 404)


@time_machine.travel(dt.datetime(2026, 9, 10, 10, tzinfo=dt.UTC), tick=False)
def test_recording_with_the_same_idempotency_key_makes_one_request(dpo_daniel, token_for, api_client) -> None:
    headers = {**bearer(token_for(dpo_daniel)), "Idempotency-Key": "sar-42"}
    body = {"kind": "access", "requester_name": "Sam Example", "received_on": "2026-09-03", "subject_names": ["S E"]}
    first = api_client.post("/api/v1/rights-requests", data=body, content_type="application/json", headers=headers)
    again = api_client.post("/api/v1/rights-requests", data=body, content_type="application/json", headers=headers)
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert first.json()["id"] == again.json()["id"]
    assert RightsRequest.objects.count() == 1
