"""Signing in: password, then a TOTP code (or setting up an authenticator app the first time)."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from saferhomes.accounts.models import User
from saferhomes.accounts.selectors import totp_current_code
from saferhomes.accounts.services import staff_totp_device_create
from saferhomes.core.models import AuditEvent
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice) -> str:
    """What the person's authenticator app shows now (computed independently of the code under test)."""
    return str(totp(device.bin_key, device.step, device.t0, device.digits, device.drift)).zfill(6)


def sign_in(client: Client, username: str, password: str = TEST_PASSWORD, next_url: str = ""):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post("/staff/sign-in/", data)


def verbs() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("verb", flat=True))


def test_sign_in_page_has_the_fields_the_browser_test_uses() -> None:
    html = Client().get("/staff/sign-in/").content.decode()
    assert 'name="username"' in html
    assert 'name="password"' in html
    assert re.search(r"<button[^>]*>\s*Sign in\s*</button>", html)
    assert "<h1" in html


def test_password_then_code_signs_in_and_reaches_staff_home(officer_olivia: User) -> None:
    device = staff_totp_device_create(officer_olivia)
    client = Client()

    response = sign_in(client, officer_olivia.username)
    assert response.status_code == 302
    assert response["Location"] == "/staff/two-factor/"
    page = client.get(response["Location"]).content.decode()
    assert 'name="otp_token"' in page
    assert re.search(r"<button[^>]*>\s*Continue\s*</button>", page)
    assert client.get("/staff/").status_code == 302, "a password alone must not open the staff area"

    response = client.post("/staff/two-factor/", {"otp_token": code_for(device)})
    assert response.status_code == 302
    assert response["Location"] == "/staff/"
    home = client.get("/staff/")
    assert home.status_code == 200
    assert "<h1" in home.content.decode()
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert verbs()[-1] == "staff.signed_in"


def test_code_with_spaces_is_accepted(officer_olivia: User) -> None:
    device = staff_totp_device_create(officer_olivia)
    client = Client()
    sign_in(client, officer_olivia.username)
    code = code_for(device)
    response = client.post("/staff/two-factor/", {"otp_token": f"{code[:3]} {code[3:]}"})
    assert response["Location"] == "/staff/"


def test_wrong_password_gives_one_message_that_does_not_say_which_part_was_wrong(officer_olivia: User) -> None:
    staff_totp_device_create(officer_olivia)
    response = sign_in(Client(), officer_olivia.username, password="not-the-password")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter the username and password for a staff account" in html
    assert "govuk-error-summary" in html
    assert f'value="{officer_olivia.username}"' in html, "the typed username is kept"
    assert "not-the-password" not in html


def test_unknown_username_gets_the_same_message_as_a_wrong_password(db: None) -> None:
    html = sign_in(Client(), "nobody_here", password="whatever-it-is").content.decode()
    assert "Enter the username and password for a staff account" in html


def test_empty_fields_each_get_their_own_message(db: None) -> None:
    html = Client().post("/staff/sign-in/", {"username": "", "password": ""}).content.decode()
    assert "Enter your username" in html
    assert "Enter your password" in html
    assert 'href="#id_username"' in html
    assert 'href="#id_password"' in html
    assert "Error: Sign in" in html


def test_failed_sign_in_is_audited_without_the_password(officer_olivia: User) -> None:
    sign_in(Client(), officer_olivia.username, password="Secret-Guess-123")
    event = AuditEvent.objects.get(verb="staff.sign_in_failed")
    assert event.object_label == officer_olivia.username
    assert "Secret-Guess-123" not in repr(
        [event.before, event.after, event.reason, event.object_label, event.object_id]
    )


def test_inactive_user_cannot_sign_in(officer_olivia: User) -> None:
    staff_totp_device_create(officer_olivia)
    officer_olivia.is_active = False
    officer_olivia.save()
    client = Client()
    response = sign_in(client, officer_olivia.username)
    assert response.status_code == 200
    assert "Enter the username and password for a staff account" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_wrong_code_is_refused_and_audited(officer_olivia: User) -> None:
    device = staff_totp_device_create(officer_olivia)
    client = Client()
    sign_in(client, officer_olivia.username)
    wrong = str((int(code_for(device)) + 1) % 1_000_000).zfill(6)
    response = client.post("/staff/two-factor/", {"otp_token": wrong})
    html = response.content.decode()
    assert response.status_code == 200
    assert "The code is not correct or has expired" in html
    assert client.get("/staff/").status_code == 302
    assert AuditEvent.objects.filter(verb="staff.sign_in_failed", reason__icontains="code").exists()


