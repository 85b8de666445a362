"""The worker emails last month's report to managers on the first working day of each month, once (issue 18 part 1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.core.calendar_config import calendar_current
from saferhomes.core.models import AuditEvent
from saferhomes.insights.models import MonthlyReportRun
from saferhomes.insights.services.monthly_email import first_working_day, monthly_report_send
from saferhomes.insights.tasks import monthly_performance_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def managers(make_staff: Callable[..., User]) -> list[User]:
    make_staff(Role.COORDINATOR, email="coordinator@example.org")  # not a manager: not emailed
    return [
        make_staff(Role.MANAGER, email="manager.one@example.org"),
        make_staff(Role.MANAGER, username="manager_two", email="manager.two@example.org"),
    ]


def test_the_first_working_day_skips_weekends_and_bank_holidays() -> None:
    calendar = calendar_current()
    assert first_working_day(dt.date(2026, 11, 1), calendar) == dt.date(2026, 11, 2)  # Sunday 1st -> Monday
    assert first_working_day(dt.date(2027, 1, 1), calendar) == dt.date(2027, 1, 4)  # New Year's Day, weekend
    assert first_working_day(dt.date(2026, 8, 1), calendar) == dt.date(2026, 8, 3)  # Saturday


def test_nothing_is_sent_before_the_first_working_day(managers: list[User], mailoutbox: list[Any]) -> None:
    run = monthly_report_send(today=dt.date(2027, 1, 1))  # a bank holiday
    assert run.due is False
    assert not MonthlyReportRun.objects.exists()
    assert mailoutbox == []


def test_managers_are_emailed_the_pdf_once_on_the_first_working_day(
    managers: list[User],
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        run = monthly_report_send(today=dt.date(2026, 11, 2))
    assert run.claimed is True
    assert run.month == "2026-10"
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.subject == "Monthly performance report: October 2026"
    assert sorted(message.to) == ["manager.one@example.org", "manager.two@example.org"]
    name, content, kind = message.attachments[0]
    assert (name, kind) == ("performance-2026-10.pdf", "application/pdf")
    assert content.startswith(b"%PDF")
    assert "/staff/insights/monthly/?month=2026-10" in message.body
    saved = MonthlyReportRun.objects.get()
    assert saved.sent_at is not None
    assert saved.figures["month"] == "2026-10"
    assert AuditEvent.objects.filter(verb="insights.monthly_report_sent").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        again = monthly_report_send(today=dt.date(2026, 11, 3))  # a later run that month: already sent
    assert again.already_sent is True
    assert len(mailoutbox) == 1
    assert MonthlyReportRun.objects.count() == 1


def test_with_no_manager_to_tell_nothing_is_claimed(make_staff: Callable[..., User], mailoutbox: list[Any]) -> None:
    make_staff(Role.MANAGER, email="")
    run = monthly_report_send(today=dt.date(2026, 11, 2))
    assert run.unrouted is True
    assert not MonthlyReportRun.objects.exists()


def test_the_periodic_job_is_registered_with_the_worker() -> None:
    from saferhomes.core.schedule import registry

    assert "monthly-performance-report" in {job.name for job in registry.all()}
    assert monthly_performance_report.name == "monthly_performance_report"
