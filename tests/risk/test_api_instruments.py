"""GET /api/v1/instruments: the published instruments with their questions and allowed answers, for assessors."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.accounts.services import token_create
from saferhomes.risk.services.instruments import instrument_load
from tests.api.conftest import assert_problem, bearer
from tests.risk.instrument_helpers import next_version

pytestmark = pytest.mark.django_db

URL = "/api/v1/instruments"


@pytest.fixture(name="get")
def get_fixture(make_staff: Callable[..., User]) -> Callable[..., object]:
    def _get(role: str = Role.OFFICER, query: str = ""):
        _token, raw = token_create(actor=None, user=make_staff(role), name="tests")
        return Client().get(URL + query, headers=bearer(raw))

    return _get


def test_lists_each_published_instrument_with_questions_answers_and_bands(get) -> None:
    response = get()
    assert response.status_code == 200
    body = {i["id"]: i for i in response.json()}
    assert set(body) == {"asb-hate-matrix", "da-checklist", "household-factors"}
    da = body["da-checklist"]
    assert da["version"] == 1
    assert da["kind"] == "checklist"
    assert da["applies_to"] == ["da"]
    assert len(da["questions"]) == 25
    injury = da["questions"][0]
    assert injury["id"] == "injury"
    assert injury["type"] == "yes_no_unknown"
    assert injury["required"] is True
    assert injury["answers"] == [
        {"value": "yes", "label": "Yes"},
        {"value": "no", "label": "No"},
        {"value": "not_known", "label": "Not known"},
    ]
    callouts = next(q for q in da["questions"] if q["id"] == "police_callouts_12m")
    assert callouts["type"] == "number"
    assert callouts["answers"] == []
    assert [(b["key"], b["min_score"], b["reassess_days"]) for b in da["bands"]] == [
        ("standard", 0, 28),
        ("medium", 10, 14),
        ("high", 14, 7),
    ]
    assert da["marac"] == {"yes_threshold": 14, "escalation_callouts": 3, "callouts_question": "police_callouts_12m"}
    matrix = body["asb-hate-matrix"]
    assert matrix["max_score"] == 47
    assert matrix["marac"] is None
    assert "weight" not in matrix["questions"][0]["answers"][0]
    assert body["household-factors"]["bands"] == []
    assert body["household-factors"]["max_score"] is None


@pytest.mark.parametrize(
    ("case_type", "keys"),
    [("da", ["da-checklist", "household-factors"]), ("hate", ["asb-hate-matrix", "household-factors"])],
)
def test_filters_by_case_type(get, case_type: str, keys: list[str]) -> None:
    response = get(query=f"?case_type={case_type}")
    assert [i["id"] for i in response.json()] == keys


def test_an_unknown_case_type_is_a_422_problem(get) -> None:
    body = assert_problem(get(query="?case_type=noise"), 422)
    assert body["errors"][0]["field"] == "query.case_type"


def test_only_the_published_version_is_listed(get) -> None:
    instrument_load(actor=None, text=next_version("asb-hate-matrix"), source_name="v2.yaml")  # a draft
    assert {i["id"]: i["version"] for i in get().json()}["asb-hate-matrix"] == 1
    instrument_load(actor=None, text=next_version("asb-hate-matrix", 3), source_name="v3.yaml", publish=True)
    assert {i["id"]: i["version"] for i in get().json()}["asb-hate-matrix"] == 3


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.OFFICER, 200),
        (Role.COORDINATOR, 200),
        (Role.DA_SPECIALIST, 200),
        (Role.MANAGER, 200),
        (Role.ADMIN, 200),
        (Role.PARTNER, 403),
        (Role.DPO, 403),
    ],
)
def test_who_may_read_the_instruments(get, role: str, status: int) -> None:
    response = get(role)
    if status == 200:
        assert response.status_code == 200
    else:
        assert_problem(response, status)


def test_no_token_is_a_401_problem() -> None:
    assert_problem(Client().get(URL), 401)
