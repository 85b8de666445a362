"""The retention API: the schedule, a case's retention, legal holds placed and lifted, runs read and approved; RFC
7807 problems for bad input; and the permission matrix of every endpoint and role."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from saferhomes.accounts.roles import Role
from saferhomes.accounts.services import token_create
from saferhomes.privacy.models import LegalHold, RunStatus
from saferhomes.privacy.services.runs import plan_run
from tests.api.conftest import assert_problem, bearer
from tests.privacy.retention_helpers import closed_case, hold, london

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    def _call(user, method: str, path: str, body: dict[str, Any] | None = None):
        headers = bearer(token_create(actor=None, user=user, name="tests")[1])
        url = f"/api/v1{path}"
        if method == "get":
            return client.get(url, headers=headers)
        return client.post(url, body or {}, content_type="application/json", headers=headers)

    return _call


def test_dpo_reads_the_schedule_and_a_case_retention_by_reference(api, dpo_daniel) -> None:
    case = closed_case(london(2026, 3, 12))
    rules = api(dpo_daniel, "get", "/retention/rules").json()
    assert {r["label"] for r in rules} >= {"ASB closed without legal action", "DA, any outcome"}
    body = api(dpo_daniel, "get", f"/cases/{case.reference.lower()}/retention").json()
    assert body["kept_until"] == "2032-03-12"
    assert body["rule"]["label"] == "ASB closed without legal action"
    assert body["on_hold"] is False
    assert body["holds"] == []
    assert "summary" not in body


def test_dpo_places_and_lifts_a_hold_over_the_api(api, dpo_daniel) -> None:
    case = closed_case(london(2020, 1, 1))
    created = api(dpo_daniel, "post", "/legal-holds", {"case": case.reference, "reason": "Claim in the county court"})
    assert created.status_code == 201
    hold_id = created.json()["id"]
    assert api(dpo_daniel, "get", f"/cases/{case.reference}/retention").json()["on_hold"] is True
    lifted = api(dpo_daniel, "post", f"/legal-holds/{hold_id}/lift", {"reason": "Claim settled in April"})
    assert lifted.status_code == 200
    assert lifted.json()["active"] is False
    again = api(dpo_daniel, "post", f"/legal-holds/{hold_id}/lift", {"reason": "Claim settled in April"})
    assert_problem(again, 422)


def test_hold_refusals_are_422_problems_naming_the_fields(api, dpo_daniel) -> None:
    response = api(dpo_daniel, "post", "/legal-holds", {"case": "ASB-1999-000001", "reason": "short"})
    problem = assert_problem(response, 422)
    assert {e["field"] for e in problem["errors"]} == {"case_reference", "reason"}
    assert not LegalHold.objects.exists()


def test_dpo_reads_and_approves_a_run_and_approving_twice_is_422(api, dpo_daniel) -> None:
    case = closed_case(london(2019, 1, 1))
    run = plan_run(actor=dpo_daniel)
    assert run is not None
    detail = api(dpo_daniel, "get", f"/retention/runs/{run.pk}").json()
    assert detail["pending"] == 1
    assert detail["items"][0]["case"] == case.reference
    assert detail["items"][0]["closed_on"] == "2019-01-01"
    assert api(dpo_daniel, "get", "/retention/runs").json()[0]["id"] == run.pk
    approved = api(dpo_daniel, "post", f"/retention/runs/{run.pk}/approve")
    assert approved.status_code == 200
    assert approved.json()["status"] == RunStatus.APPROVED
    assert_problem(api(dpo_daniel, "post", f"/retention/runs/{run.pk}/approve"), 422)


def test_unknown_run_and_case_are_404_problems(api, dpo_daniel) -> None:
    assert_problem(api(dpo_daniel, "get", "/retention/runs/999999"), 404)
    assert_problem(api(dpo_daniel, "get", "/cases/ASB-1999-000001/retention"), 404)


RETENTION = {Role.DPO}
HOLDS = {Role.DPO, Role.MANAGER}
# Reading a case's retention: anyone who may see the case (normal ASB case: every case-working role) and the DPO.
CASE_READERS = {Role.DPO, Role.MANAGER, Role.COORDINATOR}
ENDPOINTS = [
    ("get", "/retention/rules", None, RETENTION, 200),
    ("get", "/cases/{case}/retention", None, CASE_READERS, 200),
    ("get", "/legal-holds", None, HOLDS, 200),
    ("post", "/legal-holds", {"case": "{case}", "reason": "Claim in the county court"}, HOLDS, 201),
    ("post", "/legal-holds/{hold}/lift", {"reason": "Claim settled in April"}, HOLDS, 200),
    ("get", "/retention/runs", None, RETENTION, 200),
    ("get", "/retention/runs/{run}", None, RETENTION, 200),
    ("post", "/retention/runs/{run}/approve", None, RETENTION, 200),
]


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize(
    ("method", "path", "body", "allowed", "ok"), ENDPOINTS, ids=[f"{e[0]} {e[1]}" for e in ENDPOINTS]
)
def test_api_permission_matrix(api, make_staff, dpo_daniel, role, method, path, body, allowed, ok) -> None:
    due = closed_case(london(2019, 1, 1))
    run = plan_run(actor=dpo_daniel, as_of=dt.date(2026, 1, 1))
    assert run is not None
    case = closed_case(london(2026, 1, 1))
    held = hold(case, dpo_daniel)
    actor = dpo_daniel if role == Role.DPO else make_staff(role, username=f"{role}_api")
    if role in (Role.COORDINATOR, Role.MANAGER):
        # a case of their own team, so seeing it depends on the role, not on where it sits
        type(case).objects.filter(pk__in=[case.pk, due.pk]).update(team=actor.team)
    values = {"case": case.reference, "hold": held.pk, "run": run.pk}
    filled = {k: v.format(**values) if isinstance(v, str) else v for k, v in (body or {}).items()}
    response = api(actor, method, path.format(**values), filled)
    if role in allowed:
        assert response.status_code == ok, (role, path, response.content)
    else:
        assert response.status_code in (403, 404), (role, path, response.status_code)
