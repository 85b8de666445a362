"""Information-sharing agreements for tests (synthetic organisations only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from saferhomes.accounts.models import User
from saferhomes.referrals.models import Agency, LawfulBasis, SharingAgreement
from tests.referrals.factories import AgencyFactory


def agreement(*, created_by: User, agencies: list[Agency] | None = None, **fields: Any) -> SharingAgreement:
    """An agreement with the council ASB team from 1 April 2025, reviewed on 1 April 2026, unless told otherwise."""
    fields.setdefault("name", "Community safety partnership: anti-social behaviour")
    fields.setdefault("purpose", "Joint problem-solving of ASB cases")
    fields.setdefault("data_shared", "Names and addresses; incidents")
    fields.setdefault("lawful_basis", LawfulBasis.PUBLIC_TASK)
    fields.setdefault("starts_on", dt.date(2025, 4, 1))
    fields.setdefault("review_on", dt.date(2026, 4, 1))
    made: SharingAgreement = SharingAgreement.objects.create(created_by=created_by, **fields)
    made.agencies.set(agencies if agencies is not None else [AgencyFactory.create(code="demo-council-asb")])
    return made
