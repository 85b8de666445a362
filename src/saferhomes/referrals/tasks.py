"""Referrals background jobs, run by `saferhomes worker` (core.schedule)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from saferhomes.core.schedule import periodic
from saferhomes.referrals.chasing import referral_chases_send

# Chases fall due at the time of day a referral was sent: checking hourly chases within an hour of that.
CHASES_EVERY = timedelta(hours=1)


@periodic(every=CHASES_EVERY, name="referral-chases")
def referral_chases() -> dict[str, Any]:
    """Remind the assigned officer once per step about each referral no agency has acknowledged."""
    return referral_chases_send().as_dict()
