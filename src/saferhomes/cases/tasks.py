"""Cases background jobs, run by `saferhomes worker` (core.schedule)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings

from saferhomes.cases.notifications import contact_reminders_send, response_alerts_send
from saferhomes.core.schedule import periodic

RESPONSE_ALERTS_EVERY = timedelta(minutes=settings.RESPONSE_ALERT_EVERY_MINUTES)


@periodic(every=RESPONSE_ALERTS_EVERY, name="response-alerts")
def response_alerts() -> dict[str, Any]:
    """Email staff once about each open case whose first response is due soon or overdue."""
    return response_alerts_send().as_dict()


@periodic(every=timedelta(hours=1), name="contact-plan-reminders")
def contact_plan_reminders() -> dict[str, int]:
    """Remind each officer once about every contact under a plan that is due within a day or missed."""
    return contact_reminders_send().as_dict()
