"""Shared pieces of the letters and bundle tests: an ASB case with a reporter, a victim and a witness at their homes,
and an alleged perpetrator next door, all synthetic."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.utils import timezone
from pytest_django.fixtures import Settings

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Case, Incident, Party, PartyRole
from tests.cases.factories import CaseFactory, PartyFactory
from tests.housing.factories import PersonFactory, PropertyFactory, TenancyMemberFactory


@dataclass
class LetterCase:
    officer: User
    case: Case
    reporter: Party
    victim: Party
    witness: Party
    perpetrator: Party
    incident: Incident


def _tenant(case: Case, role: str, first: str, last: str, line: str, postcode: str, **person: object) -> Party:
    home = PropertyFactory.create(address_line_1=line, town="Exampleton", postcode=postcode)
    member = TenancyMemberFactory.create(
        tenancy__property=home, person=PersonFactory.create(first_name=first, last_name=last, **person)
    )
    return PartyFactory.create(case=case, role=role, person=member.person, first_name="", last_name="")


def letter_case(officer: User) -> LetterCase:
    case = CaseFactory.create(
        reference="ASB-2026-000123",
        summary="Loud music and shouting from 16 Linden Road late at night",
        assigned_officer=officer,
        team=officer.team,
        received_at=timezone.now() - dt.timedelta(days=10),
    )
    reporter = _tenant(
        case, PartyRole.REPORTER, "Priya", "Okonkwo", "12 Linden Road", "EX1 2AB", phone="07700 900123", title="Ms"
    )
    victim = _tenant(case, PartyRole.VICTIM, "Harriet", "Vale", "14 Linden Road", "EX1 2AD", email="h.vale@example.org")
    witness = PartyFactory.create(
        case=case,
        role=PartyRole.WITNESS,
        first_name="Tomasz",
        last_name="Brennan",
        phone="07700 900456",
        address="3 Birch Close, Exampleton, EX2 9ZZ",
    )
    perpetrator = _tenant(case, PartyRole.ALLEGED_PERPETRATOR, "Gary", "Stone", "16 Linden Road", "EX1 2AF", title="Mr")
    incident = Incident.objects.create(
        case=case,
        occurred_at=timezone.now() - dt.timedelta(days=3),
        description="Loud music and shouting from the flat until 3am.",
        location_text="Linden Road",
        created_by=officer,
    )
    return LetterCase(officer, case, reporter, victim, witness, perpetrator, incident)


@pytest.fixture(name="private_dir")
def private_dir_fixture(settings: Settings, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path
    settings.LANDLORD_NAME = "Calico Homes"
    return tmp_path


@pytest.fixture(name="lc")
def letter_case_fixture(make_staff: Callable[..., User], private_dir: Path) -> LetterCase:
    return letter_case(make_staff(Role.OFFICER, first_name="Olivia", last_name="Officer"))
