"""The interventions API: the kinds, the access matrix, proposing and moving along, and rule breaks as 422 naming
the rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.accounts.services import token_create
from saferhomes.cases.models import PartyRole
from saferhomes.interventions.models import Intervention, Milestone
from tests.access.surfaces import CaseSurface
from tests.api.conftest import assert_problem, bearer
from tests.cases.factories import PartyFactory, force_status
from tests.cases.matrix import case_for
from tests.interventions.helpers import REASONS, open_case, perpetrator

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mid_june_2026() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def call() -> Callable[..., Any]:
    api_client = Client()

    def _call(user: User, method: str, url: str, data: dict[str, Any] | None = None) -> Any:
        _token, raw = token_create(actor=None, user=user, name="tests")
        if method == "get":
            return api_client.get(url, data or {}, headers=bearer(raw))
        return api_client.post(url, data or {}, content_type="application/json", headers=bearer(raw))

    return _call


def test_the_kinds_are_the_ladder_lightest_first(make_staff: Callable[..., User], call: Callable[..., Any]) -> None:
    body = call(make_staff(Role.OFFICER), "get", "/api/v1/intervention-kinds").json()
    assert body[0]["key"] == "advice"
    assert body[-1]["key"] == "absolute_ground"
    injunction = next(k for k in body if k["key"] == "civil_injunction")
    assert injunction["formal"] is True
    assert injunction["catalogue_version"] == 1
    assert [m["key"] for m in injunction["milestones"]][:2] == ["application", "without_notice_hearing"]
    assert_problem(call(make_staff(Role.DPO), "get", "/api/v1/intervention-kinds"), 403)


PROPOSE = CaseSurface(
    "Interventions",
    "Propose an intervention (API)",
    "POST",
    "/api/v1/cases/{ref}/interventions",
    "interventions.record_intervention",
    ok=201,
)
LIST = CaseSurface("Interventions", "Interventions of a case (API)", "GET", "/api/v1/cases/{ref}/interventions", None)


@pytest.mark.parametrize(("role", "sensitivity", "relation"), PROPOSE.params())
def test_proposing_follows_the_case_access_matrix(
    role: str, sensitivity: str, relation: str, make_staff: Callable[..., User], call: Callable[..., Any]
) -> None:
    user = make_staff(role)
    case = force_status(case_for(user, sensitivity=sensitivity, relation=relation), "open")
    party = PartyFactory.create(case=case, role=PartyRole.ALLEGED_PERPETRATOR)
    body = {"kind": "verbal_warning", "party": party.pk, "started_on": "2026-06-14"}

    response = call(user, "post", PROPOSE.url(ref=case.reference), body)

    want = PROPOSE.expected(role, sensitivity, relation)
    if want == 201:
        assert response.status_code == 201, response.content
        assert response.json()["status"] == "active"
    else:
        assert_problem(response, want)
    listed = call(user, "get", LIST.url(ref=case.reference))
    if LIST.expected(role, sensitivity, relation) == 200:
        assert len(listed.json()) == (1 if want == 201 else 0)
    else:
        assert_problem(listed, 404)


def test_a_cpn_without_a_cpw_is_a_422_naming_the_rule(
    make_staff: Callable[..., User], call: Callable[..., Any]
) -> None:
    officer = make_staff(Role.OFFICER)
    case = open_case(officer)
    party = perpetrator(case)
    body = {"kind": "cpn", "party": party.pk, "proportionality": REASONS}

    problem = assert_problem(call(officer, "post", f"/api/v1/cases/{case.reference}/interventions", body), 422)

    assert [e["field"] for e in problem["errors"]] == ["kind"]
    assert "(rule: cpn_needs_cpw)" in problem["errors"][0]["message"]


def test_warning_to_injunction_through_the_api(make_staff: Callable[..., User], call: Callable[..., Any]) -> None:
    officer = make_staff(Role.OFFICER)
    manager = make_staff(Role.MANAGER, team=officer.team)
    case = open_case(officer)
    party = perpetrator(case, date_of_birth=dt.date(2009, 9, 1))  # 16
    base = f"/api/v1/cases/{case.reference}/interventions"
    letter = call(officer, "post", base, {"kind": "warning_letter", "party": party.pk, "started_on": "2026-06-01"})
    assert letter.status_code == 201
    sent = call(
        officer, "post", f"{base}/{letter.json()['id']}/milestones", {"key": "sent", "occurred_on": "2026-06-01"}
    )
    assert (sent.status_code, sent.json()["warnings"]) == (201, [])

    created = call(officer, "post", base, {"kind": "civil_injunction", "party": party.pk, "proportionality": REASONS})
    url = f"{base}/{created.json()['id']}"
    assert_problem(call(officer, "post", f"{url}/steps", {"action": "start", "started_on": "2026-06-15"}), 422)
    assert call(officer, "post", f"{url}/steps", {"action": "request_approval"}).json()["status"] == "awaiting_approval"
    assert_problem(call(officer, "post", f"{url}/steps", {"action": "approve"}), 403)
    assert call(manager, "post", f"{url}/steps", {"action": "approve"}).json()["status"] == "approved"
    assert call(officer, "post", f"{url}/steps", {"action": "start", "started_on": "2026-06-15"}).json()["status"] == (
        "active"
    )
    refused = assert_problem(
        call(officer, "post", f"{url}/milestones", {"key": "application", "occurred_on": "2026-06-15"}), 422
    )
    assert "(rule: injunction_youth_offending_team)" in refused["detail"]
    applied = call(
        officer, "post", f"{url}/milestones",
        {"key": "application", "occurred_on": "2026-06-15", "details": {"yot_consulted_on": "2026-06-10"}},
    )  # fmt: skip
    assert applied.status_code == 201, applied.content
    assert applied.json()["details"] == {"yot_consulted_on": "2026-06-10"}
    bad = call(
        officer,
        "post",
        f"{url}/milestones",
        {"key": "granted", "occurred_on": "2026-06-15", "details": {"order_months": 0}},
    )
    assert_problem(bad, 422)


def test_a_closure_hearing_past_48_hours_comes_back_as_a_warning(
    make_staff: Callable[..., User], call: Callable[..., Any]
) -> None:
    officer = make_staff(Role.OFFICER)
    manager = make_staff(Role.MANAGER, team=officer.team)
    case = open_case(officer)
    party = perpetrator(case)
    base = f"/api/v1/cases/{case.reference}/interventions"
    proposed = call(officer, "post", base, {"kind": "closure_notice", "party": party.pk, "proportionality": REASONS})
    url = f"{base}/{proposed.json()['id']}"
    call(officer, "post", f"{url}/steps", {"action": "request_approval"})
    call(manager, "post", f"{url}/steps", {"action": "approve"})
    call(officer, "post", f"{url}/steps", {"action": "start", "started_on": "2026-06-15"})
    served = {"key": "notice_served", "occurred_on": "2026-06-15", "occurred_time": "25:00"}
    assert (
        assert_problem(call(officer, "post", f"{url}/milestones", served), 422)["errors"][0]["field"] == "occurred_time"
    )
    served["occurred_time"] = "08:00"
    assert call(officer, "post", f"{url}/milestones", served).status_code == 201
    with time_machine.travel(dt.datetime(2026, 6, 18, 12, tzinfo=dt.UTC), tick=False):
        hearing = call(
            officer,
            "post",
            f"{url}/milestones",
            {"key": "court_hearing", "occurred_on": "2026-06-17", "occurred_time": "09:00"},
        ).json()
    assert [w["rule"] for w in hearing["warnings"]] == ["closure_hearing_48_hours"]


def test_proposing_again_with_the_same_idempotency_key_replays_it(
    make_staff: Callable[..., User], call: Callable[..., Any]
) -> None:
    officer = make_staff(Role.OFFICER)
    case = open_case(officer)
    party = perpetrator(case)
    _token, raw = token_create(actor=None, user=officer, name="tests")
    headers = {**bearer(raw), "Idempotency-Key": "propose-advice-1"}
    body = {"kind": "advice", "party": party.pk, "started_on": "2026-06-15"}
    url = f"/api/v1/cases/{case.reference}/interventions"
    first = Client().post(url, body, content_type="application/json", headers=headers)
    again = Client().post(url, body, content_type="application/json", headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json()["id"] == again.json()["id"]
    assert Intervention.objects.filter(case=case).count() == 1


def test_recording_a_milestone_again_with_the_same_idempotency_key_records_it_once_with_its_warnings(
    make_staff: Callable[..., User], call: Callable[..., Any]
) -> None:
    officer = make_staff(Role.OFFICER)
    manager = make_staff(Role.MANAGER, team=officer.team)
    case = open_case(officer)
    party = perpetrator(case)
    base = f"/api/v1/cases/{case.reference}/interventions"
    proposed = call(officer, "post", base, {"kind": "closure_notice", "party": party.pk, "proportionality": REASONS})
    url = f"{base}/{proposed.json()['id']}"
    call(officer, "post", f"{url}/steps", {"action": "request_approval"})
    call(manager, "post", f"{url}/steps", {"action": "approve"})
    call(officer, "post", f"{url}/steps", {"action": "start", "started_on": "2026-06-15"})
    call(
        officer,
        "post",
        f"{url}/milestones",
        {"key": "notice_served", "occurred_on": "2026-06-15", "occurred_time": "08:00"},
    )
    _token, raw = token_create(actor=None, user=officer, name="tests")
    headers = {**bearer(raw), "Idempotency-Key": "hearing-1"}
    body = {"key": "court_hearing", "occurred_on": "2026-06-17", "occurred_time": "09:00"}
    with time_machine.travel(dt.datetime(2026, 6, 18, 12, tzinfo=dt.UTC), tick=False):
        first = Client().post(f"{url}/milestones", body, content_type="application/json", headers=headers)
        again = Client().post(f"{url}/milestones", body, content_type="application/json", headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    assert [w["rule"] for w in again.json()["warnings"]] == ["closure_hearing_48_hours"]
    assert "48 hours" in again.json()["warnings"][0]["message"]
    assert Milestone.objects.filter(intervention_id=proposed.json()["id"], key="court_hearing").count() == 1


def test_an_absolute_ground_notice_served_too_late_is_a_422_naming_the_time_limit(
    make_staff: Callable[..., User], call: Callable[..., Any]
) -> None:
    officer = make_staff(Role.OFFICER)
    manager = make_staff(Role.MANAGER, team=officer.team)
    case = open_case(officer)
    party = perpetrator(case, tenancy_type="assured")
    base = f"/api/v1/cases/{case.reference}/interventions"
    proposed = call(officer, "post", base, {"kind": "absolute_ground", "party": party.pk, "proportionality": REASONS})
    url = f"{base}/{proposed.json()['id']}"
    call(officer, "post", f"{url}/steps", {"action": "request_approval"})
    call(manager, "post", f"{url}/steps", {"action": "approve"})
    call(officer, "post", f"{url}/steps", {"action": "start", "started_on": "2026-06-15"})

    def served(trigger_on: str) -> dict[str, Any]:
        details = {"condition": "closure_order", "trigger_on": trigger_on}
        return {"key": "notice_served", "occurred_on": "2026-06-15", "details": details}

    problem = assert_problem(call(officer, "post", f"{url}/milestones", served("2026-03-15")), 422)
    assert "absolute_ground_notice_time_limit" in problem["detail"] + str(problem.get("errors"))
    # 3 months beginning with 16 March end on 15 June: in time.
    assert call(officer, "post", f"{url}/milestones", served("2026-03-16")).status_code == 201
