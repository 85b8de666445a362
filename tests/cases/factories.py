"""Case factories (Faker en_GB: synthetic people only). References use a TEST prefix so they never collide with
numbers the services allocate."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from saferhomes.cases.models import Case, CaseType, Party, PartyRole, Priority, Sensitivity, Status
from tests.factories import TeamFactory, UserFactory


class CaseFactory(factory.django.DjangoModelFactory[Case]):
    """A new normal ASB case received yesterday, assigned to a fresh officer in their team."""

    class Meta:
        model = Case
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"TST-2026-{n:06d}")
    case_type = CaseType.ASB
    summary = factory.Faker("sentence", nb_words=6)
    description = factory.Faker("paragraph")
    status = Status.NEW
    priority = Priority.NORMAL
    sensitivity = factory.LazyAttribute(lambda c: Sensitivity.DA if c.case_type == CaseType.DA else Sensitivity.NORMAL)
    team = factory.SubFactory(TeamFactory)
    assigned_officer = factory.SubFactory(UserFactory, team=factory.SelfAttribute("..team"))
    received_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    triaged_at = factory.LazyAttribute(lambda c: None if c.status == Status.NEW else c.received_at)


class PartyFactory(factory.django.DjangoModelFactory[Party]):
    """An ad hoc reporter on a case."""

    class Meta:
        model = Party

    case = factory.SubFactory(CaseFactory)
    role = PartyRole.REPORTER
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
