"""Sessions and brute force (issue 21 part 5; ASVS V6, V7): a planted session id never becomes a signed-in one, and
guessing passwords or second-factor codes stops, whatever cookies or sessions the guesser throws away."""

from __future__ import annotations

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client

from saferhomes.accounts.models import User
from saferhomes.accounts.services import staff_password_reset, staff_totp_device_create
from saferhomes.core.models import AuditEvent
from tests.accounts.test_sign_in import code_for, sign_in
from tests.conftest import client_verified_as
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

SESSION_COOKIE = settings.SESSION_COOKIE_NAME
MOMENT = "2026-03-02 10:00:00+00:00"


def _planted(client: Client) -> str:
    """An attacker's session id set in the victim's browser (a shared computer, a cookie from a sibling host)."""
    store = SessionStore()
    store["planted"] = True
    store.save()
    assert store.session_key is not None
    client.cookies[SESSION_COOKIE] = store.session_key
    return store.session_key


def _signed_in(session_key: str) -> bool:
    """Whether someone holding only this session id reaches the staff area."""
    attacker = Client()
    attacker.cookies[SESSION_COOKIE] = session_key
    return attacker.get("/staff/").status_code == 200


# Session fixation (ASVS 7.2.4) -------------------------------------------------------------------------------------


def test_a_planted_session_id_is_replaced_at_the_password_and_again_at_the_second_factor(officer_olivia: User) -> None:
    device = staff_totp_device_create(officer_olivia)
    victim = Client()
    planted = _planted(victim)
    sign_in(victim, officer_olivia.username)
    after_password = victim.cookies[SESSION_COOKIE].value
    assert after_password != planted
    assert not SessionStore().exists(planted)  # the old id is deleted, not merely left behind
    assert victim.post("/staff/two-factor/", {"otp_token": code_for(device)})["Location"] == "/staff/"
    after_code = victim.cookies[SESSION_COOKIE].value
    assert after_code not in (planted, after_password)
    assert victim.get("/staff/").status_code == 200
    assert not _signed_in(planted)
    assert not _signed_in(after_password)  # an id seen before the second factor never becomes a verified one
    assert _signed_in(after_code)  # the control: the id the victim holds now is the signed-in one


def test_signing_out_ends_the_session_for_whoever_holds_its_id(officer_olivia: User) -> None:
    client = client_verified_as(officer_olivia)
    key = client.cookies[SESSION_COOKIE].value
    assert _signed_in(key)
    client.post("/staff/sign-out/")
    assert not _signed_in(key)


def test_a_password_reset_ends_every_other_session_of_the_account(officer_olivia: User) -> None:
    elsewhere = client_verified_as(officer_olivia)
    assert elsewhere.get("/staff/").status_code == 200
    staff_password_reset(user=officer_olivia, password="a-new-passphrase-for-olivia-42")
    response = elsewhere.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/sign-in/")


def test_a_deactivated_account_is_signed_out_at_its_next_request(officer_olivia: User) -> None:
    client = client_verified_as(officer_olivia)
    User.objects.filter(pk=officer_olivia.pk).update(is_active=False)
    assert client.get("/staff/")["Location"].startswith("/staff/sign-in/")


# Brute force: passwords (ASVS 6.3.1) --------------------------------------------------------------------------------


def test_the_password_lockout_holds_for_a_guesser_who_throws_away_cookies(officer_olivia: User) -> None:
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(Client(), officer_olivia.username, password=f"guess-{attempt}")  # a new browser every time
    response = sign_in(Client(), officer_olivia.username)  # the right password, from yet another new browser
    assert response.status_code == 429
    assert SESSION_COOKIE not in response.cookies or not response.cookies[SESSION_COOKIE].value


