"""Email intake: `saferhomes fetchmail` against a real IMAP conversation over TCP, and the provider webhook."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from pytest_django.fixtures import Settings

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.intake.models import Channel, InboundEmail, Report, ReportStatus
from saferhomes.intake.selectors.staff import triage_queue
from tests.intake.fake_imap import FakeImapServer

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
SECRET = "webhook-shared-secret-for-tests"


def _mail(
    *,
    message_id: str = "<one@example.org>",
    sender: str = "Ada Hale <ada@example.org>",
    html: bool = False,
    subject: str = "Noise from flat 14",
    body: str = "Music until 3am again.\nPlease help.",
    files: tuple[tuple[str, bytes, str], ...] = (),
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "asb@calico.example"
    message["Subject"] = subject
    if message_id:
        message["Message-ID"] = message_id
    message["Date"] = "Mon, 23 Nov 2026 09:15:00 +0000"
    if html:
        message.set_content(f"<p>{body}</p>", subtype="html")
    else:
        message.set_content(body)
    for name, content, mime in files:
        maintype, subtype = mime.split("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


@pytest.fixture
def imap(settings: Settings) -> Iterator[FakeImapServer]:
    with FakeImapServer(user="intake@calico.example", password="s3cret pass") as server:
        settings.INTAKE_IMAP = {
            "host": "127.0.0.1",
            "port": server.port,
            "user": "intake@calico.example",
            "password": "s3cret pass",
            "mailbox": "INBOX",
            "ssl": False,
        }
        yield server


def test_fetchmail_makes_draft_reports_with_checked_attachments_and_marks_them_seen(
    imap: FakeImapServer, capsys: pytest.CaptureFixture[str]
) -> None:
    imap.add(_mail(files=(("stairs.png", PNG, "image/png"), ("invoice.exe", EXE, "application/octet-stream"))))
    call_command("fetchmail")
    report = Report.objects.get()
    assert report.channel == Channel.EMAIL
    assert report.status == ReportStatus.DRAFT
    assert (report.first_name, report.last_name, report.email) == ("Ada", "Hale", "ada@example.org")
    assert report.description.startswith("Subject: Noise from flat 14\n\nMusic until 3am again.")
    assert "[Attachment not kept: invoice.exe:" in report.description
    assert [(a.original_name, a.content_type) for a in report.attachments.all()] == [("stairs.png", "image/png")]
    assert imap.messages[0].flags == {"\\Seen"}
    assert InboundEmail.objects.get().report == report
    assert "1 new draft report(s)" in capsys.readouterr().out
    assert any(c.split(" ", 2)[1] == "LOGIN" for c in imap.commands)


def test_fetchmail_is_idempotent_by_message_id(imap: FakeImapServer) -> None:
    imap.add(_mail())
    imap.add(_mail())  # the same message delivered twice
    call_command("fetchmail")
    call_command("fetchmail")
    imap.add(_mail(message_id="<two@example.org>", subject="Graffiti"))
    call_command("fetchmail")
    assert Report.objects.count() == 2
    assert all("\\Seen" in m.flags for m in imap.messages)


def test_html_only_and_id_less_messages_are_kept(imap: FakeImapServer) -> None:
    imap.add(_mail(message_id="", html=True, body="Dogs <b>barking</b> all day", sender="bob@example.org"))
    call_command("fetchmail")
    report = Report.objects.get()
    assert "Dogs barking all day" in " ".join(report.description.split())
    assert "<b>" not in report.description
    assert report.first_name == "bob"
    assert InboundEmail.objects.get().message_id.startswith("<sha256-")


def test_drafts_reach_the_to_complete_list(imap: FakeImapServer, make_staff: Callable[..., User]) -> None:
    imap.add(_mail())
    call_command("fetchmail")
    officer = make_staff(Role.OFFICER)
    assert triage_queue(actor=officer, status=ReportStatus.DRAFT).count() == 1
    assert triage_queue(actor=officer).count() == 0


def test_wrong_password_is_a_clear_error(imap: FakeImapServer, settings: Settings) -> None:
    settings.INTAKE_IMAP = {**settings.INTAKE_IMAP, "password": "wrong"}
    with pytest.raises(CommandError, match="Could not read the intake mailbox"):
        call_command("fetchmail")


def test_no_mailbox_configured(settings: Settings) -> None:
    settings.INTAKE_IMAP = {**settings.INTAKE_IMAP, "host": ""}
    with pytest.raises(CommandError, match="SAFERHOMES_INTAKE_IMAP_HOST"):
        call_command("fetchmail")


def test_a_very_long_email_is_shortened_in_the_report_and_kept_whole(imap: FakeImapServer) -> None:
    imap.add(_mail(body="word " * 3000))
    call_command("fetchmail")
    report = Report.objects.get()
    assert len(report.description) <= 5000
    assert "Email shortened here" in report.description
    assert len(InboundEmail.objects.get().body_text) > 14_000


# Webhook -------------------------------------------------------------------------------------------------------------

URL = "/intake/inbound-email/"


def _post(body: Any, secret: str | None = SECRET, **extra: Any) -> Any:
    headers = {"X-Saferhomes-Webhook-Secret": secret} if secret is not None else {}
    raw = body if isinstance(body, str) else json.dumps(body)
    return Client(enforce_csrf_checks=True).post(URL, raw, content_type="application/json", headers=headers, **extra)


def _payload(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "message_id": "<hook-1@mail.example>",
        "from": "Cara Singh <cara@example.org>",
        "subject": "Fly-tipping",
        "text": "Mattresses dumped by the bins",
        "attachments": [{"filename": "bins.png", "content_base64": base64.b64encode(PNG).decode()}],
    }
    body.update(changes)
    return body


@pytest.fixture
def hook_secret(settings: Settings) -> None:
    settings.INTAKE_WEBHOOK_SECRET = SECRET


@pytest.mark.usefixtures("hook_secret")
def test_webhook_makes_a_draft_once_per_message_id() -> None:
    first = _post(_payload())
    assert first.status_code == 202, first.content
    assert first.json()["duplicate"] is False
    report = Report.objects.get()
    assert first.json()["report_reference"] == report.reference
    assert report.attachments.count() == 1
    again = _post(_payload())
    assert again.status_code == 202
    assert again.json() == {**first.json(), "duplicate": True}
    assert Report.objects.count() == 1


@pytest.mark.usefixtures("hook_secret")
@pytest.mark.parametrize("secret", [None, "", "wrong", SECRET + "x"])
def test_webhook_refuses_a_missing_or_wrong_secret(secret: str | None) -> None:
    response = _post(_payload(), secret=secret)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/problem+json")
    assert not Report.objects.exists()


def test_webhook_is_off_without_a_secret(settings: Settings) -> None:
    settings.INTAKE_WEBHOOK_SECRET = ""
    assert _post(_payload(), secret="").status_code == 403


@pytest.mark.usefixtures("hook_secret")
def test_webhook_bad_bodies_are_problems_not_errors(settings: Settings) -> None:
    assert _post("{not json").status_code == 422
    assert _post(_payload(message_id="")).status_code == 422
    bad = _post(_payload(attachments=[{"filename": "x", "content_base64": "!!!"}]))
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "body.attachments.0.content_base64"
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    assert _post(_payload(text="x" * 5000)).status_code == 413
    assert not Report.objects.exists()
