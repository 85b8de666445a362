"""The browser-facing edge (issue 21 part 5; ASVS V3, V4): CSRF on every route, no framing, no open redirect,
and a Host header that can neither reach a view nor put its address into a link."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.test import Client
from pytest_django.fixtures import Settings

import saferhomes
from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.accounts.services import staff_totp_device_create
from saferhomes.intake.models import Channel
from saferhomes.intake.services.report import ReportDetails, report_submit
from saferhomes.intake.services.status import status_link_issue
from tests.accounts.test_sign_in import code_for, sign_in
from tests.conftest import client_verified_as
from tests.factories import TEST_PASSWORD
from tests.security.urls import ADMIN_SAMPLES, every_path

pytestmark = pytest.mark.django_db

# Routes that do not use the session cookie, so a cross-site form cannot ride on it: the API (Bearer tokens) and the
# mail provider's webhook (a shared secret in a header).
NOT_COOKIE_AUTHENTICATED = ("/api/v1/", "/intake/inbound-email/")


# CSRF (ASVS 3.5.1) ------------------------------------------------------------------------------------------------


def test_no_route_outside_the_api_and_the_webhook_is_exempt_from_the_csrf_check() -> None:
    """Django's CSRF middleware guards every view not marked exempt: so every route of the product is guarded."""
    assert "django.middleware.csrf.CsrfViewMiddleware" in django_settings.MIDDLEWARE
    routes = every_path()
    assert len(routes) > 300  # the walk really covers the product
    exempt = {path for path, view in routes if getattr(view, "csrf_exempt", False)}
    assert exempt
    assert {path for path in exempt if not path.startswith(NOT_COOKIE_AUTHENTICATED)} == set()


def _one_route_per_area() -> list[str]:
    """The first route under each two-segment prefix (/staff/cases/, /report/status/, /staff/admin/accounts/ ...)."""
    chosen: dict[str, str] = {}
    for path, _ in every_path():
        if not path.startswith(NOT_COOKIE_AUTHENTICATED):
            chosen.setdefault("/".join(path.split("/")[:4]), path)
    return sorted(chosen.values())


def test_a_post_without_a_csrf_token_is_refused_before_its_view_runs_in_every_area(
    make_staff: Callable[..., User], caplog: pytest.LogCaptureFixture
) -> None:
    """A signed-in, verified administrator's browser, tricked into posting to a route of every area."""
    client = client_verified_as(make_staff(Role.ADMIN))
    client.handler.enforce_csrf_checks = True
    paths = _one_route_per_area()
    assert len(paths) > 30
    refused = []
    with caplog.at_level(logging.WARNING, logger="django.security.csrf"):
        for path in paths:
            caplog.clear()
            response = client.post(path, {"anything": "1"})
            if response.status_code == 403 and any("CSRF" in record.getMessage() for record in caplog.records):
                refused.append(path)
    assert sorted(set(paths) - set(refused)) == []


def test_the_same_post_with_its_token_is_accepted(officer_olivia: User) -> None:
    """The control for the sweep: the refusal above is about the token, not about the route."""
    client = Client(enforce_csrf_checks=True)
    client.get("/staff/sign-in/")
    token = client.cookies["csrftoken"].value
    assert sign_in(client, officer_olivia.username).status_code == 403
    data = {"username": officer_olivia.username, "password": "not-it", "csrfmiddlewaretoken": token}
    response = client.post("/staff/sign-in/", data)
    assert response.status_code == 200  # the form answered (wrong password), the CSRF check passed


def test_a_staff_session_cookie_alone_does_not_authenticate_the_api(make_staff: Callable[..., User]) -> None:
    client = client_verified_as(make_staff(Role.OFFICER))
    response = client.post("/api/v1/reports", {"description": "forged"}, content_type="application/json")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/problem+json")


def test_session_and_csrf_cookies_are_not_readable_by_script_nor_sent_cross_site(officer_olivia: User) -> None:
    client = Client()
    device = staff_totp_device_create(officer_olivia)
    sign_in(client, officer_olivia.username)
    client.post("/staff/two-factor/", {"otp_token": code_for(device)})
    session = client.cookies["sessionid"]
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    client.get("/staff/sign-in/")
    assert client.cookies["csrftoken"]["httponly"] is True


