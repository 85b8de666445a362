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
from saferhomes.intake.models import Channel, Report, ReportStatus
from saferhomes.intake.services.report import ReportDetails, report_submit
from saferhomes.intake.services.status import status_link_issue
from tests.cases.closure_helpers import closed_case, discuss_outcome, open_case
from tests.conftest import client_verified_as

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
