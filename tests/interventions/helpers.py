"""Helpers for intervention tests: an open ASB case with an alleged perpetrator holding a tenancy of a given type."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine

from saferhomes.accounts.models import User
from saferhomes.cases.models import Case, Party, PartyRole
from saferhomes.core.calendar import LONDON
from saferhomes.interventions.models import Intervention
from saferhomes.interventions.services.interventions import (
    intervention_approve,
    intervention_propose,
    intervention_request_approval,
    intervention_start,
)
from tests.cases.factories import CaseFactory, PartyFactory, force_status
from tests.housing.factories import PersonFactory, TenancyMemberFactory

REASONS = "Three months of nightly noise; a warning letter and an ABC were both breached; victims are unwell."


def open_case(officer: User, **fields: Any) -> Case:
    case = CaseFactory.create(assigned_officer=officer, team=officer.team, **fields)
    return force_status(case, "open")


def perpetrator(case: Case, *, tenancy_type: str | None = "secure", date_of_birth: dt.date | None = None) -> Party:
    """An alleged perpetrator from the register holding a tenancy of `tenancy_type` (None: no tenancy with us)."""
    # A surname Faker never gives: the tests check that emails leave it out, and a staff member named in the same email
    # (the proposer, the officer) once drew the same Faker surname ("Johnson").
    names = {"first_name": "Perpetua", "last_name": "Zedwardine"}
    person = PersonFactory.create(**names, **({"date_of_birth": date_of_birth} if date_of_birth else {}))
    if tenancy_type is not None:
        TenancyMemberFactory.create(person=person, tenancy__tenancy_type=tenancy_type)
    party: Party = PartyFactory.create(case=case, role=PartyRole.ALLEGED_PERPETRATOR, person=person, **names)
    return party


def active_formal(
    *, officer: User, manager: User, case: Case, party: Party, kind: str, started_on: dt.date
) -> Intervention:
    """A formal intervention proposed by the officer, approved by the manager and started, all on `started_on`."""
    with time_machine.travel(dt.datetime.combine(started_on, dt.time(9), tzinfo=LONDON), tick=False):
        intervention = intervention_propose(actor=officer, case=case, kind=kind, party=party, proportionality=REASONS)
        intervention = intervention_request_approval(actor=officer, intervention=intervention)
        intervention = intervention_approve(actor=manager, intervention=intervention)
        return intervention_start(actor=officer, intervention=intervention, started_on=started_on)
