"""Middleware that belongs to no business area: the edge check on addresses and query strings, response headers,
and a session that never turns a done deed into an error page."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib.sessions.exceptions import SessionInterrupted
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from saferhomes.core.edge import text_problem
from saferhomes.core.problems import PROBLEM_CONTENT_TYPE
from saferhomes.core.views import API_PREFIX, is_outage

logger = logging.getLogger(__name__)


class ResilientSessionMiddleware(SessionMiddleware):
    """Django's session middleware, except that a failure to save the session after the view has answered is logged
    rather than turned into a 500: the view's work (a report committed, say) is done, and the page saying so is
    worth more than the session write. Anything the visitor still needs is recovered from the form's own token."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        try:
            return super().process_response(request, response)
        except DatabaseError:
            logger.exception("Could not save the session for %s; the response is sent without it", request.path)
            return response
        except SessionInterrupted as interrupted:
            # issue 21 part 4: Django reports an existing session's failed UPDATE as "deleted by a concurrent
            # request"; when the database was in fact lost (restarting, unreachable), that is an outage, not a 400.
            if not is_outage(_database_error_behind(interrupted)):
                raise
            logger.exception(
                "Lost the database saving the session for %s; the response is sent without it", request.path
            )
            return response


def _database_error_behind(error: BaseException) -> BaseException | None:
    """The first database error in the chain of exceptions that led to `error`, if any."""
    seen: BaseException | None = error
    for _ in range(10):  # the chain is short (SessionInterrupted <- UpdateError <- DatabaseError)
        seen = seen.__cause__ or seen.__context__ if seen is not None else None
        if seen is None or isinstance(seen, DatabaseError):
            return seen
    return None


class PermissionsPolicyMiddleware:
    """Sends `Permissions-Policy` (settings.PERMISSIONS_POLICY): browser features the service never uses are off."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = ", ".join(f"{feature}={allow}" for feature, allow in settings.PERMISSIONS_POLICY.items())

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.header and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.header
        return response


# Charsets a request body may be declared in: we read bodies as UTF-8 (ASCII is a subset).
BODY_CHARSETS = frozenset({"utf-8", "utf8", "us-ascii", "ascii"})
BODY_CHARSET_MESSAGE = "Send the request body as UTF-8 (the Content-Type header says {charset})"


class EdgeMiddleware:
    """The one edge check for what arrives outside forms and JSON bodies: the address, the query string and the
    body's declared charset. A value no column can hold (core.edge.text_problem) or a body in another charset is
    refused with 400 naming the part, before any view or query runs: a page for people, problem+json under /api/."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = request_problem(request)
        if problem is not None:
            return refuse(request, *problem)
        return self.get_response(request)


def request_problem(request: HttpRequest) -> tuple[str, str] | None:
    """(where, message) for the first part of the request that cannot be read or stored, or None."""
    problem = text_problem(request.path, "The address")
    if problem:
        return "path", problem
    for key in request.GET:
        problem = text_problem(key, "A query parameter's name")
        if problem:
            return "query", problem
        for value in request.GET.getlist(key):
            problem = text_problem(value, f"The {key} parameter")
            if problem:
                return f"query.{key}", problem
    charset = (request.content_params or {}).get("charset") if request.content_type else None
    if charset and charset.strip().lower() not in BODY_CHARSETS:
        return "header.content-type", BODY_CHARSET_MESSAGE.format(charset=charset[:40])
    return None


def refuse(request: HttpRequest, where: str, message: str) -> HttpResponse:
    """400 saying what is wrong: problem+json under /api/, the GOV.UK 400 page elsewhere."""
    if request.path.startswith(API_PREFIX):
        problem = {
            "type": "about:blank",
            "title": "Bad Request",
            "status": 400,
            "detail": message,
            "errors": [{"field": where, "message": message}],
        }
        return HttpResponse(json.dumps(problem), status=400, content_type=PROBLEM_CONTENT_TYPE)
    return render(request, "400.html", {"message": message}, status=400)
