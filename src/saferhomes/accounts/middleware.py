"""Staff-area guards: idle sign-out and 'signed in with a second factor' for everything under /staff/."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control

SESSION_LAST_SEEN = "saferhomes_last_seen"
# Set in the fresh session after an idle sign-out, so the sign-in page can say why (read once, then removed).
SESSION_IDLE_SIGNED_OUT = "saferhomes_idle_signed_out"

# Pages under /staff/ that must work before sign-in or before the second factor is verified.
OPEN_STAFF_PATHS = (
    "/staff/sign-in/",
    "/staff/sign-out/",
    "/staff/password-reset/",
    "/staff/two-factor/",
)


def _to(url_name: str, request: HttpRequest) -> HttpResponse:
    next_url = request.get_full_path() if request.method in ("GET", "HEAD") else request.path
    return redirect(f"{reverse(url_name)}?{urlencode({'next': next_url}, safe='/')}")


class IdleTimeoutMiddleware:
    """Sign staff out after more than IDLE_TIMEOUT_MINUTES without a request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            last_seen = request.session.get(SESSION_LAST_SEEN)
            if last_seen is not None and now - float(last_seen) > settings.IDLE_TIMEOUT_MINUTES * 60:
                from saferhomes.accounts.services import staff_signed_out

                staff_signed_out(
                    user=request.user,
                    reason=f"Idle for more than {settings.IDLE_TIMEOUT_MINUTES} minutes.",
                    request=request,
                )
                logout(request)  # flushes the session and makes request.user anonymous
                request.session[SESSION_IDLE_SIGNED_OUT] = True
                if request.path.startswith("/staff/"):
                    return _to("accounts:sign-in", request)
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
                return _to("accounts:sign-in", request)
            if not getattr(user, "is_verified", lambda: False)():
                return _to("accounts:two-factor", request)
            response = self.get_response(request)
            # issue 21 part 5 (ASVS 14.3.2, 7.4.1): no staff page stays in the browser's cache, so the back button
            # on a shared computer shows nothing after sign-out. A response that set its own policy keeps it.
            if "Cache-Control" not in response:
                add_never_cache_headers(response)
                patch_cache_control(response, private=True)
            return response
        return self.get_response(request)
