"""The retention schedule's jobs: the weekly plan emails every active DPO once per run (never twice on a rerun);
reports never made into a case are deleted with their files past their rule; status links are revoked past theirs."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.files.base import ContentFile

from saferhomes.accounts.roles import Role
from saferhomes.case_review.models import StatusLink as ApplicationLink
from saferhomes.cases.storage import evidence_storage
from saferhomes.core.models import AuditEvent
from saferhomes.intake.models import Report, ReportAttachment, ReportStatus, StatusLink
from saferhomes.intake.services.status import status_link_for_token, status_link_issue
from saferhomes.privacy.models import RetentionRun, RunNotice, RunStatus
from saferhomes.privacy.services.expiry import EXPIRED, reports_expire, status_links_expire
from saferhomes.privacy.tasks_retention import retention_plan_weekly
from tests.factories import ApplicationFactory
from tests.intake.triage_helpers import submit
from tests.privacy.retention_helpers import closed_case, hold, london

pytestmark = pytest.mark.django_db


def test_weekly_plan_emails_every_active_dpo_once_and_a_rerun_sends_nothing(
    make_staff, django_capture_on_commit_callbacks
) -> None:
    first = make_staff(Role.DPO, username="dpo_one", email="one@example.com")
    make_staff(Role.DPO, username="dpo_two", email="two@example.com")
    make_staff(Role.DPO, username="dpo_gone", email="gone@example.com", is_active=False)
    closed_case(london(2019, 1, 1))
    with django_capture_on_commit_callbacks(execute=True):
        result = retention_plan_weekly(as_of=dt.date(2026, 6, 1))
    run = RetentionRun.objects.get()
    assert result == {"planned": run.pk, "told": [run.pk]}
    assert sorted(m.to[0] for m in mail.outbox) == ["one@example.com", "two@example.com"]
    assert mail.outbox[0].subject == "1 case waiting for your approval to anonymise"
    assert f"/staff/privacy/retention/runs/{run.pk}/" in mail.outbox[0].body
    assert RunNotice.objects.get().sent_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        again = retention_plan_weekly(as_of=dt.date(2026, 6, 8))
    assert again == {"planned": None, "told": []}
    assert len(mail.outbox) == 2
    assert first.pk in RunNotice.objects.get().recipients


def test_weekly_plan_does_nothing_when_no_case_is_due_or_all_are_held(dpo_daniel) -> None:
    case = closed_case(london(2019, 1, 1))
    hold(case, dpo_daniel)
    assert retention_plan_weekly(as_of=dt.date(2026, 6, 1)) == {"planned": None, "told": []}
    assert not RetentionRun.objects.exists()


def test_weekly_plan_leaves_an_open_run_alone(dpo_daniel) -> None:
    closed_case(london(2019, 1, 1))
    RetentionRun.objects.create(as_of=dt.date(2026, 5, 1), status=RunStatus.APPROVED)
    assert retention_plan_weekly(as_of=dt.date(2026, 6, 1))["planned"] is None
    assert RetentionRun.objects.count() == 1


def _not_taken_forward(received_at: dt.datetime) -> Report:
    report = submit()
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.NOT_PROCEEDED, received_at=received_at)
    return report


def test_report_not_taken_forward_is_deleted_with_its_files_a_year_after_it_was_received(
    django_capture_on_commit_callbacks,
) -> None:
    with time_machine.travel(london(2025, 3, 12), tick=False):
        old = _not_taken_forward(london(2025, 3, 10))
        token = status_link_issue(report=old)
        attachment = ReportAttachment(report=old, original_name="a.txt", content_type="text/plain", size=2, sha256="0")
        attachment.file.save("a.txt", ContentFile(b"hi"), save=True)
        name = attachment.file.name
        recent = _not_taken_forward(london(2025, 3, 11))
        kept_new = submit()  # awaiting triage: not this rule's
        Report.objects.filter(pk=kept_new.pk).update(received_at=london(2025, 3, 1))
    assert evidence_storage().exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        done = reports_expire(today=dt.date(2026, 3, 11))
    assert done.reports_deleted == 1
    assert done.files_deleted == 1
    assert not Report.objects.filter(pk=old.pk).exists()
    assert Report.objects.filter(pk__in=[recent.pk, kept_new.pk]).count() == 2
    assert not evidence_storage().exists(name)
    assert status_link_for_token(token=token) is None
    event = AuditEvent.objects.get(verb="retention.report_expired")
    assert event.object_label == old.reference
    assert event.reason == EXPIRED


def test_reporters_status_link_is_revoked_three_months_after_the_case_closes(officer_olivia) -> None:
    case = closed_case(london(2026, 1, 15))
    report = submit()
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.CASE_OPENED, case=case)
    token = status_link_issue(report=report)
    assert status_links_expire(today=dt.date(2026, 4, 15)).status_links_revoked == 0
    assert status_link_for_token(token=token) is not None
    assert status_links_expire(today=dt.date(2026, 4, 16)).status_links_revoked == 1
    link = StatusLink.objects.get(report=report)
    assert link.revoked_reason == "Expired under the retention schedule"
    assert status_link_for_token(token=token) is None


def test_applicants_status_link_is_revoked_three_months_after_the_outcome() -> None:
    application = ApplicationFactory.create(
        status="outcome_sent", outcome_sent_at=london(2026, 1, 10), decided_at=london(2025, 11, 1)
    )
    link = ApplicationLink.objects.create(application=application, token_hash="f" * 64)
    assert status_links_expire(today=dt.date(2026, 4, 10)).application_links_revoked == 0
    assert status_links_expire(today=dt.date(2026, 4, 11)).application_links_revoked == 1
    link.refresh_from_db()
    assert link.revoked_at is not None
