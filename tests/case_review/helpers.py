"""Helpers for Case Review tests: complaints as reports (and cases) made on given London dates, and applications."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from saferhomes.accounts.models import User
from saferhomes.case_review.models import Application, ApplicationChannel
from saferhomes.case_review.services.applications import ApplicationDetails, application_submit
from saferhomes.cases.models import Case
from saferhomes.core.calendar import LONDON
from saferhomes.intake.models import Channel, Report, ReportStatus

_numbers = itertools.count(1)


def london(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=LONDON)


def report_on(received: dt.date, *, occurred: dt.date | None = None, case: Case | None = None, **fields: Any) -> Report:
    """A report received on a London date about behaviour on `occurred` (default: the same day)."""
    fields.setdefault("email", "applicant@example.org")
    fields.setdefault("case_type", "asb")
    return Report.objects.create(
        reference=f"RPT-T-{next(_numbers):06d}",
        channel=Channel.WEB,
        status=ReportStatus.NEW if case is None else ReportStatus.ADDED_TO_CASE,
        received_at=london(received),
        occurred_at=london(occurred or received, 9),
        description="Loud music every night",
        case=case,
        **fields,
    )


def details(**changes: Any) -> ApplicationDetails:
    base: dict[str, Any] = {
        "first_name": "Ada",
        "last_name": "Jones",
        "email": "applicant@example.org",
        "contact_methods": ("email",),
        "description": "Noise every night for months; nothing has changed.",
    }
    return ApplicationDetails(**(base | changes))


def apply(actor: User, received: dt.date, **changes: Any) -> Application:
    """An application taken by phone, received at noon on a London date."""
    return application_submit(
        details=details(**changes), channel=ApplicationChannel.PHONE, actor=actor, received_at=london(received)
    ).application
