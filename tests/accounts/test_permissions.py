"""Permission matrix for the accounts pages: every role, anonymous visitors, and password-only sessions."""

from __future__ import annotations

import pytest
from django.test import Client

from saferhomes.accounts.roles import Role
from tests.access.surfaces import Grid, RoleSurface

pytestmark = pytest.mark.django_db

AREA = "Staff accounts"
ADMIN = frozenset({Role.ADMIN})
# The roles that may open each page (None: every signed-in member of staff); answers after following redirects.
STAFF_PAGES = [
    RoleSurface(AREA, "Staff home", "GET", "/staff/", None),
    RoleSurface(AREA, "API tokens", "GET", "/staff/tokens/", None),
    RoleSurface(AREA, "Administration", "GET", "/staff/admin/", ADMIN),
    RoleSurface(AREA, "Administration: users", "GET", "/staff/admin/accounts/user/", ADMIN),
    RoleSurface(AREA, "Administration: teams", "GET", "/staff/admin/accounts/team/", ADMIN),
    RoleSurface(AREA, "Administration: API tokens", "GET", "/staff/admin/accounts/apitoken/", ADMIN),
    RoleSurface(AREA, "Administration: second-factor devices", "GET", "/staff/admin/otp_totp/totpdevice/", ADMIN),
]
STAFF_URLS = [page.path for page in STAFF_PAGES]
SIGNED_OUT, PASSWORD_ONLY = "signed out", "password only (no second factor)"
NOT_VERIFIED = Grid(
    AREA,
    "Before the second factor",
    rows=[f"`GET {url}`" for url in STAFF_URLS],
    columns=[SIGNED_OUT, PASSWORD_ONLY],
    cell=lambda _url, column: "302 /staff/sign-in/?next=" if column == SIGNED_OUT else "302 /staff/two-factor/?next=",
    note="Every staff page sends a visitor who has not signed in, or signed in with a password alone, on to the "
    "next step (the cell is the status and the start of the address it redirects to).",
)


def _answer(response) -> str:
    return f"{response.status_code} {response['Location']}"


@pytest.mark.parametrize("url", STAFF_URLS)
def test_anonymous_visitor_is_sent_to_sign_in(url: str) -> None:
    response = Client().get(url)
    assert _answer(response).startswith(str(NOT_VERIFIED.cell(f"`GET {url}`", SIGNED_OUT)))


@pytest.mark.parametrize("url", STAFF_URLS)
def test_password_alone_is_sent_to_the_second_factor(officer_olivia, url: str) -> None:
    client = Client()
    client.force_login(officer_olivia)
    response = client.get(url)
    assert _answer(response).startswith(str(NOT_VERIFIED.cell(f"`GET {url}`", PASSWORD_ONLY)))


@pytest.mark.parametrize("page", STAFF_PAGES, ids=STAFF_URLS)
@pytest.mark.parametrize("role", Role.values)
def test_role_matrix(staff_client, role: str, page: RoleSurface) -> None:
    response = staff_client(role).get(page.url(), follow=True)
    assert response.status_code == page.expected(role)


@pytest.mark.parametrize("url", ["/staff/sign-in/", "/staff/password-reset/", "/staff/password-reset/sent/"])
def test_open_pages_work_without_signing_in(url: str) -> None:
    assert Client().get(url).status_code == 200


def test_inactive_user_with_a_live_session_is_turned_away(staff_client) -> None:
    from saferhomes.accounts.models import User

    client = staff_client()
    User.objects.filter(username="officer_olivia").update(is_active=False)
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/sign-in/")
