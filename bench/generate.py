"""A synthetic national shared service, generated fast: staff, estates, homes, register people and N cases with
parties, incidents, contacts, notes, actions, contact plans and links, spread over seven years.

Rows are made as plain tuples from one seeded random stream (names from Faker en_GB's lists, drawn once) and
written with PostgreSQL `COPY ... FROM STDIN` (psycopg 3) or SQLite `executemany`, in one transaction. On
PostgreSQL the secondary indexes of the tables being filled are dropped first and rebuilt after the load (one
sort per index instead of millions of random inserts), and foreign-key triggers are paused for the load when the
user may do so (superuser); `verify()` then checks every reference with one anti-join per foreign key.
Everything is made up; phone numbers are from Ofcom's drama ranges, emails on example domains.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import json
import math
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import Group
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models.fields.related import ForeignKey
from faker.providers.person.en_GB import Provider as PersonNames

from saferhomes.accounts.models import Team, User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import (
    ActionItem,
    ActionKind,
    Case,
    CaseLink,
    CaseType,
    Category,
    Contact,
    ContactMethod,
    ContactPlan,
    ContactPurpose,
    Direction,
    HateStrand,
    Incident,
    IncidentSource,
    LinkReason,
    Note,
    Outcome,
    Party,
    PartyRole,
    Priority,
    ReferenceCounter,
    Sensitivity,
    Stage,
    Status,
    SubType,
)
from saferhomes.cases.search import refresh_search_documents
from saferhomes.housing.models import Area, Estate, Person, PreferredFormat, Property, PropertyType

ProgressCallback = Callable[[str, int, int], None]
"""Called as progress(phase, done, total)."""

YEARS = 7
CASE_BATCH = 20_000
UNUSABLE_PASSWORD = "!bench"  # noqa: S105 - Django treats a password starting with "!" as unusable: nobody signs in as these.

# Who works for a service of N cases over seven years: an officer carries ~700 cases in that time (35-40 open at
# once); one home in two has had a case (repeat addresses are common); about 1.2 register people per such home.
CASES_PER_OFFICER = 700
HOMES_PER_CASE = 0.5
PEOPLE_PER_HOME = 1.2
HOMES_PER_ESTATE = 150


@dataclass(frozen=True)
class Scale:
    """How many of everything, derived from the number of cases."""

    cases: int
    homes: int
    people: int
    estates: int
    areas: int
    officers: int
    da_specialists: int
    coordinators: int
    managers: int

    @classmethod
    def for_cases(cls, cases: int) -> Scale:
        """The shape of a service with `cases` cases over seven years."""
        homes = max(50, round(cases * HOMES_PER_CASE))
        estates = max(2, round(homes * 0.9 / HOMES_PER_ESTATE))
        officers = max(4, round(cases * 0.89 / CASES_PER_OFFICER))
        return cls(
            cases=cases,
            homes=homes,
            people=max(20, round(homes * PEOPLE_PER_HOME)),
            estates=estates,
            areas=min(len(POSTCODE_AREAS), max(2, math.ceil(estates / 40))),
            officers=officers,
            da_specialists=max(2, round(cases * 0.11 / CASES_PER_OFFICER)),
            coordinators=max(1, round(officers / 15)),
            managers=max(1, round(officers / 10)),
        )


@dataclass
class GenerateResult:
    """What was generated, and how long it took."""

    counts: dict[str, int]
    seconds: float
    phases: dict[str, float] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------------------------
# Writing rows: one table at a time, COPY on PostgreSQL, executemany on SQLite.


class TableWriter:
    """Writes tuples for `columns` of a model's table; every other column gets its model default (once)."""

    def __init__(self, model: type[models.Model], columns: Sequence[str]) -> None:
        self.model = model
        self.table = model._meta.db_table
        self.columns = list(columns)
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        unknown = [c for c in self.columns if c not in by_attname]
        if unknown:
            raise ValueError(f"{self.table} has no columns {unknown}")
        self.extra_columns: list[str] = []
        extras: list[Any] = []
        for attname, fld in by_attname.items():
            if attname in self.columns or fld.primary_key:
                continue
            self.extra_columns.append(fld.column)
            extras.append(_default_for(fld))
        self.extras = tuple(extras)
        all_fields = [by_attname[c] for c in self.columns] + [
            f for f in model._meta.concrete_fields if f.column in self.extra_columns
        ]
        self.column_names = [f.column for f in all_fields]
        self.date_indexes = [
            i for i, f in enumerate(all_fields) if isinstance(f, models.DateField | models.DateTimeField)
        ]

    def write(self, rows: Iterable[tuple[Any, ...]]) -> int:
        """Insert the rows; returns how many."""
        extras = self.extras
        cols = ", ".join(connection.ops.quote_name(c) for c in self.column_names)
        count = 0
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                raw = cursor.cursor
                with raw.copy(f"COPY {connection.ops.quote_name(self.table)} ({cols}) FROM STDIN") as copy:
                    write_row = copy.write_row
                    for row in rows:
                        write_row(row + extras)
                        count += 1
            return count
        # SQLite: Django stores datetimes as naive UTC text ('YYYY-MM-DD HH:MM:SS'); dates as ISO text.
        date_indexes = self.date_indexes
        marks = ", ".join("?" * len(self.column_names))
        prepared: list[list[Any]] = []
        for row in rows:
            values = [*row, *extras]
            for i in date_indexes:
                value = values[i]
                if value is not None and not isinstance(value, str):
                    values[i] = str(value)
            prepared.append(values)
        connection.ensure_connection()
        connection.connection.executemany(
            f"INSERT INTO {connection.ops.quote_name(self.table)} ({cols}) VALUES ({marks})",  # noqa: S608
            prepared,
        )
        return len(prepared)


