"""Text messages (issue 14 item 14): one sms_send in front of a pluggable backend, the Twilio one tested against a fake
Twilio the test starts on 127.0.0.1; acknowledgements are texted only when the reporter agreed and it is safe."""

from __future__ import annotations

import base64
import json
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django.core import mail
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks, Settings

from saferhomes.core import sms
from saferhomes.intake.models import Channel, OutboundMessage, Report
from saferhomes.intake.services import acknowledge, reporter_contact
from saferhomes.intake.services.report import ReportDetails, report_submit


class _FakeTwilio(BaseHTTPRequestHandler):
    received: list[dict[str, Any]] = []
    answer_status = 201

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        form = urllib.parse.parse_qs(self.rfile.read(length).decode())
        type(self).received.append({"path": self.path, "auth": self.headers.get("Authorization"), "form": form})
        self.send_response(type(self).answer_status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps({"sid": "SM123", "status": "queued"}).encode())

    def log_message(self, *args: Any) -> None:  # quiet
        return


@pytest.fixture
def twilio(settings: Settings) -> Iterator[type[_FakeTwilio]]:
    """A fake Twilio on a free port of 127.0.0.1, and settings pointing at it."""
    _FakeTwilio.received = []
    _FakeTwilio.answer_status = 201
    server = HTTPServer(("127.0.0.1", 0), _FakeTwilio)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_BACKEND = "twilio"
    settings.SMS_TWILIO = {
        "account_sid": "AC0123",
        "auth_token": "secret-token",
        "from": "+447700900000",
        "base_url": f"http://127.0.0.1:{server.server_port}",
        "timeout": 5,
    }
    yield _FakeTwilio
    server.shutdown()
    server.server_close()


def test_twilio_backend_posts_to_the_account_with_basic_auth(twilio: type[_FakeTwilio]) -> None:
    sent = sms.sms_send(to="+447700900123", body="Your reference is RPT-2026-000001")
    assert sent.provider_id == "SM123"
    [request] = twilio.received
    assert request["path"] == "/2010-04-01/Accounts/AC0123/Messages.json"
    assert request["auth"] == "Basic " + base64.b64encode(b"AC0123:secret-token").decode()
    assert request["form"] == {
        "To": ["+447700900123"],
        "From": ["+447700900000"],
        "Body": ["Your reference is RPT-2026-000001"],
    }


def test_a_refusal_by_the_provider_is_an_sms_error_without_the_number_or_text(twilio: type[_FakeTwilio]) -> None:
    twilio.answer_status = 400
    with pytest.raises(sms.SmsError) as raised:
        sms.sms_send(to="+447700900123", body="private words")
    assert str(raised.value) == "The text message service refused the message (HTTP 400)"


def test_an_unreachable_provider_is_an_sms_error(settings: Settings) -> None:
    settings.SMS_BACKEND = "twilio"
    settings.SMS_TWILIO = {
        "account_sid": "AC1",
        "auth_token": "t",
        "from": "+44",
        "base_url": "http://127.0.0.1:9",
        "timeout": 2,
    }
    with pytest.raises(sms.SmsError, match="could not be reached"):
        sms.sms_send(to="+447700900123", body="x")


@pytest.mark.parametrize(
    ("backend", "twilio_settings"),
    [("none", {}), ("twilio", {"account_sid": "", "auth_token": "", "from": "", "base_url": "x", "timeout": 1}),
     ("carrier-pigeon", {})],
)  # fmt: skip
def test_no_backend_that_sends_is_not_configured(
    settings: Settings, backend: str, twilio_settings: dict[str, Any]
) -> None:
    settings.SMS_BACKEND = backend
    settings.SMS_TWILIO = twilio_settings
    with pytest.raises(sms.SmsNotConfiguredError):
        sms.sms_send(to="+447700900123", body="x")


def test_the_console_backend_prints_the_message(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    settings.SMS_BACKEND = "console"
    sms.sms_send(to="+447700900123", body="Hello")
    assert "Text message to +447700900123\nHello" in capsys.readouterr().out


# The acknowledgement by text ---------------------------------------------------------------------------------------

ADA: dict[str, Any] = {
    "case_type": "asb",
    "problem": "noise",
    "description": "Music until 3am",
    "first_name": "Ada",
    "last_name": "Hale",
    "email": "ada@example.org",
    "phone": "07700 900123",
    "contact_methods": ("email", "text"),
}


def _submit(capture: DjangoCaptureOnCommitCallbacks, **changes: Any) -> tuple[Report, OutboundMessage | None]:
    mail.outbox.clear()
    with capture(execute=True):
        report = report_submit(details=ReportDetails(**(ADA | changes)), channel=Channel.WEB)
    return report, OutboundMessage.objects.filter(report=report, channel="sms").first()


@pytest.mark.django_db
def test_the_acknowledgement_is_texted_through_twilio_when_agreed(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks, twilio: type[_FakeTwilio]
) -> None:
    report, text = _submit(django_capture_on_commit_callbacks)
    assert text is not None
    assert text.sent_at is not None
    assert twilio.received[0]["form"]["Body"] == [text.body]
    assert report.reference in text.body


@pytest.mark.django_db
def test_a_da_report_with_safe_contact_notes_is_not_texted(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks, twilio: type[_FakeTwilio]
) -> None:
    _report, text = _submit(
        django_capture_on_commit_callbacks,
        case_type="da",
        problem="domestic_abuse",
        safe_contact_notes="Only after 6pm",
    )
    assert text is not None
    assert (text.sent_at, text.withheld_reason) == (None, reporter_contact.WITHHELD_TEXT_DA_UNSAFE)
    assert twilio.received == []


@pytest.mark.django_db
def test_a_provider_failure_keeps_the_text_ready_for_staff_and_the_report(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks, twilio: type[_FakeTwilio]
) -> None:
    twilio.answer_status = 500
    report, text = _submit(django_capture_on_commit_callbacks)
    assert Report.objects.filter(pk=report.pk).exists()
    assert text is not None
    assert (text.sent_at, text.withheld_reason) == (None, acknowledge.SMS_FAILED)


@pytest.mark.django_db
def test_with_no_sms_service_the_text_is_ready_for_staff_to_send(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks, settings: Settings
) -> None:
    settings.SMS_BACKEND = "none"
    _report, text = _submit(django_capture_on_commit_callbacks)
    assert text is not None
    assert (text.sent_at, text.withheld_reason) == (None, acknowledge.SMS_NOT_SENT)


@pytest.mark.django_db
def test_no_text_is_prepared_without_agreement(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks, twilio: type[_FakeTwilio]
) -> None:
    _report, text = _submit(django_capture_on_commit_callbacks, contact_methods=("email",))
    assert text is None
    assert twilio.received == []
