"""The insights API (issue 18 parts 3-5): hotspot counts, the published "action we've taken" exactly as the public
page shows it, and the registers; each refused to those who may not see it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
import time_machine
from django.test import Client

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import CaseType
from saferhomes.insights.models import ActionTakenSnapshot, PolicyReview
from tests.api.conftest import assert_problem, bearer
from tests.cases.factories import CaseFactory
from tests.housing.factories import EstateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _july_2026() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 7, 1, 10, tzinfo=dt.UTC), tick=False):
        yield


def _get(api_client: Client, token: str, url: str) -> object:
    return api_client.get(url, headers=bearer(token))


def test_hotspot_counts_for_a_coordinator_leave_out_da_cases(
    make_staff: Callable[..., User], token_for: Callable[[User], str], api_client: Client
) -> None:
    coordinator = make_staff(Role.COORDINATOR)
    estate = EstateFactory.create(name="Oak")
    CaseFactory.create(estate=estate, received_at=dt.datetime(2026, 5, 2, 12, tzinfo=dt.UTC))
    CaseFactory.create(estate=estate, case_type=CaseType.DA, received_at=dt.datetime(2026, 5, 2, 12, tzinfo=dt.UTC))
    response = api_client.get(
        "/api/v1/insights/hotspots?start=2026-05-01&end=2026-06-30", headers=bearer(token_for(coordinator))
    )
    assert response.status_code == 200
    body = response.json()
    assert body["estates"] == [
        {"estate": "Oak", "area": estate.area.name, "cases": 1, "latitude": None, "longitude": None}
    ]
    assert [p["cases"] for p in body["periods"]] == [1, 0]


def test_hotspots_refuse_a_reversed_period_with_a_problem_naming_the_field(
    make_staff: Callable[..., User], token_for: Callable[[User], str], api_client: Client
) -> None:
    token = token_for(make_staff(Role.MANAGER))
    response = api_client.get("/api/v1/insights/hotspots?start=2026-06-01&end=2026-05-01", headers=bearer(token))
    problem = assert_problem(response, 422)
    assert "end" in str(problem)
    bad_date = api_client.get("/api/v1/insights/hotspots?start=2026-02-31", headers=bearer(token))
    assert_problem(bad_date, 422)


@pytest.mark.parametrize(
    "url", ["/api/v1/insights/hotspots", "/api/v1/insights/initiatives", "/api/v1/insights/training"]
)
def test_an_officer_is_refused(
    url: str, make_staff: Callable[..., User], token_for: Callable[[User], str], api_client: Client
) -> None:
    assert_problem(api_client.get(url, headers=bearer(token_for(make_staff(Role.OFFICER)))), 403)


def test_published_action_taken_is_suppressed_as_on_the_public_page(
    make_staff: Callable[..., User], token_for: Callable[[User], str], api_client: Client
) -> None:
    manager = make_staff(Role.MANAGER)
    ActionTakenSnapshot.objects.create(
        quarter_start=dt.date(2026, 4, 1),
        figures={"areas": [{"area": "North", "counts": {"warnings": 7, "injunctions": 2}}]},
        threshold=5,
        approved_by=manager,
    )
    response = api_client.get("/api/v1/insights/action-taken", headers=bearer(token_for(make_staff(Role.OFFICER))))
    assert response.status_code == 200
    [quarter] = response.json()
    assert quarter["label"] == "April to June 2026"
    figures = {f["heading"]: f for f in quarter["areas"][0]["figures"]}
    assert figures["Warnings given"]["value"] == 7
    assert figures["Civil injunctions"] == {"heading": "Civil injunctions", "value": None, "text": "fewer than 5"}


def test_registers_for_a_manager(
    make_staff: Callable[..., User], token_for: Callable[[User], str], api_client: Client
) -> None:
    manager = make_staff(Role.MANAGER)
    PolicyReview.objects.create(kind="annual", due_on=dt.date(2026, 7, 10), created_by=manager)
    token = token_for(manager)
    reviews = api_client.get("/api/v1/insights/policy-reviews", headers=bearer(token)).json()
    assert [(r["kind"], r["state"]) for r in reviews] == [("annual", "due")]
    assert api_client.get("/api/v1/insights/initiatives", headers=bearer(token)).json() == []
    assert api_client.get("/api/v1/insights/training", headers=bearer(token)).status_code == 200
