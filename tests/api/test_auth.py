"""Bearer-token authentication: only an active token of an active user gets in; everything else is a 401 problem."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saferhomes.accounts.models import ApiToken, hash_token
from saferhomes.accounts.roles import Role
from saferhomes.accounts.services import token_revoke
from tests.access.surfaces import RoleSurface
from tests.api.conftest import assert_problem, bearer

pytestmark = pytest.mark.django_db

ME = "/api/v1/me"


def test_me_describes_the_token_holder_with_sorted_permissions(api_client, token_for, make_staff) -> None:
    dpo = make_staff(Role.DPO, first_name="Daniel", last_name="Okafor")
    response = api_client.get(ME, headers=bearer(token_for(dpo)))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {
        "username": "dpo_daniel",
        "full_name": "Daniel Okafor",
        "email": "dpo_daniel@example.org",
        "role": "dpo",
        "role_label": "Data protection officer",
        "team": dpo.team.name,
        "permissions": sorted(dpo.get_all_permissions()),
    }
    assert "core.search_auditevent" in response.json()["permissions"]


WHO_AM_I = RoleSurface("API tokens", "Who am I (API)", "GET", ME, None)


@pytest.mark.parametrize("role", Role.values)
def test_me_works_for_every_role_and_lists_that_roles_permissions(api_client, token_for, make_staff, role) -> None:
    user = make_staff(role)
    response = api_client.get(WHO_AM_I.url(), headers=bearer(token_for(user)))
    assert response.status_code == WHO_AM_I.expected(role)
    body = response.json()
    assert body["role"] == role
    assert body["permissions"] == sorted(user.get_all_permissions())
    assert body["permissions"] == sorted(body["permissions"])


def test_me_without_a_team_says_null(api_client, token_for, make_staff) -> None:
    user = make_staff(Role.OFFICER, team=None)
    assert api_client.get(ME, headers=bearer(token_for(user))).json()["team"] is None


def test_missing_authorization_header_is_401_with_bearer_challenge(api_client) -> None:
    response = api_client.get(ME)
    body = assert_problem(response, 401)
    assert response["WWW-Authenticate"] == 'Bearer realm="saferhomes"'
    assert "Authorization: Bearer" in body["detail"]
    assert body["errors"] == []


@pytest.mark.parametrize("header", ["Basic dXNlcjpwYXNz", "Token abc", "Bearer", "Bearer   ", "shk_abc", "bearer"])
def test_wrong_scheme_or_empty_token_is_401(api_client, header) -> None:
    response = api_client.get(ME, headers={"Authorization": header})
    assert_problem(response, 401)
    assert response["WWW-Authenticate"] == 'Bearer realm="saferhomes"'


def test_unknown_token_is_401_invalid_token(api_client) -> None:
    response = api_client.get(ME, headers=bearer("shk_thisTokenWasNeverIssued"))
    body = assert_problem(response, 401)
    assert response["WWW-Authenticate"] == 'Bearer realm="saferhomes", error="invalid_token"'
    assert "not valid" in body["detail"]


def test_bearer_scheme_is_case_insensitive(api_client, token_for, officer_olivia) -> None:
    raw = token_for(officer_olivia)
    assert api_client.get(ME, headers={"Authorization": f"bearer {raw}"}).status_code == 200


def test_revoked_token_is_401(api_client, token_for, officer_olivia) -> None:
    raw = token_for(officer_olivia)
    assert api_client.get(ME, headers=bearer(raw)).status_code == 200
    token_revoke(actor=officer_olivia, token=ApiToken.objects.get(key_hash=hash_token(raw)))
    response = api_client.get(ME, headers=bearer(raw))
    assert_problem(response, 401)
    assert 'error="invalid_token"' in response["WWW-Authenticate"]


def test_token_of_a_deactivated_account_is_401(api_client, token_for, officer_olivia) -> None:
    raw = token_for(officer_olivia)
    officer_olivia.is_active = False
    officer_olivia.save(update_fields=["is_active"])
    assert_problem(api_client.get(ME, headers=bearer(raw)), 401)


def test_an_over_long_token_is_rejected_without_lookup(api_client, django_assert_num_queries) -> None:
    with django_assert_num_queries(0):
        response = api_client.get(ME, headers=bearer("shk_" + "a" * 5000))
    assert_problem(response, 401)


def test_a_signed_in_browser_session_alone_does_not_open_the_api(staff_client) -> None:
    client = staff_client(Role.ADMIN)
    assert client.get("/staff/").status_code == 200
    assert_problem(client.get(ME), 401)


def test_token_use_is_recorded_at_most_once_a_minute(api_client, token_for, officer_olivia) -> None:
    raw = token_for(officer_olivia)
    token = ApiToken.objects.get(key_hash=hash_token(raw))
    assert token.last_used_at is None
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        api_client.get(ME, headers=bearer(raw))
    token.refresh_from_db()
    assert token.last_used_at == start
    with time_machine.travel(start + timedelta(seconds=59), tick=False):
        api_client.get(ME, headers=bearer(raw))
    token.refresh_from_db()
    assert token.last_used_at == start  # no write within the minute
    later = start + timedelta(seconds=61)
    with time_machine.travel(later, tick=False):
        api_client.get(ME, headers=bearer(raw))
    token.refresh_from_db()
    assert token.last_used_at == later


def test_repeat_requests_within_a_minute_do_not_write(api_client, token_for, officer_olivia) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    raw = token_for(officer_olivia)
    api_client.get(ME, headers=bearer(raw))
    with CaptureQueriesContext(connection) as captured:
        assert api_client.get(ME, headers=bearer(raw)).status_code == 200
    # The throttle's count lives in the shared cache (the database's cache table without REDIS_URL); the token is
    # not written.
    writes = [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("UPDATE")]
    assert not [sql for sql in writes if "accounts_apitoken" in sql]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(header=st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FFF), max_size=300))
def test_any_authorization_header_gets_a_401_problem_never_a_500(api_client, header) -> None:
    response = api_client.get(ME, headers={"Authorization": header})
    assert_problem(response, 401)
