"""Spam and abuse protection on the public form (issue 6 part 7), and evidence uploads checked by their content."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from pytest_django.fixtures import Settings

from saferhomes.core.models import AuditEvent
from saferhomes.intake import journey
from saferhomes.intake.models import IntakeAttempt, Report, ReportAttachment
from saferhomes.intake.services import public_form
from tests.cases.record_helpers import EXE_BYTES, SAMPLES, upload
from tests.intake.public_journey import full_answers, walk

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _private_files(settings: Settings, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path


def _answers(email: str) -> dict[str, dict[str, object]]:
    answers = full_answers()
    answers["your-details"] = {**answers["your-details"], "email": email}
    answers["when"] = {"occurred_text": "Last week", "frequency": "weekly"}  # the tests travel in time
    return answers


def test_attempts_are_kept_under_a_salted_hash_never_the_value(client: Client) -> None:
    walk(client, full_answers())
    hashes = set(IntakeAttempt.objects.values_list("key_hash", flat=True))
    assert hashes == {public_form.attempt_key("ip", "127.0.0.1"), public_form.attempt_key("email", "ada@example.org")}
    # Hex digests only: no dot or @ of the address, and no run of letters beyond a-f (so "ada" may occur by chance).
    assert all(re.fullmatch(r"[0-9a-f]{32,}", value) for value in hashes), hashes


@time_machine.travel(NOW, tick=False)
def test_sixth_report_in_an_hour_from_one_address_is_refused_with_when_and_answers_kept(client: Client) -> None:
    for number in range(public_form.REPORTS_PER_IP):
        walk(Client(), _answers(f"person{number}@example.org"))
    walk(client, _answers("another@example.org"), send=False)
    response = client.post("/report/check-answers/", {})
    assert response.status_code == 429
    page = response.content.decode()
    assert "11:00 on 10 March 2026" in page
    assert "03069 990123" in page
    assert Report.objects.count() == public_form.REPORTS_PER_IP
    assert client.get("/report/check-answers/").status_code == 200  # the answers are still there


def test_the_limit_lifts_after_an_hour(client: Client) -> None:
    with time_machine.travel(NOW, tick=False):
        for number in range(public_form.REPORTS_PER_IP):
            walk(Client(), _answers(f"person{number}@example.org"))
    with time_machine.travel(NOW + dt.timedelta(hours=1, seconds=1), tick=False):
        walk(client, _answers("later@example.org"))
    assert Report.objects.count() == public_form.REPORTS_PER_IP + 1


def test_fourth_report_in_an_hour_from_one_email_is_refused(client: Client) -> None:
    for _ in range(public_form.REPORTS_PER_EMAIL):
        walk(Client(REMOTE_ADDR="192.0.2.1"), _answers("same@example.org"))
    walk(client, _answers("SAME@example.org"), send=False)
    client.defaults["REMOTE_ADDR"] = "192.0.2.99"
    assert client.post("/report/check-answers/", {}).status_code == 429
    assert Report.objects.count() == public_form.REPORTS_PER_EMAIL


def test_honeypot_on_the_first_page_refuses_and_keeps_nothing(client: Client) -> None:
    response = client.post("/report/safety/", {"danger_now": "no", "website_address": "http://spam.example"})
    assert response.status_code == 400
    assert "We could not take your report online" in response.content.decode()
    assert "safety" not in journey.journey_answers(client.session)
    assert AuditEvent.objects.filter(verb="report.refused_honeypot").exists()


def test_honeypot_on_send_refuses_but_keeps_the_answers(client: Client) -> None:
    walk(client, full_answers(), send=False)
    response = client.post("/report/check-answers/", {"website_address": "buy now"})
    assert response.status_code == 400
    assert not Report.objects.exists()
    assert client.get("/report/check-answers/").status_code == 200


def test_the_honeypot_is_hidden_from_people(client: Client) -> None:
    page = client.get("/report/safety/").content.decode()
    assert '<div hidden>\n            <label for="id_website_address">' in page


# Evidence -------------------------------------------------------------------------------------------------------


def test_files_are_checked_by_content_kept_privately_and_sent_with_the_report(client: Client) -> None:
    name, content = SAMPLES["image/jpeg"]
    response = client.post("/report/evidence/", {"upload": "1", "file": upload(name, content)})
    assert response.status_code == 302
    pdf_name, pdf = SAMPLES["application/pdf"]
    client.post("/report/evidence/", {"upload": "1", "file": upload(pdf_name, pdf)})
    page = client.get("/report/evidence/").content.decode()
    assert "photo.jpg" in page
    assert "letter.pdf" in page
    waiting = ReportAttachment.objects.filter(report__isnull=True)
    assert sorted(waiting.values_list("content_type", flat=True)) == ["application/pdf", "image/jpeg"]
    walk(client, full_answers())
    report = Report.objects.get()
    assert sorted(a.original_name for a in report.attachments.all()) == ["letter.pdf", "photo.jpg"]
    assert not ReportAttachment.objects.filter(report__isnull=True).exists()


def test_a_file_that_is_not_what_it_claims_is_refused(client: Client) -> None:
    response = client.post("/report/evidence/", {"upload": "1", "file": upload("holiday.jpg", EXE_BYTES, "image/jpeg")})
    assert response.status_code == 200
    page = response.content.decode()
    assert '<a href="#id_file">The selected file must be a JPG' in page
    assert not ReportAttachment.objects.exists()


def test_too_big_a_file_is_refused(client: Client, settings: Settings) -> None:
    settings.EVIDENCE_MAX_BYTES = 10
    name, content = SAMPLES["image/png"]
    page = client.post("/report/evidence/", {"upload": "1", "file": upload(name, content)}).content.decode()
    assert "The selected file must be smaller than" in page


def test_upload_without_a_file_says_so(client: Client) -> None:
    page = client.post("/report/evidence/", {"upload": "1"}).content.decode()
    assert "Select a file to upload" in page


def test_a_file_can_be_removed_before_sending(client: Client) -> None:
    name, content = SAMPLES["text/plain"]
    client.post("/report/evidence/", {"upload": "1", "file": upload(name, content)})
    attachment = ReportAttachment.objects.get()
    client.post("/report/evidence/", {"remove": str(attachment.pk)})
    assert not ReportAttachment.objects.exists()
    assert journey.attachment_ids(client.session) == []


def test_someone_else_s_waiting_file_cannot_be_removed_or_taken(client: Client) -> None:
    name, content = SAMPLES["text/plain"]
    other = Client()
    other.post("/report/evidence/", {"upload": "1", "file": upload(name, content)})
    theirs = ReportAttachment.objects.get()
    client.post("/report/evidence/", {"remove": str(theirs.pk)})
    walk(client, full_answers())
    theirs.refresh_from_db()
    assert theirs.report is None


def test_at_most_ten_files(client: Client) -> None:
    name, content = SAMPLES["text/plain"]
    for _ in range(journey.MAX_ATTACHMENTS):
        client.post("/report/evidence/", {"upload": "1", "file": upload(name, content)})
    page = client.post("/report/evidence/", {"upload": "1", "file": upload(name, content)}).content.decode()
    assert "You can upload up to 10 files" in page
    assert ReportAttachment.objects.count() == journey.MAX_ATTACHMENTS


def test_continue_goes_to_the_next_page(client: Client) -> None:
    assert client.post("/report/evidence/", {"continue": "1"})["Location"] == "/report/about-you/"


def test_oversized_requests_are_refused_with_a_400_not_a_server_error(client: Client, settings: Settings) -> None:
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 2_621_440  # Django's default: far above a 5,000-character answer
    response = client.post("/report/what-happened/", {"description": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})
    assert response.status_code == 400
    too_many = {f"field{number}": "x" for number in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    assert client.post("/report/safety/", too_many).status_code == 400
    assert "what-happened" not in journey.journey_answers(client.session)
