"""DPO oversight over the API (issue 19 part 5): GET /api/v1/oversight/restricted-reads, /break-glass and /anomalies
for the DPO only (every role checked), metadata only, audited, bad filters a 422 problem naming the field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.test import Client

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.calendar import LONDON
from saferhomes.core.models import AuditEvent
from tests.access.surfaces import RoleSurface
from tests.api.conftest import assert_problem, bearer
from tests.privacy.oversight_helpers import (
    SECRET_DESCRIPTION,
    SECRET_PARTY,
    SECRET_SUMMARY,
    break_glass_at,
    read_at,
    restricted_case,
)

pytestmark = pytest.mark.django_db

ENDPOINTS = ["/api/v1/oversight/restricted-reads", "/api/v1/oversight/break-glass", "/api/v1/oversight/anomalies"]
NOW = dt.datetime(2026, 3, 4, 12, 0, tzinfo=LONDON)
TUESDAY = dt.date(2026, 3, 3)
PERIOD = {"date_from": "2026-03-01", "date_to": "2026-03-04"}


OVERSIGHT_API = [
    RoleSurface("Access oversight", name, "GET", url, "privacy.view_oversight")
    for name, url in zip(["Who read what (API)", "Break glass (API)", "Anomalies (API)"], ENDPOINTS, strict=True)
]


@pytest.mark.parametrize("endpoint", OVERSIGHT_API, ids=ENDPOINTS)
@pytest.mark.parametrize("role", list(Role))
def test_oversight_api_is_for_the_dpo_only(
    role: str,
    endpoint: RoleSurface,
    make_staff: Callable[..., User],
    token_for: Callable[[User], str],
    api_client: Client,
) -> None:
    response = api_client.get(endpoint.url(), headers=bearer(token_for(make_staff(role))))
    assert endpoint.allows(role) is (role == Role.DPO)
    if endpoint.allows(role):
        assert response.status_code == endpoint.ok
        assert response.json()["count"] == 0
    else:
        assert_problem(response, endpoint.denied)


def test_without_a_token_it_is_401(api_client: Client) -> None:
    for url in ENDPOINTS:
        assert_problem(api_client.get(url), 401)


def test_the_three_lists_metadata_only_and_audited(
    make_staff: Callable[..., User], token_for: Callable[[User], str], api_client: Client
) -> None:
    dpo, manager = make_staff(Role.DPO), make_staff(Role.MANAGER)
    case = restricted_case()
    break_glass_at(manager, case, dt.datetime.combine(TUESDAY, dt.time(22), tzinfo=LONDON))
    read_at(manager, case, dt.datetime.combine(TUESDAY, dt.time(22, 1), tzinfo=LONDON))
    headers = bearer(token_for(dpo))
    with time_machine.travel(NOW, tick=False):
        reads, glass, anomalies = (api_client.get(url, PERIOD, headers=headers) for url in ENDPOINTS)
    [read] = reads.json()["results"]
    assert read["username"] == manager.username
    assert read["how"] == "Break glass"
    assert read["case"] == {"reference": case.reference, "case_type": "da", "sensitivity": "da"}
    [grant] = glass.json()["results"]
    assert grant["kind"] == "Break glass"
    assert grant["pages_read"] == [f"/staff/cases/{case.reference}/"]
    kinds = {a["kind"] for a in anomalies.json()["results"]}
    assert kinds == {"out_of_hours", "unused_break_glass"}
    for response in (reads, glass, anomalies):
        for secret in (SECRET_SUMMARY, SECRET_DESCRIPTION, *SECRET_PARTY):
            assert secret not in response.content.decode()
    assert AuditEvent.objects.filter(verb=AuditVerb.OVERSIGHT_VIEWED, actor=dpo).count() == 3


def test_bad_filters_are_422_naming_the_field(
    make_staff: Callable[..., User], token_for: Callable[[User], str], api_client: Client
) -> None:
    headers = bearer(token_for(make_staff(Role.DPO)))
    body = assert_problem(
        api_client.get(ENDPOINTS[0], {"date_from": "2026-03-05", "date_to": "2026-03-01"}, headers=headers), 422
    )
    assert body["errors"][0]["field"] == "date_to"
    body = assert_problem(api_client.get(ENDPOINTS[1], {"date_from": "yesterday"}, headers=headers), 422)
    assert "date_from" in body["errors"][0]["field"]
    assert_problem(api_client.get(ENDPOINTS[2], {"page_size": "500"}, headers=headers), 422)
