"""Helpers for the insights tests (issue 18 parts 3-5): interventions of a kind started on a date, on a case in an
estate of an area; a closed case."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.cases.models import Case, PartyRole
from saferhomes.housing.models import Estate
from saferhomes.interventions.models import Intervention, InterventionStatus
from saferhomes.interventions.selectors.interventions import catalogue_current
from tests.cases.factories import CaseFactory, PartyFactory

REASONS = "Months of harm; lighter steps tried and breached."


def intervention(
    *, kind: str, started_on: dt.date, estate: Estate | None, manager: User, **fields: Any
) -> Intervention:
    """An active intervention of `kind` started on `started_on`, on a new case in `estate` (approved if formal)."""
    catalogue = catalogue_current()
    definition = catalogue.kind(kind)
    assert definition is not None, kind
    case = CaseFactory.create(estate=estate, **fields)
    party = PartyFactory.create(case=case, role=PartyRole.ALLEGED_PERPETRATOR)
    formal = bool(definition["formal"])
    item: Intervention = Intervention.objects.create(
        case=case,
        party=party,
        kind=kind,
        catalogue=catalogue,
        formal=formal,
        rung=definition["rung"],
        proportionality=REASONS if formal else "",
        status=InterventionStatus.ACTIVE,
        proposed_by=manager,
        approved_at=timezone.now() if formal else None,
        approved_by=manager if formal else None,
        started_on=started_on,
    )
    return item


def closed_case(**fields: Any) -> Case:
    """A case forced to closed, with `closed_at` and `outcome` from `fields`."""
    from tests.cases.factories import force_status

    closed_at = fields.pop("closed_at")
    outcome = fields.pop("outcome", "resolved")
    case = CaseFactory.create(**fields)
    return force_status(case, "closed", closed_at=closed_at, outcome=outcome)
