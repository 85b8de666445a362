"""Template context shared by the public and staff sites."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def service(request: HttpRequest) -> dict[str, Any]:
    """Service and landlord names for headers and titles."""
    return {
        "service_name": settings.SERVICE_NAME,
        "landlord_name": settings.LANDLORD_NAME,
        "environment": settings.ENVIRONMENT,
        "contact": settings.LANDLORD_CONTACT,
        # Error pages extend whichever site the visitor was on.
        "site_base_template": "staff_base.html" if request.path.startswith("/staff/") else "public_base.html",
    }
