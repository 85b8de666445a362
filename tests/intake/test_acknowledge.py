"""Acknowledgements (issue 6 part 6): an email when it is safe and agreed, a text ready for staff when agreed, never to
anonymous reporters, nothing that could alert a perpetrator in domestic abuse reports, and always a record of why."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks, Settings

from saferhomes.core import sms as core_sms
from saferhomes.intake.extensions import ON_SUBMITTED
from saferhomes.intake.models import Channel, OutboundMessage, Report, ReportStatus
from saferhomes.intake.services import acknowledge, reporter_contact
from saferhomes.intake.services.report import ReportDetails, report_submit

pytestmark = pytest.mark.django_db
ADA: dict[str, Any] = {
    "problem": "noise",
    "description": "Music at night",
    "first_name": "Ada",
    "email": "ada@example.org",
    "phone": "07700 900982",
    "contact_methods": ("email", "text"),
}
DA_WORDS = ("abuse", "domestic", "partner", "perpetrator", "violence", "safe space", "refuge")


def _submit(
    capture: DjangoCaptureOnCommitCallbacks, *, channel: str = Channel.WEB, **changes: object
) -> tuple[Report, list[OutboundMessage]]:
    mail.outbox.clear()
    with capture(execute=True):
        report = report_submit(details=ReportDetails(**(ADA | changes)), channel=channel)
    return report, list(OutboundMessage.objects.filter(report=report).order_by("channel"))


def test_the_listener_is_registered_once() -> None:
    acknowledge.register()
    assert ON_SUBMITTED.count(acknowledge._listener) == 1


def test_normal_report_gets_an_email_with_reference_deadline_and_link_and_a_text(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks, client: Client
) -> None:
    report, (email, sms) = _submit(django_capture_on_commit_callbacks)
    assert email.channel == "email"
    assert email.sent_at is not None
    assert email.withheld_reason == ""
    [sent] = mail.outbox
    assert sent.to == ["ada@example.org"]
    assert report.reference in sent.subject
    assert report.reference in sent.body
    assert "We will contact you by the end of" in sent.body
    token = next(line for line in sent.body.splitlines() if "/report/status/" in line).rstrip("/").split("/")[-1]
    assert client.get(f"/report/status/{token}/").status_code == 200
    assert sms.channel == "sms"
    assert sms.sent_at is not None
    assert sms.withheld_reason == ""
    assert len(sms.body) <= acknowledge.SMS_MAX
    assert report.reference in sms.body
    assert core_sms.outbox == [(report.phone, sms.body)]


def test_anonymous_reporters_are_never_contacted(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    _report, messages = _submit(django_capture_on_commit_callbacks, anonymous=True)
    assert [(m.channel, m.to, m.sent_at, m.withheld_reason) for m in messages] == [
        ("email", "", None, reporter_contact.WITHHELD_ANONYMOUS)
    ]
    assert mail.outbox == []


def test_no_email_when_the_reporter_did_not_agree_to_email(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    _report, messages = _submit(django_capture_on_commit_callbacks, contact_methods=("phone",))
    assert [(m.channel, m.sent_at, m.withheld_reason) for m in messages] == [
        ("email", None, reporter_contact.WITHHELD_NOT_AGREED)
    ]
    assert mail.outbox == []


def test_no_email_address_is_recorded_as_such(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    _report, messages = _submit(django_capture_on_commit_callbacks, email="", contact_methods=("phone",))
    assert messages[0].withheld_reason == reporter_contact.WITHHELD_NO_EMAIL


def test_domestic_abuse_email_is_neutral(django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks) -> None:
    report, messages = _submit(
        django_capture_on_commit_callbacks,
        problem="domestic_abuse",
        description="My partner hits me",
        people_involved="John Smith, my husband",
    )
    [sent] = mail.outbox
    text = f"{sent.subject}\n{sent.body}".lower()
    for word in (*DA_WORDS, "john smith", "husband", "hits"):
        assert word not in text, word
    assert sent.subject == f"Your reference {report.reference}"
    sms = next(m for m in messages if m.channel == "sms")
    assert not any(word in sms.body.lower() for word in DA_WORDS)


def test_domestic_abuse_with_safe_contact_instructions_is_not_emailed(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    _report, messages = _submit(
        django_capture_on_commit_callbacks,
        problem="domestic_abuse",
        safe_contact_notes="He reads my phone; only call on Tuesdays",
        contact_methods=("email",),
    )
    assert [(m.channel, m.sent_at, m.withheld_reason) for m in messages] == [
        ("email", None, reporter_contact.WITHHELD_DA_UNSAFE)
    ]
    assert mail.outbox == []


def test_email_failure_is_recorded_and_never_breaks_the_report(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks, settings: Settings
) -> None:
    settings.EMAIL_BACKEND = "tests.intake.test_acknowledge.FailingBackend"
    report, messages = _submit(django_capture_on_commit_callbacks, contact_methods=("email",))
    assert Report.objects.filter(pk=report.pk).exists()
    assert (messages[0].sent_at, messages[0].withheld_reason) == (None, acknowledge.WITHHELD_FAILED)


def test_drafts_from_email_wait_to_be_completed(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report = report_submit(
            details=ReportDetails(**ADA),
            channel=Channel.EMAIL,
            status=ReportStatus.DRAFT,
        )
    assert (
        OutboundMessage.objects.get(report=report, channel="email").withheld_reason == reporter_contact.WITHHELD_DRAFT
    )
    assert mail.outbox == []


def test_sms_text_fits_160_characters_with_a_long_landlord_name(settings: Settings) -> None:
    settings.LANDLORD_NAME = "The Very Long Named Housing Association of Somewhere Quite Far Away Limited"
    report = report_submit(details=ReportDetails(**ADA), channel=Channel.WEB)
    assert len(acknowledge.sms_text(report)) <= acknowledge.SMS_MAX
    assert report.reference in acknowledge.sms_text(report)


class FailingBackend:
    """An email backend whose server is down."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def send_messages(self, messages: object) -> int:
        raise ConnectionRefusedError("mail server down")