def test_empty_and_malformed_codes_get_clear_messages(officer_olivia: User) -> None:
    staff_totp_device_create(officer_olivia)
    client = Client()
    sign_in(client, officer_olivia.username)
    assert (
        "Enter the 6-digit code from your authenticator app"
        in client.post("/staff/two-factor/", {"otp_token": ""}).content.decode()
    )
    assert "The code must be 6 digits" in client.post("/staff/two-factor/", {"otp_token": "12ab"}).content.decode()


def test_repeated_wrong_codes_are_throttled_then_allowed_after_the_wait(officer_olivia: User) -> None:
    device = staff_totp_device_create(officer_olivia)
    client = Client()
    sign_in(client, officer_olivia.username)
    with time_machine.travel("2026-03-02 10:00:00+00:00", tick=False) as traveller:
        for _ in range(3):
            client.post("/staff/two-factor/", {"otp_token": "000000"})
        device.refresh_from_db()
        html = client.post("/staff/two-factor/", {"otp_token": code_for(device)}).content.decode()
        assert "too many codes that are not correct" in html
        traveller.shift(120)
        device.refresh_from_db()
        response = client.post("/staff/two-factor/", {"otp_token": code_for(device)})
        assert response.status_code == 302
        assert response["Location"] == "/staff/"


def test_a_used_code_cannot_be_replayed(officer_olivia: User) -> None:
    device = staff_totp_device_create(officer_olivia)
    with time_machine.travel("2026-03-02 10:00:00+00:00", tick=False):
        code = code_for(device)
        first = Client()
        sign_in(first, officer_olivia.username)
        assert first.post("/staff/two-factor/", {"otp_token": code})["Location"] == "/staff/"
        second = Client()
        sign_in(second, officer_olivia.username)
        assert (
            "The code is not correct or has expired"
            in second.post("/staff/two-factor/", {"otp_token": code}).content.decode()
        )


def test_next_on_this_site_is_followed(officer_olivia: User) -> None:
    device = staff_totp_device_create(officer_olivia)
    client = Client()
    response = sign_in(client, officer_olivia.username, next_url="/staff/tokens/")
    assert response["Location"] == "/staff/two-factor/?next=/staff/tokens/"
    response = client.post("/staff/two-factor/?next=/staff/tokens/", {"otp_token": code_for(device)})
    assert response["Location"] == "/staff/tokens/"


@pytest.mark.parametrize("evil", ["https://evil.example", "//evil.example/x", "https://evil.example/staff/"])
def test_next_to_another_site_is_ignored(officer_olivia: User, evil: str) -> None:
    device = staff_totp_device_create(officer_olivia)
    client = Client()
    response = sign_in(client, officer_olivia.username, next_url=evil)
    assert "evil" not in response["Location"]
    response = client.post("/staff/two-factor/", {"otp_token": code_for(device), "next": evil})
    assert response["Location"] == "/staff/"


def test_staff_area_sends_you_back_to_where_you_were_going(officer_olivia: User) -> None:
    device = staff_totp_device_create(officer_olivia)
    client = Client()
    first = client.get("/staff/tokens/")
    assert first["Location"] == "/staff/sign-in/?next=/staff/tokens/"
    assert 'name="next" value="/staff/tokens/"' in client.get(first["Location"]).content.decode()
    response = sign_in(client, officer_olivia.username, next_url="/staff/tokens/")
    response = client.post(response["Location"], {"otp_token": code_for(device)})
    assert response["Location"] == "/staff/tokens/"


def test_two_factor_page_sends_anonymous_visitor_to_sign_in(db: None) -> None:
    for url in ("/staff/two-factor/", "/staff/two-factor/set-up/"):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/staff/sign-in/")


def test_lockout_after_failure_limit_shows_a_page_even_for_the_right_password(officer_olivia: User) -> None:
    client = Client()
    limit = settings.AXES_FAILURE_LIMIT
    for attempt in range(limit - 1):
        response = sign_in(client, officer_olivia.username, password=f"wrong-{attempt}")
        assert response.status_code == 200
    response = sign_in(client, officer_olivia.username, password="wrong-last")
    assert response.status_code == 429
    response = sign_in(client, officer_olivia.username)  # right password, still locked
    html = response.content.decode()
    assert response.status_code == 429
    assert "You cannot sign in at the moment" in html
    assert "30 minutes" in html
    assert "/staff/password-reset/" in html
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(verb="staff.sign_in_failed", reason__icontains="locked").exists()


