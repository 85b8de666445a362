"""One error shape for every 4xx from the API: RFC 9457 (formerly 7807) problem details.

    HTTP/1.1 422 Unprocessable Entity
    Content-Type: application/problem+json

    {"type": "about:blank", "title": "Unprocessable Entity", "status": 422,
     "detail": "1 field is not valid.", "errors": [{"field": "body.payload.name", "message": "Field required"}]}

`errors` is always present (empty when the problem is not about particular fields). `field` is the dotted location
of the value in the request (`body...`, `query...`, `path...`, `header...`) for request validation, or the name
of the field a business rule is about for rule failures (422 from a DomainError).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from functools import wraps
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja.errors import AuthenticationError, HttpError, ValidationError

from saferhomes.api.parser import BodyProblemError
from saferhomes.core.errors import DomainError
from saferhomes.core.problems import PROBLEM_CONTENT_TYPE, problem_response

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger(__name__)

BEARER_REALM = 'Bearer realm="saferhomes"'

AUTHENTICATION_DETAIL = "Send your API token in the Authorization header, like this: Authorization: Bearer <token>."
NOT_FOUND_DETAIL = "There is nothing at this address. Check it against the API documentation at /api/v1/docs."
PERMISSION_DETAIL = "Your role does not allow you to do this."

# Messages for 4xx responses that Django or ninja produce without an exception we can handle (e.g. 405).
DEFAULT_DETAILS: dict[int, str] = {
    400: "The request could not be understood.",
    401: AUTHENTICATION_DETAIL,
    403: PERMISSION_DETAIL,
    404: NOT_FOUND_DETAIL,
    405: "This address does not accept that HTTP method.",
    429: "Too many requests. Wait a moment, then try again.",
}


class InvalidTokenError(AuthenticationError):
    """A token was sent, but it is unknown, revoked, or its owner's account is deactivated."""

    def __init__(self, message: str) -> None:
        super().__init__(401, message)


def _location(loc: Iterable[Any]) -> str:
    parts = [str(part) for part in loc]
    if parts and parts[0] in ("file", "form"):  # issue 21 part 1: a multipart body's fields are in the body too
        parts[0] = "body"
    return ".".join(parts)


def validation_errors(exc: ValidationError) -> list[dict[str, str]]:
    """ninja's pydantic error list as [{"field": "body.payload.name", "message": "..."}]."""
    return [
        {"field": _location(error.get("loc", ())), "message": str(error.get("msg", "This value is not valid."))}
        for error in exc.errors
    ]


def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """422: the request's parameters or body did not match the schema."""
    errors = validation_errors(exc)
    count = len(errors)
    detail = f"{count} field{'s are' if count != 1 else ' is'} not valid. See errors for each one."
    return problem_response(422, detail, errors=errors)


def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    """401 with a WWW-Authenticate challenge (RFC 6750)."""
    detail = exc.message if exc.message and exc.message != "Unauthorized" else AUTHENTICATION_DETAIL
    challenge = f'{BEARER_REALM}, error="invalid_token"' if isinstance(exc, InvalidTokenError) else BEARER_REALM
    return problem_response(401, detail, headers={"WWW-Authenticate": challenge})


def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    """403: signed in, but the role does not allow this."""
    return problem_response(403, str(exc) or PERMISSION_DETAIL)


def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    """404 for Http404 and ObjectDoesNotExist; never echoes internal model names."""
    return problem_response(404, "The requested record was not found, or you may not see it.")


def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    """422: a business rule said no. Form-wide messages go in detail, field messages in errors."""
    errors = [
        {"field": field, "message": message} for field, messages in exc.field_errors.items() for message in messages
    ]
    detail = " ".join(exc.messages) or "The request breaks a rule. See errors for each field."
    return problem_response(422, detail, errors=errors)


def on_body_problem(request: HttpRequest, exc: BodyProblemError) -> HttpResponse:
    """422: the body is JSON, but not an object, or it holds text no field can store (api.parser.EdgeParser)."""
    count = len(exc.errors)
    detail = f"{count} value{'s' if count != 1 else ''} in the body cannot be accepted. See errors for each one."
    return problem_response(422, detail, errors=exc.errors)


def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Any other HttpError (400 unparseable body, 429 throttled, ...) with its own status."""
    if isinstance(exc.__cause__, BodyProblemError):
        return on_body_problem(request, exc.__cause__)
    status = exc.status_code
    detail = str(exc) or DEFAULT_DETAILS.get(status, HTTPStatus(status).description)
    if status == 400 and detail.startswith("Cannot parse request body"):
        detail = "The request body could not be read. Send valid JSON with Content-Type: application/json."
    if status == 429:
        detail = DEFAULT_DETAILS[429]
    return problem_response(status, detail)


def install_error_handlers(api: NinjaAPI) -> None:
    """Make every 4xx this API raises a problem+json response."""
    handlers: list[tuple[type[Exception], Callable[[HttpRequest, Any], HttpResponse]]] = [
        (ValidationError, on_validation_error),
        (AuthenticationError, on_authentication_error),
        (HttpError, on_http_error),
        (PermissionDenied, on_permission_denied),
        (Http404, on_not_found),
        (ObjectDoesNotExist, on_not_found),
        (DomainError, on_domain_error),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, handler)


def _is_json(response: HttpResponse) -> bool:
    content_type = response.get("Content-Type", "")
    return content_type.startswith(("application/json", PROBLEM_CONTENT_TYPE))


def problem_edges(view: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a URL view so 4xx answers made outside ninja's exception handlers (405, Http404) are problems too."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return problem_response(404, NOT_FOUND_DETAIL)
        status = getattr(response, "status_code", 200)
        if 400 <= status < 500 and not getattr(response, "streaming", False) and not _is_json(response):
            headers = {"Allow": response["Allow"]} if response.has_header("Allow") else {}
            detail = DEFAULT_DETAILS.get(status, HTTPStatus(status).description)
            return problem_response(status, detail, headers=headers)
        return response

    return wrapped


def not_found_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """404 for any /api/v1/ address that is not an endpoint."""
    return problem_response(404, NOT_FOUND_DETAIL)


not_found_view.csrf_exempt = True  # type: ignore[attr-defined]  # a 404 for any method, never a CSRF page
