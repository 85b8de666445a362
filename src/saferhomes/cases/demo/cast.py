"""Who and where for the demo cases: the staff who work them, and the register's homes and people."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group

from saferhomes.accounts.models import Team, User
from saferhomes.accounts.roles import Role
from saferhomes.housing.demo_data import SeedContext
from saferhomes.housing.models import Person, Property, TenancyMember

LONDON = ZoneInfo("Europe/London")
OFFICE_OPENS, OFFICE_CLOSES = dt.time(9, 0), dt.time(17, 0)  # when demo staff phone, visit and write
CASES_PER_HOME = 0.15
T = TypeVar("T")


def weighted(rng: random.Random, options: Sequence[tuple[T, float]]) -> T:
    values, weights = zip(*options, strict=True)
    return rng.choices(values, weights=weights)[0]


# ---------------------------------------------------------------------------------------------------------------
# Who works the cases: the demo personas, plus colleagues (no login) so caseloads look like a real landlord's.


@dataclass(frozen=True)
class Colleague:
    username: str
    first_name: str
    last_name: str
    team: str


COLLEAGUES = [
    Colleague("officer_omar", "Omar", "Haddad", "North neighbourhood team"),
    Colleague("officer_sian", "Siân", "Roberts", "South neighbourhood team"),
    Colleague("officer_tom", "Tom", "Gallagher", "South neighbourhood team"),
]


@dataclass
class Staffing:
    officers: list[User]
    coordinator: User
    da_specialist: User
    manager: User

    def officer(self, rng: random.Random) -> User:
        """Olivia carries a fair share so her dashboard is busy; the coordinator now and then takes one."""
        if rng.random() < 0.05:
            return self.coordinator
        weights = [2.0 if u.username == "officer_olivia" else 1.0 for u in self.officers]
        return rng.choices(self.officers, weights=weights)[0]


def staffing_for(ctx: SeedContext) -> Staffing | None:
    by_role: dict[str, User] = {}
    for user in ctx.staff:
        by_role.setdefault(user.role, user)
    needed = (Role.OFFICER, Role.COORDINATOR, Role.DA_SPECIALIST, Role.MANAGER)
    if any(role not in by_role for role in needed):
        return None
    officers = [by_role[Role.OFFICER]]
    group = Group.objects.filter(name=Role.OFFICER).first()
    for colleague in COLLEAGUES:
        team, _ = Team.objects.get_or_create(name=colleague.team)
        user, created = User.objects.get_or_create(
            username=colleague.username,
            defaults={
                "first_name": colleague.first_name,
                "last_name": colleague.last_name,
                "email": f"{colleague.username.replace('_', '.')}@example.org",
                "role": Role.OFFICER,
                "team": team,
                "job_title": "Housing officer",
            },
        )
        if created:
            user.set_unusable_password()  # caseload only: the personas are the demo's logins
            user.save(update_fields=["password"])
            if group is not None:
                user.groups.set([group])
        officers.append(user)
    return Staffing(
        officers=officers,
        coordinator=by_role[Role.COORDINATOR],
        da_specialist=by_role[Role.DA_SPECIALIST],
        manager=by_role[Role.MANAGER],
    )


# ---------------------------------------------------------------------------------------------------------------
# The register: who lives where, to draw reporters, neighbours, witnesses and children from.


@dataclass
class Home:
    property: Property
    adults: list[Person]
    children: list[Person]


@dataclass
class Register:
    homes: list[Home]
    by_place: dict[Any, list[Home]]

    def neighbour(self, rng: random.Random, home: Home) -> Home:
        """Another occupied home on the same estate (or in the same town), else any other home."""
        near = [h for h in self.by_place[place_key(home.property)] if h is not home]
        pool = near or [h for h in self.homes if h is not home] or [home]
        return rng.choice(pool)


def place_key(home: Property) -> Any:
    return home.estate_id or home.town


def register_for(ctx: SeedContext) -> Register:
    people = {person.pk: person for person in ctx.people}
    members: dict[int, list[Person]] = defaultdict(list)
    rows = (
        TenancyMember.objects.filter(tenancy__end_date__isnull=True)
        .order_by("id")
        .values_list("tenancy__property_id", "person_id")
    )
    for property_id, person_id in rows:
        if person_id in people:
            members[property_id].append(people[person_id])
    homes: list[Home] = []
    for home in ctx.properties:
        occupants = members.get(home.pk, [])
        adults = [p for p in occupants if not p.is_minor_on(ctx.today)]
        if adults:
            homes.append(Home(home, adults, [p for p in occupants if p.is_minor_on(ctx.today)]))
    by_place: dict[Any, list[Home]] = defaultdict(list)
    for home_entry in homes:
        by_place[place_key(home_entry.property)].append(home_entry)
    return Register(homes, by_place)


def short_address(home: Property) -> str:
    return home.address_line_1


def letters(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower())


def block_or_street(home: Property) -> str:
    """Where a communal problem happens: the block of flats, or the street."""
    if home.address_line_1.startswith("Flat ") and ", " in home.address_line_1:
        return home.address_line_1.split(", ", 1)[1]
    return home.address_line_2 or home.address_line_1.split(" ", 1)[-1]
