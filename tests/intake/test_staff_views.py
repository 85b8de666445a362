"""Staff intake and triage pages: take a report, the queue, the report page and its triage, downloads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Case, CaseType, Status
from saferhomes.core.models import AuditEvent
from saferhomes.intake.models import Channel, Report, ReportAttachment, ReportStatus, StatusLink
from saferhomes.intake.services.status import status_link_issue
from tests.conftest import client_verified_as
from tests.housing.factories import PersonFactory, PropertyFactory
from tests.intake.triage_helpers import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.OFFICER)


@pytest.fixture
def client(officer: User) -> Client:
    return client_verified_as(officer)


def _form(**changes: object) -> dict[str, object]:
    now = timezone.localtime() - dt.timedelta(hours=2)
    data: dict[str, object] = {
        "channel": Channel.PHONE,
        "received_on_0": str(now.day),
        "received_on_1": str(now.month),
        "received_on_2": str(now.year),
        "received_time": f"{now:%H:%M}",
        "problem": "noise",
        "description": "Loud music every night from number 14",
        "location_text": "Bramble Court",
        "first_name": "Ada",
        "last_name": "Hale",
        "phone": "07700 900982",
        "urgent": "answers",
        "consent_to_share": "yes",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_staff_take_a_back_dated_report_and_see_its_reference_and_deadline(client: Client, officer: User) -> None:
    response = client.post("/staff/reports/new/", _form())
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/reports/{report.reference}/created/"
    assert report.channel == Channel.PHONE
    assert report.created_by == officer
    assert report.received_at < timezone.now() - dt.timedelta(minutes=100)
    page = client.get(response["Location"])
    assert report.reference in page.content.decode()
    assert "Triage now" in page.content.decode()


def test_errors_are_summarised_and_every_answer_is_kept(client: Client) -> None:
    response = client.post(
        "/staff/reports/new/",
        _form(description="", problem="hate", received_time="25:99", email="not-an-email", first_name="Zoë 🙂"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Enter what happened" in html
    assert "Zoë 🙂" in html
    assert "not-an-email" in html
    assert not Report.objects.exists()


def test_future_received_time_is_refused(client: Client) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(
        "/staff/reports/new/",
        _form(received_on_0=str(tomorrow.day), received_on_1=str(tomorrow.month), received_on_2=str(tomorrow.year)),
    )
    assert "must be today or in the past" in response.content.decode()
    assert not Report.objects.exists()


def test_mark_urgent_overrides_the_answers(client: Client) -> None:
    client.post("/staff/reports/new/", _form(urgent="yes"))
    assert Report.objects.get().urgent


def test_script_in_text_is_shown_escaped(client: Client) -> None:
    client.post("/staff/reports/new/", _form(description="<script>alert(1)</script> مرحبا"))
    report = Report.objects.get()
    html = client.get(f"/staff/reports/{report.reference}/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; مرحبا" in html


def test_register_search_finds_people_and_homes_without_javascript(client: Client) -> None:
    person = PersonFactory.create(first_name="Marguerite", last_name="Oyelaran")
    home = PropertyFactory.create(address_line_1="7 Marguerite Walk")
    response = client.post("/staff/reports/new/", _form(action="find", register_query="Marguerite", description=""))
    html = response.content.decode()
    assert person.reference in html
    assert home.reference in html
    assert "There is a problem" not in html  # a search is not a submission
    assert 'value="Bramble Court"' in html  # answers kept
    response = client.post(
        "/staff/reports/new/",
        _form(
            register_query="Marguerite",
            person_reference=person.reference,
            home_reference=home.reference,
            first_name="",
            last_name="",
        ),
    )
    report = Report.objects.get()
    assert (report.person, report.home) == (person, home)
    assert report.first_name == "Marguerite"


def test_register_search_fragment_for_htmx(client: Client) -> None:
    person = PersonFactory.create(last_name="Quennell")
    response = client.get("/staff/reports/register-search/?register_query=quennell", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert person.reference in response.content.decode()
    assert "<html" not in response.content.decode()


def test_queue_lists_new_reports_soonest_deadline_first_and_filters(client: Client, officer: User) -> None:
    standard = submit(officer, received_at=timezone.now() - dt.timedelta(hours=1))
    urgent = submit(officer, received_at=timezone.now() - dt.timedelta(hours=1), urgent=True, channel=Channel.LETTER)
    html = client.get("/staff/reports/").content.decode()
    assert html.index(urgent.reference) < html.index(standard.reference)
    filtered = client.get("/staff/reports/?channel=letter").content.decode()
    assert urgent.reference in filtered
    assert standard.reference not in filtered
    bad = client.get("/staff/reports/?channel=carrier-pigeon")
    assert bad.status_code == 200
    assert "Select a channel from the list" in bad.content.decode()


def test_overdue_reports_are_tagged(client: Client, officer: User) -> None:
    old = submit(officer, received_at=timezone.now() - dt.timedelta(days=20))
    html = client.get("/staff/reports/").content.decode()
    assert old.reference in html
    assert "Overdue" in html


def test_drafts_are_listed_apart(client: Client, officer: User) -> None:
    draft = submit(channel=Channel.EMAIL)
    Report.objects.filter(pk=draft.pk).update(status=ReportStatus.DRAFT)
    assert draft.reference not in client.get("/staff/reports/").content.decode()
    assert draft.reference in client.get("/staff/reports/?status=draft").content.decode()


def test_triage_into_a_new_case_then_prompts(client: Client, officer: User) -> None:
    report = submit(officer, problem="hate", hate_strands=("race",))
    response = client.post(
        f"/staff/reports/{report.reference}/",
        {
            "version": report.version,
            "case_type": CaseType.HATE,
            "hate_strands": ["race"],
            "urgent": "yes",
            "criminal": "yes",
            "outcome": "new_case",
            "summary": "Racist abuse on the stairs",
            "priority": "high",
        },
    )
    assert response.status_code == 302, response.content.decode()
    case = Case.objects.get()
    assert case.response_due_at == report.response_due_at
    assert case.status == Status.TRIAGED
    page = client.get(response["Location"]).content.decode()
    assert 'id="prompt-police_referral"' in page
    assert case.reference in page


def test_triage_add_to_a_suggested_open_case(client: Client, officer: User) -> None:
    first = submit(officer)
    client.post(
        f"/staff/reports/{first.reference}/",
        {"version": 1, "case_type": "asb", "urgent": "no", "criminal": "no", "outcome": "new_case"},
    )
    case = Case.objects.get()
    repeat = submit(officer, description="Again, 2am")
    page = client.get(f"/staff/reports/{repeat.reference}/").content.decode()
    assert f'value="{case.reference}"' in page
    assert "The same email address as the reporter" in page
    response = client.post(
        f"/staff/reports/{repeat.reference}/",
        {
            "version": 1,
            "case_type": "asb",
            "urgent": "no",
            "criminal": "no",
            "outcome": "add",
            "suggested_case": case.reference,  # the suggestion's radio; the typed box left empty
            "case_reference": "",
        },
    )
    assert response.status_code == 302
    repeat.refresh_from_db()
    assert repeat.status == ReportStatus.ADDED_TO_CASE
    assert Case.objects.count() == 1
    assert 'id="prompt-case_review"' in client.get(response["Location"]).content.decode()


def test_triage_errors_keep_answers(client: Client, officer: User) -> None:
    report = submit(officer)
    response = client.post(
        f"/staff/reports/{report.reference}/",
        {
            "version": 1,
            "case_type": "asb",
            "urgent": "yes",
            "criminal": "no",
            "outcome": "not_proceeded",
            "note": "kept note",
        },
    )
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter why the report is not being taken forward" in html
    assert "kept note" in html


def test_stale_version_is_refused_with_a_message(client: Client, officer: User) -> None:
    report = submit(officer)
    Report.objects.filter(pk=report.pk).update(version=2)
    response = client.post(
        f"/staff/reports/{report.reference}/",
        {
            "version": 1,
            "case_type": "asb",
            "urgent": "no",
            "criminal": "no",
            "outcome": "not_proceeded",
            "not_proceeded_reason": "Duplicate report",
        },
    )
    assert "while you were looking at it" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.NEW


def test_attachment_download_is_audited_and_served_as_an_attachment(client: Client, officer: User) -> None:
    report = submit(officer)
    attachment = ReportAttachment(
        report=report, original_name="notes.html", content_type="text/plain", size=5, sha256="0" * 64
    )
    attachment.file.save("x.txt", ContentFile(b"hello"), save=True)
    response = client.get(f"/staff/reports/{report.reference}/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"hello"  # type: ignore[attr-defined]
    assert AuditEvent.objects.filter(verb__endswith="viewed", object_id=str(attachment.pk)).exists()


def test_unknown_report_is_404(client: Client) -> None:
    assert client.get("/staff/reports/RPT-2026-999999/").status_code == 404


def test_staff_can_stop_a_reporters_status_link_with_a_reason(client: Client, officer: User) -> None:
    report = submit(officer)
    status_link_issue(report=report)
    link = StatusLink.objects.get(report=report)
    url = f"/staff/reports/{report.reference}/status-links/{link.pk}/revoke/"
    refused = client.post(url, {"reason": ""})
    assert "There is a problem" in refused.content.decode()
    link.refresh_from_db()
    assert link.revoked_at is None
    response = client.post(url, {"reason": "Reporter thinks their partner has seen the email"})
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert AuditEvent.objects.filter(verb="report.status_link_revoked").exists()
