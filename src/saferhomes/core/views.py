"""Public pages that belong to no business area: home, accessibility statement, privacy notice, error pages."""

from __future__ import annotations

import errno
import logging
import sys
from typing import Any

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.urls import NoReverseMatch, reverse
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from saferhomes.core import health
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.problems import problem_response
from saferhomes.core.redaction import redact_private_links
from saferhomes.core.retry_pages import retry_url_for

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


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """403 page; a refusal to a signed-in person is recorded in the audit trail for the DPO (issue 14 item 16)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        audit(
            actor=user,
            verb=AuditVerb.REQUEST_FORBIDDEN,
            reason=redact_private_links(request.path)[:200],
            request=request,
        )
    return defaults.permission_denied(request, exception)


# The database cannot be reached (connection refused or dropped, server shutting down): the service is unavailable
# for a while, not broken. Errors in a query (DataError, IntegrityError) are faults: 500.
OUTAGE_ERRORS = (OperationalError, InterfaceError)
# issue 21 part 4: a database that refuses every write is an outage too (PostgreSQL after a failover to a replica,
# or put in read-only mode while its disk is full: SQLSTATE 25006, which psycopg reports as an InternalError).
OUTAGE_SQLSTATES = frozenset({"25006"})
# ...and so is a disk that is full or read-only under the private files (evidence uploads): try again later.
OUTAGE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS})
API_PREFIX = "/api/"
OUTAGE_RETRY_AFTER_SECONDS = 30
SERVER_ERROR_DETAIL = "Something went wrong on our side. It has been logged. Try again; if it happens again, tell us."
OUTAGE_DETAIL = "The service cannot reach its database at the moment. Try again in a few minutes."


def is_outage(error: BaseException | None) -> bool:
    """Whether an exception means the database is unreachable (503) rather than a fault in our code (500)."""
    if isinstance(error, OUTAGE_ERRORS):
        return True
    if isinstance(error, OSError) and error.errno in OUTAGE_ERRNOS:
        return True
    return isinstance(error, DatabaseError) and getattr(error.__cause__, "sqlstate", None) in OUTAGE_SQLSTATES


def server_error(request: HttpRequest) -> HttpResponse:
    """The last answer to an unhandled exception, rendered from settings alone: no request context, no database, no
    context processors. 503 with "try again" and the help-lines when the database is unreachable, 500 otherwise;
    application/problem+json under /api/."""
    status = 503 if is_outage(sys.exc_info()[1]) else 500
    if request.path.startswith(API_PREFIX):
        detail = OUTAGE_DETAIL if status == 503 else SERVER_ERROR_DETAIL
        response = problem_response(status, detail)
    else:
        retry_url = retry_url_for(request.path) if status == 503 else None  # issue 21 part 4
        response = HttpResponse(_error_page(f"{status}.html", retry_url=retry_url), status=status)
    if status == 503:
        response["Retry-After"] = str(OUTAGE_RETRY_AFTER_SECONDS)
    return response


def _error_page(template: str, *, retry_url: str | None = None) -> str:
    context = {
        "retry_url": retry_url,
        "service_name": settings.SERVICE_NAME,
        "landlord_name": settings.LANDLORD_NAME,
        "contact": settings.LANDLORD_CONTACT,
    }
    try:
        return loader.get_template(template).render(context)
    except Exception:  # the error page itself must never fail
        logger.exception("Could not render %s", template)
        return (
            "<!DOCTYPE html><title>Sorry, there is a problem with the service</title>"
            "<h1>Sorry, there is a problem with the service</h1><p>If you are in immediate danger, call 999.</p>"
        )


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """GET /healthz: the process is up (no database): an orchestrator restarts it when this fails."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """GET /readyz: 200 when the database answers, migrations are applied and a worker is alive; 503 otherwise."""
    ready, checks = health.readiness()
    return JsonResponse({"status": "ready" if ready else "not ready", "checks": checks}, status=200 if ready else 503)
