"""A small landlord for the team workload tests: two officers in the north team, a coordinator and a DA specialist in
teams of their own, a manager; and cases made for them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from saferhomes.accounts.models import Team, User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Case, CaseType
from tests.cases.factories import CaseFactory, force_status
from tests.factories import TeamFactory


@dataclass(frozen=True)
class Crew:
    north: Team
    olivia: User  # officer, north
    omar: User  # officer, north
    cara: User  # coordinator (no DA rights), own team
    dev: User  # DA specialist, domestic abuse team
    maya: User  # manager (sees DA cases)


def make_crew(make_staff: Callable[..., User]) -> Crew:
    north = TeamFactory.create(name="North neighbourhood team")
    return Crew(
        north=north,
        olivia=make_staff(Role.OFFICER, first_name="Olivia", last_name="Bennett", team=north),
        omar=make_staff(Role.OFFICER, username="officer_omar", first_name="Omar", last_name="Haddad", team=north),
        cara=make_staff(Role.COORDINATOR, first_name="Cara", last_name="Jones"),
        dev=make_staff(
            Role.DA_SPECIALIST,
            first_name="Dev",
            last_name="Sharma",
            team=TeamFactory.create(name="Domestic abuse team"),
        ),
        maya=make_staff(Role.MANAGER, first_name="Maya", last_name="Clarke"),
    )


def case_held_by(officer: User | None, *, status: str = "open", **fields: Any) -> Case:
    """A case held by `officer` (None: nobody, and no team unless given) in `status`."""
    fields.setdefault("team", officer.team if officer is not None else None)
    case = CaseFactory.create(assigned_officer=officer, **fields)
    return force_status(case, status) if status != "new" else case


def da_case_held_by(officer: User | None, **fields: Any) -> Case:
    return case_held_by(officer, case_type=CaseType.DA, **fields)
