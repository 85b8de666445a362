"""Template context for every staff page: the menu of areas the signed-in user may reach."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from saferhomes.accounts.selectors import staff_links


def staff_nav(request: HttpRequest) -> dict[str, Any]:
    """`staff_nav_items` (label, url, active) for staff pages once the second factor is passed; else empty."""
    user = getattr(request, "user", None)
    if user is None or not request.path.startswith("/staff/"):
        return {"staff_nav_items": []}
    is_verified = getattr(user, "is_verified", None)
    if not getattr(user, "is_authenticated", False) or not callable(is_verified) or not is_verified():
        return {"staff_nav_items": []}
    return {"staff_nav_items": staff_links(user=user, current_path=request.path)}
