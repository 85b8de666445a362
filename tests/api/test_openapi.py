"""The OpenAPI document and the interactive docs page."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(api_client) -> dict:
    response = api_client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_openapi_is_json_with_a_bearer_security_scheme(schema) -> None:
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Saferhomes API"
    schemes = schema["components"]["securitySchemes"]
    assert schemes == {"TokenAuth": {"type": "http", "scheme": "bearer"}}


def test_every_operation_requires_the_bearer_token(schema) -> None:
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert operations
    assert all(op.get("security") == [{"TokenAuth": []}] for op in operations)


def test_me_is_documented_with_its_fields_and_problem_responses(schema) -> None:
    me = schema["paths"]["/api/v1/me"]["get"]
    ok = me["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert set(schema["components"]["schemas"][ok]["properties"]) == {
        "username",
        "full_name",
        "email",
        "role",
        "role_label",
        "team",
        "permissions",
    }
    for status in ("401", "429"):
        assert list(me["responses"][status]["content"]) == ["application/problem+json"]


def test_the_error_shape_is_documented_in_the_description(schema) -> None:
    description = schema["info"]["description"]
    assert "application/problem+json" in description
    for key in ('"type"', '"title"', '"status"', '"detail"', '"errors"', '"field"', '"message"'):
        assert key in description


def test_docs_page_loads_under_the_strict_content_security_policy(api_client) -> None:
    response = api_client.get("/api/v1/docs")
    assert response.status_code == 200
    assert b"swagger-ui" in response.content
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in response["Content-Security-Policy"].split(";") if part.strip()
    )
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert directives["connect-src"] == ["'self'"]
    # Everything the page loads is local: ninja's own static copy of Swagger UI, and our openapi.json.
    assert b"/static/ninja/swagger-ui-bundle.js" in response.content
    assert b"/static/ninja/swagger-ui-init.js" in response.content
    assert b"cdn." not in response.content
    assert b'"url": "/api/v1/openapi.json"' in response.content


def test_docs_and_schema_need_no_token(api_client) -> None:
    assert api_client.get("/api/v1/docs").status_code == 200
    assert api_client.get("/api/v1/openapi.json").status_code == 200
