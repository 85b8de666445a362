"""Staff are signed out after IDLE_TIMEOUT_MINUTES without a request, and told why."""

from __future__ import annotations

import pytest
import time_machine
from django.conf import settings
from django.test import override_settings

from saferhomes.core.models import AuditEvent

pytestmark = pytest.mark.django_db

START = "2026-03-02 09:00:00+00:00"


def test_signed_out_after_the_idle_limit_and_told_why(staff_client) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        client = staff_client()
        assert client.get("/staff/").status_code == 200
        traveller.shift(settings.IDLE_TIMEOUT_MINUTES * 60 + 1)
        response = client.get("/staff/tokens/?page=2")
        assert response.status_code == 302
        assert response["Location"] == "/staff/sign-in/?next=/staff/tokens/%3Fpage%3D2"
        page = client.get(response["Location"]).content.decode()
        assert "You were signed out because you had not used the service" in page
        assert f"{settings.IDLE_TIMEOUT_MINUTES} minutes" in page
        assert client.get("/staff/").status_code == 302
        assert AuditEvent.objects.filter(verb="staff.signed_out", reason__startswith="Idle").exists()


def test_the_idle_message_is_shown_once(staff_client) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        client = staff_client()
        client.get("/staff/")
        traveller.shift(settings.IDLE_TIMEOUT_MINUTES * 60 + 1)
        client.get("/staff/")
        assert "You were signed out" in client.get("/staff/sign-in/").content.decode()
        assert "You were signed out" not in client.get("/staff/sign-in/").content.decode()


def test_not_signed_out_just_before_the_limit(staff_client) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        client = staff_client()
        client.get("/staff/")
        traveller.shift(settings.IDLE_TIMEOUT_MINUTES * 60 - 1)
        assert client.get("/staff/").status_code == 200


def test_each_request_restarts_the_idle_clock(staff_client) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        client = staff_client()
        client.get("/staff/")
        for _ in range(4):  # four requests, each just inside the limit: well past the limit in total
            traveller.shift(settings.IDLE_TIMEOUT_MINUTES * 60 - 60)
            assert client.get("/staff/").status_code == 200


@override_settings(IDLE_TIMEOUT_MINUTES=5)
def test_the_limit_comes_from_settings(staff_client) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        client = staff_client()
        client.get("/staff/")
        traveller.shift(6 * 60)
        assert client.get("/staff/").status_code == 302
