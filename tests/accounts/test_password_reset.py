"""Password reset by email: never says whether an account exists; the link expires and works once."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client

from saferhomes.accounts.models import User
from saferhomes.accounts.services import staff_create
from saferhomes.core.models import AuditEvent
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-passphrase-77"


def link_in(message: mail.EmailMessage) -> str:
    match = re.search(r"http://127.0.0.1:8000(/staff/password-reset/[^\s]+/)", str(message.body))
    assert match, message.body
    return match.group(1)


def request_reset(client: Client, email: str):
    return client.post("/staff/password-reset/", {"email": email})


def test_reset_end_to_end(officer_olivia: User) -> None:
    client = Client()
    response = request_reset(client, officer_olivia.email)
    assert response["Location"] == "/staff/password-reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [officer_olivia.email]
    assert "expires in 1 hour" in message.body
    assert officer_olivia.username in message.body

    form_page = client.get(link_in(message), follow=True)
    assert "Choose a new password" in form_page.content.decode()
    set_password_url = form_page.redirect_chain[-1][0]
    response = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == "/staff/password-reset/complete/"
    assert "Your password has been changed" in client.get(response["Location"]).content.decode()

    officer_olivia.refresh_from_db()
    assert officer_olivia.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(verb="staff.password_reset", actor=officer_olivia).exists()
    assert AuditEvent.objects.filter(verb="staff.password_reset_requested", object_id=str(officer_olivia.pk)).exists()
    assert NEW_PASSWORD not in repr(list(AuditEvent.objects.values()))

    # The link works once.
    again = Client().get(link_in(message), follow=True)
    assert "has expired or has already been used" in again.content.decode()


def test_unknown_address_gets_the_same_page_and_no_email(db: None) -> None:
    response = request_reset(Client(), "nobody@example.org")
    assert response["Location"] == "/staff/password-reset/sent/"
    assert mail.outbox == []
    sent = Client().get("/staff/password-reset/sent/").content.decode()
    assert "If the address you entered belongs to a staff account" in sent


def test_inactive_account_gets_no_email(officer_olivia: User) -> None:
    officer_olivia.is_active = False
    officer_olivia.save()
    request_reset(Client(), officer_olivia.email)
    assert mail.outbox == []


def test_account_created_without_a_password_can_set_its_first_one(db: None) -> None:
    user = staff_create(actor=None, username="new_nadia", role="officer", email="nadia@example.org")
    assert not user.has_usable_password()
    request_reset(Client(), "NADIA@example.org")
    assert len(mail.outbox) == 1


def test_link_expires(officer_olivia: User) -> None:
    with time_machine.travel("2026-03-02 09:00:00+00:00", tick=False) as traveller:
        request_reset(Client(), officer_olivia.email)
        traveller.shift(settings.PASSWORD_RESET_TIMEOUT + 60)
        page = Client().get(link_in(mail.outbox[0]), follow=True).content.decode()
        assert "has expired or has already been used" in page


@pytest.mark.parametrize(
    ("email", "message"),
    [("", "Enter your email address"), ("not-an-email", "Enter an email address in the correct format")],
)
def test_bad_email_gets_a_clear_message_and_keeps_what_was_typed(db: None, email: str, message: str) -> None:
    html = request_reset(Client(), email).content.decode()
    assert message in html
    assert f'value="{email}"' in html or not email


def test_new_password_is_checked_and_mismatch_explained(officer_olivia: User) -> None:
    client = Client()
    request_reset(client, officer_olivia.email)
    form_page = client.get(link_in(mail.outbox[0]), follow=True)
    url = form_page.redirect_chain[-1][0]
    html = client.post(url, {"new_password1": "short", "new_password2": "short"}).content.decode()
    assert "This password is too short" in html
    html = client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"}).content.decode()
    assert "The passwords do not match" in html
    html = client.post(url, {"new_password1": "", "new_password2": ""}).content.decode()
    assert "Enter a new password" in html
    officer_olivia.refresh_from_db()
    assert officer_olivia.check_password(TEST_PASSWORD)


def test_reset_lifts_a_lockout(officer_olivia: User) -> None:
    client = Client()
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post("/staff/sign-in/", {"username": officer_olivia.username, "password": f"wrong-{attempt}"})
    locked = client.post("/staff/sign-in/", {"username": officer_olivia.username, "password": TEST_PASSWORD})
    assert locked.status_code == 429
    request_reset(client, officer_olivia.email)
    form_page = client.get(link_in(mail.outbox[0]), follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    response = client.post("/staff/sign-in/", {"username": officer_olivia.username, "password": NEW_PASSWORD})
    assert response.status_code == 302
