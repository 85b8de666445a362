"""The one error shape of the JSON API (application/problem+json, RFC 9457), written once: the API's handlers
(`api/errors.py`), the edge middleware and the last-resort server error view (`core/views.py`) all answer with it."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from http import HTTPStatus
from typing import Any

from django.http import HttpResponse

PROBLEM_CONTENT_TYPE = "application/problem+json"
ABOUT_BLANK = "about:blank"


def problem_body(
    status: int, detail: str, *, errors: Iterable[Mapping[str, str]] = (), type_: str = ABOUT_BLANK
) -> dict[str, Any]:
    """The problem-details document for `status` (title is the standard reason phrase)."""
    return {
        "type": type_,
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "errors": [{"field": str(e["field"]), "message": str(e["message"])} for e in errors],
    }


def problem_response(
    status: int,
    detail: str,
    *,
    errors: Iterable[Mapping[str, str]] = (),
    headers: Mapping[str, str] | None = None,
) -> HttpResponse:
    """An application/problem+json response."""
    response = HttpResponse(
        json.dumps(problem_body(status, detail, errors=errors)),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response
