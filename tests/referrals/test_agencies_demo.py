"""Demo agencies: a step of the demo seed after the cases and before risk; the partnership of the demo area, every
contact fictional (example domains, Ofcom's drama numbers); deterministic; demo partner users in their agencies."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.accounts.selectors import totp_device_confirmed
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.models import AuditEvent
from saferhomes.core.seed import SEED_STEPS, SeedContext, demo_logins, demo_logins_ensure, seed_demo
from saferhomes.housing.demo_data import DEMO_PASSWORD
from saferhomes.housing.models import Area
from saferhomes.referrals.demo_agencies import DEMO_CODES, DEMO_PARTNERS, seed_agencies
from saferhomes.referrals.models import Agency, AgencyKind, PartnerMembership
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)
EXAMPLE_DOMAIN = re.compile(r"^[a-z0-9.]+@([a-z0-9]+\.)*example\.(org|net)$")
DRAMA_NUMBER = re.compile(r"^01632 960 \d{3}$")


def _context(seed: int = 1) -> SeedContext:
    return SeedContext(homes=0, seed=seed, today=TODAY)


def _fingerprint() -> list[tuple[object, ...]]:
    return list(
        Agency.objects.order_by("code").values_list(
            "code", "name", "kind", "handles_da", "email", "secure_email", "phone", "website", "address", "area_served"
        )
    )


def _wipe() -> None:
    PartnerMembership.objects.all().delete()
    User.objects.filter(role=Role.PARTNER).delete()
    Agency.objects.all().delete()


def test_agencies_are_a_seed_step_after_the_cases_and_before_risk() -> None:
    steps = [step.name for step in SEED_STEPS]
    orders = {step.name: step.order for step in SEED_STEPS}
    assert orders["agencies"] == 52
    assert steps.index("cases") < steps.index("agencies") < steps.index("risk")


def test_the_demo_partnership_has_every_kind_of_agency_the_policy_names() -> None:
    Area.objects.create(code="NOR", name="North (Hartwick)")
    Area.objects.create(code="SOU", name="South (Ashcombe)")
    seed_agencies(_context())
    agencies = {agency.code: agency for agency in Agency.objects.all()}
    assert sorted(agencies) == sorted(DEMO_CODES)
    assert len(agencies) == 13
    assert {agency.kind for agency in agencies.values()} == set(AgencyKind.values) - {AgencyKind.OTHER}
    assert {code for code, agency in agencies.items() if agency.handles_da} == {
        "POLICE-PPU",
        "MARAC",
        "IDVA",
        "CHILDRENS-SC",
    }
    assert agencies["COUNCIL-ASB"].name == "Hartwick Council Anti-social Behaviour Team"
    assert agencies["COUNCIL-ASB"].area_served == "Hartwick and Ashcombe"
    assert agencies["POLICE-NPT"].name.endswith("shire Police: Hartwick Neighbourhood Policing Team")


def test_every_contact_is_fictional() -> None:
    seed_agencies(_context())
    for agency in Agency.objects.all():
        assert EXAMPLE_DOMAIN.match(agency.email), agency.email
        assert not agency.secure_email or EXAMPLE_DOMAIN.match(agency.secure_email), agency.secure_email
        assert DRAMA_NUMBER.match(agency.phone), agency.phone
        assert agency.website.startswith("https://www.example.org/"), agency.website
    police = Agency.objects.filter(kind=AgencyKind.POLICE)
    assert all(agency.secure_email.endswith("@pnn.example.net") for agency in police)
    partners = User.objects.filter(role=Role.PARTNER)
    assert all(user.email.endswith("@example.org") for user in partners)


def test_the_same_seed_gives_the_same_directory_and_another_seed_a_different_force() -> None:
    seed_agencies(_context(seed=3))
    first = _fingerprint()
    _wipe()
    seed_agencies(_context(seed=3))
    assert _fingerprint() == first
    _wipe()
    seed_agencies(_context(seed=4))
    assert _fingerprint() != first


def test_the_demo_partner_users_sign_in_like_the_personas_and_work_for_their_agencies() -> None:
    persona = UserFactory.create(username="partner_pc_patel", role=Role.PARTNER, team=None)
    seed_agencies(_context())
    members = dict(PartnerMembership.objects.values_list("user__username", "agency__code"))
    assert members == {"partner_pete": "COUNCIL-ASB", "partner_ida": "IDVA", "partner_pc_patel": "POLICE-NPT"}
    for partner in DEMO_PARTNERS:
        user = User.objects.get(username=partner.username)
        assert user.role == Role.PARTNER
        assert user.check_password(DEMO_PASSWORD)
        assert totp_device_confirmed(user=user) is not None
    assert persona.partner_membership.agency.code == "POLICE-NPT"
    event = AuditEvent.objects.get(verb=AuditVerb.AGENCIES_IMPORTED)
    assert event.after is not None
    assert event.after["created"] == 13
    assert event.after["partner_users"] == ["partner_pete", "partner_ida"]


def test_seeding_again_adds_nothing_and_keeps_what_is_there() -> None:
    seed_agencies(_context())
    Agency.objects.filter(code="IDVA").update(phone="01632 960 999")
    ctx = _context()
    seed_agencies(ctx)
    assert ctx.counts == {"agencies": 0, "partner users": 0}
    assert Agency.objects.count() == 13
    assert Agency.objects.get(code="IDVA").phone == "01632 960 999"


def test_demo_lists_and_adds_the_partner_logins_to_an_older_database() -> None:
    usernames = [login.username for login in demo_logins()]
    assert {"officer_olivia", "partner_pete", "partner_ida"} <= set(usernames)
    assert usernames.index("officer_olivia") < usernames.index("partner_pete")
    created = demo_logins_ensure()
    assert {"partner_pete", "partner_ida"} <= set(created)
    assert Agency.objects.count() == 13
    assert "partner_pete" not in demo_logins_ensure()


def test_the_whole_demo_seed_makes_the_directory() -> None:
    seed_demo(homes=60, seed=2, today=TODAY)
    assert Agency.objects.count() == 13
    assert PartnerMembership.objects.filter(user__username="partner_pc_patel", agency__code="POLICE-NPT").exists()
    town = Area.objects.order_by("code").first().name.split("(")[1].rstrip(")")  # type: ignore[union-attr]
    assert Agency.objects.get(code="CSP").name == f"{town} Community Safety Partnership"