def test_lockout_ends_after_the_cool_off(officer_olivia: User) -> None:
    staff_totp_device_create(officer_olivia)
    with time_machine.travel("2026-03-02 10:00:00+00:00", tick=False) as traveller:
        client = Client()
        for attempt in range(settings.AXES_FAILURE_LIMIT):
            sign_in(client, officer_olivia.username, password=f"wrong-{attempt}")
        assert sign_in(client, officer_olivia.username).status_code == 429
        traveller.shift(31 * 60)
        response = sign_in(client, officer_olivia.username)
        assert response.status_code == 302
        assert response["Location"] == "/staff/two-factor/"


def test_first_sign_in_sets_up_an_authenticator_app(officer_olivia: User) -> None:
    client = Client()
    response = sign_in(client, officer_olivia.username, next_url="/staff/tokens/")
    assert response["Location"] == "/staff/two-factor/set-up/?next=/staff/tokens/"
    page = client.get(response["Location"])
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=officer_olivia)
    assert not device.confirmed
    assert 'src="data:image/svg+xml;base64,' in html
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', html)
    assert secret is not None
    assert all(len(group) == 4 for group in secret.group(1).split())
    assert 'name="otp_token"' in html
    assert "style=" not in html, "CSP forbids inline style attributes"
    # Reloading keeps the same key, so a half-finished set-up still works.
    client.get("/staff/two-factor/set-up/")
    assert TOTPDevice.objects.filter(user=officer_olivia).count() == 1

    response = client.post("/staff/two-factor/set-up/?next=/staff/tokens/", {"otp_token": code_for(device)})
    assert response["Location"] == "/staff/tokens/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/staff/tokens/").status_code == 200
    assert verbs()[-2:] == ["staff.two_factor_enrolled", "staff.signed_in"]


def test_set_up_secret_matches_the_device_key(officer_olivia: User) -> None:
    import base64

    client = Client()
    sign_in(client, officer_olivia.username)
    html = client.get("/staff/two-factor/set-up/").content.decode()
    device = TOTPDevice.objects.get(user=officer_olivia)
    shown = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', html).group(1).replace(" ", "")  # type: ignore[union-attr]
    assert base64.b32decode(shown + "=" * (-len(shown) % 8)) == device.bin_key


def test_wrong_code_during_set_up_leaves_device_unconfirmed(officer_olivia: User) -> None:
    client = Client()
    sign_in(client, officer_olivia.username)
    client.get("/staff/two-factor/set-up/")
    device = TOTPDevice.objects.get(user=officer_olivia)
    wrong = str((int(code_for(device)) + 1) % 1_000_000).zfill(6)
    html = client.post("/staff/two-factor/set-up/", {"otp_token": wrong}).content.decode()
    assert "The code is not correct or has expired" in html
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/staff/").status_code == 302


def test_someone_with_an_app_cannot_set_up_another_with_only_the_password(officer_olivia: User) -> None:
    staff_totp_device_create(officer_olivia)
    client = Client()
    sign_in(client, officer_olivia.username)
    response = client.get("/staff/two-factor/set-up/")
    assert response.status_code == 302
    assert response["Location"] == "/staff/two-factor/"
    client.post("/staff/two-factor/set-up/", {"otp_token": "123456"})
    assert TOTPDevice.objects.filter(user=officer_olivia).count() == 1


def test_sign_out_ends_the_session(staff_client) -> None:
    client = staff_client()
    response = client.post("/staff/sign-out/")
    assert response.status_code == 200
    assert "You have signed out" in response.content.decode()
    assert client.get("/staff/").status_code == 302
    assert verbs()[-1] == "staff.signed_out"


def test_sign_out_by_get_only_offers_a_button(staff_client) -> None:
    client = staff_client()
    response = client.get("/staff/sign-out/")
    assert response.status_code == 200
    assert client.get("/staff/").status_code == 200, "a GET must not sign anyone out"


def test_totp_current_code_matches_what_the_device_accepts(officer_olivia: User) -> None:
    device = staff_totp_device_create(officer_olivia)
    assert totp_current_code(device) == code_for(device)
    assert device.verify_token(totp_current_code(device))
