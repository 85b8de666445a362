"""Every 4xx from the API has one shape: application/problem+json with type, title, status, detail and errors."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saferhomes.accounts.roles import Role
from tests.api.conftest import assert_problem, bearer

pytestmark = pytest.mark.django_db


# --- the real API ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/", "/api/v1/nothing-here", "/api/v1/me/", "/api/v1/cases/1/secret"])
@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_unknown_api_addresses_are_404_problems_for_any_method(api_client, path, method) -> None:
    body = assert_problem(getattr(api_client, method)(path), 404)
    assert body["title"] == "Not Found"


def test_wrong_method_is_a_405_problem_with_allow_header(api_client, token_for, make_staff) -> None:
    raw = token_for(make_staff(Role.OFFICER))
    for method in ("post", "put", "patch", "delete"):
        response = getattr(api_client, method)("/api/v1/me", headers=bearer(raw))
        body = assert_problem(response, 405)
        assert body["title"] == "Method Not Allowed"
        assert response["Allow"] == "GET"


# --- handlers, through a throwaway API built the same way (tests/api/throwaway_api.py) -----------------------------


@pytest.fixture
def authed(api_client, token_for, make_staff):
    raw = token_for(make_staff(Role.OFFICER))
    return api_client, bearer(raw)


pytestmark_urls = pytest.mark.urls("tests.api.throwaway_api")


@pytestmark_urls
def test_schema_violations_are_422_with_one_error_per_field(authed) -> None:
    client, headers = authed
    response = client.post(
        "/api/test/people?dry_run=perhaps", data={"age": "old"}, content_type="application/json", headers=headers
    )
    body = assert_problem(response, 422)
    assert body["title"] == "Unprocessable Entity"
    fields = {error["field"]: error["message"] for error in body["errors"]}
    assert set(fields) == {"query.dry_run", "body.payload.name", "body.payload.age"}
    assert fields["body.payload.name"] == "Field required"
    assert body["detail"] == "3 fields are not valid. See errors for each one."


@pytestmark_urls
def test_a_valid_body_passes(authed) -> None:
    client, headers = authed
    response = client.post(
        "/api/test/people", data={"name": "Ada", "age": 36}, content_type="application/json", headers=headers
    )
    assert response.status_code == 200
    assert response.json() == {"name": "Ada", "age": 36, "dry_run": False}


@pytestmark_urls
@pytest.mark.parametrize("raw", [b"{not json", b"\xff\xfe", b'{"name": "Ada", "age": 3', b"[1, 2"])
def test_malformed_json_is_a_400_problem_not_a_500(authed, raw) -> None:
    client, headers = authed
    response = client.post("/api/test/people", data=raw, content_type="application/json", headers=headers)
    body = assert_problem(response, 400)
    assert "valid JSON" in body["detail"]


@pytestmark_urls
def test_domain_error_is_422_with_its_messages_and_field_errors(authed) -> None:
    client, headers = authed
    body = assert_problem(client.get("/api/test/rule", headers=headers), 422)
    assert body["detail"] == "The case is already closed."
    assert body["errors"] == [
        {"field": "outcome", "message": "Choose an outcome"},
        {"field": "outcome", "message": "Say why"},
    ]


@pytestmark_urls
def test_permission_denied_is_a_403_problem(authed) -> None:
    client, headers = authed
    body = assert_problem(client.get("/api/test/forbidden", headers=headers), 403)
    assert body["detail"] == "You may not close this case."


@pytestmark_urls
def test_missing_object_is_a_404_problem_that_names_no_model(authed) -> None:
    client, headers = authed
    body = assert_problem(client.get("/api/test/missing", headers=headers), 404)
    assert "Permission" not in body["detail"]
    assert "matching query" not in body["detail"]


@pytestmark_urls
def test_http_error_keeps_its_status_and_message(authed) -> None:
    client, headers = authed
    body = assert_problem(client.get("/api/test/conflict", headers=headers), 409)
    assert body["title"] == "Conflict"
    assert body["detail"] == "Someone else changed this case. Reload it and try again."


@pytestmark_urls
def test_too_many_requests_is_a_429_problem_with_retry_after(authed) -> None:
    client, headers = authed
    assert client.get("/api/test/limited", headers=headers).status_code == 200
    assert client.get("/api/test/limited", headers=headers).status_code == 200
    response = client.get("/api/test/limited", headers=headers)
    assert_problem(response, 429)
    assert int(response["Retry-After"]) > 0


@pytestmark_urls
def test_throttling_counts_per_token_not_per_person(api_client, token_for, make_staff) -> None:
    user = make_staff(Role.OFFICER)
    first, second = bearer(token_for(user)), bearer(token_for(user))
    for _ in range(2):
        api_client.get("/api/test/limited", headers=first)
    assert api_client.get("/api/test/limited", headers=first).status_code == 429
    assert api_client.get("/api/test/limited", headers=second).status_code == 200


@pytestmark_urls
def test_throwaway_api_also_requires_a_token(api_client) -> None:
    assert_problem(api_client.get("/api/test/rule"), 401)


@pytestmark_urls
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    payload=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=8), kids, max_size=3),
        max_leaves=10,
    )
)
def test_any_json_body_gets_200_or_a_422_problem_never_a_500(authed, payload) -> None:
    client, headers = authed
    response = client.post(
        "/api/test/people", data=json.dumps(payload), content_type="application/json", headers=headers
    )
    if response.status_code != 200:
        body = assert_problem(response, 422)
        assert body["errors"]
