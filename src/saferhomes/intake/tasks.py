"""Intake background jobs, run by `saferhomes worker` (core.schedule): reading the intake mailbox, and deleting what
abandoned report journeys and old rate limits leave behind."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings

from saferhomes.core.schedule import periodic
from saferhomes.intake.services.email import MailboxSettings, mailbox_fetch
from saferhomes.intake.services.public_form import intake_leftovers_delete

FETCH_EVERY = timedelta(minutes=max(1, settings.INTAKE_FETCH_EVERY_MINUTES))


@periodic(every=FETCH_EVERY, name="intake-fetchmail")
def intake_fetchmail() -> dict[str, Any]:
    """Read the intake mailbox into draft reports, when one is configured and the interval is not 0."""
    if not settings.INTAKE_IMAP.get("host") or settings.INTAKE_FETCH_EVERY_MINUTES <= 0:
        return {"skipped": "no intake mailbox configured"}
    return dict(mailbox_fetch(mailbox=MailboxSettings.from_settings(settings.INTAKE_IMAP)).as_dict())


@periodic(every=timedelta(hours=1), name="intake-leftovers")
def intake_leftovers() -> dict[str, int]:
    """Delete files uploaded to reports never sent, and rate-limit records past their window."""
    return intake_leftovers_delete()
