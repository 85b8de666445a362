"""Permission matrix for the accounts pages: every role, anonymous visitors, and password-only sessions."""

from __future__ import annotations

import pytest
from django.test import Client

from saferhomes.accounts.roles import Role

pytestmark = pytest.mark.django_db

# URL -> roles that may open it (None: every signed-in member of staff).
STAFF_URLS: dict[str, set[str] | None] = {
    "/staff/": None,
    "/staff/tokens/": None,
    "/staff/admin/": {Role.ADMIN},
    "/staff/admin/accounts/user/": {Role.ADMIN},
    "/staff/admin/accounts/team/": {Role.ADMIN},
    "/staff/admin/accounts/apitoken/": {Role.ADMIN},
    "/staff/admin/otp_totp/totpdevice/": {Role.ADMIN},
}


@pytest.mark.parametrize("url", STAFF_URLS)
def test_anonymous_visitor_is_sent_to_sign_in(url: str) -> None:
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/sign-in/?next=")


@pytest.mark.parametrize("url", STAFF_URLS)
def test_password_alone_is_sent_to_the_second_factor(officer_olivia, url: str) -> None:
    client = Client()
    client.force_login(officer_olivia)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/two-factor/?next=")


@pytest.mark.parametrize("url", STAFF_URLS)
@pytest.mark.parametrize("role", Role.values)
def test_role_matrix(staff_client, role: str, url: str) -> None:
    allowed = STAFF_URLS[url]
    response = staff_client(role).get(url, follow=True)
    expected = 200 if allowed is None or role in allowed else 403
    assert response.status_code == expected


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
