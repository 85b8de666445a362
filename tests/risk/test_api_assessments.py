"""The assessments API (issue 7 part 5): POST /api/v1/cases/{reference}/risk-assessments with {instrument, answers}
returns {score, band, marac: {required, grounds}, reassess_by}; GET lists the history; problem+json 422 for bad
answers; 404 for cases the token holder cannot see."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.test import Client

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.accounts.services import token_create
from saferhomes.cases.models import Case, Priority
from saferhomes.core.models import AuditEvent
from saferhomes.risk.models import Assessment
from saferhomes.risk.services.assessments import assessment_override, assessment_record
from tests.api.conftest import assert_problem, bearer
from tests.risk.assessment_helpers import (
    CHECKLIST,
    MATRIX,
    MATRIX_HIGH,
    checklist_answers,
    da_case,
    matrix_answers,
    published,
    victim,
    working_case,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def call() -> Callable[..., Any]:
    """call(user, "get", url, body) with a fresh token of the user's, from a client with no session."""
    api_client = Client()

    def _call(user: User, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
        _token, raw = token_create(actor=None, user=user, name="tests")
        if method == "get":
            return api_client.get(url, headers=bearer(raw))
        return api_client.post(url, body or {}, content_type="application/json", headers=bearer(raw))

    return _call


@pytest.fixture
def officer(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.OFFICER)


def _asb(officer: User, **fields: Any) -> Case:
    return working_case(assigned_officer=officer, team=officer.team, **fields)


def _url(case: Case) -> str:
    return f"/api/v1/cases/{case.reference}/risk-assessments"


def test_post_matrix_assessment_returns_the_contract(officer: User, call: Callable[..., Any]) -> None:
    case = _asb(officer, priority=Priority.LOW)
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC), tick=False):
        response = call(officer, "post", _url(case), {"instrument": MATRIX, "answers": matrix_answers(**MATRIX_HIGH)})
    assert response.status_code == 201, response.content
    body = response.json()
    assessment = Assessment.objects.get()
    assert body["id"] == assessment.pk
    assert (body["instrument"], body["version"], body["score"]) == (MATRIX, 1, 26)
    assert (body["band"], body["computed_band"], body["overridden"]) == ("high", "high", False)
    assert body["reassess_by"] == "2026-03-09"
    assert body["marac"] == {
        "required": False,
        "grounds": [],
        "repeat": False,
        "consent": None,
        "police_callouts_12m": None,
        "referral_made_on": None,
        "not_referred_reason": "",
    }
    assert body["reasons"][0].startswith("Score 26 of")
    case.refresh_from_db()
    assert case.priority == Priority.HIGH


def test_post_da_checklist_with_marac(make_staff: Callable[..., User], call: Callable[..., Any]) -> None:
    specialist = make_staff(Role.DA_SPECIALIST)
    case = da_case(assigned_officer=specialist, team=specialist.team)
    person = victim(case)
    answers: dict[str, Any] = checklist_answers(yes=14, callouts=None)
    answers["police_callouts_12m"] = 3  # numbers may be sent as JSON numbers
    body = {
        "instrument": CHECKLIST,
        "version": 1,
        "answers": answers,
        "subject": person.pk,
        "consent": "refused",
        "professional_judgement_reason": "Strangulation last week",
    }
    response = call(specialist, "post", _url(case), body)
    assert response.status_code == 201, response.content
    marac = response.json()["marac"]
    assert marac["required"] is True
    assert marac["grounds"] == ["visible_high_risk", "potential_escalation", "professional_judgement"]
    assert (marac["repeat"], marac["consent"], marac["police_callouts_12m"]) == (False, "refused", 3)
    assert response.json()["subject"] == person.pk
    assert response.json()["yes_count"] == 14


