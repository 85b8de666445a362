"""Staff-area guards: idle sign-out and 'signed in with a second factor' for everything under /staff/."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

SESSION_LAST_SEEN = "saferhomes_last_seen"

# Pages under /staff/ that must work before sign-in or before the second factor is verified.
OPEN_STAFF_PATHS = (
    "/staff/sign-in/",
    "/staff/sign-out/",
    "/staff/password-reset/",
    "/staff/two-factor/",
)


class IdleTimeoutMiddleware:
    """Sign staff out after IDLE_TIMEOUT_MINUTES without a request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            last_seen = request.session.get(SESSION_LAST_SEEN)
            if last_seen is not None and now - float(last_seen) > settings.IDLE_TIMEOUT_MINUTES * 60:
                logout(request)
                if request.path.startswith("/staff/"):
                    messages.info(
                        request,
                        f"You were signed out because you had not used the service for "
                        f"{settings.IDLE_TIMEOUT_MINUTES} minutes. Sign in again to continue.",
                    )
                    return redirect(f"{reverse('accounts:sign-in')}?next={request.path}")
            else:
                request.session[SESSION_LAST_SEEN] = now
        return self.get_response(request)


class StaffAreaMiddleware:
    """Everything under /staff/ needs a signed-in, active user who has passed the second factor."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        if path.startswith("/staff/") and not path.startswith(OPEN_STAFF_PATHS):
            user = request.user
            if not user.is_authenticated or not user.is_active:
                return redirect(f"{reverse('accounts:sign-in')}?next={path}")
            if not getattr(user, "is_verified", lambda: False)():
                return redirect(f"{reverse('accounts:two-factor')}?next={path}")
        return self.get_response(request)
