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
        return data
