"""The reporter's private status page: unguessable revocable links, only shareable things, diary entries that become
incidents on the case, and asking for a new link without learning whose reports we hold."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks, Settings

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Case, IncidentSource, Note, PartyRole, Status
from saferhomes.core.models import AuditEvent
from saferhomes.intake.models import Channel, DiaryEntry, OutboundMessage, Report, ReportStatus, StatusLink
from saferhomes.intake.selectors.public import AWAITING_TRIAGE, CLOSED, INVESTIGATING
from saferhomes.intake.services import public_form
from saferhomes.intake.services.report import ReportDetails, report_submit
from saferhomes.intake.services.status import (
    status_link_issue,
    status_link_request,
    status_link_revoke,
    status_token_hash,
)
from tests.cases.factories import CaseFactory, PartyFactory, force_status
from tests.cases.record_helpers import EXE_BYTES, SAMPLES, upload
from tests.factories import UserFactory
from tests.intake.public_journey import date_parts

pytestmark = pytest.mark.django_db
YESTERDAY = timezone.localdate() - dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _private_files(settings: Settings, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path


def _report(**changes: object) -> Report:
    base = {
        "problem": "noise",
        "description": "Music at night",
        "first_name": "Ada",
        "email": "ada@example.org",
        "contact_methods": ("email",),
    }
    return report_submit(details=ReportDetails(**(base | changes)), channel=Channel.WEB)  # type: ignore[arg-type]


def _on_case(report: Report, case: Case) -> Report:
    Report.objects.filter(pk=report.pk).update(case=case, status=ReportStatus.CASE_OPENED)
    report.refresh_from_db()
    return report


@pytest.fixture
def case() -> Case:
    officer = UserFactory.create(first_name="Olivia", last_name="Okafor-Secret", username="olivia")
    case = CaseFactory.create(assigned_officer=officer, team=officer.team)
    PartyFactory.create(case=case, role=PartyRole.ALLEGED_PERPETRATOR, first_name="Darren", last_name="Neighbourly")
    Note.objects.create(case=case, text="We have written to your neighbour", shareable=True)
    Note.objects.create(case=case, text="Internal: police intel says cannabis", shareable=False)
    return case


def test_token_is_long_random_and_only_its_hash_is_kept() -> None:
    report = _report()
    token = status_link_issue(report=report)
    assert len(token) >= 43
    link = StatusLink.objects.get(report=report)
    assert link.token_hash == status_token_hash(token)
    assert token not in link.token_hash


def test_new_report_shows_reference_awaiting_triage_and_deadline(client: Client) -> None:
    report = _report()
    token = status_link_issue(report=report)
    response = client.get(f"/report/status/{token}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert report.reference in page
    assert AWAITING_TRIAGE in page
    assert "We will contact you by" in page
    assert "noindex" in response["X-Robots-Tag"]


def test_case_shows_officer_first_name_and_only_shareable_notes(client: Client, case: Case) -> None:
    report = _on_case(_report(), case)
    force_status(case, Status.OPEN)
    token = status_link_issue(report=report)
    page = client.get(f"/report/status/{token}/").content.decode()
    assert INVESTIGATING in page
    assert "Olivia" in page
    assert "We have written to your neighbour" in page
    for hidden in ("Okafor-Secret", "cannabis", "Darren", "Neighbourly", case.reference):
        assert hidden not in page


def test_closed_case_says_closed(client: Client, case: Case) -> None:
    report = _on_case(_report(), case)
    force_status(case, Status.CLOSED)
    page = client.get(f"/report/status/{status_link_issue(report=report)}/").content.decode()
    assert CLOSED in page


def test_every_read_is_audited_against_the_report(client: Client) -> None:
    report = _report()
    token = status_link_issue(report=report)
    client.get(f"/report/status/{token}/")
    client.get(f"/report/status/{token}/")
    events = AuditEvent.objects.filter(verb="report.status_viewed", object_id=str(report.pk))
    assert events.count() == 2
    assert {event.actor_id for event in events} == {None}
    assert StatusLink.objects.get(report=report).last_used_at is not None


@pytest.mark.parametrize("token", ["nope", "x" * 43, "a" * 500])
def test_unknown_link_is_a_friendly_404(client: Client, token: str) -> None:
    response = client.get(f"/report/status/{token}/")
    assert response.status_code == 404
    assert "ask for a new link" in response.content.decode()
    assert client.get(f"/report/status/{token}/diary/").status_code == 404


def test_revoked_link_stops_working(client: Client, make_staff: Callable[..., User]) -> None:
    report = _report()
    token = status_link_issue(report=report)
    link = StatusLink.objects.get(report=report)
    status_link_revoke(actor=make_staff(Role.OFFICER), link=link, reason="Reporter thinks their ex saw it")
    assert client.get(f"/report/status/{token}/").status_code == 404
    assert AuditEvent.objects.filter(verb="report.status_link_revoked", reason__startswith="Reporter").exists()


def test_revoking_needs_the_triage_permission(make_staff: Callable[..., User]) -> None:
    report = _report()
    status_link_issue(report=report)
    with pytest.raises(PermissionDenied):
        status_link_revoke(actor=make_staff(Role.PARTNER), link=StatusLink.objects.get(), reason="x")


# Diary ----------------------------------------------------------------------------------------------------------


def _diary(day: dt.date = YESTERDAY, **extra: object) -> dict[str, object]:
    return {**date_parts("occurred_on", day), "occurred_time": "22:15", "description": "Shouting again", **extra}


def test_diary_entry_without_a_case_is_kept_on_the_report(client: Client) -> None:
    report = _report()
    token = status_link_issue(report=report)
    response = client.post(f"/report/status/{token}/diary/", _diary())
    assert response["Location"] == f"/report/status/{token}/"
    entry = DiaryEntry.objects.get(report=report)
    assert (entry.description, entry.incident) == ("Shouting again", None)
    assert timezone.localtime(entry.occurred_at).time() == dt.time(22, 15)
    page = client.get(f"/report/status/{token}/").content.decode()
    assert "Shouting again" in page
    assert "We have added this to your diary" in page
    assert AuditEvent.objects.filter(verb="report.diary_entry_added", object_id=str(report.pk)).exists()


def test_diary_entry_on_a_case_becomes_an_incident_from_the_reporters_diary(client: Client, case: Case) -> None:
    report = _on_case(_report(), case)
    version = case.version
    token = status_link_issue(report=report)
    name, content = SAMPLES["image/jpeg"]
    client.post(f"/report/status/{token}/diary/", _diary(file=upload(name, content)))
    entry = DiaryEntry.objects.get(report=report)
    assert entry.incident is not None
    assert (entry.incident.case, entry.incident.source) == (case, IncidentSource.REPORTER_DIARY)
    assert entry.incident.description == "Shouting again"
    attachment = entry.attachments.get()
    assert attachment.original_name == "photo.jpg"
    assert attachment.evidence is not None
    assert (attachment.evidence.case, attachment.evidence.incident) == (case, entry.incident)
    assert attachment.evidence.sha256 == attachment.sha256
    assert attachment.evidence.file.name != attachment.file.name
    with attachment.evidence.file.open("rb") as copied:
        assert copied.read() == content
    case.refresh_from_db()
    assert case.version == version + 1


def test_diary_entry_on_a_closed_case_is_kept_but_adds_no_incident(client: Client, case: Case) -> None:
    report = _on_case(_report(), case)
    force_status(case, Status.CLOSED)
    client.post(f"/report/status/{status_link_issue(report=report)}/diary/", _diary())
    assert DiaryEntry.objects.get(report=report).incident is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**date_parts("occurred_on", timezone.localdate() + dt.timedelta(days=2)), "description": "x"},
         "The date it happened must be today or in the past"),
        ({"occurred_on_0": "30", "occurred_on_1": "2", "occurred_on_2": "2025", "description": "x"},
         "Date it happened must be a real date"),
        ({**date_parts("occurred_on", YESTERDAY), "description": "x" * 10_000}, "What happened must be 5,000"),
        ({**date_parts("occurred_on", YESTERDAY)}, "Enter what happened"),
    ],
)  # fmt: skip
def test_diary_says_what_is_wrong_and_keeps_what_was_typed(
    client: Client, data: dict[str, object], message: str
) -> None:
    token = status_link_issue(report=_report())
    response = client.post(f"/report/status/{token}/diary/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    assert not DiaryEntry.objects.exists()


def test_diary_text_is_escaped(client: Client) -> None:
    report = _report()
    token = status_link_issue(report=report)
    client.post(f"/report/status/{token}/diary/", _diary(description="<script>alert(1)</script> 🙂 مرحبا"))
    page = client.get(f"/report/status/{token}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 🙂 مرحبا" in page


# A new link -----------------------------------------------------------------------------------------------------


def test_matching_reference_and_email_get_a_fresh_link_and_old_ones_stop(
    client: Client, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    report = _report()
    old = status_link_issue(report=report)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/report/new-link/", {"reference": report.reference.lower(), "email": "ADA@example.org"})
    assert response["Location"] == "/report/new-link/sent/"
    assert client.get(f"/report/status/{old}/").status_code == 404
    assert len(mail.outbox) == 1
    new_url = next(line for line in mail.outbox[0].body.splitlines() if "/report/status/" in line)
    token = new_url.rstrip("/").split("/")[-1]
    assert client.get(f"/report/status/{token}/").status_code == 200


@pytest.mark.parametrize(
    ("reference", "email"),
    [("RPT-2026-999999", "ada@example.org"), (None, "someone@example.org"), (None, "ada@example.org")],
)
def test_the_answer_never_says_whether_the_details_matched(
    client: Client,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    reference: str | None,
    email: str,
) -> None:
    report = _report()
    anonymous = _report(anonymous=True)
    mail.outbox.clear()
    ref = reference or (anonymous.reference if email == "ada@example.org" else report.reference)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/report/new-link/", {"reference": ref, "email": email}, follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        same = Client().post(
            "/report/new-link/", {"reference": report.reference, "email": "ada@example.org"}, follow=True
        )
    assert response.content.decode().split("<main", 1)[1] == same.content.decode().split("<main", 1)[1]
    assert len(mail.outbox) == 1  # only the matching request sent anything


@pytest.mark.parametrize(
    "changes",
    [
        {"contact_methods": ("phone",)},
        {"problem": "domestic_abuse", "safe_contact_notes": "He reads my email: phone on weekdays only"},
    ],
)
def test_no_new_link_is_emailed_where_email_is_not_agreed_or_not_safe(
    client: Client, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks, changes: dict[str, object]
) -> None:
    report = _report(**changes)
    old = status_link_issue(report=report)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/report/new-link/", {"reference": report.reference, "email": "ada@example.org"})
    assert response["Location"] == "/report/new-link/sent/"  # the same answer as ever
    assert mail.outbox == []
    assert client.get(f"/report/status/{old}/").status_code == 200  # nothing revoked either
    withheld = OutboundMessage.objects.get(report=report, kind="status_link")
    assert withheld.sent_at is None
    assert withheld.withheld_reason


def test_link_requests_are_rate_limited(client: Client) -> None:
    for _ in range(public_form.LINK_REQUESTS_PER_IP):
        client.post("/report/new-link/", {"reference": "RPT-2026-000001", "email": f"x{_}@example.org"})
    response = client.post("/report/new-link/", {"reference": "RPT-2026-000001", "email": "y@example.org"})
    assert response.status_code == 429


def test_link_request_form_errors(client: Client) -> None:
    page = client.post("/report/new-link/", {"reference": "", "email": "nope"}).content.decode()
    assert '<a href="#id_reference">Enter your report reference</a>' in page
    assert '<a href="#id_email">Enter an email address in the correct format' in page


def test_no_request_changes_links_directly() -> None:
    report = _report()
    status_link_request(reference=report.reference, email="wrong@example.org")
    assert not StatusLink.objects.filter(report=report, revoked_at__isnull=False).exists()


def test_diary_file_of_the_wrong_type_is_refused_and_nothing_is_kept(client: Client) -> None:
    token = status_link_issue(report=_report())
    response = client.post(f"/report/status/{token}/diary/", _diary(file=upload("photo.jpg", EXE_BYTES, "image/jpeg")))
    assert response.status_code == 200
    assert '<a href="#id_file">The selected file must be a JPG' in response.content.decode()
    assert not DiaryEntry.objects.exists()


_texts = st.one_of(st.text(max_size=200).map(lambda text: text.replace("\x00", "")), st.sampled_from(["", "31", "2"]))


@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.dictionaries(
        st.sampled_from(["occurred_on_0", "occurred_on_1", "occurred_on_2", "occurred_time", "description", "reference",
                         "email"]),
        _texts,
        max_size=6,
    )
)  # fmt: skip
def test_random_diary_and_link_requests_never_give_a_server_error(client: Client, data: dict[str, str]) -> None:
    report = Report.objects.first() or _report()
    token = status_link_issue(report=report)
    assert client.post(f"/report/status/{token}/diary/", data).status_code < 500
    assert client.post("/report/new-link/", data).status_code < 500
