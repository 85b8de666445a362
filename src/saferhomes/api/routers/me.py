"""GET /api/v1/me: who this token belongs to and what they may do."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest
from ninja import Router

from saferhomes.accounts.models import User
from saferhomes.api.schemas import COMMON_ERRORS, MeOut

router = Router(tags=["Me"])


@router.get("/me", response={200: MeOut, **COMMON_ERRORS}, summary="Who am I?", operation_id="me", url_name="me")
def me(request: HttpRequest) -> MeOut:
    """The token holder's account, role, team and permissions (sorted `app_label.codename`)."""
    user = cast(User, request.auth)  # type: ignore[attr-defined]  # set by TokenAuth
    return MeOut(
        username=user.get_username(),
        full_name=user.get_full_name(),
        email=user.email,
        role=user.role,
        role_label=user.get_role_display(),
        team=user.team.name if user.team is not None else None,
        permissions=sorted(user.get_all_permissions()),
    )
