"""The API's JSON parser: every body passes the one edge check (core.edge) before any schema or service sees it."""

from __future__ import annotations

import json
from typing import Any, NoReturn

from django.http import HttpRequest
from ninja.parser import Parser

from saferhomes.core.edge import text_problems

NOT_AN_OBJECT = "Send a JSON object ({...}) as the request body"
NOT_A_NUMBER = "Send numbers as digits: NaN and Infinity are not JSON"


class BodyProblemError(ValueError):
    """A JSON body that parsed but holds what no field can take; `errors` name each value (`body.<path>`)."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in errors))
        self.errors = errors


def _refuse_constant(name: str) -> NoReturn:
    raise BodyProblemError([{"field": "body", "message": NOT_A_NUMBER}])


def body_location(path: tuple[str | int, ...]) -> str:
    """`body.reporter.first_name`, `body.sub_types.0`: where a value is in the request body."""
    return ".".join(("body", *(str(part) for part in path)))


class EdgeParser(Parser):
    """JSON bodies as objects whose every string can be stored: lone surrogates (`"\\ud800"`), NUL and the other
    control characters are refused naming each value, as is a body that is not an object.

    ninja turns any parser exception into a 400; `errors.on_http_error` finds a BodyProblemError as its cause and
    answers 422 naming the fields instead."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = json.loads(request.body, parse_constant=_refuse_constant)
        if not isinstance(data, dict):
            raise BodyProblemError([{"field": "body", "message": NOT_AN_OBJECT}])
        problems = [{"field": body_location(path), "message": message} for path, message in text_problems(data)]
        if problems:
            raise BodyProblemError(problems)
        remember_json_objects(request, data)
        return data


# issue 21 part 2 (fuzz): the objects a request's JSON body holds, so `schemas.ApiIn` can tell JSON (where `0` is
# not a boolean and `"5"` not a number) from a query string (where every value arrives as text).
JSON_OBJECTS = "_saferhomes_json_objects"


def remember_json_objects(request: HttpRequest, data: Any) -> None:
    found: set[int] = set()
    pending = [data]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            found.add(id(node))
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    setattr(request, JSON_OBJECTS, found)


def from_json_body(request: Any, value: Any) -> bool:
    """Whether `value` is an object parsed from this request's JSON body."""
    return id(value) in getattr(request, JSON_OBJECTS, ())
