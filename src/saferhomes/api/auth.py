"""Bearer-token authentication and per-token rate limiting for the API."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer
from ninja.throttling import AuthRateThrottle

from saferhomes.accounts.models import ApiToken, User, hash_token
from saferhomes.api.errors import AUTHENTICATION_DETAIL, InvalidTokenError

# Record last use at most this often per token, so a busy client does not turn every read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)
# Real tokens are ~47 characters; anything far longer is not worth hashing.
MAX_TOKEN_LENGTH = 200
INVALID_TOKEN_DETAIL = "This API token is not valid. It may have been revoked, or its account deactivated."  # noqa: S105


def token_touch(token: ApiToken) -> None:
    """Set last_used_at to now unless it was set within LAST_USED_RESOLUTION (one conditional UPDATE)."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
    # Bookkeeping, not a change anyone made: no audit event, and no save() of the whole row.
    ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>` for an active token of an active user; sets request.user."""

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get(self.header, "")
        scheme, _, token = header.strip().partition(" ")
        if not header or scheme.lower() != self.openapi_scheme or not token.strip():
            raise AuthenticationError(401, AUTHENTICATION_DETAIL)
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> User:
        """The token's user, or InvalidTokenError (unknown, revoked and deactivated look the same to a caller)."""
        if len(token) > MAX_TOKEN_LENGTH:
            raise InvalidTokenError(INVALID_TOKEN_DETAIL)
        api_token = (
            ApiToken.objects.active().select_related("user", "user__team").filter(key_hash=hash_token(token)).first()
        )
        if api_token is None:
            raise InvalidTokenError(INVALID_TOKEN_DETAIL)
        token_touch(api_token)
        request.user = api_token.user
        request.api_token = api_token  # type: ignore[attr-defined]  # for throttling per token
        return api_token.user


class TokenRateThrottle(AuthRateThrottle):
    """Rate limit per API token (not per user name, which two people can share)."""

    def get_cache_key(self, request: HttpRequest) -> str:
        api_token = getattr(request, "api_token", None)
        # The stored hash, not the id: ids are reused after a database is restored or rolled back.
        ident = f"token-{api_token.key_hash}" if api_token is not None else f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
