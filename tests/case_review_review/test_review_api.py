"""The review over the API (issue 17 parts 4 and 5): `GET /api/v1/case-reviews/{reference}/review` gives what the
review page shows; 404 for people who may not see applications (partners included)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.accounts.services import token_create
from saferhomes.case_review.models import Application
from saferhomes.referrals.models import Agency
from tests.api.conftest import assert_problem, bearer
from tests.case_review_review.helpers import outcome_sent

pytestmark = pytest.mark.django_db


def _get(user: User, url: str) -> object:
    _token, raw = token_create(actor=None, user=user, name="tests")
    return Client().get(url, headers=bearer(raw))


def test_the_review_reads_as_its_page_shows_it(
    cara: User, met: Application, agencies: list[Agency], make_staff: Callable[..., User]
) -> None:
    application = outcome_sent(met, cara, agencies)
    response = _get(cara, f"/api/v1/case-reviews/{application.reference.lower()}/review")
    assert response.status_code == 200  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert body["reference"] == application.reference
    assert body["status"] == "outcome_sent"
    assert body["spoc"] == "Cara Coordinator"
    assert body["recommendations_made"] is True
    assert body["panel"]["chair"] == "Cara Coordinator"
    assert body["panel"]["attendees"]
    assert {i["agency_code"] for i in body["invitations"]} <= {a.code for a in agencies}
    assert body["recommendations"]
    assert all(set(r) >= {"text", "owner", "due_on", "status", "overdue"} for r in body["recommendations"])
    assert [letter["kind"] for letter in body["letters"]].count("outcome") == 1
    assert body["appeal"] is None


def test_people_who_may_not_see_applications_get_a_404(met: Application, make_staff: Callable[..., User]) -> None:
    url = f"/api/v1/case-reviews/{met.reference}/review"
    for role in (Role.PARTNER, Role.DPO, Role.ADMIN):
        assert_problem(_get(make_staff(role, username=f"{role}_x"), url), 404)
    officer = make_staff(Role.OFFICER, username="officer_x")
    assert _get(officer, url).status_code == 200  # type: ignore[attr-defined]
    assert_problem(_get(officer, "/api/v1/case-reviews/CR-2026-999999/review"), 404)