def _default_for(fld: models.Field[Any, Any]) -> Any:
    """The value a column gets when the generator does not set it: the model default, or now for auto times."""
    if isinstance(fld, models.DateField) and (fld.auto_now or fld.auto_now_add):
        value: Any = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
        return value if isinstance(fld, models.DateTimeField) else value.date()
    value = fld.get_default()
    if value is None and not fld.null:
        raise ValueError(
            f"The bench generator does not fill {fld.model._meta.db_table}.{fld.column} and it has no default: "
            "add it to the generator in bench/generate.py."
        )
    if isinstance(fld, models.JSONField):
        return json.dumps(value)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0)
    return value


# ---------------------------------------------------------------------------------------------------------------
# Vocabulary

POSTCODE_AREAS = (  # noqa: SIM905 - easier to read and extend as one string
    "LS BD HX WF HD YO HU DN S M OL BL WN PR BB LA CA NE SR DH TS DL HG L CH WA CW ST DE NG LE CV B WS WV DY TF SY "
    "HR WR GL BS BA SN OX RG SL HP LU MK NN PE CB IP NR CO CM SS RM IG E N SE SW W NW EN HA UB TW KT CR BR DA ME CT "
    "TN RH BN GU PO SO SP BH DT TA EX TQ PL TR CF NP SA LD LL EH G AB DD KY PA FK IV"
).split()
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
_TOWN_SUFFIXES = ["bury", "ford", "ham", "ton", "ley", "worth", "field", "bridge", "wick", "by", "stead", "thorpe"]
_ESTATE_SUFFIXES = ["Estate", "Park", "Gardens", "Court", "Green", "Fields", "Grange", "Heights", "Village", "Rise"]
_STREET_SUFFIXES = ["Road", "Street", "Close", "Avenue", "Way", "Lane", "Crescent", "Drive", "Grove", "Walk", "Place"]
_BLOCK_SUFFIXES = ["House", "Court", "Tower", "Lodge", "Point"]

_SUMMARIES: dict[str, list[str]] = {
    SubType.NOISE: [
        "Loud music from the flat above at night",
        "Shouting and banging next door",
        "Parties most weekends",
    ],
    SubType.VERBAL_ABUSE: ["Neighbour shouts abuse in the stairwell", "Group intimidating residents by the shops"],
    SubType.THREATS: ["Threats made to the reporter's family", "Neighbour threatened to damage the car"],
    SubType.VIOLENCE: ["Assault outside the block", "Fight in the communal garden"],
    SubType.DRUGS: ["Suspected drug dealing from the flat", "Cannabis smell and visitors at all hours"],
    SubType.ALCOHOL: ["Drinking and noise in the play area", "Street drinking by the entrance"],
    SubType.VANDALISM: ["Door entry system repeatedly broken", "Car tyres slashed in the car park"],
    SubType.GRAFFITI: ["Graffiti on the garages", "Offensive graffiti in the lift"],
    SubType.RUBBISH: ["Rubbish dumped in the bin store", "Fly-tipping behind the block"],
    SubType.PETS: ["Dog barking all day", "Dog fouling on the shared path"],
    SubType.VEHICLES: ["Van parked across the access road", "Motorbikes ridden on the green"],
    SubType.COMMUNAL: ["Young people gathering in the stairwell", "Bikes stored blocking the fire exit"],
    SubType.GARDEN: ["Overgrown garden attracting rats", "Bonfires in the back garden"],
    SubType.SEXUAL: ["Indecent exposure near the park"],
    SubType.DOMESTIC_ABUSE: ["Domestic abuse disclosed at a tenancy visit", "Controlling behaviour by ex-partner"],
    SubType.OTHER: ["Ongoing dispute between neighbours"],
}
_ASB_SUBTYPES: dict[str, list[str]] = {
    Category.PERSONAL: [SubType.VERBAL_ABUSE, SubType.THREATS, SubType.VIOLENCE, SubType.SEXUAL],
    Category.NUISANCE: [
        SubType.NOISE,
        SubType.DRUGS,
        SubType.ALCOHOL,
        SubType.PETS,
        SubType.VEHICLES,
        SubType.COMMUNAL,
    ],
    Category.ENVIRONMENTAL: [SubType.RUBBISH, SubType.GRAFFITI, SubType.VANDALISM, SubType.GARDEN],
}
_HATE_SUBTYPES = [SubType.VERBAL_ABUSE, SubType.THREATS, SubType.VIOLENCE, SubType.GRAFFITI, SubType.VANDALISM]
_OUTCOMES = [
    (Outcome.RESOLVED, 52),
    (Outcome.NO_FURTHER_ACTION, 20),
    (Outcome.REFERRED_ON, 8),
    (Outcome.LEGAL_ACTION_CONCLUDED, 4),
    (Outcome.REPORTER_WITHDREW, 8),
    (Outcome.UNABLE_TO_CONTACT, 7),
    (Outcome.MERGED, 1),
]
_INCIDENT_TEXT = [
    "Music and shouting from 11pm until 3am.",
    "Reporter was sworn at on the stairs.",
    "Two cars blocking the access road all evening.",
    "Bags of rubbish left in the bin store again.",
    "Group of youths kicking the entrance door.",
    "Dog left barking on the balcony all day.",
    "Smell of cannabis and people coming and going.",
    "Threatening note put through the reporter's door.",
]
_CONTACT_TEXT = [
    "Called the reporter: update given, diary sheets explained.",
    "Visited and spoke to the reporter about recent incidents.",
    "Left a voicemail asking them to call back.",
    "Emailed an update on the warning letter.",
    "Discussed the action plan and agreed next steps.",
]
_NOTE_TEXT = [
    "Checked housing management system: no previous complaints.",
    "Police reference received from PC on the estate team.",
    "Warning letter sent to the alleged perpetrator.",
    "Mediation offered; reporter considering it.",
]
_ACTION_TEXT = [
    "Send diary sheets to the reporter",
    "Visit the alleged perpetrator",
    "Request CCTV from the estate office",
    "Refer to mediation service",
    "Check noise app recordings",
    "Share information with the police under the protocol",
]
_ORGANISATIONS = ["West Yorkshire Police", "Adult social care", "Mental health team", "Victim Support", "GP surgery"]
_VULNERABILITIES = [
    "Anxiety and depression; short, calm calls work best.",
    "Hard of hearing; face them when speaking, or use text.",
    "Uses a wheelchair; allow extra time to answer the door.",
    "Autistic; give notice of visits and keep to the arranged time.",
]
_ADJUSTMENTS = ["Large-print letters.", "Send a text message rather than calling.", "Visits in the morning only."]
_SAFE_CONTACT = [
    "Do not call before 6pm; partner checks phone.",
    "Text only; do not leave voicemails.",
    "Do not send letters to the home.",
]
_METHODS = [ContactMethod.PHONE] * 6 + [ContactMethod.EMAIL] * 2 + [ContactMethod.VISIT] * 2 + [ContactMethod.LETTER]