def test_an_unknown_username_locks_out_the_same_way_so_lockout_does_not_reveal_accounts(db: None) -> None:
    statuses = [sign_in(Client(), "nobody_here", password=f"guess-{n}").status_code for n in range(6)]
    assert statuses[: settings.AXES_FAILURE_LIMIT - 1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert statuses[-1] == 429


def test_every_refused_guess_is_audited_without_what_was_typed(officer_olivia: User) -> None:
    for attempt in range(3):
        sign_in(Client(), officer_olivia.username, password=f"secret-guess-{attempt}")
    events = AuditEvent.objects.filter(verb="staff.sign_in_failed", object_label=officer_olivia.username)
    assert events.count() == 3
    assert "secret-guess" not in repr(list(events.values()))


# Brute force: the second factor (ASVS 6.6.3, 6.3.1) ----------------------------------------------------------------


def _codes(client: Client, *codes: str) -> list[str]:
    return [client.post("/staff/two-factor/", {"otp_token": code}).content.decode() for code in codes]


def test_wrong_codes_throttle_the_account_not_the_session(officer_olivia: User) -> None:
    """The guesser has the password: starting again in a new browser does not reset the wait."""
    device = staff_totp_device_create(officer_olivia)
    with time_machine.travel(MOMENT, tick=False):
        first = Client()
        sign_in(first, officer_olivia.username)
        _codes(first, "000000", "111111", "222222")
        second = Client()
        assert sign_in(second, officer_olivia.username).status_code == 302
        device.refresh_from_db()
        [page] = _codes(second, code_for(device))
        assert "too many codes that are not correct" in page
        assert second.get("/staff/").status_code == 302  # still not in


def test_the_wait_doubles_with_each_wrong_code(officer_olivia: User) -> None:
    """After n wrong codes the next is refused for 2^(n-1) seconds: a year of guessing is about 25 guesses."""
    device = staff_totp_device_create(officer_olivia)
    with time_machine.travel(MOMENT, tick=False) as traveller:
        client = Client()
        sign_in(client, officer_olivia.username)
        for failures in range(1, 7):
            _codes(client, "000000")
            wait = settings.OTP_TOTP_THROTTLE_FACTOR * 2 ** (failures - 1)
            traveller.shift(wait - 1)
            [page] = _codes(client, "999999")
            assert "too many codes that are not correct" in page, failures  # refused unchecked during the wait
            traveller.shift(1)
        device.refresh_from_db()
        assert device.throttling_failure_count == 6
        response = client.post("/staff/two-factor/", {"otp_token": code_for(device)})
        assert response["Location"] == "/staff/"


def test_a_password_reset_does_not_lift_the_second_factor_throttle(officer_olivia: User) -> None:
    device = staff_totp_device_create(officer_olivia)
    with time_machine.travel(MOMENT, tick=False):
        client = Client()
        sign_in(client, officer_olivia.username)
        _codes(client, "000000", "111111", "222222", "333333")
        staff_password_reset(user=officer_olivia, password="another-passphrase-for-olivia-7")
        again = Client()
        sign_in(again, officer_olivia.username, password="another-passphrase-for-olivia-7")
        device.refresh_from_db()
        [page] = _codes(again, code_for(device))
        assert "too many codes that are not correct" in page


def test_wrong_codes_during_set_up_are_throttled_too(officer_olivia: User) -> None:
    with time_machine.travel(MOMENT, tick=False):
        client = Client()
        sign_in(client, officer_olivia.username)
        pages = [client.post("/staff/two-factor/set-up/", {"otp_token": "000000"}).content.decode() for _ in range(3)]
        assert "too many codes that are not correct" in pages[-1]
    assert AuditEvent.objects.filter(verb="staff.sign_in_failed", object_label=officer_olivia.username).count() == 3


def test_the_right_password_alone_never_reaches_the_staff_area(officer_olivia: User) -> None:
    staff_totp_device_create(officer_olivia)
    client = Client()
    sign_in(client, officer_olivia.username, password=TEST_PASSWORD)
    for path in ("/staff/", "/staff/cases/", "/staff/admin/", "/staff/tokens/"):
        assert client.get(path).status_code == 302, path
