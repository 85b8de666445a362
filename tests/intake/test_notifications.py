"""Who intake tells (issue 14 item 13): triage staff when a report reaches the queue (DA reports only DA specialists),
and the reporter when an officer shares a note — when it is safe, never with the note's words."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.services.record import note_add
from saferhomes.intake.models import Channel, OutboundMessage, Report
from saferhomes.intake.services.report import ReportDetails, report_submit
from saferhomes.intake.services.reporter_contact import WITHHELD_DA_UNSAFE, WITHHELD_NOT_AGREED
from tests.cases.factories import CaseFactory

pytestmark = pytest.mark.django_db

ADA: dict[str, Any] = {
    "case_type": "asb",
    "problem": "noise",
    "description": "Music until 3am at number 12",
    "first_name": "Ada",
    "email": "ada@example.org",
    "contact_methods": ("email",),
}


def _submit(capture: DjangoCaptureOnCommitCallbacks, actor: User | None = None, **changes: Any) -> Report:
    channel = Channel.WEB if actor is None else Channel.PHONE
    with capture(execute=True):
        return report_submit(details=ReportDetails(**(ADA | changes)), channel=channel, actor=actor)


def _to(subject_start: str = "") -> list[str]:
    """Who was told a report waits for triage (any kind unless `subject_start` says which)."""
    return sorted(
        address
        for email in mail.outbox
        if "to triage" in email.subject and email.subject.startswith(subject_start)
        for address in email.to
    )


def test_a_new_report_tells_the_coordinators_without_saying_who_is_involved(
    make_staff: Callable[..., User], django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    make_staff(Role.COORDINATOR, email="cara@example.org")
    make_staff(Role.OFFICER, email="olivia@example.org")
    mail.outbox.clear()
    report = _submit(django_capture_on_commit_callbacks)
    assert _to("New report to triage") == ["cara@example.org"]
    email = next(email for email in mail.outbox if email.subject.startswith("New report"))
    assert report.reference in email.subject
    assert f"/staff/reports/{report.reference}/" in email.body
    assert "number 12" not in email.body
    assert "Ada" not in email.body


def test_a_da_report_tells_the_da_specialists_not_the_coordinators(
    make_staff: Callable[..., User], django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    make_staff(Role.COORDINATOR, email="cara@example.org")
    make_staff(Role.DA_SPECIALIST, email="dev@example.org")
    mail.outbox.clear()
    _submit(django_capture_on_commit_callbacks, case_type="da", problem="domestic_abuse")
    assert _to() == ["dev@example.org"]


def test_with_no_coordinator_the_managers_are_told_and_the_taker_never_is(
    make_staff: Callable[..., User], django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    manager = make_staff(Role.MANAGER, email="maya@example.org")
    make_staff(Role.MANAGER, username="manager_two", email="two@example.org")
    mail.outbox.clear()
    _submit(django_capture_on_commit_callbacks, actor=manager)
    assert _to("New report to triage") == ["two@example.org"]


def test_an_urgent_report_says_so(
    make_staff: Callable[..., User], django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    make_staff(Role.COORDINATOR, email="cara@example.org")
    mail.outbox.clear()
    _submit(django_capture_on_commit_callbacks, danger_now=True)
    assert _to("Urgent report to triage") == ["cara@example.org"]


def _case_with_report(officer: User, **changes: Any) -> tuple[Report, Any]:
    case = CaseFactory.create(assigned_officer=officer, team=officer.team, status="open")
    report = report_submit(details=ReportDetails(**(ADA | changes)), channel=Channel.WEB)
    Report.objects.filter(pk=report.pk).update(case=case, status="case_opened")
    report.refresh_from_db()
    return report, case


def test_a_shared_note_tells_the_reporter_there_is_an_update_without_its_words(
    make_staff: Callable[..., User], django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    officer = make_staff(Role.OFFICER)
    report, case = _case_with_report(officer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        note_add(actor=officer, case=case, text="We spoke to the neighbour at number 12.", shareable=True)
    [email] = mail.outbox
    assert email.to == ["ada@example.org"]
    assert email.subject == f"An update on your report {report.reference}"
    assert "number 12" not in email.body
    assert "/report/new-link/" in email.body
    message = OutboundMessage.objects.get(report=report, kind="update")
    assert message.sent_at is not None


def test_a_private_note_tells_no_one(
    make_staff: Callable[..., User], django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    officer = make_staff(Role.OFFICER)
    _report, case = _case_with_report(officer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        note_add(actor=officer, case=case, text="Internal only.", shareable=False)
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"contact_methods": ("phone",)}, WITHHELD_NOT_AGREED),
        ({"case_type": "da", "problem": "domestic_abuse", "safe_contact_notes": "Never email"}, WITHHELD_DA_UNSAFE),
    ],
)
def test_an_update_is_never_emailed_when_unsafe_or_not_agreed(
    make_staff: Callable[..., User],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    changes: dict[str, Any],
    reason: str,
) -> None:
    officer = make_staff(Role.DA_SPECIALIST if changes.get("case_type") == "da" else Role.OFFICER)
    report, case = _case_with_report(officer, **changes)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        note_add(actor=officer, case=case, text="An update.", shareable=True)
    assert mail.outbox == []
    message = OutboundMessage.objects.get(report=report, kind="update")
    assert (message.sent_at, message.withheld_reason) == (None, reason)
