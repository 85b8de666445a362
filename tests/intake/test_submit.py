"""report_submit: the one way a report is taken, whichever channel it came by."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import CaseType
from saferhomes.core.errors import DomainError
from saferhomes.core.models import AuditEvent
from saferhomes.intake.models import Channel, Report, ReportStatus, UrgencyReason
from saferhomes.intake.services.report import ReportDetails, report_submit

pytestmark = pytest.mark.django_db
LONDON = dt.UTC


def _details(**changes: object) -> ReportDetails:
    base = {"problem": "noise", "description": "Music until 3am every night", "first_name": "Ada", "last_name": "Hale"}
    return ReportDetails(**(base | changes))  # type: ignore[arg-type]


@time_machine.travel(dt.datetime(2025, 12, 24, 15, 0, tzinfo=dt.UTC), tick=False)
def test_web_report_is_numbered_standard_and_due_on_the_fifth_working_day() -> None:
    report = report_submit(details=_details(), channel=Channel.WEB)
    assert report.reference == "RPT-2025-000001"
    assert report.case_type == CaseType.ASB
    assert report.status == ReportStatus.NEW
    assert not report.urgent
    # Wed 24 Dec 2025 15:00 -> end of Mon 5 Jan 2026 (DESIGN.md §4.1 worked example)
    assert timezone.localtime(report.response_due_at).date() == dt.date(2026, 1, 5)
    assert AuditEvent.objects.filter(verb="report.received", object_label=report.reference).exists()


@time_machine.travel(dt.datetime(2025, 12, 24, 15, 0, tzinfo=dt.UTC), tick=False)
def test_hate_report_is_urgent_and_due_after_24_working_hours() -> None:
    report = report_submit(details=_details(problem="hate", hate_strands=("race",)), channel=Channel.WEB)
    assert report.case_type == CaseType.HATE
    assert report.urgent
    assert report.urgent_reasons == [UrgencyReason.HATE]
    assert timezone.localtime(report.response_due_at) == timezone.make_aware(dt.datetime(2025, 12, 29, 15, 0))


def test_errors_name_every_field_and_nothing_is_saved() -> None:
    with pytest.raises(DomainError) as refused:
        report_submit(
            details=_details(description="x" * 10_000, email="not-an-email", problem="hate"), channel=Channel.WEB
        )
    assert set(refused.value.field_errors) == {"description", "email", "hate_strands"}
    assert not Report.objects.exists()


def test_anonymous_reports_keep_no_contact_details() -> None:
    report = report_submit(details=_details(anonymous=True, email="ada@example.org"), channel=Channel.WEB)
    assert (report.first_name, report.email) == ("", "")


def test_public_channel_cannot_claim_to_be_staff() -> None:
    with pytest.raises(DomainError):
        report_submit(details=_details(), channel=Channel.PHONE)


def test_text_is_kept_safely_with_control_characters_dropped() -> None:
    report = report_submit(details=_details(description="<script>x</script> \x00 مرحبا 🙂"), channel=Channel.WEB)
    assert report.description == "<script>x</script>  مرحبا 🙂"


def test_idempotency_key_gives_one_report_per_staff_member(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER)
    first = report_submit(details=_details(), channel=Channel.API, actor=officer, idempotency_key="abc")
    again = report_submit(details=_details(), channel=Channel.API, actor=officer, idempotency_key="abc")
    assert first.pk == again.pk
    assert Report.objects.count() == 1
