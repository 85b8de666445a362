"""The actor of a request, typed: every view and API operation hands services a `User`, never `request.user`.

It lives here rather than in `core` because core imports no other app, and the actor is an `accounts.User`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from saferhomes.accounts.models import User


def actor_of(request: HttpRequest) -> User:
    """The signed-in member of staff making this request; PermissionDenied (403) for anyone else."""
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        raise PermissionDenied("You must be signed in to do that.")
    return user
