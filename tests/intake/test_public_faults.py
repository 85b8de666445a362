"""Faults on the public form (issue 13 part 3): the submit that commits a report is the last thing that can fail,
and a form sent again after a fault finds the report it already made, so nothing is stored twice."""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError
from django.test import Client
from pytest_django.fixtures import Settings

from saferhomes.intake import extensions
from saferhomes.intake.models import Report
from tests.intake.public_journey import full_answers, walk

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_files(settings: Settings, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path


def test_a_dropped_connection_after_the_commit_stores_one_report_and_the_retry_shows_its_reference() -> None:
    client = Client(raise_request_exception=False)
    walk(client, full_answers(), send=False)
    # The report commits; then the connection drops as the session is written (the visitor's answers stay).
    with mock.patch.object(SessionStore, "save", side_effect=OperationalError("server closed the connection")):
        first = client.post("/report/check-answers/", {})
    assert first.status_code == 302  # not a 500 saying nothing was saved
    assert Report.objects.count() == 1
    reference = Report.objects.get().reference

    # The visitor, unsure, sends the form again: the same report, shown with its reference.
    again = client.post("/report/check-answers/", {})
    assert again.status_code == 302
    page = client.get(again["Location"]).content.decode()
    assert Report.objects.count() == 1
    assert reference in page
    assert "We already had this report" in page
    assert "status-link" not in page  # the link is shown once only; they can ask for a new one
    assert "ask for a new one" in page


def test_sending_the_same_form_twice_makes_one_report() -> None:
    client = Client()
    walk(client, full_answers(), send=False)
    key = client.session["intake_report"]["submission"]
    client.post("/report/check-answers/", {})
    # Back, then Send again, with the answers restored (as a browser's back button can).
    session = client.session
    session["intake_report"] = {**session.get("intake_report", {}), "submission": key}
    session.save()
    walk(client, full_answers(), send=False)
    client.post("/report/check-answers/", {})
    assert Report.objects.count() == 1


def _mail_server_down(report: Report) -> None:
    raise ConnectionError("mail server down")


def test_a_failing_listener_after_the_commit_cannot_turn_a_stored_report_into_an_error_page() -> None:
    client = Client(raise_request_exception=False)
    walk(client, full_answers(), send=False)
    with mock.patch.object(extensions, "ON_SUBMITTED", [_mail_server_down]):
        response = client.post("/report/check-answers/", {})
    assert response.status_code == 302
    assert Report.objects.count() == 1
    assert "RPT-" in client.get(response["Location"]).content.decode()


def test_two_journeys_make_two_reports() -> None:
    client = Client()
    walk(client, full_answers())
    walk(client, full_answers())
    assert Report.objects.count() == 2
