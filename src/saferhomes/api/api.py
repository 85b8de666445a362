"""The JSON API at /api/v1/ (django-ninja): Bearer-token auth on every endpoint, problem+json for every 4xx."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.urls import URLPattern, URLResolver, re_path
from ninja import NinjaAPI

from saferhomes.api.auth import TokenAuth, TokenRateThrottle
from saferhomes.api.errors import install_error_handlers, not_found_view, problem_edges
from saferhomes.api.parser import EdgeParser
from saferhomes.api.routers import (
    agencies,
    case_review,
    case_review_review,
    cases,
    closure,
    contacts,
    disclosures,
    evidence,
    insights,
    insights_registers,
    intake,
    interventions,
    letters,
    me,
    privacy_oversight,
    privacy_retention,
    privacy_rights,
    record,
    referrals,
    risk,
    shares,
    workload,
)
from saferhomes.core.problems import PROBLEM_CONTENT_TYPE

DESCRIPTION = """
The Saferhomes JSON API. The same permission rules apply as on the staff website.

## Authentication
Every endpoint needs a personal API token, sent as `Authorization: Bearer <token>`. Create one from
*API tokens* on the staff website or with `saferhomes createtoken USERNAME`; only its hash is stored, so copy it
when it is shown. Revoked tokens, and tokens of deactivated accounts, stop working at once.

## Errors
Every 4xx response has `Content-Type: application/problem+json` and this shape (RFC 9457):

```json
{
  "type": "about:blank",
  "title": "Unprocessable Entity",
  "status": 422,
  "detail": "1 field is not valid. See errors for each one.",
  "errors": [{"field": "body.payload.name", "message": "Field required"}]
}
```

Every operation documents the statuses it can answer: 400 when the request cannot be read, 422 when a value does
not fit (text with a character no record can hold, such as NUL or half of a UTF-16 surrogate pair, is refused here
naming each value as `body.<path>`), 404 for a reference that does not exist or you may not see, 503 when the
service is down for a moment. Server errors (500) are problem documents too.

`detail` is a sentence for people; `errors` lists each field problem (an empty list when there are none).
`field` is the dotted location in the request (`body...`, `query...`, `path...`) for values that do not match
the schema, or the name of the field a business rule is about. 401 responses carry a `WWW-Authenticate: Bearer`
challenge; 429 responses carry `Retry-After` (seconds).

## Input
- `null` for an optional field means "not given": its default applies. Fields documented as nullable keep null's
  meaning (e.g. `reporter: null`); a required field sent as null is refused.
- Dates are `YYYY-MM-DD` and times ISO 8601, between 1900 and 2100; a time without an offset is Europe/London.
- Case types are `asb`, `hate` and `da` everywhere; `POST /reports` also takes `domestic_abuse` as an older name
  for `da`.
- Every POST that creates something takes an `Idempotency-Key` header (up to 200 characters): a retry with the
  same key creates nothing and answers as the first time did, with `Idempotent-Replayed: true`.

## Pages and files
`GET /cases` answers a page at a time, without a count: follow `next_cursor` (also a `Link: <...>; rel="next"`
header) with the same filters until it is null; a cursor is opaque and works only with the filters it came with.
Evidence is uploaded as `multipart/form-data` and downloaded from each file's `download` address; every download is
recorded in the audit trail.

