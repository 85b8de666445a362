"""Issue 13, part 1, the API's findings: each one a named test (all crashed or misread input before)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Case, CaseType, Party
from saferhomes.core.calendar import LONDON
from saferhomes.intake.models import Report
from tests.api.conftest import assert_problem, bearer
from tests.cases.matrix import case_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.OFFICER)


@pytest.fixture
def send(token_for: Callable[[User], str]) -> Callable[..., Any]:
    """send(user, "post", url, body) with a fresh token; a str body is sent as it is (raw JSON)."""

    def _send(user: User, method: str, url: str, body: Any = None, **headers: str) -> Any:
        all_headers = {**bearer(token_for(user)), **headers}
        if method == "get":
            return Client().get(url, body or {}, headers=all_headers)
        raw = body if isinstance(body, str) else json.dumps(body)
        return Client().post(url, raw, content_type="application/json", headers=all_headers)

    return _send


def _yesterday_local() -> dt.datetime:
    """Yesterday at 10:00 in London, without an offset."""
    day = (timezone.now().astimezone(LONDON) - dt.timedelta(days=1)).date()
    return dt.datetime.combine(day, dt.time(10, 0))


def _case_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "case_type": "asb",
        "summary": "Loud music every night",
        "received_at": (timezone.now() - dt.timedelta(hours=2)).isoformat(),
        "reporter": {"role": "reporter", "first_name": "Ada", "last_name": "Hale"},
    }
    body.update(changes)
    return body


def _report_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "channel": "partner",
        "type": "asb",
        "description": "Youths throwing stones at windows",
        "reporter": {"first_name": "Ada", "last_name": "Hale"},
    }
    body.update(changes)
    return body


def _fields(response: Any, status: int = 422) -> set[str]:
    return {error["field"] for error in assert_problem(response, status)["errors"]}


# Dates and times ----------------------------------------------------------------------------------------------------


def test_year_one_received_at_on_a_new_case_is_a_422_not_a_500(officer: User, send: Callable[..., Any]) -> None:
    response = send(officer, "post", "/api/v1/cases", _case_body(received_at="0001-01-01T00:00:00Z"))
    assert _fields(response) == {"body.payload.received_at"}
    assert "between 1900 and 2100" in response.json()["errors"][0]["message"]
    assert not Case.objects.exists()


def test_received_at_without_an_offset_on_a_new_case_is_read_as_london_time(
    officer: User, send: Callable[..., Any]
) -> None:
    local = _yesterday_local()
    response = send(officer, "post", "/api/v1/cases", _case_body(received_at=local.isoformat()))
    assert response.status_code == 201, response.content
    case = Case.objects.get()
    assert case.received_at == timezone.make_aware(local, LONDON)


def test_a_report_time_without_an_offset_is_read_as_london_time_too(officer: User, send: Callable[..., Any]) -> None:
    local = _yesterday_local()
    response = send(officer, "post", "/api/v1/reports", _report_body(received_at=local.isoformat()))
    assert response.status_code == 201, response.content
    assert Report.objects.get().received_at == timezone.make_aware(local, LONDON)


def test_a_date_of_birth_out_of_range_is_a_422(officer: User, send: Callable[..., Any]) -> None:
    case = case_for(officer, sensitivity="normal", relation="assigned")
    body = {"role": "witness", "first_name": "Wendy", "date_of_birth": "0001-01-01"}
    response = send(officer, "post", f"/api/v1/cases/{case.reference}/parties", body)
    assert _fields(response) == {"body.payload.date_of_birth"}


# The case list's query -----------------------------------------------------------------------------------------------


def test_case_list_page_ten_to_the_thirty_is_a_422_not_a_500(
    make_staff: Callable[..., User], send: Callable[..., Any]
) -> None:
    response = send(make_staff(Role.COORDINATOR), "get", "/api/v1/cases", {"page": str(10**30)})
    assert _fields(response) == {"query.page"}


def test_case_list_received_to_year_9999_is_a_422_not_a_500(
    make_staff: Callable[..., User], send: Callable[..., Any]
) -> None:
    response = send(make_staff(Role.COORDINATOR), "get", "/api/v1/cases", {"received_to": "9999-12-31"})
    assert _fields(response) == {"query.received_to"}
    assert "between 1900 and 2100" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize("value", ["0", "1700000000", "2026-13-01", "31/12/2026"])
def test_case_list_received_to_zero_is_not_a_date(
    make_staff: Callable[..., User], send: Callable[..., Any], value: str
) -> None:
    response = send(make_staff(Role.COORDINATOR), "get", "/api/v1/cases", {"received_to": value})
    assert _fields(response) == {"query.received_to"}


def test_case_list_takes_dates_in_range_and_empty_parameters(
    make_staff: Callable[..., User], send: Callable[..., Any]
) -> None:
    query = {"received_from": "1900-01-01", "received_to": "2100-12-31", "case_type": "", "sort": ""}
    response = send(make_staff(Role.COORDINATOR), "get", "/api/v1/cases", query)
    assert response.status_code == 200, response.content


# Text no column can hold --------------------------------------------------------------------------------------------


def test_organisation_of_151_characters_is_a_422_before_any_write(officer: User, send: Callable[..., Any]) -> None:
    case = case_for(officer, sensitivity="normal", relation="assigned")
    url = f"/api/v1/cases/{case.reference}/parties"
    body = {"role": "professional", "first_name": "Pat", "organisation": "x" * 151}
    assert _fields(send(officer, "post", url, body)) == {"body.payload.organisation"}
    assert not Party.objects.filter(case=case).exists()
    assert send(officer, "post", url, {**body, "organisation": "x" * 150}).status_code == 201


def test_lone_surrogate_in_a_report_body_is_a_422_naming_the_field(officer: User, send: Callable[..., Any]) -> None:
    raw = json.dumps(_report_body()).replace('"Ada"', '"\\ud800 noise"')
    response = send(officer, "post", "/api/v1/reports", raw)
    body = assert_problem(response, 422)
    assert body["errors"] == [
        {
            "field": "body.reporter.first_name",
            "message": "This value contains a character we cannot store. Remove it or type the text again",
        }
    ]
    assert not Report.objects.exists()


def test_lone_surrogate_in_a_case_body_is_a_422_naming_the_field(officer: User, send: Callable[..., Any]) -> None:
    raw = json.dumps(_case_body(summary="SURROGATE", sub_types=["noise"])).replace("SURROGATE", "\\udfff noise")
    assert _fields(send(officer, "post", "/api/v1/cases", raw)) == {"body.summary"}
    assert not Case.objects.exists()


def test_nul_in_a_body_is_a_422_naming_each_field(officer: User, send: Callable[..., Any]) -> None:
    body = _report_body(location="Car\x00park", reporter={"first_name": "A\x07da", "last_name": "Hale"})
    response = send(officer, "post", "/api/v1/reports", body)
    assert _fields(response) == {"body.location", "body.reporter.first_name"}
    assert "hidden control character" in response.json()["errors"][0]["message"]
    assert not Report.objects.exists()


def test_tabs_and_newlines_in_a_body_are_fine(officer: User, send: Callable[..., Any]) -> None:
    response = send(officer, "post", "/api/v1/reports", _report_body(description="Stones.\n\tAgain at 10pm.\r\n"))
    assert response.status_code == 201, response.content


@pytest.mark.parametrize("raw", ["[1, 2]", '"text"', "null", "42", '{"type": NaN}'])
def test_a_body_that_is_not_an_object_is_a_clean_4xx(officer: User, send: Callable[..., Any], raw: str) -> None:
    assert _fields(send(officer, "post", "/api/v1/reports", raw)) == {"body"}


# JSON null for "not given" ------------------------------------------------------------------------------------------


def test_location_null_on_a_report_means_not_given(officer: User, send: Callable[..., Any]) -> None:
    response = send(
        officer, "post", "/api/v1/reports", _report_body(location=None, property_reference=None, hate_strands=None)
    )
    assert response.status_code == 201, response.content
    assert Report.objects.get().location_text == ""


def test_null_for_every_optional_case_field_means_not_given(officer: User, send: Callable[..., Any]) -> None:
    nulls = dict.fromkeys(("description", "category", "sub_types", "hate_strands", "urgent", "urgent_reason"))
    nulls |= dict.fromkeys(("restricted", "property_references", "location_text"))
    reporter = {"role": None, "first_name": "Ada", "last_name": None, "phone": None, "anonymous": None}
    response = send(officer, "post", "/api/v1/cases", _case_body(**nulls, reporter=reporter))
    assert response.status_code == 201, response.content
    case = Case.objects.get()
    assert (case.description, case.location_text, case.urgent) == ("", "", False)


def test_null_keeps_its_meaning_for_a_nullable_field(officer: User, send: Callable[..., Any]) -> None:
    response = send(officer, "post", "/api/v1/cases", _case_body(reporter=None))
    assert response.status_code == 201, response.content
    assert not Party.objects.exists()


def test_a_required_field_sent_as_null_is_still_a_422(officer: User, send: Callable[..., Any]) -> None:
    response = send(officer, "post", "/api/v1/cases", _case_body(case_type=None, summary=None))
    assert _fields(response) == {"body.payload.case_type", "body.payload.summary"}


# One set of type names ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["da", "domestic_abuse"])
def test_reports_take_type_da_as_cases_do_and_keep_domestic_abuse_as_an_alias(
    officer: User, send: Callable[..., Any], name: str
) -> None:
    response = send(officer, "post", "/api/v1/reports", _report_body(type=name))
    assert response.status_code == 201, response.content
    assert Report.objects.get().case_type == CaseType.DA


def test_cases_take_the_same_type_names_as_reports(officer: User, send: Callable[..., Any]) -> None:
    for name in ("asb", "hate", "da"):
        body = _case_body(case_type=name, hate_strands=["race"] if name == "hate" else [])
        assert send(officer, "post", "/api/v1/cases", body).status_code == 201
    assert _fields(send(officer, "post", "/api/v1/cases", _case_body(case_type="domestic_abuse"))) == {
        "body.payload.case_type"
    }
