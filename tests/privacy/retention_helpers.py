"""Helpers for the retention tests: closed cases at a London moment, with or without legal action, and a hold."""

from __future__ import annotations

import datetime as dt
from typing import Any

from saferhomes.accounts.models import User
from saferhomes.cases.models import Case, PartyRole
from saferhomes.core.calendar import LONDON
from saferhomes.interventions.models import Intervention, InterventionStatus, Milestone
from saferhomes.interventions.selectors.interventions import catalogue_current
from saferhomes.privacy.models import LegalHold
from tests.cases.factories import CaseFactory, PartyFactory, force_status
from tests.factories import UserFactory


def london(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    """A moment on a London wall clock."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=LONDON)


def closed_case(closed_at: dt.datetime, outcome: str = "resolved", **fields: Any) -> Case:
    """A case forced to closed at `closed_at` with `outcome` (test set-up: plain updates, no services)."""
    fields.setdefault("received_at", closed_at - dt.timedelta(days=90))
    case = CaseFactory.create(**fields)
    return force_status(case, "closed", closed_at=closed_at, outcome=outcome)


def legal_action(
    case: Case, *, order_expires: dt.date | None = None, outcome_on: dt.date | None = None
) -> Intervention:
    """An approved civil injunction on `case`, with its expiry milestone on `order_expires` if given."""
    catalogue = catalogue_current()
    manager = UserFactory.create()
    party = PartyFactory.create(case=case, role=PartyRole.ALLEGED_PERPETRATOR)
    concluded = outcome_on is not None
    item = Intervention.objects.create(
        case=case,
        party=party,
        kind="civil_injunction",
        catalogue=catalogue,
        formal=True,
        rung=8,
        proportionality="Months of harm; lighter steps tried and breached.",
        status=InterventionStatus.CONCLUDED if concluded else InterventionStatus.ACTIVE,
        proposed_by=manager,
        approved_at=case.received_at,
        approved_by=manager,
        started_on=case.received_at.date(),
        outcome="Order made" if concluded else "",
        outcome_on=outcome_on,
    )
    if order_expires:
        Milestone.objects.create(intervention=item, key="expiry", due_on=order_expires, recorded_by=manager)
    return item


def hold(case: Case, by: User, reason: str = "Disrepair claim issued in the county court") -> LegalHold:
    """An active legal hold on `case`."""
    return LegalHold.objects.create(case=case, placed_by=by, reason=reason)
