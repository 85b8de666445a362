"""The monthly performance report emailed to managers on the first working day of each month (issue 18 part 1), the
core of the periodic `monthly-performance-report` job (insights/tasks.py); tests call `monthly_report_send`.

- From the first working day of a month (core.calendar, the landlord's calendar: bank holidays and closure days are
  not working days) the report on the month before is due; a worker that was down that day sends it the next time it
  runs, never earlier.
- Claimed by inserting the month's `MonthlyReportRun` (unique per month) before anything is sent, so a rerun, an
  overlapping run or a second worker sends nothing more; the figures sent are kept on the run.
- The email (PDF attached) goes on commit to every active manager with an email address; a mail server failure is
  logged and leaves `sent_at` empty (at most once, never twice). With no manager to tell, nothing is claimed.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict, dataclass, field
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.calendar import WorkingCalendar, is_working_day
from saferhomes.core.calendar_config import calendar_current
from saferhomes.core.links import staff_url
from saferhomes.core.mail import deliver_claimed, templated_email
from saferhomes.insights import rules
from saferhomes.insights.models import MonthlyReportRun
from saferhomes.insights.selectors.monthly import monthly_report_figures, report_as_data
from saferhomes.insights.services.reports import ReportFormat, monthly_report_pdf, report_filename

logger = logging.getLogger(__name__)


def first_working_day(month: dt.date, calendar: WorkingCalendar) -> dt.date:
    """The first working day of the month starting on `month` (a month always has one)."""
    day = month
    while not is_working_day(day, calendar):
        day += dt.timedelta(days=1)
    return day


def report_recipients() -> list[User]:
    """Who is sent the report: active managers with an email address."""
    return list(User.objects.filter(role=Role.MANAGER, is_active=True).exclude(email="").order_by("username"))


@dataclass
class MonthlyReportSend:
    """What one run did: the month due (if any), and whether it was sent now, already, or could not be."""

    month: str = ""
    due: bool = False
    claimed: bool = False
    already_sent: bool = False
    unrouted: bool = False
    recipients: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def monthly_report_email(*, month: dt.date, pdf: bytes, to: list[str]) -> EmailMessage:
    """The email to managers, with the PDF attached and a link to the page."""
    context = {
        "month": rules.month_label(month),
        "url": staff_url(reverse("insights:monthly") + f"?month={month:%Y-%m}"),
        "signature": f"{settings.LANDLORD_NAME} community safety casework",
    }
    message = templated_email("insights/email/monthly_report", context, to=to)
    message.attach(report_filename(month, ReportFormat.PDF), pdf, "application/pdf")
    return message


def monthly_report_send(*, today: dt.date | None = None) -> MonthlyReportSend:
    """Email last month's report to managers once, from the first working day of this month (module docstring)."""
    today = today or timezone.localdate()
    month = rules.last_full_month(today)
    run = MonthlyReportSend(month=f"{month:%Y-%m}")
    if today < first_working_day(today.replace(day=1), calendar_current()):
        return run
    run.due = True
    if MonthlyReportRun.objects.filter(month=month).exists():
        run.already_sent = True
        return run
    managers = report_recipients()
    if not managers:
        run.unrouted = True
        logger.warning("The monthly report for %s is due: no active manager has an email address", run.month)
        return run
    report = monthly_report_figures(month)
    message = monthly_report_email(month=month, pdf=monthly_report_pdf(report), to=[u.email for u in managers])
    try:
        with transaction.atomic():
            claim = MonthlyReportRun.objects.create(
                month=month, recipients=[u.pk for u in managers], figures=report_as_data(report)
            )
            audit(
                actor=None,
                verb=AuditVerb.MONTHLY_REPORT_SENT,
                obj=claim,
                after={"month": run.month, "recipients": [u.pk for u in managers]},
            )
            transaction.on_commit(
                partial(
                    deliver_claimed,
                    claim=MonthlyReportRun,
                    claim_id=claim.pk,
                    messages=[message],
                    what="Monthly performance report",
                )
            )
    except IntegrityError:  # another worker claimed the month between our check and our insert
        run.already_sent = True
        return run
    run.claimed = True
    run.recipients = [u.pk for u in managers]
    return run
