"""Demo cases for the synthetic landlord: a few hundred cases in every state, so every screen has something true.

`seed_cases` is a step of `saferhomes seed` (registered from `CasesConfig.ready`, because housing sits below cases
in the import layers). About 15 cases per 100 homes: anti-social behaviour of every kind, hate incidents with
their strands, domestic abuse (DA-sensitive, with the domestic abuse specialist), a few restricted cases; new,
triaged, open, closing, closed and reopened, each with data that matches its state: parties from the register
(reporters, victims, alleged perpetrators, witnesses, some of them children), incidents, first responses (some
late), contact plans (some contacts missed), actions (some overdue), outcome discussions, closures and survey
answers. Everything is drawn from the step's own random stream and `ctx.today`, so a seed always gives the same
cases. Rows are bulk-inserted; case numbers are allocated in order of receipt and the reference counters set to
match, so cases created afterwards carry on from them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group

from saferhomes.accounts.models import Team, User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import (
    REFERENCE_PREFIX,
    SURVEY_VALID_FOR,
    ActionItem,
    ActionKind,
    Case,
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
    SurveyDelivery,
    SurveyInvitation,
)
from saferhomes.cases.references import format_reference, reference_year
from saferhomes.cases.search import refresh_search_documents
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.calendar import is_working_day, response_deadline
from saferhomes.core.calendar_config import calendar_current
from saferhomes.housing.demo_data import SEED_STEPS, SeedContext, SeedStep
from saferhomes.housing.models import Person, Property, TenancyMember

LONDON = ZoneInfo("Europe/London")
OFFICE_OPENS, OFFICE_CLOSES = dt.time(9, 0), dt.time(17, 0)  # when demo staff phone, visit and write
CASES_PER_HOME = 0.15
T = TypeVar("T")


def _weighted(rng: random.Random, options: Sequence[tuple[T, float]]) -> T:
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


def _staffing(ctx: SeedContext) -> Staffing | None:
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
# What happens: stories per kind of case, in an officer's words.


@dataclass(frozen=True)
class Story:
    sub_types: tuple[str, ...]
    category: str
    summary: str
    incidents: tuple[str, ...]
    actions: tuple[str, ...]
    criminal: bool = False
    urgent: bool = False
    place: str = "home"  # home: at a neighbour's home; outside: a communal or public place


ASB_STORIES: list[tuple[Story, float]] = [
    (
        Story(
            (SubType.NOISE,),
            Category.NUISANCE,
            "Loud music late at night from {where}",
            (
                "Loud music and shouting from {where} from about 11pm until 3am. Could not sleep.",
                "Bass music through the ceiling from {where} between 10pm and 1am, then banging on the walls.",
                "A party at {where} with around 15 people; noise in the stairwell until 4am.",
                "Music from {where} all afternoon; asked them to turn it down and was sworn at.",
            ),
            (
                "Send diary sheets to the reporter",
                "Write to the occupant of {where} about the noise",
                "Install noise recording equipment at the reporter's home",
                "Refer to the council's environmental health noise team",
            ),
        ),
        24,
    ),
    (
        Story(
            (SubType.VERBAL_ABUSE,),
            Category.PERSONAL,
            "Verbal abuse and intimidation from a neighbour at {where}",
            (
                "The neighbour from {where} shouted abuse on the stairs and blocked the way.",
                "Called names across the landing in front of the children by the occupant of {where}.",
                "Followed to the bus stop by the neighbour from {where}, who made comments all the way.",
            ),
            ("Interview the alleged perpetrator at {where}", "Offer mediation to both households"),
        ),
        12,
    ),
    (
        Story(
            (SubType.THREATS,),
            Category.PERSONAL,
            "Threats of violence from the occupant of {where}",
            (
                "Threatened to 'smash the door in' by the occupant of {where}; police called, log number given.",
                "Threatening note pushed through the letterbox, believed to be from {where}.",
            ),
            ("Share information with the police neighbourhood team", "Visit the reporter to review their safety"),
            criminal=True,
            urgent=True,
        ),
        6,
    ),
    (
        Story(
            (SubType.VIOLENCE,),
            Category.PERSONAL,
            "Assault outside the block by a resident of {where}",
            (
                "Punched in the car park by the resident of {where} after an argument about parking; police attended.",
                "Pushed down the stairs by the resident of {where}; went to A&E with a sprained wrist.",
            ),
            ("Share information with the police neighbourhood team", "Consider a civil injunction"),
            criminal=True,
            urgent=True,
        ),
        3,
    ),
    (
        Story(
            (SubType.DRUGS,),
            Category.NUISANCE,
            "Suspected drug dealing from {where}",
            (
                "Frequent visitors to {where}, each staying a few minutes; strong smell of cannabis in the corridor.",
                "Needles found by the bin store near {where}.",
                "Cars pulling up outside {where} late at night; people going in and out for a few minutes each.",
            ),
            ("Share intelligence with the police", "Arrange for the needles to be removed safely"),
            criminal=True,
        ),
        9,
    ),
    (
        Story(
            (SubType.ALCOHOL, SubType.COMMUNAL),
            Category.NUISANCE,
            "Street drinking and shouting by the communal entrance",
            (
                "A group drinking by the entrance to {where} all afternoon; bottles left on the steps.",
                "Shouting and swearing by the drinkers at the entrance to {where} until after midnight.",
            ),
            ("Ask the police to patrol in the evenings", "Remove the bottles and clean the entrance"),
            place="outside",
        ),
        5,
    ),
    (
        Story(
            (SubType.COMMUNAL,),
            Category.NUISANCE,
            "Young people gathering in the stairwell, smoking and leaving litter",
            (
                "A group of young people smoking in the stairwell of {where}; litter and spray paint left behind.",
                "Young people kicking a ball against the doors in {where} until 10pm.",
            ),
            ("Talk to the families of the young people involved", "Fit a door entry system to {where}"),
            place="outside",
        ),
        7,
    ),
    (
        Story(
            (SubType.VANDALISM,),
            Category.ENVIRONMENTAL,
            "Damage to the communal door and lift at {where}",
            ("The communal door at {where} was kicked in overnight.", "Lift buttons at {where} burnt out again."),
            ("Raise a repair for the communal door", "Check the CCTV for the night of the damage"),
            criminal=True,
            place="outside",
        ),
        6,
    ),
    (
        Story(
            (SubType.GRAFFITI,),
            Category.ENVIRONMENTAL,
            "Graffiti on the garages behind {where}",
            ("New graffiti tags on the garage doors behind {where}.",),
            ("Order graffiti removal",),
            place="outside",
        ),
        4,
    ),
    (
        Story(
            (SubType.RUBBISH,),
            Category.ENVIRONMENTAL,
            "Fly-tipping by the bin store at {where}",
            (
                "A mattress and bags of rubbish dumped by the bin store at {where}.",
                "Builder's waste left on the grass next to {where}.",
            ),
            ("Arrange a bulk waste collection", "Write to all residents about fly-tipping"),
            place="outside",
        ),
        6,
    ),
    (
        Story(
            (SubType.PETS,),
            Category.NUISANCE,
            "Dog barking and fouling in the shared garden by {where}",
            (
                "The dog at {where} barked for most of the day while the owner was out.",
                "Dog mess left in the shared garden by the tenant of {where}.",
            ),
            ("Write to the tenant of {where} about their dog", "Check the tenancy allows a dog"),
        ),
        5,
    ),
    (
        Story(
            (SubType.VEHICLES,),
            Category.NUISANCE,
            "Nuisance parking and an abandoned car at {where}",
            ("A car with no tax parked across the bin store at {where} for two weeks.",),
            ("Report the untaxed car to the council",),
            place="outside",
        ),
        3,
    ),
    (
        Story(
            (SubType.GARDEN,),
            Category.ENVIRONMENTAL,
            "Overgrown garden and rubbish piled up at {where}",
            ("The garden at {where} is overgrown and rats have been seen by the rubbish.",),
            ("Inspect the garden at {where}", "Refer to pest control"),
        ),
        3,
    ),
]

HATE_STORIES: dict[str, Story] = {
    HateStrand.RACE: Story(
        (SubType.VERBAL_ABUSE,),
        Category.PERSONAL,
        "Racist abuse from the occupant of {where}",
        (
            "Racist names shouted from the balcony of {where} while walking the children to school.",
            "Racist abuse and spitting in the lift by the occupant of {where}; police informed.",
        ),
        ("Report the incident to the police as a hate crime", "Offer the reporter a visit from victim support"),
    ),
    HateStrand.RELIGION: Story(
        (SubType.VERBAL_ABUSE, SubType.THREATS),
        Category.PERSONAL,
        "Abuse about the reporter's religion from a neighbour at {where}",
        ("Headscarf pulled and abuse about her religion by the neighbour from {where}.",),
        ("Report the incident to the police as a hate crime",),
    ),
    HateStrand.DISABILITY: Story(
        (SubType.VERBAL_ABUSE, SubType.VANDALISM),
        Category.PERSONAL,
        "Disability hate incidents: mocked and mobility scooter damaged",
        (
            "Mocked about his disability by young people outside {where}.",
            "Mobility scooter tyres slashed outside {where}.",
        ),
        ("Report the damage to the police as a hate crime", "Arrange safe storage for the mobility scooter"),
    ),
    HateStrand.SEXUAL_ORIENTATION: Story(
        (SubType.GRAFFITI, SubType.VERBAL_ABUSE),
        Category.PERSONAL,
        "Homophobic graffiti on the reporter's door",
        ("Homophobic words painted on the front door overnight.", "Homophobic abuse shouted from {where}."),
        ("Remove the graffiti within 24 hours", "Report the incident to the police as a hate crime"),
    ),
    HateStrand.TRANSGENDER: Story(
        (SubType.VERBAL_ABUSE,),
        Category.PERSONAL,
        "Transphobic notes pushed through the reporter's door",
        ("Transphobic notes pushed through the letterbox, believed to be from {where}.",),
        ("Report the incident to the police as a hate crime", "Check in with the reporter weekly"),
    ),
}
HATE_STRAND_WEIGHTS = [
    (HateStrand.RACE, 45.0),
    (HateStrand.RELIGION, 15.0),
    (HateStrand.DISABILITY, 15.0),
    (HateStrand.SEXUAL_ORIENTATION, 15.0),
    (HateStrand.TRANSGENDER, 10.0),
]

DA_STORY = Story(
    (SubType.DOMESTIC_ABUSE,),
    Category.PERSONAL,
    "Domestic abuse by {relationship}",
    (
        "{relationship_cap} came to the flat uninvited and would not leave; police called.",
        "Threatening messages from {relationship} overnight.",
        "Pushed during an argument with {relationship}; the children were in the next room.",
        "{relationship_cap} waited outside the school gates and followed her home.",
    ),
    (
        "Complete the DA risk checklist with the victim",
        "Refer to the independent domestic violence adviser (IDVA) service",
        "Fit extra locks and a door viewer (sanctuary scheme)",
        "Discuss a management transfer with the victim",
    ),
    criminal=True,
    urgent=True,
)
DA_SAFE_CONTACT = [
    "Text only, and only between 10am and 2pm; do not leave voicemails.",
    "Call the mobile, never the landline; ask for her by first name only.",
    "Do not visit or send letters to the home: meet at the neighbourhood office.",
]

OUTCOMES: list[tuple[str, float]] = [
    (Outcome.RESOLVED, 50),
    (Outcome.NO_FURTHER_ACTION, 14),
    (Outcome.REFERRED_ON, 12),
    (Outcome.LEGAL_ACTION_CONCLUDED, 5),
    (Outcome.REPORTER_WITHDREW, 8),
    (Outcome.UNABLE_TO_CONTACT, 6),
]
OUTCOME_SUMMARIES: dict[str, str] = {
    Outcome.RESOLVED: "The behaviour stopped after our letter and a visit; no further reports for six weeks.",
    Outcome.NO_FURTHER_ACTION: "Not enough evidence to take further action after diary sheets and monitoring.",
    Outcome.REFERRED_ON: "Referred to the council's ASB team and the police, who are leading on this now.",
    Outcome.LEGAL_ACTION_CONCLUDED: "The court granted a civil injunction for 12 months; no breaches reported since.",
    Outcome.REPORTER_WITHDREW: "The reporter asked us to close the case; they are happy it has settled down.",
    Outcome.UNABLE_TO_CONTACT: "We could not reach the reporter to discuss the outcome after several attempts.",
}
SATISFACTION: list[tuple[int, float]] = [(5, 30), (4, 30), (3, 14), (2, 12), (1, 14)]
DO_BETTER = [
    "",
    "",
    "",
    "Kept me updated more often.",
    "It took too long before anyone came out to see me.",
    "Nothing, the officer was really helpful.",
    "Told me what you were doing with the other tenant.",
    "Answered the phone when I called the office.",
    "Acted sooner. It went on for months.",
]
DA_PLAN_UPDATES = [
    "Texted at the agreed time; she replied that she is safe and nothing new has happened.",
    "Called at the agreed time: she feels safer since the locks were fitted. IDVA still in touch.",
    "Met at the neighbourhood office as agreed; went through the safety plan again.",
]
PLAN_UPDATES = [
    "Update call: explained what we have done since the last contact; things are quieter this week.",
    "Left a message as agreed in the contact plan; they called back later and confirmed no new incidents.",
    "Visited as agreed. Two new incidents to add to the diary; reassured them we are still working on it.",
    "Emailed an update on the letter sent to the neighbour; they replied that it has been better.",
    "Update: told them the police have been informed and what happens next.",
]
NOTES = [
    "Checked the housing file: no previous complaints about this household.",
    "Spoke to the caretaker, who has seen the same thing on his rounds.",
    "Police neighbourhood team aware; they will add the address to their patrols.",
    "Reporter prefers calls after 5pm because of work.",
]
NOT_DISCUSSED_REASON = (
    "Three calls on different days and a letter asking them to get in touch; no reply. Closing as unable to contact."
)

STATUS_WEIGHTS: list[tuple[str, float]] = [
    (Status.NEW, 4),
    (Status.TRIAGED, 4),
    (Status.OPEN, 36),
    (Status.CLOSING, 5),
    (Status.CLOSED, 47),
    (Status.REOPENED, 4),
]
# How long before "now" a case in each state was received: (shortest, longest) in days.
AGE_DAYS: dict[str, tuple[float, float]] = {
    Status.NEW: (0.05, 3),
    Status.TRIAGED: (1, 8),
    Status.OPEN: (6, 220),
    Status.CLOSING: (30, 220),
    Status.CLOSED: (40, 540),
    Status.REOPENED: (70, 400),
}


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
        near = [h for h in self.by_place[_place_key(home.property)] if h is not home]
        pool = near or [h for h in self.homes if h is not home] or [home]
        return rng.choice(pool)


def _place_key(home: Property) -> Any:
    return home.estate_id or home.town


def _register(ctx: SeedContext) -> Register:
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
        by_place[_place_key(home_entry.property)].append(home_entry)
    return Register(homes, by_place)


def _short_address(home: Property) -> str:
    return home.address_line_1


# ---------------------------------------------------------------------------------------------------------------
# Building the cases


@dataclass
class Built:
    """Everything made, in insertion order, with the links that need primary keys first."""

    cases: list[Case] = field(default_factory=list)
    case_properties: list[tuple[Case, Property]] = field(default_factory=list)
    restricted_to: list[tuple[Case, User]] = field(default_factory=list)
    parties: list[Party] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
    involved: list[tuple[Incident, Party]] = field(default_factory=list)
    witnessed: list[tuple[Incident, Party]] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    actions: list[ActionItem] = field(default_factory=list)
    plans: list[ContactPlan] = field(default_factory=list)
    surveys: list[SurveyInvitation] = field(default_factory=list)


class CaseMaker:
    """Makes one case at a time, consistent with its state, from one random stream."""

    def __init__(self, *, ctx: SeedContext, staffing: Staffing, register: Register, now: dt.datetime) -> None:
        self.fake = ctx.faker("cases")
        self.rng = self.fake.random
        self.ctx = ctx
        self.staff = staffing
        self.register = register
        self.now = now
        self.built = Built()
        self.approval_waiting = 0
        self.calendar = calendar_current()  # the landlord's working days, as the services use
        self.da_team = staffing.da_specialist.team

    # --- times -------------------------------------------------------------------------------------------------

    def _between(self, start: dt.datetime, end: dt.datetime) -> dt.datetime:
        if end <= start:
            return start
        minutes = (end - start).total_seconds() / 60
        return start + dt.timedelta(minutes=int(self.rng.uniform(0, minutes)))

    def _hours(self, shortest: float, longest: float) -> dt.timedelta:
        """A whole number of minutes between two lengths given in hours."""
        return dt.timedelta(minutes=self.rng.randint(int(shortest * 60), int(longest * 60)))

    def _working_hours(self, moment: dt.datetime, *, not_before: dt.datetime, not_after: dt.datetime) -> dt.datetime:
        """The nearest weekday at a plausible office time (staff work in the day), kept within the bounds; if the
        bounds push it out of office hours, any office time within them (staff do not phone people at 3 a.m.)."""
        local = moment.astimezone(LONDON)
        while local.weekday() >= 5:
            local -= dt.timedelta(days=1)
        minute = self.rng.choice((0, 10, 15, 20, 30, 40, 45, 50))
        moved = local.replace(hour=self.rng.randint(9, 16), minute=minute, second=0, microsecond=0)
        kept = min(max(moved.astimezone(dt.UTC), not_before), not_after)
        if self._in_office_hours(kept):
            return kept
        return self._office_time(not_before, not_after) or kept

    def _in_office_hours(self, moment: dt.datetime) -> bool:
        local = moment.astimezone(LONDON)
        return is_working_day(local.date(), self.calendar) and OFFICE_OPENS <= local.time() < OFFICE_CLOSES

    def _office_time(self, start: dt.datetime, end: dt.datetime) -> dt.datetime | None:
        """A random moment in office hours on a working day between `start` and `end`; None if there is none."""
        windows: list[tuple[dt.datetime, dt.datetime]] = []
        day, last = start.astimezone(LONDON).date(), end.astimezone(LONDON).date()
        while day <= last:
            if is_working_day(day, self.calendar):
                opens = dt.datetime.combine(day, OFFICE_OPENS, tzinfo=LONDON).astimezone(dt.UTC)
                closes = dt.datetime.combine(day, OFFICE_CLOSES, tzinfo=LONDON).astimezone(dt.UTC)
                low, high = max(opens, start), min(closes, end)
                if low < high:
                    windows.append((low, high))
            day += dt.timedelta(days=1)
        total = sum((high - low).total_seconds() for low, high in windows)
        if not windows or total < 60:
            return None
        offset = self.rng.uniform(0, total)
        for low, high in windows:
            length = (high - low).total_seconds()
            if offset <= length:
                return low + dt.timedelta(minutes=int(offset // 60))
            offset -= length
        return windows[-1][0]

    # --- one case ----------------------------------------------------------------------------------------------

    def make(self) -> None:
        rng = self.rng
        status = _weighted(rng, STATUS_WEIGHTS)
        kind = _weighted(rng, [(CaseType.ASB, 75.0), (CaseType.HATE, 12.0), (CaseType.DA, 13.0)])
        shortest, longest = AGE_DAYS[status]
        received = self.now - dt.timedelta(minutes=int(rng.uniform(shortest, longest) * 24 * 60))
        home = rng.choice(self.register.homes)
        reporter_person = rng.choice(home.adults)
        neighbour = self.register.neighbour(rng, home)

        strands: list[str] = []
        relationship = ""
        if kind == CaseType.DA:
            story = DA_STORY
            relationship = rng.choice(["her ex-partner", "her partner", "her son's father", "his ex-partner"])
        elif kind == CaseType.HATE:
            strand = _weighted(rng, HATE_STRAND_WEIGHTS)
            strands = [strand]
            story = HATE_STORIES[strand]
        else:
            story = _weighted(rng, ASB_STORIES)
        where = _short_address(neighbour.property) if story.place == "home" else _block_or_street(home.property)
        fill = {
            "where": where,
            "relationship": relationship,
            "relationship_cap": relationship[:1].upper() + relationship[1:],
        }

        sensitivity = Sensitivity.NORMAL
        if kind == CaseType.DA:
            sensitivity = Sensitivity.DA
        elif rng.random() < 0.05:
            sensitivity = Sensitivity.RESTRICTED
        urgent = story.urgent or kind == CaseType.HATE or bool(reporter_person.vulnerability_categories)
        priority = _weighted(
            rng,
            [(Priority.HIGH, 45.0), (Priority.NORMAL, 50.0), (Priority.LOW, 5.0)]
            if urgent
            else [(Priority.HIGH, 6.0), (Priority.NORMAL, 74.0), (Priority.LOW, 20.0)],
        )
        if status == Status.CLOSING and (not self.approval_waiting or rng.random() < 0.3):
            priority = Priority.HIGH  # high-risk closures wait for a manager: the approvals list is never empty
        officer = self.staff.da_specialist if kind == CaseType.DA else self.staff.officer(rng)
        untriaged = status == Status.NEW
        triaged_at = None if untriaged else min(self.now, received + self._hours(1, 30))
        due = response_deadline(received, urgent=urgent, calendar=self.calendar)
        responded = self._response_time(status, received, due)
        closed_at, closure_requested_at, reopened_at = self._closure_times(status, received)

        case = Case(
            case_type=kind,
            category=story.category,
            sub_types=list(story.sub_types),
            hate_strands=strands,
            summary=story.summary.format(**fill)[:200],
            description=story.incidents[0].format(**fill),
            status=status,
            stage=(
                _weighted(rng, [(Stage.INVESTIGATING, 65.0), (Stage.ACTION, 35.0)]) if status == Status.OPEN else ""
            ),
            priority=priority,
            sensitivity=sensitivity,
            urgent=urgent,
            urgent_reason="Urgent at triage: risk to the reporter's safety." if urgent and not untriaged else "",
            criminal=story.criminal or (kind == CaseType.HATE and rng.random() < 0.6),
            assigned_officer=None if untriaged else officer,
            team=None if untriaged else (self.da_team if kind == CaseType.DA else officer.team),
            estate=home.property.estate,
            location_text="" if story.place == "home" else f"Communal areas at {where}",
            received_at=received,
            response_due_at=due,
            responded_at=responded,
            triaged_at=triaged_at,
            created_by=self.staff.coordinator if untriaged else officer,
            created_at=received + dt.timedelta(minutes=rng.randint(2, 90)),
        )
        self.built.cases.append(case)
        self.built.case_properties.append((case, home.property))
        if sensitivity == Sensitivity.RESTRICTED:
            self.built.restricted_to.append((case, officer))
            self.built.restricted_to.append((case, self.staff.manager))

        reporter, perpetrator, witnesses = self._parties(case, kind, home, neighbour, reporter_person, relationship)
        end = closed_at or closure_requested_at or self.now
        if reopened_at is not None:
            end = self.now
        self._incidents(case, story, fill, received, end, reporter, perpetrator, witnesses)
        if untriaged:
            return
        self._contacts(case, reporter, responded, triaged_at or received, end, status)
        self._actions(case, story, fill, officer, triaged_at or received, end, status)
        if rng.random() < 0.4:
            self.built.notes.append(
                Note(
                    case=case,
                    text=rng.choice(NOTES),
                    created_by=officer,
                    created_at=self._between(triaged_at or received, end),
                )
            )
        if status in (Status.CLOSING, Status.CLOSED):
            self._closure(case, reporter, officer, closure_requested_at, closed_at)
        if status == Status.REOPENED:
            # It was closed once, then more happened: the incident after closure is why it is open again.
            assert reopened_at is not None
            self.built.incidents.append(
                Incident(
                    case=case,
                    occurred_at=reopened_at - dt.timedelta(days=1),
                    description="It started again after the case was closed. " + story.incidents[-1].format(**fill),
                    source=IncidentSource.REPORT,
                    created_by=officer,
                    created_at=reopened_at,
                )
            )

    def _response_time(self, status: str, received: dt.datetime, due: dt.datetime) -> dt.datetime | None:
        rng = self.rng
        if status == Status.NEW:
            return None
        if status == Status.TRIAGED and rng.random() < 0.5:
            return None  # still waiting: on the dashboard as due soon or overdue
        # Responses are phone calls and visits by staff: in office hours on a working day.
        earliest = received + dt.timedelta(minutes=40)
        if rng.random() < 0.12:
            responded = self._office_time(due + dt.timedelta(hours=2), min(due + dt.timedelta(hours=72), self.now))
        else:
            responded = self._office_time(earliest, min(due, self.now))
        if responded is None:
            return self._office_time(earliest, self.now) if status != Status.TRIAGED else None
        return responded

    def _closure_times(
        self, status: str, received: dt.datetime
    ) -> tuple[dt.datetime | None, dt.datetime | None, dt.datetime | None]:
        """(closed_at, closure requested at, reopened at) for the state."""
        rng = self.rng
        latest = self.now - dt.timedelta(days=1)
        if status == Status.CLOSING:
            earliest = max(received + dt.timedelta(days=21), self.now - dt.timedelta(days=10))
            requested = self._working_hours(self._between(earliest, latest), not_before=earliest, not_after=latest)
            return None, requested, None
        if status in (Status.CLOSED, Status.REOPENED):
            last_close = latest - dt.timedelta(days=14) if status == Status.REOPENED else latest
            earliest = received + dt.timedelta(days=14)
            span = dt.timedelta(days=rng.uniform(21, 150))
            closed = self._working_hours(
                self._between(earliest, min(received + span, last_close)), not_before=earliest, not_after=last_close
            )
            requested = closed - dt.timedelta(minutes=int(rng.uniform(0.1, 4) * 24 * 60))
            if status == Status.REOPENED:
                reopened = self._between(closed + dt.timedelta(days=7), latest)
                return None, None, reopened
            return closed, requested, None
        return None, None, None

    # --- parties -----------------------------------------------------------------------------------------------

    def _parties(
        self,
        case: Case,
        kind: str,
        home: Home,
        neighbour: Home,
        reporter_person: Person,
        relationship: str,
    ) -> tuple[Party, Party | None, list[Party]]:
        rng = self.rng
        fake = self.fake
        parties = self.built.parties
        at = case.received_at
        if kind != CaseType.DA and rng.random() < 0.07:
            reporter = Party(case=case, role=PartyRole.REPORTER, anonymous=True, created_at=at)
            if rng.random() < 0.5:
                reporter.phone = f"07700 900{rng.randint(0, 999):03d}"
        elif kind != CaseType.DA and rng.random() < 0.06:
            first, last = fake.first_name(), fake.last_name()
            reporter = Party(
                case=case,
                role=PartyRole.REPORTER,
                first_name=first,
                last_name=last,
                phone=f"07700 900{rng.randint(0, 999):03d}",
                email=f"{_letters(first)}.{_letters(last)}{rng.randint(1, 99)}@example.com",
                address=f"{rng.randint(1, 120)} {fake.street_name()}, {home.property.town}",
                notes="Visits a relative on the estate; not a tenant.",
                created_at=at,
            )
        else:
            reporter = Party(case=case, role=PartyRole.REPORTER, person=reporter_person, created_at=at)
            if kind == CaseType.DA and not reporter_person.safe_contact_notes:
                reporter.safe_contact_notes = rng.choice(DA_SAFE_CONTACT)
        parties.append(reporter)
        # The reporter is the person harmed in most personal cases; they are a party in both roles.
        if reporter.person_id is not None and (case.category == Category.PERSONAL or kind == CaseType.DA):
            parties.append(
                Party(
                    case=case,
                    role=PartyRole.VICTIM,
                    person=reporter_person,
                    safe_contact_notes=reporter.safe_contact_notes,
                    created_at=at,
                )
            )
        perpetrator: Party | None = None
        if kind == CaseType.DA:
            if rng.random() < 0.5 and len(home.adults) > 1:
                other = next(p for p in home.adults if p is not reporter_person)
                perpetrator = Party(
                    case=case, role=PartyRole.ALLEGED_PERPETRATOR, person=other, created_at=at, notes=relationship
                )
            else:
                perpetrator = Party(
                    case=case,
                    role=PartyRole.ALLEGED_PERPETRATOR,
                    first_name=fake.first_name_male(),
                    last_name=fake.last_name(),
                    notes=f"{relationship[:1].upper()}{relationship[1:]}; does not live at the address.",
                    created_at=at,
                )
        elif case.location_text and rng.random() < 0.6:
            perpetrator = None  # communal nuisance by people not yet identified
        elif neighbour.children and rng.random() < 0.25:
            perpetrator = Party(
                case=case, role=PartyRole.ALLEGED_PERPETRATOR, person=rng.choice(neighbour.children), created_at=at
            )
        else:
            perpetrator = Party(
                case=case, role=PartyRole.ALLEGED_PERPETRATOR, person=rng.choice(neighbour.adults), created_at=at
            )
        if perpetrator is not None:
            parties.append(perpetrator)
        witnesses: list[Party] = []
        if kind != CaseType.DA:
            for _ in range(_weighted(self.rng, [(0, 60.0), (1, 30.0), (2, 10.0)])):
                nearby = self.register.neighbour(rng, home)
                pool = nearby.adults + (nearby.children if rng.random() < 0.1 else [])
                seen = rng.choice(pool)
                if any(p.person is seen for p in witnesses) or seen is reporter_person:
                    continue
                witness = Party(case=case, role=PartyRole.WITNESS, person=seen, created_at=at)
                witnesses.append(witness)
                parties.append(witness)
        if kind == CaseType.DA and rng.random() < 0.5:
            parties.append(
                Party(
                    case=case,
                    role=PartyRole.PROFESSIONAL,
                    first_name=fake.first_name_female(),
                    last_name=fake.last_name(),
                    organisation="Independent domestic violence advisers service",
                    phone=f"0115 496 0{rng.randint(0, 999):03d}",
                    created_at=at,
                )
            )
        return reporter, perpetrator, witnesses

    # --- incidents, contacts, actions --------------------------------------------------------------------------

    def _incidents(
        self,
        case: Case,
        story: Story,
        fill: dict[str, str],
        received: dt.datetime,
        end: dt.datetime,
        reporter: Party,
        perpetrator: Party | None,
        witnesses: list[Party],
    ) -> None:
        rng = self.rng
        count = rng.choice((1, 1, 2, 2, 3, 4, 5))
        texts = list(story.incidents)
        rng.shuffle(texts)
        for index in range(count):
            if index == 0:
                occurred = received - self._hours(1, 72)
                source = IncidentSource.REPORT
            else:
                occurred = self._between(received, end)
                source = IncidentSource.REPORTER_DIARY if rng.random() < 0.6 else IncidentSource.OFFICER
            incident = Incident(
                case=case,
                occurred_at=occurred,
                occurred_until=occurred + dt.timedelta(hours=rng.choice((0.5, 1, 2, 3)))
                if rng.random() < 0.5
                else None,
                description=texts[index % len(texts)].format(**fill),
                location_text=case.location_text,
                source=source,
                created_by=case.created_by,
                created_at=max(occurred, received) + self._hours(0.2, 20),
            )
            if incident.created_at > self.now:
                incident.created_at = self.now
            self.built.incidents.append(incident)
            if perpetrator is not None:
                self.built.involved.append((incident, perpetrator))
            for witness in witnesses:
                if rng.random() < 0.7:
                    self.built.witnessed.append((incident, witness))

    def _method_for(self, party: Party) -> str:
        person = party.person
        mobile = person.mobile if person else party.phone
        email = person.email if person else party.email
        options: list[tuple[str, float]] = [(ContactMethod.VISIT, 2.0)]
        if mobile:
            options += [(ContactMethod.PHONE, 6.0), (ContactMethod.TEXT, 1.0)]
        if email:
            options.append((ContactMethod.EMAIL, 2.0))
        return _weighted(self.rng, options)

    def _contacts(
        self,
        case: Case,
        reporter: Party,
        responded: dt.datetime | None,
        start: dt.datetime,
        end: dt.datetime,
        status: str,
    ) -> None:
        rng = self.rng
        officer = case.assigned_officer
        name = reporter.display_name if not reporter.anonymous else "the reporter"
        contacts = self.built.contacts
        if responded is not None:
            anonymous_unreachable = reporter.anonymous and not reporter.phone
            contacts.append(
                Contact(
                    case=case,
                    party=reporter,
                    method=ContactMethod.PHONE if not anonymous_unreachable else ContactMethod.IN_PERSON,
                    purpose=ContactPurpose.INITIAL_ASSESSMENT
                    if anonymous_unreachable
                    else ContactPurpose.FIRST_RESPONSE,
                    direction=Direction.OUTBOUND,
                    occurred_at=responded,
                    summary=(
                        "Assessed the anonymous report: no contact details, so reviewed the location and history."
                        if anonymous_unreachable
                        else f"Called {name} to acknowledge the report and talk through what happened; agreed next "
                        "steps and explained how to keep a diary."
                    ),
                    created_by=officer,
                    created_at=responded,
                )
            )
        if reporter.anonymous or status == Status.TRIAGED or responded is None:
            return
        frequency = _weighted(rng, [(7, 40.0), (14, 45.0), (28, 15.0)])
        if case.case_type == CaseType.DA:
            frequency = 7
        method = self._method_for(reporter)
        person = reporter.person
        plan = ContactPlan(
            case=case,
            party=reporter,
            frequency_days=frequency,
            method=method,
            safe_times=reporter.safe_contact_notes or (person.safe_contact_notes if person else "") or "",
            language=person.preferred_language if person and person.preferred_language != "English" else "",
            format=person.get_preferred_format_display() if person and person.preferred_format != "standard" else "",
            agreed_at=responded,
            next_due_at=responded + dt.timedelta(days=frequency),
        )
        # Contacts under the plan, now and then late or missed; the last one sets when the next is due.
        moment = responded
        last = responded
        plan_end = min(end, self.now)
        while True:
            moment = moment + dt.timedelta(days=frequency + rng.choice((-1, 0, 0, 0, 1, 2, 4)))
            if moment >= plan_end:
                break
            if rng.random() < 0.12:
                continue  # missed
            when = self._working_hours(moment, not_before=last + dt.timedelta(hours=1), not_after=plan_end)
            if when >= plan_end:
                break
            if not self._in_office_hours(when):
                continue  # no office time left before the plan ends: this one was missed
            reached = rng.random() > 0.08
            updates = DA_PLAN_UPDATES if case.case_type == CaseType.DA else PLAN_UPDATES
            summary = rng.choice(updates) if reached else "Tried at the agreed time: no answer. Will try again."
            contacts.append(
                Contact(
                    case=case,
                    party=reporter,
                    method=method,
                    purpose=ContactPurpose.CONTACT_PLAN,
                    occurred_at=when,
                    summary=summary,
                    successful=reached,
                    created_by=officer,
                    created_at=when,
                )
            )
            last = when
        plan.next_due_at = last + dt.timedelta(days=frequency)
        if status in (Status.OPEN, Status.REOPENED) and rng.random() < 0.15:
            plan.next_due_at = self.now - dt.timedelta(days=rng.randint(1, 6))  # missed: flagged on the dashboard
        self.built.plans.append(plan)

    def _actions(
        self,
        case: Case,
        story: Story,
        fill: dict[str, str],
        officer: User,
        start: dt.datetime,
        end: dt.datetime,
        status: str,
    ) -> None:
        rng = self.rng
        texts = list(story.actions)
        rng.shuffle(texts)
        count = min(len(texts), rng.choice((1, 1, 2, 2, 3)))
        finished = status in (Status.CLOSING, Status.CLOSED)
        for index in range(count):
            created = self._between(start, min(end, start + dt.timedelta(days=14)))
            due_date = (created + dt.timedelta(days=rng.choice((5, 7, 10, 14, 21, 28)))).astimezone(LONDON).date()
            done_at: dt.datetime | None = None
            if finished or (due_date < self.ctx.today and rng.random() < 0.7) or rng.random() < 0.3:
                latest = min(end, self.now)
                done_at = self._working_hours(self._between(created, latest), not_before=created, not_after=latest)
            action = ActionItem(
                case=case,
                kind=ActionKind.ACTION_PLAN if index == 0 else ActionKind.TASK,
                description=texts[index].format(**fill)[:300],
                owner=officer if rng.random() < 0.9 else self.staff.coordinator,
                due_date=due_date,
                done_at=done_at,
                done_note="Done." if done_at else "",
                created_by=officer,
                created_at=created,
            )
            if done_at is not None:
                action.done_by = action.owner
            self.built.actions.append(action)

    # --- closure -----------------------------------------------------------------------------------------------

    def _closure(
        self,
        case: Case,
        reporter: Party,
        officer: User,
        requested: dt.datetime | None,
        closed: dt.datetime | None,
    ) -> None:
        rng = self.rng
        assert requested is not None
        outcome = _weighted(rng, OUTCOMES)
        unreachable = outcome == Outcome.UNABLE_TO_CONTACT or (reporter.anonymous and not reporter.phone)
        if unreachable:
            outcome = Outcome.UNABLE_TO_CONTACT
        elif case.case_type == CaseType.DA and outcome == Outcome.LEGAL_ACTION_CONCLUDED:
            outcome = Outcome.REFERRED_ON
        case.outcome = outcome
        case.outcome_summary = OUTCOME_SUMMARIES[outcome]
        case.closure_requested_by = officer
        case.closure_requested_at = requested
        discussion_at = self._working_hours(
            requested - dt.timedelta(days=rng.uniform(0.2, 3)),
            not_before=case.received_at + dt.timedelta(hours=1),
            not_after=requested - dt.timedelta(minutes=30),
        )
        if unreachable:
            case.outcome_not_discussed_reason = NOT_DISCUSSED_REASON
            for attempt in range(3):
                at = self._working_hours(
                    discussion_at - dt.timedelta(days=2 * (2 - attempt)),
                    not_before=case.received_at + dt.timedelta(hours=1),
                    not_after=discussion_at,
                )
                self.built.contacts.append(
                    Contact(
                        case=case,
                        party=reporter,
                        method=ContactMethod.PHONE if attempt < 2 else ContactMethod.LETTER,
                        purpose=ContactPurpose.OUTCOME_DISCUSSION,
                        successful=False,
                        occurred_at=at,
                        summary="Tried to discuss the outcome: no answer."
                        if attempt < 2
                        else "Wrote asking them to call us about closing the case.",
                        created_by=officer,
                        created_at=at,
                    )
                )
        else:
            name = reporter.display_name
            self.built.contacts.append(
                Contact(
                    case=case,
                    party=reporter,
                    method=self._method_for(reporter),
                    purpose=ContactPurpose.OUTCOME_DISCUSSION,
                    occurred_at=discussion_at,
                    summary=(
                        f"Explained the outcome to {name} ({Outcome(outcome).label.lower()}) and why we are closing "
                        "the case. They know to report again if it starts again."
                    ),
                    created_by=officer,
                    created_at=discussion_at,
                )
            )
        needs_approval = case.priority == Priority.HIGH or case.case_type == CaseType.DA
        pending = closed is None
        if needs_approval and (not pending or (self.approval_waiting and rng.random() < 0.3)):
            case.closure_approved_by = self.staff.manager
            case.closure_approved_at = min(requested + self._hours(1, 40), closed or self.now)
        if closed is None:
            self.approval_waiting += int(needs_approval and case.closure_approved_at is None)
            return
        case.closed_at = closed
        if reporter.anonymous and not reporter.email:
            return
        self._survey(case, reporter, closed)

    def _survey(self, case: Case, reporter: Party, closed: dt.datetime) -> None:
        rng = self.rng
        person = reporter.person
        safe = reporter.safe_contact_notes or (person.safe_contact_notes if person else "")
        email = person.email if person else reporter.email
        if case.case_type == CaseType.DA:
            delivery, note = SurveyDelivery.OFFICER, "Domestic abuse case: give the link only when it is safe to"
        elif safe:
            delivery, note = SurveyDelivery.OFFICER, "The reporter has safe-contact instructions: follow them"
        elif not email:
            delivery, note = SurveyDelivery.OFFICER, "The reporter has no email address: give them the link another way"
        else:
            delivery, note = SurveyDelivery.EMAIL, ""
        sent = closed + dt.timedelta(seconds=5)
        # The tokens themselves are never kept: demo invitations can only be answered in these figures.
        token_hash = hashlib.sha256(
            f"{self.ctx.seed}:{case.received_at.isoformat()}:{rng.random()}".encode()
        ).hexdigest()
        invitation = SurveyInvitation(
            case=case,
            party=reporter,
            token_hash=token_hash,
            sent_at=sent,
            expires_at=sent + SURVEY_VALID_FOR,
            delivery=delivery,
            delivery_note=note,
        )
        answer_rate = 0.5 if delivery == SurveyDelivery.EMAIL else 0.25
        if rng.random() < answer_rate:
            answered = min(sent + self._hours(2, 480), self.now)
            if answered < invitation.expires_at:
                invitation.answered_at = answered
                invitation.satisfaction = _weighted(rng, SATISFACTION)
                invitation.could_do_better = rng.choice(DO_BETTER)
        self.built.surveys.append(invitation)


def _letters(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower())


def _block_or_street(home: Property) -> str:
    """Where a communal problem happens: the block of flats, or the street."""
    if home.address_line_1.startswith("Flat ") and ", " in home.address_line_1:
        return home.address_line_1.split(", ", 1)[1]
    return home.address_line_2 or home.address_line_1.split(" ", 1)[-1]


# ---------------------------------------------------------------------------------------------------------------
# Saving


def _allocate_references(cases: list[Case]) -> list[ReferenceCounter]:
    """Number the cases in order of receipt per prefix and year, carrying on from any existing counter."""
    by_key: dict[tuple[str, int], list[Case]] = defaultdict(list)
    for case in cases:
        by_key[(REFERENCE_PREFIX[case.case_type], reference_year(case.received_at))].append(case)
    counters: list[ReferenceCounter] = []
    for (prefix, year), group in sorted(by_key.items()):
        group.sort(key=lambda c: c.received_at)
        counter, _ = ReferenceCounter.objects.get_or_create(prefix=prefix, year=year)
        for offset, case in enumerate(group, start=1):
            case.reference = format_reference(prefix, year, counter.last_number + offset)
        counter.last_number += len(group)
        counters.append(counter)
    return counters


def _through(field: Any, pairs: list[tuple[Any, Any]], left: str, right: str) -> list[Any]:
    model = field.through
    return [model(**{f"{left}_id": a.pk, f"{right}_id": b.pk}) for a, b in pairs]


def _save(ctx: SeedContext, built: Built) -> None:
    counters = _allocate_references(built.cases)
    built.cases.sort(key=lambda c: c.received_at)
    steps: list[tuple[str, Any, list[Any]]] = [
        ("Cases", Case, built.cases),
        ("Parties", Party, built.parties),
        ("Incidents", Incident, built.incidents),
        ("Contacts", Contact, built.contacts),
        ("Notes", Note, built.notes),
        ("Actions", ActionItem, built.actions),
        ("Contact plans", ContactPlan, built.plans),
        ("Surveys", SurveyInvitation, built.surveys),
    ]
    total = sum(len(rows) for _, _, rows in steps)
    done = 0
    for phase, model, rows in steps:
        model.objects.bulk_create(rows, batch_size=1000)
        done += len(rows)
        ctx.report("Cases", done, total)
        del phase
    ReferenceCounter.objects.bulk_update(counters, ["last_number"])
    Case.properties.through.objects.bulk_create(
        _through(Case.properties, built.case_properties, "case", "property"), batch_size=1000
    )
    Case.restricted_to.through.objects.bulk_create(
        _through(Case.restricted_to, built.restricted_to, "case", "user"), batch_size=1000
    )
    Incident.parties_involved.through.objects.bulk_create(
        _through(Incident.parties_involved, built.involved, "incident", "party"), batch_size=1000
    )
    Incident.witnesses.through.objects.bulk_create(
        _through(Incident.witnesses, built.witnessed, "incident", "party"), batch_size=1000
    )


def seed_cases(ctx: SeedContext) -> None:
    """About 15 cases per 100 homes, in every state and kind, with everything recorded on them (see module doc)."""
    wanted = round(ctx.homes * CASES_PER_HOME)
    staffing = _staffing(ctx) if wanted else None
    register = _register(ctx) if staffing is not None else None
    if staffing is None or register is None or not register.homes:
        ctx.counts["cases"] = 0
        return
    now = dt.datetime.combine(ctx.today, dt.time(9, 0), tzinfo=LONDON).astimezone(dt.UTC)
    maker = CaseMaker(ctx=ctx, staffing=staffing, register=register, now=now)
    for _ in range(wanted):
        maker.make()
    built = maker.built
    _save(ctx, built)
    refresh_search_documents(case_ids=[case.pk for case in built.cases])
    ctx.counts["cases"] = len(built.cases)
    ctx.counts["case_parties"] = len(built.parties)
    ctx.counts["incidents"] = len(built.incidents)
    ctx.counts["contacts"] = len(built.contacts)
    ctx.counts["actions"] = len(built.actions)
    ctx.counts["surveys_answered"] = sum(1 for s in built.surveys if s.answered_at is not None)
    audit(
        actor=None,
        verb=AuditVerb.CASES_SEEDED,
        object_type="cases.case",
        object_label=f"Demo cases, seed {ctx.seed}",
        after={"cases": len(built.cases), "seed": ctx.seed},
    )


def register_seed_step() -> None:
    """Add `seed_cases` to the demo seed's steps, once, after the register is made."""
    if not any(step.name == "cases" for step in SEED_STEPS):
        SEED_STEPS.append(SeedStep("cases", seed_cases))
