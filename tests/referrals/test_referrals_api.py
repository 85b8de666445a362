"""Referrals over the API: list and make (Idempotency-Key), acknowledge, outcome, withdraw; problem+json errors naming
the field; 404 for a case the token holder cannot see; the police time to refer."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.test import Client

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.accounts.services import token_create
from saferhomes.cases.models import Case
from saferhomes.referrals.models import Disclosure, Referral
from tests.access.surfaces import CaseSurface
from tests.api.conftest import assert_problem, bearer
from tests.cases.matrix import case_for
from tests.referrals.referral_helpers import council_agency, police_agency, prompt_shown, working_case

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 16, 12, tzinfo=dt.UTC)  # Monday


@pytest.fixture(autouse=True)
def _now() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def _call(user: User, method: str, url: str, body: dict[str, Any] | None = None, **headers: str) -> Any:
    _token, raw = token_create(actor=None, user=user, name="tests")
    client = Client()
    if method == "get":
        return client.get(url, headers={**bearer(raw), **headers})
    return client.post(url, json.dumps(body), content_type="application/json", headers={**bearer(raw), **headers})


def _body(**overrides: Any) -> dict[str, Any]:
    body = {
        "agency": "example-police-npt",
        "kind": "police",
        "reason": "Hate crime: threats and graffiti",
        "information_shared": "Reporter's name and phone number",
        "lawful_basis": "public_task",
        "consent": "given",
        "crime_reference": "13/123456/26",
        "sent_at": "2026-03-16T11:00:00",
    }
    body.update(overrides)
    return body


@pytest.fixture
def officer(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.OFFICER)


@pytest.fixture
def case(officer: User) -> Case:
    police_agency()
    return working_case(officer, received_at=dt.datetime(2026, 3, 13, 18, tzinfo=dt.UTC))


def test_making_and_listing_a_police_referral(officer: User, case: Case) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 13, 21, tzinfo=dt.UTC), tick=False):
        prompt_shown(officer, case)
    made = _call(officer, "post", f"/api/v1/cases/{case.reference}/referrals", _body(sent_at="2026-03-14T02:00:00"))
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["agency"] == "example-police-npt"
    assert (body["status"], body["crime_reference"], body["version"], body["chases"]) == ("sent", "13/123456/26", 1, 0)
    assert body["time_to_refer"] == {"working_hours": 3.0, "calendar_hours": 5.0, "from_prompt": True}
    assert Disclosure.objects.get().referral_id == body["id"]
    listed = _call(officer, "get", f"/api/v1/cases/{case.reference.lower()}/referrals")
    assert listed.status_code == 200
    assert [each["id"] for each in listed.json()] == [body["id"]]


def test_a_retry_with_the_same_key_makes_one_referral(officer: User, case: Case) -> None:
    url = f"/api/v1/cases/{case.reference}/referrals"
    first = _call(officer, "post", url, _body(), **{"Idempotency-Key": "k-1"})
    again = _call(officer, "post", url, _body(), **{"Idempotency-Key": "k-1"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Referral.objects.count() == Disclosure.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"crime_reference": ""}, "crime_reference", "Enter the crime or incident reference number"),
        ({"crime_reference": "n/a"}, "crime_reference", "4 to 30 letters, numbers"),
        ({"consent": "refused", "lawful_basis": "consent"}, "lawful_basis", "Consent was refused"),
        ({"consent": "not_sought"}, "consent_note", "Say why consent was not sought"),
        ({"agency": "nobody"}, "agency", "There is no agency with the code 'nobody'"),
        ({"agency": "example-council-asb"}, "agency", "A police referral goes to the police"),
        ({"sent_at": "2026-03-17T09:00:00"}, "sent_at", "must be now or in the past"),
    ],
)
def test_rule_failures_are_422_naming_the_field(
    officer: User, case: Case, overrides: dict[str, Any], field: str, message: str
) -> None:
    council_agency()
    response = _call(officer, "post", f"/api/v1/cases/{case.reference}/referrals", _body(**overrides))
    problem = assert_problem(response, 422)
    assert problem["errors"][0]["field"] == field
    assert message in problem["errors"][0]["message"]
    assert not Referral.objects.exists()


@pytest.mark.parametrize("missing", ["lawful_basis", "consent", "kind", "agency", "reason"])
def test_a_missing_answer_is_422_naming_it(officer: User, case: Case, missing: str) -> None:
    body = _body()
    del body[missing]
    problem = assert_problem(_call(officer, "post", f"/api/v1/cases/{case.reference}/referrals", body), 422)
    assert any(error["field"].endswith(missing) for error in problem["errors"])


def test_an_unknown_lawful_basis_is_422(officer: User, case: Case) -> None:
    body = _body(lawful_basis="because")
    problem = assert_problem(_call(officer, "post", f"/api/v1/cases/{case.reference}/referrals", body), 422)
    assert problem["errors"][0]["field"].endswith("lawful_basis")


def test_acknowledge_outcome_and_withdraw(officer: User, case: Case) -> None:
    url = f"/api/v1/cases/{case.reference}/referrals"
    first = _call(officer, "post", url, _body()).json()
    stale = _call(officer, "post", f"{url}/{first['id']}/acknowledge", {"version": 5})
    assert "Someone else changed this referral" in assert_problem(stale, 422)["detail"]
    acknowledged = _call(officer, "post", f"{url}/{first['id']}/acknowledge", {"version": 1})
    assert acknowledged.status_code == 200
    assert (acknowledged.json()["status"], acknowledged.json()["version"]) == ("acknowledged", 2)
    outcome = _call(officer, "post", f"{url}/{first['id']}/outcome", {"outcome": "Crime recorded", "version": 2})
    assert outcome.json()["status"] == "outcome"
    second = _call(officer, "post", url, _body()).json()
    empty = _call(officer, "post", f"{url}/{second['id']}/withdraw", {"reason": ""})
    assert assert_problem(empty, 422)["errors"][0]["field"].endswith("reason")
    withdrawn = _call(officer, "post", f"{url}/{second['id']}/withdraw", {"reason": "Wrong team"})
    assert (withdrawn.json()["status"], withdrawn.json()["withdrawn_reason"]) == ("withdrawn", "Wrong team")
    assert assert_problem(_call(officer, "post", f"{url}/999999/withdraw", {"reason": "x"}), 404)


REFERRALS_LIST = CaseSurface(
    "Partnership", "Referrals of a case (API)", "GET", "/api/v1/cases/{ref}/referrals", "cases.view_case"
)
REFERRAL_MAKE = CaseSurface(
    "Partnership", "Make a referral (API)", "POST", "/api/v1/cases/{ref}/referrals", "referrals.refer_case", ok=201
)


@pytest.mark.parametrize(("role", "sensitivity", "relation"), REFERRALS_LIST.params())
def test_the_api_follows_the_case_access_matrix(
    role: str, sensitivity: str, relation: str, make_staff: Callable[..., User]
) -> None:
    user = make_staff(role)
    case = case_for(user, sensitivity=sensitivity, relation=relation)
    police_agency(handles_da=True)
    listed = _call(user, "get", REFERRALS_LIST.url(ref=case.reference))
    assert listed.status_code == REFERRALS_LIST.expected(role, sensitivity, relation)
    made = _call(user, "post", REFERRAL_MAKE.url(ref=case.reference), _body(sent_at=None))
    assert made.status_code == REFERRAL_MAKE.expected(role, sensitivity, relation)
