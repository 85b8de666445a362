"""POST /api/v1/case-reviews and GET /api/v1/case-reviews/{reference} (issue 17 part 8): the shapes, the idempotency
key, and 422 problem+json naming the field for a broken rule."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.case_review.models import Application
from saferhomes.case_review.services.threshold import complaint_add, threshold_decide
from tests.api.conftest import assert_problem, bearer, token_for
from tests.case_review.helpers import london, report_on

pytestmark = pytest.mark.django_db
__all__ = ["token_for"]
URL = "/api/v1/case-reviews"
TODAY = dt.date(2026, 8, 20)


@pytest.fixture(autouse=True)
def _now() -> Iterator[None]:
    with time_machine.travel(london(TODAY, 18), tick=False):
        yield


@pytest.fixture
def officer(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.OFFICER)


@pytest.fixture
def call(token_for: Callable[[User], str]) -> Callable[..., Any]:
    def _call(user: User, method: str, url: str, body: Any = None, **headers: str) -> Any:
        client = Client()
        auth = {**bearer(token_for(user)), **headers}
        if method == "get":
            return client.get(url, headers=auth)
        return client.post(url, json.dumps(body), content_type="application/json", headers=auth)

    return _call


def body(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "applicant": {
            "first_name": "Ada", "last_name": "Hale", "email": "applicant@example.org", "phone": "", "address": "",
            "postcode": "", "person_reference": "",
        },
        "on_behalf_of": None,
        "victim_consent": None,
        "description": "Noise every night for months",
        "location": "Bramble Court",
        "property_reference": "",
        "received_at": "2026-08-19T10:00:00+01:00",
    }  # fmt: skip
    return base | changes


def test_create_answers_201_with_reference_status_and_deadline(officer: User, call: Callable[..., Any]) -> None:
    response = call(officer, "post", URL, body())
    assert response.status_code == 201
    data = response.json()
    assert set(data) == {"reference", "status", "decision_due_at"}
    assert data["reference"].startswith("CR-2026-")
    assert data["status"] == "received"
    assert data["decision_due_at"] == "2026-09-03T23:59:59+01:00"
    assert Application.objects.get().channel == "api"


def test_a_retry_with_the_same_idempotency_key_makes_one_application(officer: User, call: Callable[..., Any]) -> None:
    first = call(officer, "post", URL, body(), **{"Idempotency-Key": "abc-1"})
    again = call(officer, "post", URL, body(), **{"Idempotency-Key": "abc-1"})
    assert first.json() == again.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Application.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"on_behalf_of": {"first_name": "Sam"}, "victim_consent": None}, "victim_consent"),
        ({"on_behalf_of": {"first_name": "Sam"}, "victim_consent": False}, "victim_consent"),
        ({"received_at": "2026-08-21T10:00:00+01:00"}, "received_at"),
        ({"applicant": {"first_name": "Ada", "last_name": "Hale", "email": "nope"}}, "applicant.email"),
        ({"property_reference": "NO-SUCH-HOME"}, "property_reference"),
    ],
)
def test_rule_breaks_are_422_problems_naming_the_field(
    officer: User, call: Callable[..., Any], changes: dict[str, Any], field: str
) -> None:
    problem = assert_problem(call(officer, "post", URL, body(**changes)), 422)
    assert field in [error["field"] for error in problem["errors"]]
    assert not Application.objects.exists()


@pytest.mark.parametrize("received_at", ["2026-02-30T10:00:00Z", "0", "2026-13-01"])
def test_impossible_dates_are_422(officer: User, call: Callable[..., Any], received_at: str) -> None:
    assert_problem(call(officer, "post", URL, body(received_at=received_at)), 422)
    assert not Application.objects.exists()


def test_on_behalf_with_consent_is_taken(officer: User, call: Callable[..., Any]) -> None:
    response = call(
        officer, "post", URL, body(on_behalf_of={"first_name": "Sam", "last_name": "Lee"}, victim_consent=True)
    )
    assert response.status_code == 201
    assert Application.objects.get().victim_first_name == "Sam"


def test_read_shows_the_threshold_complaints_and_the_decision(
    officer: User, make_staff: Callable[..., User], call: Callable[..., Any]
) -> None:
    report_on(dt.date(2026, 2, 18))
    report = report_on(dt.date(2026, 5, 1))
    reference = call(officer, "post", URL, body()).json()["reference"]
    application = Application.objects.get(reference=reference)
    complaint_add(
        actor=officer, application=application, agency_name="Police", received_on=dt.date(2026, 7, 1),
        occurred_on=dt.date(2026, 6, 30),
    )  # fmt: skip
    data = call(officer, "get", f"{URL}/{reference.lower()}").json()
    assert data["threshold"]["rule"] == "three_complaints"
    assert data["threshold"]["required"] == 3
    assert data["threshold"]["suggested_met"] is False
    assert data["threshold"]["complaints"][0] == {
        "report_reference": data["threshold"]["complaints"][0]["report_reference"],
        "case_reference": None,
        "agency": None,
        "received_at": "2026-02-18",
        "occurred_at": "2026-02-18",
        "counts": False,
        "reason": "outside_window",
    }
    assert data["threshold"]["complaints"][1]["report_reference"] == report.reference
    assert data["threshold"]["complaints"][2]["agency"] == "Police"
    assert data["decision"] is None
    threshold_decide(
        actor=make_staff(Role.COORDINATOR), application=application, rule_key="three_complaints", met=False,
        reasons="Two complaints in the window.",
    )  # fmt: skip
    decided = call(officer, "get", f"{URL}/{reference}").json()
    assert decided["status"] == "threshold_not_met"
    assert decided["decision"]["met"] is False
    assert decided["decision"]["rule_set_version"] == 1


def test_partners_get_403_or_404(make_staff: Callable[..., User], officer: User, call: Callable[..., Any]) -> None:
    reference = call(officer, "post", URL, body()).json()["reference"]
    partner = make_staff(Role.PARTNER)
    assert call(partner, "post", URL, body()).status_code == 403
    assert call(partner, "get", f"{URL}/{reference}").status_code == 404
    assert Application.objects.count() == 1