# Clickjacking (ASVS 3.4.6) ----------------------------------------------------------------------------------------


def _framing_refused(response: object) -> bool:
    """frame-ancestors 'none' and X-Frame-Options (3.4.6), with the rest of the policy and headers (3.4.3-3.4.5)."""
    headers = response.headers  # type: ignore[attr-defined]
    policy = headers.get("Content-Security-Policy", "")
    wanted = ("frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'")
    return (
        headers.get("X-Frame-Options") == "DENY"
        and all(directive in policy for directive in wanted)
        and headers.get("X-Content-Type-Options") == "nosniff"
        and headers.get("Referrer-Policy") == "same-origin"
    )


def test_no_page_may_be_framed(make_staff: Callable[..., User]) -> None:
    """Every kind of response: public pages, a form step, the status page, staff pages, admin, API, errors."""
    details = ReportDetails(problem="noise", description="Music at night", first_name="Ada", email="ada@example.org")
    token = status_link_issue(report=report_submit(details=details, channel=Channel.WEB))
    anonymous = Client()
    staff = client_verified_as(make_staff(Role.ADMIN))
    officer = client_verified_as(make_staff(Role.OFFICER))
    responses = {
        "home": anonymous.get("/"),
        "report form": anonymous.get("/report/", follow=True),
        "status page": anonymous.get(f"/report/status/{token}/"),
        "case review form": anonymous.get("/case-review/", follow=True),
        "sign in": anonymous.get("/staff/sign-in/"),
        "staff home": staff.get("/staff/"),
        "case list": staff.get("/staff/cases/"),
        "admin": staff.get("/staff/admin/"),
        "api docs": staff.get("/api/v1/docs"),
        "api problem": anonymous.get("/api/v1/cases"),
        "not found": anonymous.get("/no-such-page/"),
        "forbidden": officer.get("/staff/risk/instruments/"),
        "bad host": anonymous.get("/", HTTP_HOST="evil.example"),
    }
    assert responses["forbidden"].status_code == 403
    assert responses["bad host"].status_code == 400
    assert {name: response.status_code for name, response in responses.items() if not _framing_refused(response)} == {}


def test_no_view_switches_framing_protection_or_the_csp_off() -> None:
    root = Path(saferhomes.__file__).parent
    offenders = [
        path.relative_to(root).as_posix()
        for path in root.rglob("*.py")
        if re.search(r"xframe_options_(exempt|sameorigin)|csp_exempt|csp_replace|csp_update", path.read_text())
    ]
    assert offenders == []


# Open redirects (ASVS 3.7.2) ---------------------------------------------------------------------------------------

EVIL_TARGETS = [
    "https://evil.example/staff/",
    "//evil.example/staff/",
    "/\\evil.example/staff/",
    "\\\\evil.example",
    "https:evil.example",
    "http://testserver@evil.example/",
    "javascript:alert(document.domain)",
    " //evil.example",
    "/%09/evil.example",  # a path on this site: browsers do not decode %09 in a Location
    "/\t/evil.example",  # a raw tab, which browsers strip: refused at the edge
]


def _stays_here(location: str) -> bool:
    """A path on this site: no scheme, no host, and nothing a browser reads as one (`//x`, `/\\x`, a tab)."""
    parts = urlsplit(location)
    cleaned = re.sub(r"[\x00-\x20]", "", location)
    return not parts.scheme and not parts.netloc and cleaned.startswith("/") and not cleaned.startswith(("//", "/\\"))


@pytest.mark.parametrize("target", EVIL_TARGETS)
def test_sign_in_never_sends_anyone_to_another_site(officer_olivia: User, target: str) -> None:
    device = staff_totp_device_create(officer_olivia)
    client = Client()
    after_password = sign_in(client, officer_olivia.username, next_url=target)
    assert _stays_here(after_password["Location"])
    after_code = client.post("/staff/two-factor/", {"otp_token": code_for(device), "next": target})
    assert _stays_here(after_code["Location"])
    already_in = client.get("/staff/sign-in/", {"next": target})  # a verified visitor is sent on at once
    assert already_in.status_code == 400 or _stays_here(already_in["Location"])