## Limits
Each token may make 1,000 requests a minute.
""".strip()

# The docs page needs no CSP exception: ninja serves Swagger UI from its own static files (script-src 'self'),
# its settings are a JSON data block rather than a script, and Swagger UI styles elements through the DOM,
# which style-src does not restrict. Checked in Debian's chromium (tests/api/test_docs_browser.py): no violation
# under the site-wide policy, including "Authorize" and "Try it out".


class SaferhomesAPI(NinjaAPI):
    """NinjaAPI whose URL list answers unknown addresses and wrong methods in the problem+json shape too."""

    @property
    def urls(self) -> tuple[list[URLResolver | URLPattern], str, str]:
        patterns, app_name, namespace = super().urls
        wrapped: list[URLResolver | URLPattern] = [
            URLPattern(p.pattern, problem_edges(p.callback), p.default_args, p.name) if isinstance(p, URLPattern) else p
            for p in patterns
        ]
        wrapped.append(re_path(r"^.*$", not_found_view, name="not-found"))
        return wrapped, app_name, namespace

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """The OpenAPI document, with every 4xx and 5xx response declared as application/problem+json, and the
        statuses every operation can answer: 400 (unreadable request), 422 (input that does not fit), 404 (an
        unknown reference) and 503 (the service is down for a moment)."""
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, (applies, description) in _ANSWERS.items():
                    if str(status) not in responses and status not in responses and applies(operation):
                        responses[status] = {"description": description, "content": {"application/json": {}}}
                for status, response in responses.items():
                    content = response.get("content", {})
                    if str(status)[0] in "45" and "application/json" in content:
                        content.pop("application/json")
                        content[PROBLEM_CONTENT_TYPE] = {"schema": {"$ref": "#/components/schemas/ProblemOut"}}
                if any(p.get("name") == "Idempotency-Key" for p in operation.get("parameters", [])):
                    for code, response in responses.items():
                        if str(code) in ("200", "201"):
                            response.setdefault("headers", {})["Idempotent-Replayed"] = REPLAYED_HEADER
        _optional_inputs_accept_null(schema)
        _text_is_storable(schema)  # issue 21 part 2
        return schema


REPLAYED_HEADER = {
    "description": "`true` when this answer replays the first request sent with the same Idempotency-Key",
    "schema": {"type": "string", "enum": ["true"]},
}
_KEPT_OUTSIDE = ("title", "description", "default")


def _optional_inputs_accept_null(schema: dict[str, Any]) -> None:
    """Say what the API accepts: an optional property of a request body may be sent as null ("not given"),
    as `api.schemas.ApiIn` treats it."""
    components = schema.get("components", {}).get("schemas", {})
    pending = [
        content["schema"]
        for operations in schema.get("paths", {}).values()
        for operation in operations.values()
        for content in operation.get("requestBody", {}).get("content", {}).values()
    ]
    seen: set[str] = set()
    while pending:
        node = pending.pop()
        if isinstance(node, list):
            pending.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            name = ref.rsplit("/", 1)[-1]
            if name not in seen and name in components:
                seen.add(name)
                pending.append(components[name])
            continue
        required = set(node.get("required", []))
        for prop_name, prop in node.get("properties", {}).items():
            pending.append(prop)
            if prop_name not in required:
                node["properties"][prop_name] = _nullable(prop)
        pending.extend(value for key, value in node.items() if key in ("items", "anyOf", "allOf", "oneOf"))


# issue 21 part 2 (fuzz): what the edge check (core.edge) and the date fields refuse, said in the schema. Every request
# string and object key refuses hidden control characters (STORABLE_TEXT), anywhere in the body, unknown properties
# included (their values are STORABLE_JSON); every date and time is in the years 1900 to 2100 (EDGE_YEARS).
STORABLE_TEXT = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*$"
EDGE_YEARS = "^(19[0-9]{2}|20[0-9]{2}|2100)-"
STORABLE_JSON_NAME = "StorableJson"
STORABLE_JSON_REF = {"$ref": f"#/components/schemas/{STORABLE_JSON_NAME}"}
STORABLE_JSON = {
    "description": "Any JSON value whose strings and keys hold no hidden control character",
    "anyOf": [
        {"type": "string", "pattern": STORABLE_TEXT},
        {"type": ["number", "boolean", "null"]},
        {"type": "array", "items": STORABLE_JSON_REF},
        {"type": "object", "propertyNames": {"pattern": STORABLE_TEXT}, "additionalProperties": STORABLE_JSON_REF},
    ],
}


def _text_is_storable(schema: dict[str, Any]) -> None:
    """Add STORABLE_TEXT to every free-text string of a request (body, query, path; not those with an enum or a
    pattern of their own), EDGE_YEARS to every date and date-time, and to every request object `propertyNames`
    STORABLE_TEXT and, unless it says otherwise, `additionalProperties` STORABLE_JSON."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    pending: list[Any] = []
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            pending += [content["schema"] for content in operation.get("requestBody", {}).get("content", {}).values()]
            pending += [parameter.get("schema") for parameter in operation.get("parameters", [])]
    seen: set[str] = set()
    while pending:
        node = pending.pop()
        if isinstance(node, list):
            pending.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            name = ref.rsplit("/", 1)[-1]
            if name not in seen and name in components:
                seen.add(name)
                pending.append(components[name])
            continue
        if node.get("type") == "string" and not {"enum", "const", "pattern"} & set(node):
            if node.get("format") in ("date", "date-time"):
                node["pattern"] = EDGE_YEARS
            elif "format" not in node:
                node["pattern"] = STORABLE_TEXT
        if node.get("type") == "object" or "properties" in node:
            names = node.setdefault("propertyNames", {})
            if isinstance(names, dict):
                names.setdefault("pattern", STORABLE_TEXT)
            if node.get("additionalProperties", True) in (True, {}):
                node["additionalProperties"] = STORABLE_JSON_REF
        pending.extend(node.get("properties", {}).values())
        extra = node.get("additionalProperties")
        if isinstance(extra, dict) and extra is not STORABLE_JSON_REF:
            pending.append(extra)
        pending.extend(value for key, value in node.items() if key in ("items", "anyOf", "allOf", "oneOf"))
    components.setdefault(STORABLE_JSON_NAME, STORABLE_JSON)


