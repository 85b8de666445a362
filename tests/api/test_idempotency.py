"""`Idempotency-Key` on every POST that creates something (issue 13 part 2): a retry creates nothing and answers with
what the first request made (`Idempotent-Replayed: true`); two keys make two; keys of different token holders are
independent."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import models
from django.test import Client
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Case, CaseLink, Party
from saferhomes.core import idempotency
from saferhomes.core.idempotency import create_once
from saferhomes.core.models import IdempotencyRecord
from saferhomes.risk.models import Assessment
from tests.api.conftest import assert_problem, bearer
from tests.cases.factories import CaseFactory
from tests.risk.assessment_helpers import MATRIX, matrix_answers, working_case

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Endpoint:
    """A create endpoint: its URL and body for a case of `officer`'s (or none), what it makes, and its status."""

    name: str
    model: type[models.Model]
    status: int
    setup: Callable[[User], tuple[str, Callable[[], dict[str, Any]]]]


def _new_case(officer: User) -> tuple[str, Callable[[], dict[str, Any]]]:
    def body() -> dict[str, Any]:
        received = (timezone.now() - dt.timedelta(hours=1)).isoformat()
        return {"case_type": "asb", "summary": "Loud music", "received_at": received}

    return "/api/v1/cases", body


def _case_of(officer: User) -> Case:
    case: Case = working_case(assigned_officer=officer, team=officer.team)
    return case


def _party(officer: User) -> tuple[str, Callable[[], dict[str, Any]]]:
    case = _case_of(officer)
    return f"/api/v1/cases/{case.reference}/parties", lambda: {"role": "witness", "first_name": "Wendy"}


def _link(officer: User) -> tuple[str, Callable[[], dict[str, Any]]]:
    case = _case_of(officer)

    def body() -> dict[str, Any]:  # a fresh case to link each time: a second key links a second case
        other = CaseFactory.create(assigned_officer=officer, team=officer.team)
        return {"other_reference": other.reference, "reason": "same_location"}

    return f"/api/v1/cases/{case.reference}/links", body


def _assessment(officer: User) -> tuple[str, Callable[[], dict[str, Any]]]:
    case = _case_of(officer)
    return f"/api/v1/cases/{case.reference}/risk-assessments", lambda: {
        "instrument": MATRIX,
        "answers": matrix_answers(),
    }


ENDPOINTS = [
    Endpoint("cases", Case, 201, _new_case),
    Endpoint("parties", Party, 201, _party),
    Endpoint("links", CaseLink, 200, _link),
    Endpoint("risk-assessments", Assessment, 201, _assessment),
]


@pytest.fixture
def post(token_for: Callable[[User], str]) -> Callable[..., Any]:
    tokens: dict[int, str] = {}

    def _post(user: User, url: str, body: dict[str, Any], key: str | None = None) -> Any:
        token = tokens.setdefault(user.pk, token_for(user))
        headers = {**bearer(token), **({"Idempotency-Key": key} if key is not None else {})}
        return Client().post(url, json.dumps(body), content_type="application/json", headers=headers)

    return _post


@pytest.fixture
def officer(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.OFFICER)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.name for e in ENDPOINTS])
def test_a_retry_with_the_same_key_creates_nothing_and_replays(
    endpoint: Endpoint, officer: User, post: Callable[..., Any]
) -> None:
    url, body = endpoint.setup(officer)
    before = endpoint.model._default_manager.count()
    first = post(officer, url, body(), key="retry-1")
    assert first.status_code == endpoint.status, first.content
    assert "Idempotent-Replayed" not in first
    again = post(officer, url, body(), key="retry-1")
    assert again.status_code == endpoint.status, again.content
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert endpoint.model._default_manager.count() == before + 1


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.name for e in ENDPOINTS])
def test_two_keys_make_two(endpoint: Endpoint, officer: User, post: Callable[..., Any]) -> None:
    url, body = endpoint.setup(officer)
    before = endpoint.model._default_manager.count()
    assert post(officer, url, body(), key="one").status_code == endpoint.status
    second = post(officer, url, body(), key="two")
    assert second.status_code == endpoint.status, second.content
    assert "Idempotent-Replayed" not in second
    assert endpoint.model._default_manager.count() == before + 2


def test_post_cases_retried_with_one_idempotency_key_opens_one_case(officer: User, post: Callable[..., Any]) -> None:
    url, body = _new_case(officer)
    answers = [post(officer, url, body(), key="client-retry-7") for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 201, 201]
    assert {a.json()["reference"] for a in answers} == {Case.objects.get().reference}
    assert [a.get("Idempotent-Replayed") for a in answers] == [None, "true", "true"]


def test_another_token_holders_same_key_is_independent(
    officer: User, make_staff: Callable[..., User], post: Callable[..., Any]
) -> None:
    colleague = make_staff(Role.OFFICER, username="officer_oscar", team=officer.team)
    url, body = _new_case(officer)
    mine = post(officer, url, body(), key="shared-key")
    theirs = post(colleague, url, body(), key="shared-key")
    assert mine.status_code == theirs.status_code == 201
    assert "Idempotent-Replayed" not in theirs
    assert mine.json()["reference"] != theirs.json()["reference"]
    assert Case.objects.count() == 2


def test_a_refused_create_keeps_no_key_so_a_corrected_retry_goes_through(
    officer: User, post: Callable[..., Any]
) -> None:
    url, body = _new_case(officer)
    future = (timezone.now() + dt.timedelta(days=2)).isoformat()
    assert_problem(post(officer, url, {**body(), "received_at": future}, key="fix-and-retry"), 422)
    assert not IdempotencyRecord.objects.exists()
    response = post(officer, url, body(), key="fix-and-retry")
    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response


@pytest.mark.parametrize(("key", "message"), [("k" * 201, "200 characters"), ("bad\x01key", "control character")])
def test_a_key_too_long_or_unreadable_is_a_422_naming_the_header(
    officer: User, post: Callable[..., Any], key: str, message: str
) -> None:
    url, body = _new_case(officer)
    response = assert_problem(post(officer, url, body(), key=key), 422)
    assert response["errors"][0]["field"] == "header.Idempotency-Key"
    assert message in response["errors"][0]["message"]
    assert not Case.objects.exists()


def test_a_lost_race_answers_with_the_winners_object(officer: User, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two requests with one key both found nothing; the second's key record breaks the unique constraint, so its
    create is rolled back and it answers with what the first made."""
    winner = create_once(actor=officer, scope="test", key="race", create=lambda: 41)
    looked_up = idempotency._made_before
    looks: list[int | None] = []

    def late_look(**kwargs: Any) -> int | None:  # the loser's first look-up ran before the winner committed
        found = looked_up(**kwargs) if looks else None
        looks.append(found)
        return found

    monkeypatch.setattr(idempotency, "_made_before", late_look)
    made: list[int] = []

    def create() -> int:
        made.append(42)
        return 42

    loser = idempotency.create_once(actor=officer, scope="test", key="race", create=create)
    assert made == [42]  # it did run, and was rolled back
    assert (winner.object_id, winner.replayed) == (41, False)
    assert (loser.object_id, loser.replayed) == (41, True)
    assert IdempotencyRecord.objects.count() == 1
