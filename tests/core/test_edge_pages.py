"""The edge check through real pages (issue 13 part 1): a NUL or other control character typed into a form is a GOV.UK
error on that question, with every other answer kept — on SQLite and on PostgreSQL, where NUL was a DataError (500)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Case
from saferhomes.intake.models import Report
from tests.cases.test_views_cases import _new_case_data
from tests.conftest import client_verified_as

pytestmark = pytest.mark.django_db

CONTROL = "hidden control character. Remove it or type the text again"


@pytest.fixture(autouse=True)
def _private_files(settings: Settings, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path


def test_a_nul_in_the_public_description_is_an_error_on_that_question(client: Client) -> None:
    client.post("/report/safety/", {"danger_now": "no"})
    client.post("/report/problem/", {"problem": "noise"})
    response = client.post("/report/what-happened/", {"description": "Music\x00 until 3am"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert CONTROL in page
    assert not Report.objects.exists()


def test_a_nul_in_a_staff_form_keeps_the_other_answers_and_stores_nothing(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER)
    data = _new_case_data(summary="Dog barking\x00 all night", description="Since \x1bMarch")
    response = client_verified_as(officer).post("/staff/cases/new/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Summary contains a {CONTROL}" in page
    assert CONTROL in page.split("govuk-error-summary", 1)[1]
    assert 'value="Ann"' in page  # the reporter's name is kept
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    "params",
    [{"page": str(10**30)}, {"page": "-1"}, {"page": "x"}, {"received_to_0": "31", "received_to_1": "12",
     "received_to_2": "9999"}, {"received_from_0": "99999999999999999999", "received_from_1": "1",
     "received_from_2": "2026"}, {"q": "x" * 5000}],
)  # fmt: skip
def test_the_case_list_answers_bad_parameters_without_a_server_error(
    staff_client: Callable[..., Client], params: dict[str, str]
) -> None:
    response = staff_client(Role.COORDINATOR).get("/staff/cases/all/", params)
    assert response.status_code in (200, 400)
