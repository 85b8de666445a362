"""Factories shared by every test package (Faker en_GB: synthetic people only)."""

from __future__ import annotations

import factory
from django.contrib.auth.models import Group

from saferhomes.accounts.models import Team, User
from saferhomes.accounts.roles import Role

factory.Faker._DEFAULT_LOCALE = "en_GB"

TEST_PASSWORD = "correct-horse-battery-staple-42"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Neighbourhood team {n}")


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    role = Role.OFFICER
    is_staff = factory.LazyAttribute(lambda u: u.role == Role.ADMIN)  # as staff_create does: admins reach /staff/admin/
    team = factory.SubFactory(TeamFactory)
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def role_group(obj: User, create: bool, extracted: object, **kwargs: object) -> None:  # noqa: N805
        if create:
            obj.groups.set(Group.objects.filter(name=obj.role))
            obj.save()


# --- Case Review applications (issue 17; helper B) ---
# A decided application for review tests and the demo: the threshold decision is written directly here (the decision
# service belongs to the application and threshold engine); `met=True` / `not_met=True` give a decided one.
import datetime as _dt  # noqa: E402 (kept in this block for merging)

from django.utils import timezone as _timezone  # noqa: E402


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "case_review.Application"

    reference = factory.Sequence(lambda n: f"CR-2026-{900000 + n:06d}")
    channel = "phone"
    received_at = factory.LazyFunction(lambda: _timezone.now() - _dt.timedelta(days=40))
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda a: f"{a.first_name}.{a.last_name}@example.com".lower().replace("'", ""))
    address = factory.Faker("street_address")
    postcode = factory.Faker("postcode")
    contact_methods = factory.LazyFunction(lambda: ["letter"])
    description = "Loud music and shouting from the flat above most nights; reported three times since summer."

    class Params:
        met = factory.Trait(
            threshold_met=True,
            threshold_suggested_met=True,
            status="review",
            decided_at=factory.LazyAttribute(lambda a: a.received_at + _dt.timedelta(days=7)),
            decision_reasons="Three complaints about the same noise in the six months before the application.",
        )
        not_met = factory.Trait(
            threshold_met=False,
            threshold_suggested_met=False,
            status="threshold_not_met",
            decided_at=factory.LazyAttribute(lambda a: a.received_at + _dt.timedelta(days=7)),
            decision_reasons="Two complaints in the six months before the application; the threshold is three.",
        )