def _cum(weights: Sequence[float]) -> list[float]:
    return list(itertools.accumulate(weights))


def _weighted_index(rng: random.Random, cumulative: list[float]) -> int:
    return bisect.bisect(cumulative, rng.random() * cumulative[-1])


# ---------------------------------------------------------------------------------------------------------------
# The generator


@dataclass
class _PartyContext:
    """The case a party is being made for."""

    rows: list[tuple[Any, ...]]
    case_id: int
    home: int
    received: dt.datetime
    da: bool


class Generator:
    """Builds the whole synthetic service into the current database (call `run`)."""

    def __init__(
        self, *, cases: int, seed: int = 1, today: dt.date | None = None, progress: ProgressCallback | None = None
    ) -> None:
        self.scale = Scale.for_cases(cases)
        self.rng = random.Random(f"bench:{seed}")
        self.seed = seed
        self.today = today or dt.datetime.now(dt.UTC).date()
        self.now = dt.datetime.combine(self.today, dt.time(18, 0))  # naive UTC, like every datetime here
        self.progress = progress
        self.counts: dict[str, int] = {}
        self.phases: dict[str, float] = {}
        last_names = list(PersonNames.last_names.keys())
        self.last_names = last_names
        self.last_cum = _cum(list(PersonNames.last_names.values()))
        self.first_names = [n for n in (*PersonNames.first_names_female, *PersonNames.first_names_male) if n.isascii()]

    # -- helpers

    def _report(self, phase: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(phase, done, total)

    def _next_id(self, model: type[models.Model]) -> int:
        return int(model._default_manager.aggregate(m=models.Max("pk"))["m"] or 0) + 1

    def _last_name(self) -> str:
        return self.last_names[_weighted_index(self.rng, self.last_cum)]

    def _write(self, model: type[models.Model], columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        TableWriter(model, columns).write(rows)
        key = model._meta.db_table
        self.counts[key] = self.counts.get(key, 0) + len(rows)

    # -- the run

    def run(self) -> GenerateResult:
        """Generate everything in one transaction (PostgreSQL: indexes rebuilt and statistics refreshed after)."""
        started = time.perf_counter()
        with transaction.atomic():
            fast = _pg_bulk_load_begin()
            dropped = _pg_drop_secondary_indexes(LOADED_MODELS) if connection.vendor == "postgresql" else []
            self._timed("staff", self._staff)
            self._timed("places", self._places)
            self._timed("homes", self._homes)
            self._timed("people", self._people)
            self._timed("cases", self._cases)
            self._timed("counters", self._counters)
            # Search documents by the application's own SQL (cases/search.py, the set-based form: parties and homes
            # grouped once), while the secondary indexes are still dropped so the rewrite does not maintain them.
            self._timed("search documents", refresh_search_documents)
            if connection.vendor == "postgresql":
                self._timed("indexes", lambda: _pg_recreate_indexes(dropped, self._report))
                if fast:
                    _pg_bulk_load_end()
                _reset_sequences()
        if connection.vendor == "postgresql":
            self._timed("analyze", _analyze)
        return GenerateResult(counts=dict(self.counts), seconds=time.perf_counter() - started, phases=self.phases)

    def _timed(self, name: str, step: Callable[[], None]) -> None:
        started = time.perf_counter()
        step()
        self.phases[name] = round(time.perf_counter() - started, 2)

    # -- staff

    def _staff(self) -> None:
        scale = self.scale
        rng = self.rng
        team_id = self._next_id(Team)
        user_id = self._next_id(User)
        officer_teams = max(1, math.ceil(scale.officers / 10))
        da_teams = max(1, math.ceil(scale.da_specialists / 10))
        teams: list[tuple[Any, ...]] = []
        self.officer_team_ids = [team_id + i for i in range(officer_teams)]
        self.da_team_ids = [team_id + officer_teams + i for i in range(da_teams)]
        self.cs_team_id = team_id + officer_teams + da_teams
        now = self.now
        for i, tid in enumerate(self.officer_team_ids):
            teams.append((tid, f"Bench neighbourhood team {i + 1:03d} ({self.seed})", now))
        for i, tid in enumerate(self.da_team_ids):
            teams.append((tid, f"Bench domestic abuse team {i + 1:02d} ({self.seed})", now))
        teams.append((self.cs_team_id, f"Bench community safety team ({self.seed})", now))
        self._write(Team, ["id", "name", "created_at"], teams)

        users: list[tuple[Any, ...]] = []
        self.officer_ids: list[int] = []
        self.officer_team: dict[int, int] = {}
        self.da_ids: list[int] = []
        self.coordinator_ids: list[int] = []
        self.manager_ids: list[int] = []
        role_members: dict[str, list[int]] = {}
        plan = [
            (Role.OFFICER, scale.officers, "Housing officer", self.officer_ids),
            (Role.DA_SPECIALIST, scale.da_specialists, "Domestic abuse specialist", self.da_ids),
            (Role.COORDINATOR, scale.coordinators, "Community safety coordinator", self.coordinator_ids),
            (Role.MANAGER, scale.managers, "Neighbourhood and communities manager", self.manager_ids),
        ]
        next_id = user_id
        for role, count, title, ids in plan:
            for i in range(count):
                first, last = rng.choice(self.first_names), self._last_name()
                if role == Role.OFFICER:
                    team = self.officer_team_ids[i % officer_teams]
                elif role == Role.DA_SPECIALIST:
                    team = self.da_team_ids[i % da_teams]
                else:
                    team = self.cs_team_id
                username = f"bench{self.seed}_{role}_{i + 1:04d}"
                users.append(
                    (
                        next_id,
                        UNUSABLE_PASSWORD,
                        username,
                        first,
                        last,
                        f"{username}@example.org",
                        False,
                        True,
                        False,
                        now,
                        role,
                        team,
                        title,
                    )
                )
                ids.append(next_id)
                role_members.setdefault(str(role), []).append(next_id)
                self.officer_team[next_id] = team
                next_id += 1
        columns = ["id", "password", "username", "first_name", "last_name", "email", "is_superuser", "is_active"]
        columns += ["is_staff", "date_joined", "role", "team_id", "job_title"]
        self._write(User, columns, users)
        groups = dict(Group.objects.filter(name__in=list(role_members)).values_list("name", "id"))
        memberships = [(uid, groups[role]) for role, uids in role_members.items() if role in groups for uid in uids]
        through = User.groups.through
        TableWriter(through, ["user_id", "group_id"]).write(memberships)
        self.counts["accounts_user_groups"] = len(memberships)

    # -- places and homes

    def _places(self) -> None:
        scale = self.scale
        rng = self.rng
        area_id = self._next_id(Area)
        estate_id = self._next_id(Estate)
        stems = [n for n in self.last_names if n.isalpha()]
        self.area_letters: list[str] = []
        self.area_towns: list[str] = []
        areas = []
        for i in range(scale.areas):
            letters = POSTCODE_AREAS[i % len(POSTCODE_AREAS)]
            town = rng.choice(stems) + rng.choice(_TOWN_SUFFIXES)
            self.area_letters.append(letters)
            self.area_towns.append(town)
            areas.append((area_id + i, f"{town} area ({letters})", f"B{self.seed % 100:02d}{letters}{i:03d}"))
        self._write(Area, ["id", "name", "code"], areas)
        self.area_ids = [a[0] for a in areas]

        estates = []
        # Each estate: its area, postcode district, streets (name, sector) and blocks of flats.
        self.estate_area: list[int] = []
        self.estate_outward: list[str] = []
        self.estate_streets: list[list[list[Any]]] = []
        self.estate_blocks: list[list[str]] = []
        district = [0] * scale.areas
        for i in range(scale.estates):
            area = i % scale.areas
            district[area] = district[area] % 99 + 1
            name = f"{rng.choice(stems)} {rng.choice(_ESTATE_SUFFIXES)}"
            estates.append((estate_id + i, name, f"B{self.seed % 100:02d}E{i + 1:06d}", self.area_ids[area]))
            self.estate_area.append(area)
            self.estate_outward.append(f"{self.area_letters[area]}{district[area]}")
            sectors = rng.sample(range(10), rng.randint(2, 6))
            # street: [name, sector, next number, unit, homes in unit]
            self.estate_streets.append(
                [[f"{rng.choice(stems)} {rng.choice(_STREET_SUFFIXES)}", s, 1, "", 0] for s in sectors]
            )
            self.estate_blocks.append([f"{rng.choice(stems)} {rng.choice(_BLOCK_SUFFIXES)}" for _ in range(3)])
        self._write(Estate, ["id", "name", "code", "area_id"], estates)
        self.estate_ids = [e[0] for e in estates]

    def _homes(self) -> None:
        scale = self.scale
        rng = self.rng
        first_id = self._next_id(Property)
        on_estates = round(scale.homes * 0.9)
        kinds = [PropertyType.FLAT, PropertyType.HOUSE, PropertyType.MAISONETTE, PropertyType.BUNGALOW]
        kind_cum = _cum([45, 37, 9, 9])
        rows: list[tuple[Any, ...]] = []
        self.home_estate: list[int] = []  # estate index, or -1
        self.home_label: list[str] = []
        block_flats: dict[str, int] = {}
        uprn_base = 100_000_000_000 + (self.seed % 1000) * 100_000_000
        now = self.now
        total = scale.homes
        columns = ["id", "reference", "address_line_1", "address_line_2", "town", "postcode", "uprn"]
        columns += ["estate_id", "property_type", "bedrooms", "is_owned", "created_at", "updated_at"]
        for index in range(total):
            if index < on_estates:
                estate = index * scale.estates // on_estates
                outward = self.estate_outward[estate]
                town = self.area_towns[self.estate_area[estate]]
                streets = self.estate_streets[estate]
                estate_pk: int | None = self.estate_ids[estate]
            else:  # street properties, off any estate: use a neighbouring estate's streets, with no estate
                estate = -1
                near = index % scale.estates
                outward = self.estate_outward[near]
                town = self.area_towns[self.estate_area[near]]
                streets = self.estate_streets[near]
                estate_pk = None
            kind = kinds[_weighted_index(rng, kind_cum)]
            street = streets[rng.randrange(len(streets))]
            line_2 = ""
            if kind in (PropertyType.FLAT, PropertyType.MAISONETTE) and estate >= 0:
                block = self.estate_blocks[estate][rng.randrange(3)]
                key = f"{estate}:{block}"
                block_flats[key] = block_flats.get(key, 0) + 1
                line_1 = f"Flat {block_flats[key]}, {block}"
                line_2 = street[0]
            else:
                line_1 = f"{street[2]} {street[0]}"
                street[2] += 1 if rng.random() < 0.7 else 2
            if not street[3] or street[4] >= 12:
                street[3] = rng.choice(_INWARD_LETTERS) + rng.choice(_INWARD_LETTERS)
                street[4] = 0
            street[4] += 1
            postcode = f"{outward} {street[1]}{street[3]}"
            rows.append(
                (
                    first_id + index,
                    f"BPR{self.seed % 100:02d}{index + 1:07d}",
                    line_1,
                    line_2,
                    town,
                    postcode,
                    uprn_base + index if rng.random() < 0.85 else None,
                    estate_pk,
                    kind,
                    rng.randint(1, 4),
                    rng.random() >= 0.04,
                    now,
                    now,
                )
            )
            self.home_estate.append(estate)
            self.home_label.append(f"{line_1}, {postcode}")
            if len(rows) >= 50_000:
                self._write(Property, columns, rows)
                rows = []
                self._report("Homes", index + 1, total)
        self._write(Property, columns, rows)
        self._report("Homes", total, total)
        self.home_ids_first = first_id
        # Repeat addresses: a twentieth of homes ("hotspots") get a third of the cases.
        self.hotspots = rng.sample(range(total), max(1, total // 20))

    def _people(self) -> None:
        scale = self.scale
        rng = self.rng
        first_id = self._next_id(Person)
        total = scale.people
        rows: list[tuple[Any, ...]] = []
        self.person_first: list[str] = []
        self.person_last: list[str] = []
        today = self.today
        now = self.now
        empty = json.dumps([])
        columns = ["id", "reference", "title", "first_name", "last_name", "date_of_birth", "email", "mobile"]
        columns += ["vulnerabilities", "vulnerability_categories", "reasonable_adjustments", "preferred_language"]
        columns += ["preferred_format", "created_at", "updated_at"]
        for index in range(total):
            first, last = rng.choice(self.first_names), self._last_name()
            vulnerable = rng.random() < 0.1
            rows.append(
                (
                    first_id + index,
                    f"BPE{self.seed % 100:02d}{index + 1:08d}",
                    "",
                    first,
                    last,
                    today - dt.timedelta(days=rng.randint(18 * 365, 90 * 365)) if rng.random() < 0.9 else None,
                    f"{first.lower()}.{last.lower().replace(' ', '')}{index % 97}@example.com"
                    if rng.random() < 0.5
                    else "",
                    f"07700 900{rng.randint(0, 999):03d}" if rng.random() < 0.8 else "",
                    rng.choice(_VULNERABILITIES) if vulnerable else "",
                    '["mental_health"]' if vulnerable else empty,
                    rng.choice(_ADJUSTMENTS) if rng.random() < 0.05 else "",
                    "English",
                    PreferredFormat.STANDARD,
                    now,
                    now,
                )
            )
            self.person_first.append(first)
            self.person_last.append(last)
            if len(rows) >= 50_000:
                self._write(Person, columns, rows)
                rows = []
                self._report("Register people", index + 1, total)
        self._write(Person, columns, rows)
        self._report("Register people", total, total)
        self.person_ids_first = first_id

    # -- cases

    def _received_times(self) -> list[dt.datetime]:
        """When each case arrived, oldest first: seven years, busier lately (the service grew)."""
        rng = self.rng
        span = YEARS * 365 * 86400
        start = self.now - dt.timedelta(seconds=span)
        seconds = sorted(span * rng.random() ** 0.75 for _ in range(self.scale.cases))
        times = []
        for s in seconds:
            moment = start + dt.timedelta(seconds=int(s))
            if moment.hour < 7:  # reports arrive in the day and evening
                moment += dt.timedelta(hours=8)
            times.append(min(moment, self.now - dt.timedelta(minutes=5)))
        times.sort()
        return times

    def _cases(self) -> None:
        """One pass, oldest first: each case with its parties, incidents, contacts, notes, actions, plan, links."""
        scale = self.scale
        rng = self.rng
        rnd = rng.random
        now = self.now
        received_all = self._received_times()
        case_first = self._next_id(Case)
        party_next = self._next_id(Party)
        self.reference_last: dict[tuple[str, int], int] = {}
        counters = self.reference_last
        officers = self.officer_ids
        da_ids = self.da_ids
        managers = self.manager_ids
        coordinators = self.coordinator_ids
        officer_team = self.officer_team
        homes_total = scale.homes
        hotspots = self.hotspots
        home_first = self.home_ids_first
        outcome_cum = _cum([w for _, w in _OUTCOMES])
        asb_categories = list(_ASB_SUBTYPES)
        empty = "[]"
        prefix = {CaseType.ASB: "ASB", CaseType.HATE: "HATE", CaseType.DA: "DA"}
        hate_strands = [s.value for s in HateStrand if s != HateStrand.OTHER]
        case_cols = [
            "id", "reference", "case_type", "category", "sub_types", "hate_strands", "summary", "description",
            "status", "stage", "priority", "sensitivity", "urgent", "criminal", "assigned_officer_id", "team_id",
            "estate_id", "location_text", "received_at", "response_due_at", "responded_at", "triaged_at",
            "closed_at", "outcome", "outcome_summary", "closure_approved_by_id", "closure_approved_at",
            "closure_requested_by_id", "closure_requested_at", "outcome_not_discussed_reason", "created_by_id",
            "created_at", "updated_at", "version",
        ]  # fmt: skip
        party_cols = [
            "id", "case_id", "role", "person_id", "first_name", "last_name", "date_of_birth", "phone", "address",
            "organisation", "anonymous", "safe_contact_notes", "vulnerabilities", "reasonable_adjustments",
            "created_at",
        ]  # fmt: skip
        incident_cols = ["case_id", "occurred_at", "property_id", "location_text", "description", "source"]
        incident_cols += ["created_by_id", "created_at"]
        contact_cols = ["case_id", "party_id", "method", "direction", "purpose", "successful", "occurred_at"]
        contact_cols += ["summary", "created_by_id", "created_at"]
        note_cols = ["case_id", "text", "created_by_id", "created_at"]
        action_cols = ["case_id", "kind", "description", "owner_id", "due_date", "done_at", "done_by_id"]
        action_cols += ["created_by_id", "created_at"]
        plan_cols = ["case_id", "party_id", "frequency_days", "method", "agreed_at", "next_due_at", "updated_at"]
        link_cols = ["from_case_id", "to_case_id", "reason", "created_by_id", "created_at"]
        home_through = Case.properties.through
        restricted_through = Case.restricted_to.through

        total = scale.cases
        hour = dt.timedelta(hours=1)
        day = dt.timedelta(days=1)
        for batch_start in range(0, total, CASE_BATCH):
            cases: list[tuple[Any, ...]] = []
            parties: list[tuple[Any, ...]] = []
            incidents: list[tuple[Any, ...]] = []
            contacts: list[tuple[Any, ...]] = []
            notes: list[tuple[Any, ...]] = []
            actions: list[tuple[Any, ...]] = []
            plans: list[tuple[Any, ...]] = []
            links: list[tuple[Any, ...]] = []
            case_homes: list[tuple[int, int]] = []
            restricted: list[tuple[int, int]] = []
            for index in range(batch_start, min(total, batch_start + CASE_BATCH)):
                case_id = case_first + index
                received = received_all[index]
                age_days = (now - received).total_seconds() / 86400
                # What and where
                roll = rnd()
                case_type = CaseType.ASB if roll < 0.84 else CaseType.HATE if roll < 0.89 else CaseType.DA
                home = -1
                if rnd() < 0.85:
                    home = hotspots[rng.randrange(len(hotspots))] if rnd() < 0.33 else rng.randrange(homes_total)
                estate = self.home_estate[home] if home >= 0 else -1
                if case_type == CaseType.ASB:
                    category = asb_categories[_weighted_index(rng, [35, 85, 100])]
                    sub = rng.choice(_ASB_SUBTYPES[category])
                    strands = empty
                elif case_type == CaseType.HATE:
                    category = Category.PERSONAL
                    sub = rng.choice(_HATE_SUBTYPES)
                    strands = json.dumps(rng.sample(hate_strands, 1 if rnd() < 0.85 else 2))
                else:
                    category = ""
                    sub = SubType.DOMESTIC_ABUSE
                    strands = empty
                sub_types = json.dumps([str(sub)])
                summary = rng.choice(_SUMMARIES[sub])
                if case_type == CaseType.DA:
                    sensitivity = Sensitivity.DA
                    officer = da_ids[rng.randrange(len(da_ids))]
                else:
                    sensitivity = Sensitivity.RESTRICTED if rnd() < 0.01 else Sensitivity.NORMAL
                    patch = estate if estate >= 0 else (home if home >= 0 else index)
                    officer = officers[(patch * 7919) % len(officers)]
                priority = (
                    Priority.HIGH
                    if rnd() < (0.35 if case_type != CaseType.ASB else 0.08)
                    else (Priority.LOW if rnd() < 0.15 else Priority.NORMAL)
                )
                urgent = priority == Priority.HIGH and rnd() < 0.6
                criminal = rnd() < (0.4 if case_type == CaseType.HATE else 0.3 if case_type == CaseType.DA else 0.12)
                # Where it is in its life
                closed = rnd() < (0.985 if age_days > 365 else 1 - math.exp(-age_days / 75))
                due = received + (day if urgent else 5 * day + 2 * day * (received.weekday() >= 3))
                triaged_at: dt.datetime | None = received + hour * (2 + 20 * rnd())
                if not closed and age_days < 1 and rnd() < 0.7:
                    status, triaged_at = Status.NEW, None
                elif closed:
                    status = Status.CLOSED
                elif age_days < 5:
                    status = Status.TRIAGED if rnd() < 0.5 else Status.OPEN
                else:
                    r = rnd()
                    status = Status.OPEN if r < 0.8 else Status.CLOSING if r < 0.92 else Status.REOPENED
                if triaged_at is not None and triaged_at > now:
                    triaged_at = now
                responded = None
                if status != Status.NEW:
                    responded = received + hour * (1 + (150 if rnd() < 0.1 else 100) * rnd())
                    if responded > now:
                        responded = now
                if status == Status.NEW and rnd() < 0.5:
                    assigned: int | None = None
                else:
                    assigned = officer
                closed_at = outcome = outcome_summary = approved_by = approved_at = requested_by = None
                requested_at = None
                not_discussed = ""
                if closed:
                    span = min(age_days - 0.1, rng.lognormvariate(math.log(55), 0.8))
                    closed_at = received + day * max(0.2, span)
                    if responded is not None and closed_at < responded:
                        closed_at = responded
                    outcome = _OUTCOMES[_weighted_index(rng, outcome_cum)][0]
                    outcome_summary = "Outcome agreed with the reporter."
                    requested_by = assigned
                    requested_at = closed_at - hour * 30 * rnd()
                    if priority == Priority.HIGH or case_type == CaseType.DA:
                        approved_by = managers[rng.randrange(len(managers))]
                        approved_at = closed_at
                    if outcome == Outcome.UNABLE_TO_CONTACT:
                        not_discussed = "Three attempts by phone and letter; no reply."
                elif status == Status.CLOSING:
                    requested_by, requested_at = assigned, now - day * 2 * rnd()
                last_activity = closed_at or (responded or received)
                team = officer_team.get(assigned) if assigned is not None else None
                year = received.year
                key = (prefix[case_type], year)
                counters[key] = number = counters.get(key, 0) + 1
                cases.append(
                    (
                        case_id,
                        f"{key[0]}-{year}-{number:06d}",
                        case_type,
                        category,
                        sub_types,
                        strands,
                        summary,
                        "",
                        status,
                        (Stage.INVESTIGATING if rnd() < 0.7 else Stage.ACTION) if status == Status.OPEN else "",
                        priority,
                        sensitivity,
                        urgent,
                        criminal,
                        assigned,
                        team,
                        self.estate_ids[estate] if estate >= 0 else None,
                        "" if home >= 0 else "Park and footpath behind the shops",
                        received,
                        due,
                        responded,
                        triaged_at,
                        closed_at,
                        outcome or "",
                        outcome_summary or "",
                        approved_by,
                        approved_at,
                        requested_by,
                        requested_at,
                        not_discussed,
                        coordinators[index % len(coordinators)] if rnd() < 0.3 else officer,
                        received,
                        last_activity,
                        1 + int(rnd() * 12),
                    )
                )
                if home >= 0:
                    case_homes.append((case_id, home_first + home))
                if sensitivity == Sensitivity.RESTRICTED:
                    restricted.append((case_id, officer))
                # Parties
                reporter_id = None
                reporter_named = False

                da = case_type == CaseType.DA
                on_case = _PartyContext(rows=parties, case_id=case_id, home=home, received=received, da=da)
                if rnd() < 0.93:
                    anonymous = rnd() < 0.08
                    reporter_id = party_next
                    party_next = self._party(on_case, party_next, PartyRole.REPORTER, 0.5, anonymous=anonymous)
                    reporter_named = not anonymous
                if rnd() < (1.0 if da else 0.7 if case_type == CaseType.HATE else 0.15):
                    party_next = self._party(on_case, party_next, PartyRole.VICTIM, 0.5)
                if rnd() < (0.95 if da else 0.5 if case_type == CaseType.HATE else 0.75):
                    party_next = self._party(on_case, party_next, PartyRole.ALLEGED_PERPETRATOR, 0.4)
                if rnd() < 0.2:
                    for _ in range(1 + (rnd() < 0.3)):
                        party_next = self._party(on_case, party_next, PartyRole.WITNESS, 0.3)
                if rnd() < 0.05:
                    party_next = self._party(on_case, party_next, PartyRole.HOUSEHOLD_MEMBER, 0.6)
                if rnd() < 0.1:
                    org = rng.choice(_ORGANISATIONS)
                    party_next = self._party(on_case, party_next, PartyRole.PROFESSIONAL, 0.0, org=org)
                # Incidents, contacts, notes, actions
                until = closed_at or now
                window = max(60.0, (until - received).total_seconds())
                worker = assigned or officer
                for _ in range((0, 1, 1, 1, 2, 2, 3, 4, 6)[rng.randrange(9)]):
                    occurred = received + dt.timedelta(seconds=int(window * rnd() * 0.8 - 86400 * 3 * rnd()))
                    incidents.append(
                        (
                            case_id,
                            occurred,
                            home_first + home if home >= 0 else None,
                            "",
                            rng.choice(_INCIDENT_TEXT),
                            IncidentSource.REPORTER_DIARY if rnd() < 0.4 else IncidentSource.REPORT,
                            worker,
                            min(now, occurred + day),
                        )
                    )
                if responded is not None:
                    first_purpose = (
                        ContactPurpose.FIRST_RESPONSE if reporter_named else ContactPurpose.INITIAL_ASSESSMENT
                    )
                    contacts.append(
                        (case_id, reporter_id, ContactMethod.PHONE, Direction.OUTBOUND, first_purpose, True,
                         responded, "First response: listened, explained what happens next.", worker, responded)
                    )  # fmt: skip
                    for _ in range((0, 1, 1, 2, 2, 3, 4)[rng.randrange(7)]):
                        at = responded + dt.timedelta(seconds=int(window * rnd()))
                        at = min(at, until)
                        ok = rnd() < 0.8
                        contacts.append(
                            (case_id, reporter_id, _METHODS[rng.randrange(len(_METHODS))], Direction.OUTBOUND,
                             ContactPurpose.CONTACT_PLAN if rnd() < 0.4 else ContactPurpose.GENERAL, ok, at,
                             rng.choice(_CONTACT_TEXT), worker, at)
                        )  # fmt: skip
                if closed_at is not None:
                    discussed = not not_discussed and reporter_named
                    contacts.append(
                        (case_id, reporter_id, ContactMethod.PHONE, Direction.OUTBOUND,
                         ContactPurpose.OUTCOME_DISCUSSION, discussed, closed_at - hour,
                         "Outcome discussed with the reporter." if discussed else "Tried to discuss the outcome.",
                         worker, closed_at - hour)
                    )  # fmt: skip
                for _ in range((0, 0, 0, 1, 1, 2)[rng.randrange(6)]):
                    at = received + dt.timedelta(seconds=int(window * rnd()))
                    notes.append((case_id, rng.choice(_NOTE_TEXT), worker, at))
                for _ in range((0, 0, 0, 0, 1, 1, 2, 3)[rng.randrange(8)]):
                    created = received + dt.timedelta(seconds=int(window * 0.5 * rnd()))
                    due_date = (created + day * (7 + int(rnd() * 21))).date()
                    done = closed_at is not None or rnd() < 0.5
                    done_at = min(until, created + day * (1 + 20 * rnd())) if done else None
                    actions.append(
                        (case_id, ActionKind.ACTION_PLAN if rnd() < 0.5 else ActionKind.TASK,
                         rng.choice(_ACTION_TEXT), worker, due_date, done_at, worker if done else None, worker,
                         created)
                    )  # fmt: skip
                if reporter_named and triaged_at is not None and rnd() < 0.6:
                    frequency = (7, 14, 14, 28)[rng.randrange(4)]
                    next_due = (closed_at or now) + day * frequency * rnd()
                    plans.append(
                        (case_id, reporter_id, frequency, ContactMethod.PHONE, triaged_at, next_due, last_activity)
                    )
                if index > 10 and rnd() < 0.02:
                    other = case_id - 1 - rng.randrange(min(index, 500))
                    links.append(
                        (case_id, other, LinkReason.SAME_LOCATION if rnd() < 0.6 else LinkReason.SAME_PERPETRATOR,
                         worker, received)
                    )  # fmt: skip
            self._write(Case, case_cols, cases)
            self._write(Party, party_cols, parties)
            self._write(home_through, ["case_id", "property_id"], case_homes)
            self._write(restricted_through, ["case_id", "user_id"], restricted)
            self._write(Incident, incident_cols, incidents)
            self._write(Contact, contact_cols, contacts)
            self._write(Note, note_cols, notes)
            self._write(ActionItem, action_cols, actions)
            self._write(ContactPlan, plan_cols, plans)
            self._write(CaseLink, link_cols, links)
            self._report("Cases", min(total, batch_start + CASE_BATCH), total)

    def _party(
        self, on: _PartyContext, pid: int, role: str, linked: float, *, anonymous: bool = False, org: str = ""
    ) -> int:
        """Append one party row (register person with probability `linked`, else ad hoc); returns the next id."""
        rng = self.rng
        rnd = rng.random
        person_id = None
        first = last = address = ""
        born = None
        if not anonymous and rnd() < linked:
            person_id = self.person_ids_first + rng.randrange(self.scale.people)
        elif not anonymous:
            first, last = rng.choice(self.first_names), self._last_name()
            if rnd() < 0.6:
                near = on.home if on.home >= 0 else rng.randrange(self.scale.homes)
                address = self.home_label[near]
            if rnd() < 0.35:
                youngest = 14 if role == PartyRole.ALLEGED_PERPETRATOR else 18
                age = youngest + int(rnd() * 70)
                born = on.received.date() - dt.timedelta(days=age * 365 + rng.randrange(365))
        victim = role in (PartyRole.REPORTER, PartyRole.VICTIM)
        on.rows.append(
            (
                pid,
                on.case_id,
                role,
                person_id,
                first,
                last,
                born,
                f"07700 900{rng.randrange(1000):03d}" if first and rnd() < 0.5 else "",
                address,
                org,
                anonymous,
                rng.choice(_SAFE_CONTACT) if victim and on.da else "",
                rng.choice(_VULNERABILITIES) if victim and rnd() < 0.1 else "",
                rng.choice(_ADJUSTMENTS) if victim and rnd() < 0.05 else "",
                on.received,
            )
        )
        return pid + 1

    def _counters(self) -> None:
        """Keep the reference counters in step, so cases created later continue the numbering without a gap."""
        for (prefix, year), last in self.reference_last.items():
            ReferenceCounter.objects.update_or_create(prefix=prefix, year=year, defaults={"last_number": last})


# Tables the generator fills (their secondary indexes are rebuilt after a PostgreSQL load).
LOADED_MODELS: list[type[models.Model]] = [
    Property,
    Person,
    Case,
    Case.properties.through,
    Case.restricted_to.through,
    Party,
    Incident,
    Contact,
    Note,
    ActionItem,
    ContactPlan,
    CaseLink,
]


# ---------------------------------------------------------------------------------------------------------------
# PostgreSQL bulk-load helpers


def _pg_bulk_load_begin() -> bool:
    """Pause foreign-key triggers for this transaction when we may (superuser); returns whether they are paused."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
        # Checks queued earlier in this transaction (e.g. a test's own rows) would block DROP INDEX: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute("SET LOCAL synchronous_commit = off")
        if row and row[0]:
            cursor.execute("SET LOCAL session_replication_role = replica")
            return True
    return False


def _pg_bulk_load_end() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")


def _pg_drop_secondary_indexes(models_: list[type[models.Model]]) -> list[tuple[str, str]]:
    """Drop indexes that back no constraint on the tables to be loaded; returns (name, definition) to rebuild."""
    tables = [m._meta.db_table for m in models_]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.relname, pg_get_indexdef(i.oid)
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_class t ON t.oid = x.indrelid
            WHERE t.relname = ANY(%s) AND NOT x.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
            ORDER BY t.relname, i.relname
            """,
            [tables],
        )
        indexes = [(name, definition) for name, definition in cursor.fetchall()]
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    return indexes


def _pg_recreate_indexes(indexes: list[tuple[str, str]], report: ProgressCallback) -> None:
    with connection.cursor() as cursor:
        for done, (_, definition) in enumerate(indexes, start=1):
            cursor.execute(definition)
            report("Indexes", done, len(indexes))


def _reset_sequences() -> None:
    sql = connection.ops.sequence_reset_sql(no_style(), [Team, User, Area, Estate, Property, Person, Case, Party])
    with connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(statement)


def _analyze() -> None:
    with connection.cursor() as cursor:
        tables: list[type[models.Model]] = [User, Team, Area, Estate, *LOADED_MODELS]
        for model in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


# ---------------------------------------------------------------------------------------------------------------
# Consistency


def verify() -> dict[str, int]:
    """Count rows whose foreign keys point nowhere, per table.column (all zero when the data is consistent)."""
    problems: dict[str, int] = {}
    with connection.cursor() as cursor:
        for model in LOADED_MODELS:
            for fld in model._meta.concrete_fields:
                if not isinstance(fld, ForeignKey):
                    continue
                child, column = model._meta.db_table, fld.column
                parent = fld.related_model._meta.db_table  # type: ignore[union-attr]
                parent_pk = fld.target_field.column
                q = connection.ops.quote_name
                cursor.execute(
                    f"SELECT COUNT(*) FROM {q(child)} c WHERE c.{q(column)} IS NOT NULL AND NOT EXISTS "  # noqa: S608
                    f"(SELECT 1 FROM {q(parent)} p WHERE p.{q(parent_pk)} = c.{q(column)})"
                )
                problems[f"{child}.{column}"] = cursor.fetchone()[0]
    return problems


def generate(
    *, cases: int, seed: int = 1, today: dt.date | None = None, progress: ProgressCallback | None = None
) -> GenerateResult:
    """Generate a synthetic service of `cases` cases into the current (empty or bench) database."""
    if cases < 1:
        raise ValueError("Generate at least one case.")
    return Generator(cases=cases, seed=seed, today=today, progress=progress).run()
