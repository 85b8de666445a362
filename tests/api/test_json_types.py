"""What the fuzz (issue 21 part 2) found, fixed in the code: a JSON body's booleans and numbers must be JSON booleans
and numbers, as the schema says (pydantic's lax mode took `0` for false and `"5"` for 5), while a query string's text
is still read as numbers; and the schema says what the edge refuses (hidden control characters, years outside
1900-2100) and that any operation with a parameter can answer 422."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.api.api import EDGE_YEARS, STORABLE_JSON_NAME, STORABLE_TEXT, api
from tests.api.conftest import assert_problem, bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def headers(make_staff: Callable[..., User], token_for: Callable[[User], str]) -> dict[str, str]:
    return bearer(token_for(make_staff(Role.COORDINATOR)))


@pytest.fixture
def post(headers: dict[str, str]) -> Callable[..., Any]:
    def _post(body: dict[str, Any], url: str = "/api/v1/cases") -> Any:
        return Client().post(url, json.dumps(body), content_type="application/json", headers=headers)

    return _post


def _case(**changes: Any) -> dict[str, Any]:
    received = (timezone.now() - dt.timedelta(hours=2)).isoformat()
    return {"case_type": "asb", "summary": "Loud music", "received_at": received, **changes}


@pytest.mark.parametrize("value", [0, 1, "true", "no", 1.0])
def test_a_boolean_sent_as_a_number_or_text_is_a_422_naming_it(post: Callable[..., Any], value: Any) -> None:
    fields = {error["field"] for error in assert_problem(post(_case(restricted=value)), 422)["errors"]}
    assert fields == {"body.payload.restricted"}


@pytest.mark.parametrize("value", [True, False, None])
def test_json_booleans_and_null_are_taken(post: Callable[..., Any], value: Any) -> None:
    assert post(_case(restricted=value)).status_code == 201


def test_a_whole_number_sent_as_text_in_a_body_is_a_422(post: Callable[..., Any]) -> None:
    created = post(_case())
    assert created.status_code == 201
    close = post({"version": "1"}, f"/api/v1/cases/{created.json()['reference']}/close")
    assert "body.payload.version" in {error["field"] for error in assert_problem(close, 422)["errors"]}


def test_numbers_in_a_query_string_are_still_read_as_numbers(headers: dict[str, str]) -> None:
    assert Client().get("/api/v1/cases", {"page": "1", "page_size": "5"}, headers=headers).status_code == 200


def test_the_schema_says_what_the_edge_refuses() -> None:
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    create = schema["components"]["schemas"]["CaseCreateIn"]
    assert create["properties"]["summary"]["pattern"] == STORABLE_TEXT
    assert create["properties"]["received_at"]["pattern"] == EDGE_YEARS
    assert create["propertyNames"] == {"pattern": STORABLE_TEXT}
    assert create["additionalProperties"] == {"$ref": f"#/components/schemas/{STORABLE_JSON_NAME}"}
    assert re.match(STORABLE_TEXT, "tab\tand\nnewline")
    assert not re.match(STORABLE_TEXT, "bell\x07")
    assert re.match(EDGE_YEARS, "2100-12-31")
    assert not re.match(EDGE_YEARS, "2101-01-01")
    only_a_path = schema["paths"]["/api/v1/cases/{reference}/closure"]["get"]["responses"]
    assert "422" in only_a_path or 422 in only_a_path


def test_every_shape_in_the_schema_has_its_own_name() -> None:
    """Two response shapes with one class name share one schema component, so one of them is documented wrongly
    (the fuzz found case_review_review's letters documented as documents' `LetterOut`)."""
    from ninja import Schema

    pending: list[type[Schema]] = list(Schema.__subclasses__())
    names: dict[str, str] = {}
    while pending:
        shape = pending.pop()
        pending.extend(shape.__subclasses__())
        if shape.__module__.startswith("saferhomes.api.") and shape.__name__ in names:
            assert names[shape.__name__] == shape.__module__, f"{shape.__name__} in two modules"
        if shape.__module__.startswith("saferhomes.api."):
            names[shape.__name__] = shape.__module__
    assert "LetterOut" in names
    assert "ApplicationLetterOut" in names
