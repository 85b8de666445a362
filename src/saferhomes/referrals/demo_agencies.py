"""Demo agencies (issue 15 item 1): the partnership around the demo landlord, and two demo partner users.

`seed_agencies` is a step of `saferhomes seed` (order 52: after the cases, before risk), registered from
`ReferralsConfig.ready()` through `referrals.directory.register`. It adds a realistic, entirely fictional directory
for the demo landlord's area: the police force's neighbourhood policing team and public protection unit, the council
ASB team, the community safety partnership, the MARAC coordinator, the IDVA service, children's and adult social care,
the community mental health team, the drug and alcohol service, a victim and witness service, mediation and the youth
offending team. Every email address is at a reserved example domain (example.org, example.net) and every phone
number is in Ofcom's range for drama (01632 960xxx), so nothing here reaches a real organisation.

It also makes the demo partner users: `partner_pete` at the council ASB team and `partner_ida` at the IDVA service
(with the demo password and an authenticator app, like the housing personas), and puts the housing persona
`partner_pc_patel` in the neighbourhood policing team. Codes are fixed (`DEMO_CODES`), so later steps and the docs can
name them. Deterministic: names come from the register's own towns and the step's random stream. Idempotent: an agency
or login already there is left as it is, so `saferhomes demo` can add what is missing to an older database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.accounts.selectors import totp_device_confirmed
from saferhomes.accounts.services import staff_create, staff_totp_device_create
from saferhomes.core import seed as core_seed
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.housing.demo_data import DEMO_PASSWORD
from saferhomes.housing.models import Area
from saferhomes.referrals.models import Agency, AgencyKind, PartnerMembership

if TYPE_CHECKING:  # Faker is loaded by SeedContext.faker when the seed runs, not at start-up.
    from faker import Faker

SEED_ORDER = 52
FALLBACK_TOWN = "Exampleton"


@dataclass(frozen=True)
class DemoAgency:
    """One agency of the demo directory; `{town}` and `{force}` in its texts are filled in from the demo area."""

    code: str
    kind: str
    name: str
    mailbox: str
    description: str
    eligibility: str
    how_to_refer: str
    handles_da: bool = False
    secure: str = ""  # the secure mail domain's first label: pnn (police), gcsx (council), nhs (health); "" none


DEMO_AGENCIES: list[DemoAgency] = [
    DemoAgency(
        "POLICE-NPT",
        AgencyKind.POLICE,
        "{force}: {town} Neighbourhood Policing Team",
        "npt.{slug}",
        "The local neighbourhood officers and PCSOs: patrols, crime and ASB reports, problem-solving with partners.",
        "Anyone living or working in {town}. In an emergency call 999; otherwise report crime on 101.",
        "Report the crime or incident first (101 or online) and note the reference, then email the team with the "
        "reference, the address and what has happened since.",
        secure="pnn",
    ),
    DemoAgency(
        "POLICE-PPU",
        AgencyKind.POLICE,
        "{force}: Public Protection Unit",
        "ppu.referrals",
        "Specialist officers for domestic abuse, stalking and harassment, and safeguarding vulnerable adults and "
        "children.",
        "Victims of domestic abuse, stalking or harassment, and vulnerable adults and children at risk of harm.",
        "Secure email only, with the crime reference. Call 999 if anyone is in immediate danger.",
        handles_da=True,
        secure="pnn",
    ),
    DemoAgency(
        "COUNCIL-ASB",
        AgencyKind.COUNCIL,
        "{town} Council Anti-social Behaviour Team",
        "asb.team",
        "Council officers for anti-social behaviour across tenures: warnings, Community Protection Notices, "
        "injunctions, noise and environmental health.",
        "Residents of {town}, whoever their landlord is.",
        "Email the team with the addresses, the dates of incidents and what the landlord has already done.",
        secure="gcsx",
    ),
    DemoAgency(
        "CSP",
        AgencyKind.CSP,
        "{town} Community Safety Partnership",
        "community.safety",
        "The statutory partnership of the council, police, fire, health and probation: ASB case reviews, "
        "problem-solving groups and the local ASB risk assessment conference.",
        "Cases that need several agencies working together, and ASB Case Review (Community Trigger) requests.",
        "Use the partnership's referral form, or raise the case at the monthly problem-solving group.",
        secure="gcsx",
    ),
    DemoAgency(
        "MARAC",
        AgencyKind.MARAC,
        "{town} MARAC Coordinator",
        "marac",
        "Coordinates the Multi-Agency Risk Assessment Conference for victims of domestic abuse at high risk of "
        "serious harm or homicide.",
        "Victims at high risk: 14 or more 'yes' answers on the DA risk checklist, professional judgement, or "
        "potential escalation.",
        "Send the MARAC referral form and the completed risk checklist by secure email. Refer the victim to the "
        "IDVA service at the same time.",
        handles_da=True,
        secure="gcsx",
    ),
    DemoAgency(
        "IDVA",
        AgencyKind.IDVA,
        "{town} Independent Domestic Violence Advocacy Service",
        "idva.referrals",
        "Independent advocates for victims of domestic abuse at high risk: safety planning, support through MARAC "
        "and the courts, help with housing.",
        "Victims of domestic abuse aged 16 or over who are at high risk; others are passed to outreach support.",
        "Secure email with the victim's consent, safe contact details and the risk checklist.",
        handles_da=True,
        secure="gcsx",
    ),
    DemoAgency(
        "CHILDRENS-SC",
        AgencyKind.SOCIAL_CARE,
        "{town} Children's Social Care: Front Door",
        "childrens.frontdoor",
        "The single point of contact for concerns about a child's safety or welfare (the MASH).",
        "Any child or young person in {town} who may be at risk of harm, including from domestic abuse at home.",
        "Phone the front door for urgent concerns; otherwise send the multi-agency referral form by secure email.",
        handles_da=True,
        secure="gcsx",
    ),
    DemoAgency(
        "ADULT-SC",
        AgencyKind.SOCIAL_CARE,
        "{town} Adult Social Care",
        "adult.care",
        "Safeguarding adults with care and support needs, assessments of need, and care packages.",
        "Adults with care and support needs who are at risk of abuse or neglect, or who cannot protect themselves.",
        "Raise a safeguarding concern by phone or secure email, saying what the adult wants to happen.",
        secure="gcsx",
    ),
    DemoAgency(
        "CMHT",
        AgencyKind.HEALTH,
        "{town} Community Mental Health Team",
        "cmht",
        "Assessment and treatment for adults with severe or complex mental health needs, with care coordinators.",
        "Adults aged 18 to 65 with severe or complex mental health needs; others through their GP.",
        "Referrals come through the person's GP or the crisis line; a landlord may share concerns with consent.",
        secure="nhs",
    ),
    DemoAgency(
        "DRUG-ALCOHOL",
        AgencyKind.DRUG_ALCOHOL,
        "{town} Recovery Service (drugs and alcohol)",
        "recovery",
        "Free, confidential support for adults who use drugs or alcohol, and for their families.",
        "Adults living in {town}; self-referral is welcome.",
        "The person may call or drop in; a professional may refer with their consent.",
    ),
    DemoAgency(
        "VICTIM-SUPPORT",
        AgencyKind.VICTIM_SUPPORT,
        "{town} Victim and Witness Service",
        "victims",
        "Emotional and practical support for victims and witnesses of crime and anti-social behaviour.",
        "Anyone affected by crime or ASB, whether or not it was reported to the police.",
        "Refer with the person's consent by email or phone; people may refer themselves.",
    ),
    DemoAgency(
        "MEDIATION",
        AgencyKind.MEDIATION,
        "{town} Community Mediation",
        "mediation",
        "Trained volunteer mediators for disputes between neighbours: noise, parking, boundaries, children's play.",
        "Neighbours in a dispute who are both willing to take part; not where there is violence or hate crime.",
        "Email the referral form once both parties have agreed to be contacted.",
    ),
    DemoAgency(
        "YOT",
        AgencyKind.YOT,
        "{town} Youth Justice Service",
        "youth.justice",
        "Works with children aged 10 to 17 in trouble with the law, and prevention work with those at risk.",
        "Children aged 10 to 17 living in {town}.",
        "Email the prevention referral form with the parent's or carer's consent.",
        secure="gcsx",
    ),
]
DEMO_CODES = [agency.code for agency in DEMO_AGENCIES]


@dataclass(frozen=True)
class DemoPartner:
    """A demo partner user and the agency they work for."""

    username: str
    first_name: str
    last_name: str
    job_title: str
    agency: str
    agency_words: str  # as `saferhomes demo` prints it


DEMO_PARTNERS: list[DemoPartner] = [
    DemoPartner("partner_pete", "Pete", "Okafor", "ASB caseworker", "COUNCIL-ASB", "council ASB team"),
    DemoPartner("partner_ida", "Ida", "Novak", "Senior IDVA", "IDVA", "IDVA service"),
]
# The housing persona (housing.demo_data.DEMO_STAFF) who works for the neighbourhood policing team.
PERSONA_MEMBERSHIPS = {"partner_pc_patel": "POLICE-NPT"}


def _towns() -> list[str]:
    """The demo area's towns, from the register's areas ('North (Hartwick)' -> 'Hartwick'), in area order."""
    towns = []
    for name in Area.objects.order_by("code").values_list("name", flat=True):
        town = name.rsplit("(", 1)[-1].rstrip(")").strip() if "(" in name else name
        if town and town not in towns:
            towns.append(town)
    return towns or [FALLBACK_TOWN]


def _stem(fake: Faker) -> str:
    """A surname of plain letters (no 'O'Connor' or 'Smith-Jones'), for fictional place names."""
    while not (name := fake.last_name()).isalpha():
        continue
    return name


def _phone(index: int) -> str:
    """01632 960 001, 01632 960 002...: Ofcom's numbers for drama, never a real line."""
    return f"01632 960 {index:03d}"


def _agency(spec: DemoAgency, index: int, *, town: str, force: str, towns: list[str], street: str) -> Agency:
    slug = town.lower()
    fill = {"town": town, "force": force, "slug": slug}
    mailbox = spec.mailbox.format(**fill)
    secure_domains = {"pnn": "pnn.example.net", "gcsx": "gcsx.example.net", "nhs": "nhs.example.net"}
    served = f"{', '.join(towns[:-1])} and {towns[-1]}" if len(towns) > 1 else towns[0]
    return Agency(
        code=spec.code,
        name=spec.name.format(**fill),
        kind=spec.kind,
        description=spec.description.format(**fill),
        email=f"{mailbox}@example.org",
        secure_email=f"{mailbox}@{secure_domains[spec.secure]}" if spec.secure else "",
        phone=_phone(100 + index),
        website=f"https://www.example.org/{slug}/{spec.code.lower()}",
        address=f"{index + 1} {street}, {town}",
        area_served=served,
        eligibility=spec.eligibility.format(**fill),
        how_to_refer=spec.how_to_refer.format(**fill),
        handles_da=spec.handles_da,
    )


def agencies_ensure(ctx: core_seed.SeedContext) -> list[Agency]:
    """Create the demo agencies that are missing (by code); returns those created."""
    fake = ctx.faker("agencies")
    towns = _towns()
    force = f"{_stem(fake)}shire Police"
    streets = [f"{_stem(fake)} {suffix}" for suffix in ("Street", "Road", "Lane", "Walk")]
    existing = set(Agency.objects.filter(code__in=DEMO_CODES).values_list("code", flat=True))
    made = [
        _agency(spec, index, town=towns[0], force=force, towns=towns, street=streets[index % len(streets)])
        for index, spec in enumerate(DEMO_AGENCIES)
        if spec.code not in existing
    ]
    Agency.objects.bulk_create(made)
    return made


def partners_ensure() -> list[str]:
    """Create the missing demo partner users (with their authenticator apps) and put them, and the police persona, in
    their agencies; returns the usernames created."""
    agencies = {agency.code: agency for agency in Agency.objects.filter(code__in=DEMO_CODES)}
    created = []
    password_hash = make_password(DEMO_PASSWORD)
    for partner in DEMO_PARTNERS:
        user = User.objects.filter(username=partner.username).first()
        if user is None:
            user = staff_create(
                actor=None,
                username=partner.username,
                role=Role.PARTNER,
                email=f"{partner.username.replace('_', '.')}@example.org",
                first_name=partner.first_name,
                last_name=partner.last_name,
            )
            user.password = password_hash
            user.job_title = partner.job_title
            user.save(update_fields=["password", "job_title"])
            created.append(partner.username)
        if totp_device_confirmed(user=user) is None:
            staff_totp_device_create(user)
        _member(user, agencies.get(partner.agency))
    for username, code in PERSONA_MEMBERSHIPS.items():
        persona = User.objects.filter(username=username, role=Role.PARTNER).first()
        if persona is not None:
            _member(persona, agencies.get(code))
    return created


def _member(user: User, agency: Agency | None) -> None:
    if agency is not None and not PartnerMembership.objects.filter(user=user).exists():
        PartnerMembership.objects.create(user=user, agency=agency)


def seed_agencies(ctx: core_seed.SeedContext) -> None:
    """The demo directory and partner users, and one audit event saying what was added."""
    made = agencies_ensure(ctx)
    partners = partners_ensure()
    ctx.counts["agencies"] = len(made)
    ctx.counts["partner users"] = len(partners)
    audit(
        actor=None,
        verb=AuditVerb.AGENCIES_IMPORTED,
        object_type="referrals.agency",
        object_label=f"Demo agencies, seed {ctx.seed}",
        after={"source": "demo seed", "rows": len(DEMO_AGENCIES), "created": len(made), "partner_users": partners},
    )


def demo_partners_ensure() -> list[str]:
    """For `saferhomes demo` on a database seeded before the directory existed: add what is missing."""
    ctx = core_seed.SeedContext(homes=0, seed=1, today=timezone.localdate())
    with transaction.atomic():
        agencies_ensure(ctx)
        return partners_ensure()


def demo_logins() -> list[core_seed.DemoLogin]:
    """The demo partner users' logins, as `saferhomes demo` prints them (with their agencies)."""
    role = str(Role.PARTNER.label)
    return [
        core_seed.DemoLogin(partner.username, f"{role}, {partner.agency_words}", DEMO_PASSWORD)
        for partner in DEMO_PARTNERS
    ]


def register_seed_step() -> None:
    """Make the demo directory a step of the demo seed (after the cases, before risk) and list its logins."""
    core_seed.seed_step_register("agencies", seed_agencies, order=SEED_ORDER)
    core_seed.demo_logins_register(listed=demo_logins, ensure=demo_partners_ensure)
