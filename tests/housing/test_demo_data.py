"""The demo landlord: deterministic for a seed, realistic in shape, and `saferhomes demo` ready to sign in to."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from saferhomes.accounts.models import User
from saferhomes.core.models import AuditEvent
from saferhomes.core.seed import SeedError, seed_demo
from saferhomes.housing import rules
from saferhomes.housing.demo_data import DEMO_PASSWORD, DEMO_STAFF
from saferhomes.housing.models import (
    Area,
    Estate,
    Person,
    Property,
    Tenancy,
    TenancyMember,
    TenancyRelationship,
    TenancyType,
)
from tests.conftest import PERSONAS
from tests.demo_wipe import wipe_demo
from tests.housing.factories import PropertyFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)


def _wipe_register() -> None:
    wipe_demo()


def _snapshot() -> tuple[list[tuple[str, str, str, str]], list[tuple[str, str, dt.date | None]]]:
    homes = list(Property.objects.order_by("reference").values_list("reference", "address_line_1", "town", "postcode"))
    people = list(Person.objects.order_by("reference").values_list("first_name", "last_name", "date_of_birth"))
    return homes[:50], people[:50]


def test_the_same_seed_gives_the_same_landlord_and_another_seed_a_different_one() -> None:
    seed_demo(homes=120, seed=7, today=TODAY)
    first = _snapshot()
    _wipe_register()
    seed_demo(homes=120, seed=7, today=TODAY)
    assert _snapshot() == first
    _wipe_register()
    seed_demo(homes=120, seed=8, today=TODAY)
    assert _snapshot()[0] != first[0]


def test_the_seed_makes_n_homes_on_about_one_estate_per_150_in_a_few_areas() -> None:
    result = seed_demo(homes=600, seed=1, today=TODAY)
    assert Property.objects.count() == result.counts["properties"] == 600
    assert Estate.objects.count() == 4
    assert 2 <= Area.objects.count() <= 8
    assert Property.objects.filter(estate__isnull=False).count() > 450
    assert Property.objects.filter(estate__isnull=True).exists()
    assert all(rules.normalise_postcode(p) == p for p in Property.objects.values_list("postcode", flat=True))
    assert Property.objects.filter(uprn__isnull=True).exists()
    assert Property.objects.filter(is_owned=False).exists()


def test_the_seed_makes_households_with_one_lead_tenant_joint_tenants_and_children() -> None:
    seed_demo(homes=600, seed=1, today=TODAY)
    tenancies = Tenancy.objects.count()
    assert tenancies > 600 * 0.9
    leads = TenancyMember.objects.filter(relationship=TenancyRelationship.LEAD_TENANT)
    assert leads.count() == tenancies
    assert TenancyMember.objects.filter(relationship=TenancyRelationship.JOINT_TENANT).count() > 50
    children = [p for p in Person.objects.all() if p.is_minor_on(TODAY)]
    assert len(children) > 100
    child_roles = set(TenancyMember.objects.filter(person__in=children).values_list("relationship", flat=True))
    assert child_roles == {TenancyRelationship.HOUSEHOLD_MEMBER}
    assert Tenancy.objects.filter(end_date__isnull=False, end_date__lt=TODAY).exists()  # previous tenants


def test_the_seed_mixes_tenancy_types_mostly_secure_and_assured() -> None:
    seed_demo(homes=600, seed=1, today=TODAY)
    types = Counter(Tenancy.objects.values_list("tenancy_type", flat=True))
    assert set(types) == set(TenancyType.values)
    assert types.most_common(2)[0][0] in (TenancyType.SECURE, TenancyType.ASSURED)
    assert types[TenancyType.SECURE] + types[TenancyType.ASSURED] > sum(types.values()) / 2
    recent = TODAY - dt.timedelta(days=366)
    assert not Tenancy.objects.filter(tenancy_type=TenancyType.STARTER, start_date__lt=recent).exists()


def test_the_seed_gives_some_people_needs_safe_contact_notes_and_other_languages() -> None:
    seed_demo(homes=600, seed=1, today=TODAY)
    people = list(Person.objects.all())
    assert any(p.vulnerability_categories for p in people)
    assert any(p.reasonable_adjustments for p in people)
    assert any(p.safe_contact_notes for p in people)
    assert any(p.preferred_language != "English" for p in people)
    assert any(p.needs_interpreter for p in people)
    assert all(p.email.split("@")[1].startswith("example.") for p in people if p.email)
    assert all(p.mobile.startswith("07700 900") for p in people if p.mobile)  # Ofcom drama numbers
    for person in people:
        person.full_clean()


def test_the_seed_creates_one_login_per_role_with_the_persona_names() -> None:
    assert {persona.role: persona.username for persona in DEMO_STAFF} == PERSONAS
    seed_demo(homes=10, seed=1, today=TODAY)
    for persona in DEMO_STAFF:
        user = User.objects.get(username=persona.username)
        assert user.role == persona.role
        assert list(user.groups.values_list("name", flat=True)) == [persona.role]
        assert user.team is not None
        assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
    assert User.objects.get(username="admin_ada").check_password(DEMO_PASSWORD)
    personas = [str(pk) for pk in User.objects.filter(username__in=PERSONAS.values()).values_list("pk", flat=True)]
    assert AuditEvent.objects.filter(verb="staff.created", object_id__in=personas).count() == len(DEMO_STAFF)
    assert AuditEvent.objects.get(verb="housing.seeded").after["properties"] == 10  # type: ignore[index]


def test_the_seed_refuses_a_register_that_already_has_homes() -> None:
    PropertyFactory()
    with pytest.raises(SeedError, match="already has 1 homes"):
        seed_demo(homes=10)
    with pytest.raises(CommandError, match="seed only fills an empty register"):
        call_command("seed", "--homes", "10", stdout=StringIO())
    assert Property.objects.count() == 1


def test_seed_command_reports_what_it_made() -> None:
    out = StringIO()
    call_command("seed", "--homes", "25", "--seed", "3", stdout=out)
    assert "Properties" in out.getvalue()
    assert Property.objects.count() == 25


def test_demo_without_serving_on_an_empty_database_creates_the_landlord_and_every_login() -> None:
    out = StringIO()
    call_command("demo", "--no-serve", "--homes", "40", stdout=out)
    text = out.getvalue()
    assert Property.objects.count() == 40
    assert set(User.objects.values_list("role", flat=True)) == set(PERSONAS)
    for username in PERSONAS.values():
        assert username in text
    assert DEMO_PASSWORD in text
    assert "http://127.0.0.1:8000/staff/" in text
    assert "http://127.0.0.1:8000/api/v1/docs" in text
    assert "uv run saferhomes totp-code USERNAME" in text


def test_demo_keeps_an_existing_register_and_adds_missing_logins() -> None:
    PropertyFactory()
    out = StringIO()
    call_command("demo", "--no-serve", "--port", "8123", stdout=out)
    assert Property.objects.count() == 1
    assert "already has 1 homes" in out.getvalue()
    assert "http://127.0.0.1:8123/" in out.getvalue()
    assert User.objects.filter(username__in=PERSONAS.values()).count() == len(PERSONAS)


def test_demo_refuses_to_run_in_production(settings) -> None:
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="will not run with SAFERHOMES_ENV=production"):
        call_command("demo", "--no-serve", stdout=StringIO())
    assert not User.objects.exists()
