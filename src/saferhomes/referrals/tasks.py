"""Partnership background jobs, run by `saferhomes worker` (core.schedule)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from saferhomes.core.schedule import periodic
from saferhomes.referrals.agreement_reminders import agreement_review_reminders_send


# Review dates are days: checking every few hours reminds on the day one comes within the notice period.
@periodic(every=timedelta(hours=6), name="agreement-review-reminders")
def agreement_review_reminders() -> dict[str, Any]:
    """Email the staff who keep the register once about each information-sharing agreement due for review."""
    return agreement_review_reminders_send().as_dict()
