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
