"""Partnership background jobs, run by `saferhomes worker` (core.schedule): referral chases and agreement review
reminders."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from saferhomes.core.schedule import periodic
from saferhomes.referrals.agreement_reminders import agreement_review_reminders_send
from saferhomes.referrals.chasing import referral_chases_send


# Review dates are days: checking every few hours reminds on the day one comes within the notice period.
@periodic(every=timedelta(hours=6), name="agreement-review-reminders")
def agreement_review_reminders() -> dict[str, Any]:
    """Email the staff who keep the register once about each information-sharing agreement due for review."""
    return agreement_review_reminders_send().as_dict()


# Chases fall due at the time of day a referral was sent: checking hourly chases within an hour of that.
CHASES_EVERY = timedelta(hours=1)


@periodic(every=CHASES_EVERY, name="referral-chases")
def referral_chases() -> dict[str, Any]:
    """Remind the assigned officer once per step about each referral no agency has acknowledged."""
    return referral_chases_send().as_dict()
