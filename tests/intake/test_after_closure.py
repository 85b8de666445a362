"""After a case closes (issue 14 parts 2 and 4): the status page shows the outcome in the words staff wrote for the
reporter, and a diary entry added then lands where staff act on it, with the reporter told exactly what happened."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Case, Outcome, Status
from saferhomes.cases.services.closure import case_close, case_reopen, case_request_closure
from saferhomes.core.models import AuditEvent
from saferhomes.intake.models import Channel, DiaryEntry, Report, ReportAttachment, ReportStatus
from saferhomes.intake.services.report import ReportDetails, report_submit
from saferhomes.intake.services.status import status_link_issue
from tests.cases.closure_helpers import closed_case, discuss_outcome, open_case
from tests.cases.record_helpers import SAMPLES, upload
from tests.conftest import client_verified_as
from tests.intake.public_journey import YESTERDAY, date_parts

pytestmark = pytest.mark.django_db

SHAREABLE = "We wrote to your neighbour and the noise has stopped. Tell us if it starts again."
INTERNAL = "Tenancy warning issued to Darren at number 3"


@pytest.fixture(autouse=True)
def _private_files(settings: Settings, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path


@pytest.fixture
def officer(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.OFFICER)


def _report_on(case: Case) -> Report:
    details = ReportDetails(
        problem="noise",
        description="Music at night",
        first_name="Ada",
        email="ada@example.org",
        contact_methods=("email",),
    )
    report = report_submit(details=details, channel=Channel.WEB)
    Report.objects.filter(pk=report.pk).update(case=case, status=ReportStatus.CASE_OPENED)
    report.refresh_from_db()
    return report


def test_closed_case_shows_the_outcome_in_the_words_staff_marked_shareable(officer: User, client: Client) -> None:
    case = open_case(officer)
    discuss_outcome(case)
    report = _report_on(case)
    staff = client_verified_as(officer)
    response = staff.post(
        f"/staff/cases/{case.reference}/closure/request/",
        {"outcome": Outcome.RESOLVED, "outcome_summary": INTERNAL, "outcome_shareable": SHAREABLE, "version": 1},
    )
    assert response.status_code == 302, response.content.decode()
    case.refresh_from_db()
    assert case.outcome_shareable == SHAREABLE
    token = status_link_issue(report=report)
    before = client.get(f"/report/status/{token}/").content.decode()
    assert SHAREABLE not in before  # not until the case is closed
    case_close(actor=officer, case=case)
    page = client.get(f"/report/status/{token}/").content.decode()
    assert 'id="outcome"' in page
    assert SHAREABLE in page
    assert INTERNAL not in page
    assert "Darren" not in page
    assert "There are no updates yet" not in page


def test_closed_case_without_shareable_words_says_it_is_closed_and_never_shows_the_summary(
    officer: User, client: Client
) -> None:
    case = closed_case(officer)
    Case.objects.filter(pk=case.pk).update(outcome_summary=INTERNAL)
    report = _report_on(case)
    page = client.get(f"/report/status/{status_link_issue(report=report)}/").content.decode()
    assert "We have closed this case." in page
    assert INTERNAL not in page


def test_reopening_clears_the_shareable_outcome(officer: User, make_staff: Callable[..., User]) -> None:
    case = open_case(officer)
    discuss_outcome(case)
    case = case_request_closure(
        actor=officer, case=case, outcome=Outcome.RESOLVED, outcome_summary=INTERNAL, outcome_shareable=SHAREABLE
    )
    case = case_close(actor=officer, case=case)
    case = case_reopen(actor=officer, case=case, reason="It started again")
    assert (case.status, case.outcome_shareable) == (Status.REOPENED, "")


def _diary(**extra: object) -> dict[str, object]:
    return {
        **date_parts("occurred_on", YESTERDAY),
        "occurred_time": "22:15",
        "description": "The music is back",
    } | extra


def test_diary_entry_after_closure_becomes_a_new_report_in_the_triage_queue(officer: User, client: Client) -> None:
    case = closed_case(officer)
    report = _report_on(case)
    token = status_link_issue(report=report)
    response = client.post(f"/report/status/{token}/diary/", _diary(), follow=True)
    entry = DiaryEntry.objects.get(report=report)
    new = entry.new_report
    assert new is not None
    assert entry.incident is None
    assert (new.channel, new.status, new.follows_closed_case) == (Channel.WEB, ReportStatus.NEW, case)
    assert new.description == "The music is back"
    assert (new.first_name, new.email, new.case_type) == ("Ada", "ada@example.org", case.case_type)
    assert AuditEvent.objects.filter(verb="report.diary_after_closure", object_label=new.reference).exists()
    page = response.content.decode()
    assert f"We have sent this to our team as a new report, reference {new.reference}" in page
    assert "decide whether to reopen" in page
    staff = client_verified_as(officer)
    queue = staff.get("/staff/reports/").content.decode()
    assert new.reference in queue
    assert "After closure: reopen?" in queue
    detail = staff.get(f"/staff/reports/{new.reference}/").content.decode()
    assert 'id="follows-closed-case"' in detail
    assert case.reference in detail


def test_diary_file_after_closure_goes_with_the_new_report(officer: User, client: Client) -> None:
    case = closed_case(officer)
    report = _report_on(case)
    token = status_link_issue(report=report)
    client.post(f"/report/status/{token}/diary/", _diary(file=upload(*SAMPLES["image/png"])))
    entry = DiaryEntry.objects.get(report=report)
    assert entry.new_report is not None
    assert ReportAttachment.objects.get(diary_entry=entry).report == entry.new_report


def test_diary_entry_on_an_open_case_says_it_reached_the_case(officer: User, client: Client) -> None:
    case = open_case(officer)
    report = _report_on(case)
    token = status_link_issue(report=report)
    page = client.post(f"/report/status/{token}/diary/", _diary(), follow=True).content.decode()
    assert "We have added this to your diary and to your case" in page
    assert DiaryEntry.objects.get(report=report).new_report is None
    assert Report.objects.count() == 1