def _nullable(prop: dict[str, Any]) -> dict[str, Any]:
    options = prop.get("anyOf")
    if isinstance(options, list):
        if not any(option.get("type") == "null" for option in options if isinstance(option, dict)):
            options.append({"type": "null"})
        return prop
    outside = {key: prop[key] for key in _KEPT_OUTSIDE if key in prop}
    inner = {key: value for key, value in prop.items() if key not in _KEPT_OUTSIDE}
    return {**outside, "anyOf": [inner, {"type": "null"}]}


def _takes_input(operation: dict[str, Any]) -> bool:
    """A body or any parameter: a path parameter too, as one longer than its field can hold is a 422."""
    return "requestBody" in operation or bool(operation.get("parameters"))


def _takes_reference(operation: dict[str, Any]) -> bool:
    return any(p.get("in") == "path" for p in operation.get("parameters", []))


# Statuses documented on each operation they apply to (problem+json), beyond those a router lists itself.
_ANSWERS: dict[int, tuple[Callable[[dict[str, Any]], bool], str]] = {
    400: (
        lambda _op: True,
        "The request could not be read (malformed JSON, a body not in UTF-8, a control "
        "character in the address or query)",
    ),
    404: (_takes_reference, "No such record, or you may not see it"),
    422: (_takes_input, "A value does not fit the schema or breaks a rule: `errors` names each field"),
    503: (lambda _op: True, "The service is unavailable for a moment (e.g. the database): try again shortly"),
}


def build_api(**kwargs: Any) -> SaferhomesAPI:
    """A SaferhomesAPI with our auth, throttling and error handlers (tests build throwaway ones the same way)."""
    kwargs.setdefault("auth", TokenAuth())
    kwargs.setdefault("throttle", TokenRateThrottle(settings.API_RATE_LIMIT))
    kwargs.setdefault("parser", EdgeParser())
    built = SaferhomesAPI(**kwargs)
    install_error_handlers(built)
    return built


api = build_api(
    title="Saferhomes API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
)
api.add_router("", me.router)
api.add_router("", workload.router)  # before cases: POST /cases/reassign ahead of /cases/{reference}
api.add_router("", cases.router)
api.add_router("", closure.router)
api.add_router("", contacts.router)
api.add_router("", risk.router)
api.add_router("", disclosures.router)
api.add_router("", intake.router)
api.add_router("", agencies.router)
api.add_router("", shares.router)
api.add_router("", referrals.router)
api.add_router("", interventions.router)
api.add_router("", letters.router)
api.add_router("", case_review_review.router)  # before case_review: /case-reviews/{reference}/review
api.add_router("", case_review.router)  # issue 17 (Case Review)
api.add_router("", insights_registers.router)  # issue 18 parts 3-5
api.add_router("", insights.router)
api.add_router("", privacy_retention.router)  # issue 19 H2: retention, legal holds, runs
api.add_router("", privacy_rights.router)  # issue 19 part 4 (rights requests)
api.add_router("", privacy_oversight.router)  # issue 19 part 5 (H4): DPO oversight of access
# issue 21 part 1: the whole case record over the API (incidents, notes, actions, contact plan, evidence)
api.add_router("", record.router)
api.add_router("", evidence.router)
