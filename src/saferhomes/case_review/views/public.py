"""The public Case Review pages under /case-review/ (issue 17 part 1): the application form, the confirmation with the
reference, the decision deadline in words and the private status link (shown once), and the status page.

No account and no JavaScript needed: plain GET and POST. The same protections as /report/: intake's rate limits
(per address and per email, counted in `IntakeAttempt` under this form's own kinds), the hidden honeypot field, a
per-visit submission key so a form sent twice makes one application, pages never cached or indexed.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.dateparse import parse_datetime

from saferhomes.case_review.forms.applications import ApplicationForm
from saferhomes.case_review.models import ApplicationChannel, ApplicationStatus
from saferhomes.case_review.notifications import email_withheld_reason
from saferhomes.case_review.services.applications import (
    application_submit,
    status_link_for_token,
    status_link_used,
    status_url,
)
from saferhomes.case_review.services.public_form import (
    RateLimitedError,
    honeypot_refusal,
    rate_limit_check,
    rate_limit_count,
)
from saferhomes.core.audit import client_ip
from saferhomes.core.errors import DomainError
from saferhomes.housing.selectors import property_at_address

SUBMISSION_KEY = "case_review_submission_key"
LAST_KEY = "case_review_last_application"


def _page(
    request: HttpRequest, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    response = render(request, template, context or {}, status=status)
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _submission_key(request: HttpRequest) -> str:
    key = request.session.get(SUBMISSION_KEY)
    if not isinstance(key, str) or not key:
        key = f"cr-web-{secrets.token_urlsafe(24)}"
        request.session[SUBMISSION_KEY] = key
    return key


def apply(request: HttpRequest) -> HttpResponse:
    """GET and POST /case-review/: the application form."""
    _submission_key(request)
    form = ApplicationForm(request.POST or None)
    if request.method == "POST":
        ip = client_ip(request) or "unknown"
        if form.is_robot():
            honeypot_refusal(ip=ip, request=request)
            return _page(request, "case_review/public/refused.html", status=400)
        if form.is_valid():
            home = None
            if form.cleaned_data["postcode"] and form.cleaned_data["address"]:
                home = property_at_address(
                    postcode=form.cleaned_data["postcode"], line=form.cleaned_data["address"].split(",")[0]
                )
            try:
                keys = {"ip": ip, "email": form.cleaned_data["email"]}
                rate_limit_check(keys)
                submitted = application_submit(
                    details=form.details(home=home),
                    channel=ApplicationChannel.WEB,
                    idempotency_key=_submission_key(request),
                    request=request,
                )
            except RateLimitedError as error:
                # The answers stay on the page: only sending is refused for now.
                when = timezone.localtime(error.retry_at)
                form.add_error(
                    None,
                    "We have had a lot of applications from this connection or email address in the last hour. "
                    f"You can send this after {when:%H:%M} on {when.day} {when:%B %Y}, or call us.",
                )
                return _page(request, "case_review/public/apply.html", {"form": form}, status=429)
            except DomainError as error:
                form.add_domain_error(error)
            else:
                if not submitted.replayed:
                    rate_limit_count(keys)
                application = submitted.application
                request.session[LAST_KEY] = {
                    "reference": application.reference,
                    "token": submitted.token,
                    "decision_due_at": application.decision_due_at.isoformat() if application.decision_due_at else "",
                    "emailed": not email_withheld_reason(application) and not submitted.replayed,
                    "replayed": submitted.replayed,
                }
                request.session.pop(SUBMISSION_KEY, None)
                return redirect("case-review:confirmation")
    return _page(request, "case_review/public/apply.html", {"form": form})


def confirmation(request: HttpRequest) -> HttpResponse:
    """GET /case-review/confirmation/: the reference, the decision deadline in words and the status link (once)."""
    sent = request.session.get(LAST_KEY)
    if not isinstance(sent, dict) or "reference" not in sent:
        return redirect("case-review:apply")
    token = sent.pop("token", "")
    request.session.modified = True
    due = parse_datetime(sent.get("decision_due_at") or "")
    link = status_url(token) if token else ""
    return _page(request, "case_review/public/confirmation.html", {"sent": sent, "due": due, "status_link": link})


def status_page(request: HttpRequest, token: str) -> HttpResponse:
    """GET /case-review/status/<token>/: the applicant's private page (where their application has got to)."""
    link = status_link_for_token(token=token)
    if link is None:
        return _page(request, "case_review/public/link_unknown.html", status=404)
    status_link_used(link=link, request=request)
    application = link.application
    context = {
        "application": application,
        "waiting": application.status == ApplicationStatus.RECEIVED,
        "apply_url": reverse("case-review:apply"),
    }
    return _page(request, "case_review/public/status.html", context)
