"""Middleware that belongs to no business area: response headers, and a session that never turns a done deed
into an error page."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse

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
