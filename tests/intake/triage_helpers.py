"""Shared set-up for staff intake and triage tests: reports made through report_submit, as every channel does."""

from __future__ import annotations

import datetime as dt
from typing import Any

from saferhomes.intake.models import Channel, Report
from saferhomes.intake.services.report import ReportDetails, report_submit


def details(**changes: Any) -> ReportDetails:
    """A noise report from a named reporter, with `changes`."""
    base: dict[str, Any] = {
        "problem": "noise",
        "description": "Music until 3am every night from the flat above",
        "first_name": "Ada",
        "last_name": "Hale",
        "email": "ada.hale@example.org",
        "phone": "07700 900982",
        "location_text": "Flat 12, Bramble Court",
    }
    return ReportDetails(**(base | changes))


def submit(
    actor: Any = None,
    *,
    channel: str = Channel.WEB,
    received_at: dt.datetime | None = None,
    urgent: bool | None = None,
    **changes: Any,
) -> Report:
    """A report through report_submit (web when no actor, phone when a member of staff takes it)."""
    if actor is not None and channel == Channel.WEB:
        channel = Channel.PHONE
    return report_submit(
        details=details(**changes), channel=channel, actor=actor, received_at=received_at, urgent=urgent
    )