@pytest.mark.parametrize("target", EVIL_TARGETS[:3])
def test_the_admin_sign_in_hands_next_to_the_checked_sign_in(officer_olivia: User, target: str) -> None:
    device = staff_totp_device_create(officer_olivia)
    client = Client()
    response = client.get("/staff/admin/login/", {"next": target})
    assert response["Location"].startswith("/staff/sign-in/?next=")
    after_password = client.post(response["Location"], {"username": officer_olivia.username, "password": TEST_PASSWORD})
    assert _stays_here(after_password["Location"])
    after_code = client.post(after_password["Location"], {"otp_token": code_for(device)})
    assert after_code["Location"].startswith("/staff/admin/login/?next=")  # back to the admin, on this site
    assert client.get(after_code["Location"]).status_code == 403  # which never redirects a verified visitor


def test_every_redirect_of_the_anonymous_site_stays_on_the_site() -> None:
    """GET every route without parameters, with a hostile `next`, `back` and `return_to`: no Location leaves."""
    client = Client()
    hostile = {"next": EVIL_TARGETS[0], "back": EVIL_TARGETS[1], "return_to": EVIL_TARGETS[2]}
    left = []
    for path, _ in every_path():
        if re.search(r"/(x|1)(/|$)", path) or path.startswith(("/api/", "/staff/admin/")) or path in ADMIN_SAMPLES:
            continue
        response = client.get(path, hostile)
        if response.status_code in (301, 302, 303, 307, 308) and not _stays_here(response["Location"]):
            left.append((path, response["Location"]))
    assert left == []


# Host header (ASVS 13.x: the application trusts only its configured host names) ------------------------------------


@pytest.mark.parametrize("path", ["/", "/report/", "/staff/sign-in/", "/staff/password-reset/"])
def test_an_unknown_host_is_refused_with_a_page_not_an_error(path: str, settings: Settings) -> None:
    settings.ALLOWED_HOSTS = ["asb.example.org"]
    response = Client().get(path, HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert Client().get(path, HTTP_HOST="asb.example.org").status_code in (200, 302)


def test_a_forwarded_host_is_not_trusted(settings: Settings) -> None:
    settings.ALLOWED_HOSTS = ["asb.example.org"]
    response = Client().get("/staff/sign-in/", HTTP_HOST="asb.example.org", HTTP_X_FORWARDED_HOST="evil.example")
    assert response.status_code == 200
    assert "evil.example" not in response.content.decode()


def test_a_password_reset_link_never_takes_its_host_from_the_request(officer_olivia: User, settings: Settings) -> None:
    """Even with every host allowed (a misconfiguration), the emailed link is on the configured address."""
    settings.ALLOWED_HOSTS = ["*"]
    Client().post(
        "/staff/password-reset/",
        {"email": officer_olivia.email},
        HTTP_HOST="evil.example",
        HTTP_X_FORWARDED_HOST="evil.example",
    )
    [message] = mail.outbox
    assert "evil.example" not in message.body
    assert f"{settings.SAFERHOMES_BASE_URL}/staff/password-reset/" in message.body


# Caching (ASVS 14.3.2, 7.4.1: the back button on a shared computer shows nothing after sign-out) --------------------


def test_no_staff_or_reporter_page_is_kept_by_the_browser(make_staff: Callable[..., User]) -> None:
    details = ReportDetails(problem="noise", description="Music at night", first_name="Ada", email="ada@example.org")
    token = status_link_issue(report=report_submit(details=details, channel=Channel.WEB))
    staff = client_verified_as(make_staff(Role.MANAGER))
    responses = {
        "staff home": staff.get("/staff/"),
        "case list": staff.get("/staff/cases/"),
        "report queue": staff.get("/staff/reports/"),
        "workload": staff.get("/staff/cases/workload/"),
        "status page": Client().get(f"/report/status/{token}/"),
        "diary": Client().get(f"/report/status/{token}/diary/"),
    }
    assert {name: r.status_code for name, r in responses.items() if r.status_code != 200} == {}
    cached = {name: r.get("Cache-Control", "") for name, r in responses.items()}
    assert {name: value for name, value in cached.items() if "no-store" not in value} == {}
