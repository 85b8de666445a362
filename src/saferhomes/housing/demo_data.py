"""The synthetic demo landlord: staff for every role, then estates, homes, tenancies and people (Faker en_GB).

These are the first steps of the demo seed that `core.seed` runs (`register_seed_steps`, from this app's ready()).
Each step draws from its own random stream (seeded from the seed and the step's name), so the same seed gives the same
landlord. The steps after these (cases, risk, reports) read the staff and register from the context, this module's
`SeedContext`. Everyone and everything here is made up; phone numbers are from Ofcom's ranges reserved for drama.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.hashers import make_password

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.accounts.selectors import totp_device_confirmed
from saferhomes.accounts.services import staff_create, staff_totp_device_create, team_get_or_create
from saferhomes.core import seed as core_seed
from saferhomes.housing import rules
from saferhomes.housing.models import (
    Area,
    ContactMethod,
    Estate,
    Person,
    PreferredFormat,
    Property,
    PropertyType,
    Tenancy,
    TenancyMember,
    TenancyRelationship,
    TenancyType,
    VulnerabilityCategory,
)

if TYPE_CHECKING:  # Faker is loaded by SeedContext.faker when the seed runs, not at start-up (issue 14 item 19).
    from faker import Faker

DEMO_PASSWORD = "saferhomes-demo-2026"  # noqa: S105 - printed by `saferhomes demo`; demo databases only
BATCH_SIZE = 2000
HOMES_PER_ESTATE = 150

T = TypeVar("T")


@dataclass(frozen=True)
class DemoStaff:
    """One demo login: a persona per role (the same usernames as the test personas)."""

    username: str
    role: str
    first_name: str
    last_name: str
    team: str
    job_title: str


DEMO_STAFF: list[DemoStaff] = [
    DemoStaff("officer_olivia", Role.OFFICER, "Olivia", "Bennett", "North neighbourhood team", "Housing officer"),
    DemoStaff(
        "coordinator_cara",
        Role.COORDINATOR,
        "Cara",
        "Whitfield",
        "Community safety team",
        "Community safety coordinator",
    ),
    DemoStaff(
        "da_specialist_dev", Role.DA_SPECIALIST, "Dev", "Sharma", "Domestic abuse team", "Domestic abuse specialist"
    ),
    DemoStaff(
        "manager_maya",
        Role.MANAGER,
        "Maya",
        "Osei",
        "Community safety team",
        "Neighbourhood and communities manager",
    ),
    DemoStaff("partner_pc_patel", Role.PARTNER, "Priya", "Patel", "Police partnership", "Police constable"),
    DemoStaff("dpo_daniel", Role.DPO, "Daniel", "Hughes", "Governance", "Data protection officer"),
    DemoStaff("admin_ada", Role.ADMIN, "Ada", "Lovell", "Governance", "Systems administrator"),
]


@dataclass
class Street:
    """A street of the demo landlord: its postcode sector, and the next house number and postcode unit."""

    name: str
    outward: str
    sector: int
    next_number: int = 1
    unit: str = ""
    in_unit: int = 0


@dataclass
class Place:
    """An estate (or, with no estate, an area's other streets): its town, streets and blocks of flats."""

    estate: Estate | None
    town: str
    streets: list[Street]
    blocks: list[str]


@dataclass
class SeedContext(core_seed.SeedContext):
    """The demo seed's context once the register's steps have run: the staff and register they made, for the
    steps after them (cases, risk, reports)."""

    staff: list[User] = field(default_factory=list)
    staff_created: list[str] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    properties: list[Property] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    tenancies: list[Tenancy] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------------------------
# Staff


def seed_staff(ctx: SeedContext) -> None:
    """One account per role (the personas), in teams, with the demo password and a confirmed authenticator app."""
    password_hash = make_password(DEMO_PASSWORD)  # hashed once: PBKDF2 is deliberately slow
    for persona in DEMO_STAFF:
        user = User.objects.filter(username=persona.username).first()
        if user is None:
            team = team_get_or_create(actor=None, name=persona.team)
            user = staff_create(
                actor=None,
                username=persona.username,
                role=persona.role,
                email=f"{persona.username.replace('_', '.')}@example.org",
                first_name=persona.first_name,
                last_name=persona.last_name,
                team=team,
            )
            user.password = password_hash
            user.job_title = persona.job_title
            user.save(update_fields=["password", "job_title"])
            ctx.staff_created.append(persona.username)
        if totp_device_confirmed(user=user) is None:
            staff_totp_device_create(user)
        ctx.staff.append(user)
    ctx.counts["staff"] = len(ctx.staff)


# ---------------------------------------------------------------------------------------------------------------
# Places

_TOWN_SUFFIXES = ["bury", "ford", "ham", "ton", "ley", "worth", "field", "bridge", "wick", "by", "stead", "thorpe"]
_ESTATE_SUFFIXES = ["Estate", "Park", "Gardens", "Court", "Green", "Fields", "Grange", "Heights", "Village", "Rise"]
_STREET_SUFFIXES = ["Road", "Street", "Close", "Avenue", "Way", "Lane", "Crescent", "Drive", "Grove", "Walk", "Place"]
_BLOCK_SUFFIXES = ["House", "Court", "Tower", "Lodge", "Point"]
_AREA_NAMES = ["North", "South", "East", "West", "Central", "Riverside", "Hillside", "Parkside"]
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def _stem(fake: Faker) -> str:
    """A surname made of plain letters (no 'O'Connor' or 'Smith-Jones'), for place names."""
    while not (name := fake.last_name()).isalpha():
        continue
    return name


def _postcode_letters(fake: Faker) -> str:
    """The letters of a postcode area (e.g. 'HW'), taken from a Faker postcode so they follow Royal Mail's rules."""
    outward = fake.postcode().split(" ")[0]
    return re.match(r"[A-Z]+", outward).group(0)[:2]  # type: ignore[union-attr]


def seed_places(ctx: SeedContext) -> None:
    """Areas, each with its own town and postcode letters, and about one estate per 150 homes."""
    fake = ctx.faker("places")
    rng = fake.random
    estate_count = max(1, round(ctx.homes / HOMES_PER_ESTATE))
    area_count = min(len(_AREA_NAMES), max(2, math.ceil(estate_count / 20)))
    areas: list[Area] = []
    towns: dict[str, str] = {}
    letters: dict[str, str] = {}
    used_letters: set[str] = set()
    for index in range(area_count):
        town = _stem(fake) + rng.choice(_TOWN_SUFFIXES)
        code = _AREA_NAMES[index][:3].upper()
        areas.append(Area(name=f"{_AREA_NAMES[index]} ({town})", code=code))
        towns[code] = town
        candidate = _postcode_letters(fake)
        while candidate in used_letters:
            candidate = _postcode_letters(fake)
        used_letters.add(candidate)
        letters[code] = candidate
    Area.objects.bulk_create(areas)
    estates: list[Estate] = []
    used_names: set[str] = set()
    for index in range(estate_count):
        area = areas[index % area_count]
        name = f"{_stem(fake)} {rng.choice(_ESTATE_SUFFIXES)}"
        while name in used_names:
            name = f"{_stem(fake)} {rng.choice(_ESTATE_SUFFIXES)}"
        used_names.add(name)
        initials = "".join(word[0] for word in name.split())
        estates.append(Estate(name=name, code=f"{initials}{index + 1:03d}", area=area))
    Estate.objects.bulk_create(estates)
    places: list[Place] = []
    district_of_area: dict[str, int] = {}
    for estate in estates:
        code = estate.area.code
        district_of_area[code] = district_of_area.get(code, 0) + 1
        outward = f"{letters[code]}{district_of_area[code]}"
        streets = [
            Street(name=f"{_stem(fake)} {rng.choice(_STREET_SUFFIXES)}", outward=outward, sector=s)
            for s in rng.sample(range(10), rng.randint(2, 6))
        ]
        blocks = [f"{_stem(fake)} {rng.choice(_BLOCK_SUFFIXES)}" for _ in range(rng.randint(1, 4))]
        places.append(Place(estate=estate, town=towns[code], streets=streets, blocks=blocks))
    # Homes not on any estate: street properties across each area's town.
    for area in areas:
        district_of_area[area.code] = district_of_area.get(area.code, 0) + 1
        outward = f"{letters[area.code]}{district_of_area[area.code]}"
        streets = [
            Street(name=f"{_stem(fake)} {rng.choice(_STREET_SUFFIXES)}", outward=outward, sector=s)
            for s in rng.sample(range(10), 4)
        ]
        places.append(Place(estate=None, town=towns[area.code], streets=streets, blocks=[]))
    ctx.counts["areas"] = len(areas)
    ctx.counts["estates"] = len(estates)
    ctx.places = places


# ---------------------------------------------------------------------------------------------------------------
# Homes

_PROPERTY_TYPES: list[tuple[str, float]] = [
    (PropertyType.FLAT, 0.45),
    (PropertyType.HOUSE, 0.35),
    (PropertyType.MAISONETTE, 0.08),
    (PropertyType.BUNGALOW, 0.07),
    (PropertyType.BEDSIT, 0.03),
    (PropertyType.OTHER, 0.02),
]
_BEDROOMS: dict[str, tuple[int, int]] = {
    PropertyType.FLAT: (1, 3),
    PropertyType.HOUSE: (2, 4),
    PropertyType.MAISONETTE: (2, 3),
    PropertyType.BUNGALOW: (1, 2),
    PropertyType.BEDSIT: (0, 0),
    PropertyType.OTHER: (1, 3),
}
_UPRN_BASE = 100_090_000_000


def _weighted(rng: random.Random, options: Sequence[tuple[T, float]]) -> T:
    values, weights = zip(*options, strict=True)
    return rng.choices(values, weights=weights)[0]


def _next_postcode(rng: random.Random, street: Street) -> str:
    """Homes on a street share a postcode unit, about a dozen at a time."""
    if not street.unit or street.in_unit >= rng.randint(8, 16):
        street.unit = rng.choice(_INWARD_LETTERS) + rng.choice(_INWARD_LETTERS)
        street.in_unit = 0
    street.in_unit += 1
    return rules.normalise_postcode(f"{street.outward} {street.sector}{street.unit}")


def seed_properties(ctx: SeedContext) -> None:
    """N homes: about nine in ten on estates (flats in named blocks, houses on named streets), the rest not."""
    fake = ctx.faker("properties")
    rng = fake.random
    places = ctx.places
    estate_places = [p for p in places if p.estate is not None]
    street_places = [p for p in places if p.estate is None]
    homes: list[Property] = []
    block_flats: dict[str, int] = {}
    for index in range(ctx.homes):
        place = rng.choice(street_places) if rng.random() < 0.1 or not estate_places else rng.choice(estate_places)
        kind = _weighted(rng, _PROPERTY_TYPES)
        street = rng.choice(place.streets)
        line_2 = ""
        if kind in (PropertyType.FLAT, PropertyType.BEDSIT, PropertyType.MAISONETTE) and place.blocks:
            block = rng.choice(place.blocks)
            key = f"{place.town}:{block}"
            block_flats[key] = block_flats.get(key, 0) + 1
            line_1 = f"Flat {block_flats[key]}, {block}"
            line_2 = street.name
        else:
            line_1 = f"{street.next_number} {street.name}"
            street.next_number += rng.choice((1, 1, 2))
        low, high = _BEDROOMS[kind]
        homes.append(
            Property(
                reference=f"PRP{index + 1:06d}",
                address_line_1=line_1,
                address_line_2=line_2,
                town=place.town,
                postcode=_next_postcode(rng, street),
                uprn=_UPRN_BASE + index * 7 + 3 if rng.random() < 0.85 else None,
                estate=place.estate,
                property_type=kind,
                bedrooms=rng.randint(low, high),
                is_owned=rng.random() >= 0.04,
            )
        )
    _bulk_create(ctx, Property, homes, "Homes")
    ctx.properties = homes
    ctx.counts["properties"] = len(homes)


def _bulk_create(ctx: SeedContext, model: Any, objects: list[Any], phase: str) -> None:
    total = len(objects)
    ctx.report(phase, 0, total)
    for start in range(0, total, BATCH_SIZE):
        model.objects.bulk_create(objects[start : start + BATCH_SIZE])
        ctx.report(phase, min(start + BATCH_SIZE, total), total)


# ---------------------------------------------------------------------------------------------------------------
# Tenancies and people

_TENANCY_TYPES: list[tuple[str, float]] = [
    (TenancyType.SECURE, 0.50),
    (TenancyType.ASSURED, 0.28),
    (TenancyType.STARTER, 0.08),
    (TenancyType.FIXED_TERM, 0.05),
    (TenancyType.LEASEHOLD, 0.06),
    (TenancyType.LICENCE, 0.03),
]
_LANGUAGES: list[tuple[str, float]] = [
    ("English", 88.0),
    ("Polish", 2.0),
    ("Urdu", 1.5),
    ("Bengali", 1.0),
    ("Punjabi", 1.0),
    ("Somali", 0.8),
    ("Arabic", 0.8),
    ("Romanian", 0.8),
    ("Portuguese", 0.6),
    ("Gujarati", 0.5),
    ("Tigrinya", 0.4),
    ("Kurdish", 0.4),
    ("Turkish", 0.4),
    ("Tamil", 0.3),
    ("Lithuanian", 0.3),
    ("Farsi", 0.3),
    ("Welsh", 0.4),
]
_FORMATS: list[tuple[str, float]] = [
    (PreferredFormat.STANDARD, 93.0),
    (PreferredFormat.LARGE_PRINT, 3.0),
    (PreferredFormat.EASY_READ, 1.5),
    (PreferredFormat.EMAIL_ONLY, 1.0),
    (PreferredFormat.BSL, 0.7),
    (PreferredFormat.AUDIO, 0.5),
    (PreferredFormat.BRAILLE, 0.3),
]
_VULNERABILITY_NOTES = {
    VulnerabilityCategory.PHYSICAL_DISABILITY: "Uses a wheelchair; allow extra time to answer the door.",
    VulnerabilityCategory.LEARNING_DISABILITY: "Prefers information explained simply, one thing at a time.",
    VulnerabilityCategory.MENTAL_HEALTH: "Anxiety and depression; short, calm calls work best.",
    VulnerabilityCategory.NEURODIVERGENCE: "Autistic; give notice of visits and keep to the arranged time.",
    VulnerabilityCategory.SENSORY_IMPAIRMENT: "Hard of hearing; face them when speaking, or use text.",
    VulnerabilityCategory.LONG_TERM_ILLNESS: "COPD; may be unwell on the day, rearrange without fuss.",
    VulnerabilityCategory.OLDER_PERSON: "Lives alone; family visit at weekends.",
    VulnerabilityCategory.SUBSTANCE_MISUSE: "Working with a local recovery service.",
    VulnerabilityCategory.DOMESTIC_ABUSE: "Past domestic abuse; check it is safe to talk before discussing anything.",
    VulnerabilityCategory.CARE_LEAVER: "Care leaver; has a personal adviser from the council.",
    VulnerabilityCategory.LANGUAGE_BARRIER: "Limited English; use an interpreter for anything important.",
    VulnerabilityCategory.SOCIAL_ISOLATION: "Few visitors; may welcome a follow-up call.",
}
_ADULT_CATEGORIES = [c for c in VulnerabilityCategory.values if c not in (VulnerabilityCategory.OTHER,)]
_ADJUSTMENTS = [
    "Large-print letters.",
    "Visits in the morning only.",
    "Give extra time to reply to letters.",
    "Send a text message rather than calling.",
    "Meet in a ground-floor room with step-free access.",
    "Speak to their advocate as well, with their consent.",
    "Explain things face to face, then confirm in writing.",
    "Book an interpreter for every visit.",
]
# Safe-contact notes, and the ways they rule out (Person.contact_avoid).
_SAFE_CONTACT: list[tuple[str, list[str]]] = [
    ("Do not call before 6pm; partner checks phone.", []),
    ("Text only; do not leave voicemails. Never phone.", [ContactMethod.PHONE]),
    ("Email only; do not visit without arranging it first.", []),
    ("Call the mobile, never the landline.", []),
    (
        "Do not send letters to the home; they collect post from the neighbourhood office.",
        [ContactMethod.LETTER],
    ),
    ("Safe to call weekdays 10am to 2pm while the children are at school.", []),
    ("Ask for them by first name only and say you are calling from the GP surgery if someone else answers.", []),
]
_LANDLINE_PREFIXES = ["0113 496 0", "0114 496 0", "0115 496 0", "0116 496 0", "0117 496 0", "0118 496 0"]
_ADULT_TITLES = {"female": ["Ms", "Mrs", "Miss", "Ms", "Dr"], "male": ["Mr", "Mr", "Mr", "Dr"]}


@dataclass
class _PersonMaker:
    """Makes synthetic people from one random stream; keeps its own reference counter."""

    fake: Faker
    today: dt.date
    next_number: int = 1
    people: list[Person] = field(default_factory=list)

    @property
    def rng(self) -> random.Random:
        return self.fake.random

    def make(self, *, age: int, last_name: str | None = None, sex: str | None = None) -> Person:
        rng = self.rng
        sex = sex or rng.choice(("female", "male"))
        first = self.fake.first_name_female() if sex == "female" else self.fake.first_name_male()
        last = last_name or self.fake.last_name()
        born = self.today - dt.timedelta(days=age * 365 + rng.randint(0, 364))
        adult = age >= 18
        person = Person(
            reference=f"PER{self.next_number:07d}",
            first_name=first,
            last_name=last,
            title=rng.choice(_ADULT_TITLES[sex]) if adult and rng.random() < 0.8 else "",
            date_of_birth=born,
        )
        self.next_number += 1
        if adult:
            self._contact(person)
            self._needs(person, age)
        elif rng.random() < 0.05:
            category = rng.choice([VulnerabilityCategory.NEURODIVERGENCE, VulnerabilityCategory.LEARNING_DISABILITY])
            person.vulnerability_categories = [category]
            person.vulnerabilities = _VULNERABILITY_NOTES[category]
        self.people.append(person)
        return person

    def _contact(self, person: Person) -> None:
        rng = self.rng
        if rng.random() < 0.6:
            first, last = (re.sub(r"[^a-z]", "", name.lower()) for name in (person.first_name, person.last_name))
            domain = rng.choice(("com", "org", "net"))
            person.email = f"{first}.{last}{rng.randint(1, 99)}@example.{domain}"
        if rng.random() < 0.85:
            person.mobile = f"07700 900{rng.randint(0, 999):03d}"
        if rng.random() < 0.3:
            person.phone = f"{rng.choice(_LANDLINE_PREFIXES)}{rng.randint(0, 999):03d}"
        if rng.random() < 0.04:
            note, avoid = rng.choice(_SAFE_CONTACT)
            person.safe_contact_notes, person.contact_avoid = note, list(avoid)

    def _needs(self, person: Person, age: int) -> None:
        rng = self.rng
        categories: list[str] = []
        if age >= 75 and rng.random() < 0.5:
            categories.append(VulnerabilityCategory.OLDER_PERSON)
        if rng.random() < 0.12:
            for category in rng.sample(_ADULT_CATEGORIES, rng.choice((1, 1, 2))):
                if category not in categories:
                    categories.append(category)
        person.preferred_language = _weighted(rng, _LANGUAGES)
        if person.preferred_language not in ("English", "Welsh"):
            person.needs_interpreter = rng.random() < 0.4
            if person.needs_interpreter and VulnerabilityCategory.LANGUAGE_BARRIER not in categories:
                categories.append(VulnerabilityCategory.LANGUAGE_BARRIER)
        person.vulnerability_categories = categories
        person.vulnerabilities = " ".join(_VULNERABILITY_NOTES[VulnerabilityCategory(c)] for c in categories)
        if rng.random() < 0.08 or (categories and rng.random() < 0.3):
            person.reasonable_adjustments = rng.choice(_ADJUSTMENTS)
        person.preferred_format = (
            PreferredFormat.LARGE_PRINT if age >= 80 and rng.random() < 0.2 else _weighted(rng, _FORMATS)
        )


def _adult_age(rng: random.Random) -> int:
    return min(95, max(18, int(rng.triangular(18, 92, 42))))


_EARLIEST_START: dict[str, int] = {TenancyType.SECURE: 1975, TenancyType.ASSURED: 1989, TenancyType.LEASEHOLD: 1985}


def _start_date(rng: random.Random, kind: str, today: dt.date) -> dt.date:
    if kind == TenancyType.STARTER:
        return today - dt.timedelta(days=rng.randint(1, 364))
    if kind == TenancyType.LICENCE:
        return today - dt.timedelta(days=rng.randint(1, 730))
    if kind == TenancyType.FIXED_TERM:
        return today - dt.timedelta(days=rng.randint(30, 5 * 365 - 30))
    start = dt.date(_EARLIEST_START[kind], 1, 1)
    return start + dt.timedelta(days=rng.randint(0, (today - start).days - 365))


def seed_tenancies(ctx: SeedContext) -> None:
    """A current tenancy for almost every home, with lead and joint tenants, children and others; some past ones."""
    fake = ctx.faker("tenancies")
    rng = fake.random
    maker = _PersonMaker(fake=fake, today=ctx.today)
    tenancies: list[Tenancy] = []
    households: list[list[tuple[Person, str]]] = []
    number = 1
    total = len(ctx.properties)
    for done, home in enumerate(ctx.properties, start=1):
        if rng.random() < 0.03:  # empty (void) between lets
            continue
        kind = _weighted(rng, _TENANCY_TYPES)
        start = _start_date(rng, kind, ctx.today)
        end = start + dt.timedelta(days=5 * 365) if kind == TenancyType.FIXED_TERM else None
        if rng.random() < 0.2 and start.year > 1990:  # the previous tenants, who moved out
            past_start = start - dt.timedelta(days=rng.randint(400, 4000))
            tenancies.append(
                Tenancy(
                    reference=f"TEN{number:06d}",
                    property=home,
                    tenancy_type=rng.choice([TenancyType.SECURE, TenancyType.ASSURED]),
                    start_date=past_start,
                    end_date=start - dt.timedelta(days=rng.randint(1, 60)),
                )
            )
            households.append([(maker.make(age=_adult_age(rng)), TenancyRelationship.LEAD_TENANT)])
            number += 1
        tenancies.append(
            Tenancy(reference=f"TEN{number:06d}", property=home, tenancy_type=kind, start_date=start, end_date=end)
        )
        number += 1
        households.append(_household(maker, rng, home, kind))
        if done % 1000 == 0 or done == total:
            ctx.report("Households", done, total)
    _bulk_create(ctx, Person, maker.people, "People")
    _bulk_create(ctx, Tenancy, tenancies, "Tenancies")
    members = [
        TenancyMember(tenancy=tenancy, person=person, relationship=relationship)
        for tenancy, household in zip(tenancies, households, strict=True)
        for person, relationship in household
    ]
    _bulk_create(ctx, TenancyMember, members, "Tenancy members")
    ctx.people = maker.people
    ctx.tenancies = tenancies
    ctx.counts["people"] = len(maker.people)
    ctx.counts["tenancies"] = len(tenancies)
    ctx.counts["tenancy_members"] = len(members)
    ctx.counts["minors"] = sum(1 for p in maker.people if p.is_minor_on(ctx.today))


def _household(maker: _PersonMaker, rng: random.Random, home: Property, kind: str) -> list[tuple[Person, str]]:
    lead_age = _adult_age(rng)
    lead = maker.make(age=lead_age)
    household: list[tuple[Person, str]] = [(lead, TenancyRelationship.LEAD_TENANT)]
    if kind == TenancyType.LICENCE or home.property_type == PropertyType.BEDSIT:
        return household
    partner = None
    if rng.random() < 0.3:
        same_name = rng.random() < 0.7
        partner_age = min(95, max(18, lead_age + rng.randint(-6, 6)))
        partner = maker.make(age=partner_age, last_name=lead.last_name if same_name else None)
        household.append((partner, TenancyRelationship.JOINT_TENANT))
    elif rng.random() < 0.15:
        partner_age = min(95, max(18, lead_age + rng.randint(-6, 6)))
        household.append((maker.make(age=partner_age), TenancyRelationship.HOUSEHOLD_MEMBER))
    if lead_age < 55 and (home.bedrooms or 0) >= 1:
        children = rng.choices([0, 1, 2, 3, 4], weights=[40, 25, 20, 10, 5])[0]
        for _ in range(min(children, (home.bedrooms or 1) * 2)):
            oldest = min(lead_age - 16, 24)
            child_age = rng.randint(0, max(0, oldest))
            household.append(
                (maker.make(age=child_age, last_name=lead.last_name), TenancyRelationship.HOUSEHOLD_MEMBER)
            )
    elif lead_age >= 60 and rng.random() < 0.1:
        grown_up = maker.make(age=lead_age - rng.randint(20, 35), last_name=lead.last_name)
        household.append((grown_up, TenancyRelationship.HOUSEHOLD_MEMBER))
    return household


# ---------------------------------------------------------------------------------------------------------------
# The whole seed