def test_bad_answers_are_a_422_naming_each_question(officer: User, call: Callable[..., Any]) -> None:
    case = _asb(officer)
    answers = matrix_answers()
    del answers["fear"]
    answers["threats"] = "perhaps"
    answers["made_up"] = "yes"
    body = assert_problem(call(officer, "post", _url(case), {"instrument": MATRIX, "answers": answers}), 422)
    fields = {error["field"] for error in body["errors"]}
    assert fields == {"answers.fear", "answers.threats"}
    assert "made_up" in body["detail"]
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"instrument": "nope", "answers": {}}, "instrument"),
        ({"instrument": CHECKLIST, "answers": {}}, "instrument"),  # not for ASB cases
        ({"instrument": MATRIX, "version": 7, "answers": {}}, "version"),
        ({"instrument": MATRIX, "answers": {}, "subject": 999999}, "subject"),
        ({"instrument": MATRIX, "answers": {}, "professional_judgement_reason": "x"}, "professional_judgement_reason"),
    ],
    ids=["unknown-instrument", "wrong-case-type", "old-version", "unknown-subject", "judgement-on-matrix"],
)
def test_refusals_name_the_field(officer: User, call: Callable[..., Any], body: dict[str, Any], field: str) -> None:
    if body["instrument"] == MATRIX:
        body = {**body, "answers": matrix_answers()}
    problem = assert_problem(call(officer, "post", _url(_asb(officer)), body), 422)
    assert field in {error["field"] for error in problem["errors"]}


def test_schema_errors_are_problems(officer: User, call: Callable[..., Any]) -> None:
    case = _asb(officer)
    assert_problem(call(officer, "post", _url(case), {"answers": {}}), 422)
    assert_problem(call(officer, "post", _url(case), {"instrument": MATRIX, "answers": [1, 2]}), 422)
    problem = assert_problem(
        call(officer, "post", _url(case), {"instrument": MATRIX, "answers": matrix_answers(), "consent": "maybe"}), 422
    )
    assert any(error["field"].endswith("consent") for error in problem["errors"])


def test_get_lists_the_history_newest_first_with_overrides(officer: User, call: Callable[..., Any]) -> None:
    case = _asb(officer)
    with time_machine.travel(dt.datetime(2026, 2, 2, 10, tzinfo=dt.UTC), tick=False):
        first = assessment_record(actor=officer, case=case, instrument=published(MATRIX), answers=matrix_answers())
    with time_machine.travel(dt.datetime(2026, 2, 9, 10, tzinfo=dt.UTC), tick=False):
        second = assessment_record(actor=officer, case=case, instrument=published(MATRIX), answers=matrix_answers())
        assessment_override(actor=officer, assessment=second, band="medium", reason="Neighbours say it is worse")
    response = call(officer, "get", _url(case))
    assert response.status_code == 200
    body = response.json()
    assert [row["id"] for row in body] == [second.pk, first.pk]
    assert (body[0]["band"], body[0]["computed_band"], body[0]["overridden"]) == ("medium", "low", True)
    assert body[0]["override_reason"] == "Neighbours say it is worse"
    assert body[1]["answers"]["fear"] == "not_afraid"


def test_reading_a_da_case_history_is_audited(make_staff: Callable[..., User], call: Callable[..., Any]) -> None:
    specialist = make_staff(Role.DA_SPECIALIST)
    case = da_case(assigned_officer=specialist, team=specialist.team)
    call(specialist, "get", _url(case))
    assert AuditEvent.objects.filter(verb="case.viewed", object_id=str(case.pk), actor=specialist).exists()


def test_invisible_case_is_404_and_missing_case_too(officer: User, make_staff: Callable[..., User],
                                                    call: Callable[..., Any]) -> None:  # fmt: skip
    case = _asb(officer)
    stranger = make_staff(Role.OFFICER, username="stranger", team=None)
    assert_problem(call(stranger, "get", _url(case)), 404)
    assert_problem(call(stranger, "post", _url(case), {"instrument": MATRIX, "answers": matrix_answers()}), 404)
    assert_problem(call(officer, "get", "/api/v1/cases/ASB-2026-999999/risk-assessments"), 404)
    assert not Assessment.objects.exists()


def test_no_token_is_401(officer: User) -> None:
    case = _asb(officer)
    assert_problem(Client().get(_url(case)), 401)


def test_openapi_documents_the_endpoints(officer: User, call: Callable[..., Any]) -> None:
    schema = call(officer, "get", "/api/v1/openapi.json").json()
    path = schema["paths"]["/api/v1/cases/{reference}/risk-assessments"]
    assert set(path) == {"get", "post"}
    assert "application/problem+json" in path["post"]["responses"]["422"]["content"]
