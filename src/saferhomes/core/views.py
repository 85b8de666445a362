"""Public pages that belong to no business area: home, accessibility statement, privacy notice, error pages."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.urls import NoReverseMatch, reverse
from django.views.generic import TemplateView

logger = logging.getLogger(__name__)

# The online report form arrives with the intake app; until its URL exists, the home page offers the other ways.
REPORT_START_URL_NAME = "intake:report-start"


def optional_url(name: str) -> str | None:
    """The URL for `name`, or None when no such URL is installed yet."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


class HomeView(TemplateView):
    """How to report, with the 999 message first."""

    template_name = "core/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """Add the online report form's URL when there is one."""
        context = super().get_context_data(**kwargs)
        context["report_url"] = optional_url(REPORT_START_URL_NAME)
        return context


class AccessibilityStatementView(TemplateView):
    """Accessibility statement in the GOV.UK model format."""

    template_name = "core/accessibility.html"


class PrivacyNoticeView(TemplateView):
    """Privacy notice for the community safety service."""

    template_name = "core/privacy.html"


def server_error(request: HttpRequest) -> HttpResponse:
    """500 page rendered from settings alone: no request context, no database, no context processors."""
    context = {
        "service_name": settings.SERVICE_NAME,
        "landlord_name": settings.LANDLORD_NAME,
        "contact": settings.LANDLORD_CONTACT,
    }
    try:
        body = loader.get_template("500.html").render(context)
    except Exception:  # the error page itself must never fail
        logger.exception("Could not render 500.html")
        body = "<!DOCTYPE html><title>Server error</title><h1>Sorry, there is a problem with the service</h1>"
    return HttpResponseServerError(body)
