"""The OpenAPI document says what the API accepts and answers (issue 13 part 2): every status each operation can give,
an enum for every closed set of values, one set of case type names, and a length for every text input that fits the
column it is written to."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps

from saferhomes.api import api as _built  # noqa: F401  # every router's shapes defined, so ApiIn knows them all
from saferhomes.api.api import STORABLE_JSON_NAME
from saferhomes.api.schemas import ApiIn

pytestmark = pytest.mark.django_db

CASE_TYPES = {"asb", "hate", "da"}
STATUSES = {"new", "triaged", "open", "closing", "closed", "reopened"}
PROBLEM = "application/problem+json"


@pytest.fixture
def schema(api_client) -> dict[str, Any]:
    response = api_client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


def _operations(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield f"{method.upper()} {path}", operation


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _enum(schema: dict[str, Any], node: dict[str, Any]) -> set[str] | None:
    """The values a property takes, following $ref, allOf, anyOf (null aside) and array items."""
    node = _resolve(schema, node)
    if "enum" in node:
        return set(node["enum"])
    for key in ("allOf", "anyOf"):
        for part in node.get(key, []):
            found = _enum(schema, part)
            if found is not None:
                return found
    if node.get("type") == "array":
        return _enum(schema, node["items"])
    return None


def _request_body(operation: dict[str, Any]) -> dict[str, Any]:
    """The schema of a body sent as JSON, or as multipart/form-data (an evidence upload: issue 21 part 1)."""
    content = operation["requestBody"]["content"]
    return dict(content.get("application/json") or content["multipart/form-data"])["schema"]


def _body_schema(schema: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any]:
    return _resolve(schema, _request_body(operation))


def _input(schema: dict[str, Any], method_path: str, name: str) -> dict[str, Any]:
    """A body property or query parameter of an operation, by name."""
    method, path = method_path.split(" ", 1)
    operation = schema["paths"][f"/api/v1{path}"][method.lower()]
    for parameter in operation.get("parameters", []):
        if parameter["name"] == name:
            return dict(parameter["schema"])
    return dict(_body_schema(schema, operation)["properties"][name])


def test_every_operation_documents_400_422_404_and_503_as_problems(schema: dict[str, Any]) -> None:
    for name, operation in _operations(schema):
        responses = operation["responses"]
        parameters = operation.get("parameters", [])
        expected = {"400", "401", "429", "503"}
        if "requestBody" in operation or any(p["in"] != "path" for p in parameters):
            expected.add("422")
        if any(p["in"] == "path" for p in parameters):
            expected.add("404")
        assert expected <= set(responses), f"{name} does not document {expected - set(responses)}"
        for status, response in responses.items():
            if status[0] in "45":
                assert list(response["content"]) == [PROBLEM], f"{name} {status}"
                assert response["content"][PROBLEM]["schema"] == {"$ref": "#/components/schemas/ProblemOut"}


@pytest.mark.parametrize(
    ("where", "name", "values"),
    [
        ("GET /cases", "case_type", CASE_TYPES),
        ("GET /cases", "status", STATUSES),
        ("GET /cases", "sort", {"newest", "response_due"}),
        ("GET /cases", "response_status", {"on_track", "due_soon", "overdue", "met", "met_late"}),
        ("GET /cases", "priority", {"low", "normal", "high"}),
        ("GET /cases", "sensitivity", {"normal", "restricted", "da"}),
        ("POST /cases", "case_type", CASE_TYPES),
        (
            "POST /cases/{reference}/transition",
            "to_status",
            {"new", "triaged", "open", "closing", "closed", "reopened"},
        ),
        ("POST /cases/{reference}/triage", "priority", {"low", "normal", "high"}),
        ("POST /cases/{reference}/parties", "role", None),
        ("POST /cases/{reference}/links", "reason", {"same_perpetrator", "same_location", "same_victim", "other"}),
        ("POST /cases/{reference}/closure/request", "outcome", None),
        ("POST /reports", "type", CASE_TYPES | {"domestic_abuse"}),
        ("POST /reports", "channel", None),
        ("GET /instruments", "case_type", CASE_TYPES),
    ],
)
def test_closed_sets_of_values_are_enums(
    schema: dict[str, Any], where: str, name: str, values: set[str] | None
) -> None:
    found = _enum(schema, _input(schema, where, name))
    assert found, f"{where} {name} has no enum"
    if values is not None:
        assert found == values


def test_one_set_of_case_type_names_across_the_api(schema: dict[str, Any]) -> None:
    """Every case type in the document is asb, hate or da; only POST /reports also takes its old name for da."""
    components = schema["components"]["schemas"]
    assert set(components["CaseType"]["enum"]) == CASE_TYPES
    seen = 0
    for where, operation in _operations(schema):
        nodes = [(p["name"], p["schema"]) for p in operation.get("parameters", [])]
        if "requestBody" in operation:
            nodes += list(_body_schema(schema, operation)["properties"].items())
        for name, node in nodes:
            if name in ("case_type", "type"):
                seen += 1
                alias = {"domestic_abuse"} if where == "POST /api/v1/reports" else set()
                assert _enum(schema, node) == CASE_TYPES | alias, where
    assert seen >= 4
    report_type = _input(schema, "POST /reports", "type")
    assert "domestic_abuse is accepted as an older name for da" in report_type["description"]
    for name in ("CaseSummaryOut", "InstrumentOut"):
        assert "domestic_abuse" not in json.dumps(components[name])


def _strings(schema: dict[str, Any], node: dict[str, Any], where: str, seen: set[str]) -> Iterator[tuple[str, dict]]:
    """Every string node under `node` (following references once), with where it is."""
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        if name in seen or name == STORABLE_JSON_NAME:  # unknown properties: read past, never stored (issue 21 part 2)
            return
        seen.add(name)
        yield from _strings(schema, schema["components"]["schemas"][name], name, seen)
        return
    if node.get("type") == "string":
        yield where, node
    for key in ("allOf", "anyOf", "oneOf"):
        for part in node.get(key, []):
            yield from _strings(schema, part, where, seen)
    if "items" in node:
        yield from _strings(schema, node["items"], f"{where}[]", seen)
    if isinstance(node.get("additionalProperties"), dict):
        yield from _strings(schema, node["additionalProperties"], f"{where}{{}}", seen)
    if isinstance(node.get("propertyNames"), dict):
        yield from _strings(schema, node["propertyNames"], f"{where} keys", seen)
    for name, child in node.get("properties", {}).items():
        yield from _strings(schema, child, f"{where}.{name}", seen)


def test_every_text_input_has_a_maximum_length(schema: dict[str, Any]) -> None:
    for where, operation in _operations(schema):
        roots = [(f"{where} {p['in']}.{p['name']}", p["schema"]) for p in operation.get("parameters", [])]
        if "requestBody" in operation:
            roots.append((f"{where} body", _request_body(operation)))
        for root, node in roots:
            for place, string in _strings(schema, node, root, set()):
                # A file (format binary) is bounded by its size limit (EVIDENCE_MAX_BYTES), not a length.
                if "enum" in string or "const" in string or string.get("format") in ("date", "date-time", "binary"):
                    continue
                assert "maxLength" in string, f"{place} has no maxLength"


def test_required_text_must_not_be_empty(schema: dict[str, Any]) -> None:
    for name, component in schema["components"]["schemas"].items():
        if not name.endswith("In"):
            continue
        for field in component.get("required", []):
            node = component["properties"][field]
            if node.get("type") == "string" and "enum" not in node and "format" not in node:
                assert node.get("minLength", 0) >= 1, f"{name}.{field}"


def _input_shapes() -> list[type[ApiIn]]:
    found: list[type[ApiIn]] = []
    todo = list(ApiIn.__subclasses__())
    while todo:
        shape = todo.pop()
        found.append(shape)
        todo.extend(shape.__subclasses__())
    return found


def test_every_input_shape_in_the_document_is_an_api_in(schema: dict[str, Any]) -> None:
    names = {shape.__name__ for shape in _input_shapes()}
    documented = {name for name in schema["components"]["schemas"] if name.endswith(("In", "Filter"))}
    assert documented <= names


@pytest.mark.parametrize("shape", _input_shapes(), ids=lambda shape: shape.__name__)
def test_every_text_field_fits_the_column_it_is_written_to(shape: type[ApiIn]) -> None:
    properties = shape.model_json_schema()["properties"]
    for field, column in shape.columns.items():
        app_label, model_name, column_name = column.split(".")
        model_field = apps.get_model(app_label, model_name)._meta.get_field(column_name)
        node = properties[field]
        choices = node.get("enum") or shape.model_json_schema().get("$defs", {}).get(
            node.get("$ref", node.get("allOf", [{}])[0].get("$ref", "")).rsplit("/", 1)[-1], {}
        ).get("enum")
        limit = max(len(value) for value in choices) if choices else node.get("maxLength")
        assert limit is not None, f"{shape.__name__}.{field}"
        column_limit = getattr(model_field, "max_length", None)
        if column_limit is not None:
            assert limit <= column_limit, f"{shape.__name__}.{field} takes {limit}; {column} holds {column_limit}"


def test_optional_body_fields_are_documented_as_accepting_null(schema: dict[str, Any]) -> None:
    """The API treats null as "not given" for an optional field; the document says so, so a contract fuzzer agrees."""
    components = schema["components"]["schemas"]
    checked = 0
    for name in ("ReportIn", "CaseCreateIn", "PartyIn", "TriageIn", "AssessmentIn"):
        component = components[name]
        required = set(component.get("required", []))
        for prop_name, prop in component["properties"].items():
            if prop_name in required:
                continue
            checked += 1
            assert {"type": "null"} in prop.get("anyOf", []), (name, prop_name, prop)
    assert checked > 20


def test_creating_operations_document_the_replay_header(schema: dict[str, Any]) -> None:
    for path, method in [
        ("/api/v1/cases", "post"),
        ("/api/v1/reports", "post"),
        ("/api/v1/cases/{reference}/parties", "post"),
        ("/api/v1/cases/{reference}/risk-assessments", "post"),
    ]:
        responses = schema["paths"][path][method]["responses"]
        created = responses.get("201") or responses.get(201)
        assert "Idempotent-Replayed" in created["headers"], path
