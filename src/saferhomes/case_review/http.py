"""The one "this application for this request's actor, or 404" for Case Review views."""

from __future__ import annotations

from django.http import HttpRequest

from saferhomes.accounts.http import actor_of
from saferhomes.case_review.models import Application
from saferhomes.case_review.selectors.applications import application_get_for_actor


def application_of(request: HttpRequest, reference: str) -> Application:
    return application_get_for_actor(actor=actor_of(request), reference=reference)
