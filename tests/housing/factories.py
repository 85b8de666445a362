"""Housing-register factories (Faker en_GB: synthetic people and places only)."""

from __future__ import annotations

import datetime as dt

import factory

from saferhomes.housing.models import (
    Area,
    Estate,
    Person,
    Property,
    PropertyType,
    Tenancy,
    TenancyMember,
    TenancyRelationship,
    TenancyType,
)

factory.Faker._DEFAULT_LOCALE = "en_GB"


class AreaFactory(factory.django.DjangoModelFactory[Area]):
    class Meta:
        model = Area
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"AR{n:03d}")
    name = factory.Sequence(lambda n: f"Area {n}")


class EstateFactory(factory.django.DjangoModelFactory[Estate]):
    class Meta:
        model = Estate
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"EST{n:03d}")
    name = factory.Sequence(lambda n: f"Estate {n}")
    area = factory.SubFactory(AreaFactory)


class PropertyFactory(factory.django.DjangoModelFactory[Property]):
    class Meta:
        model = Property

    reference = factory.Sequence(lambda n: f"PRP{n:06d}")
    address_line_1 = factory.Faker("street_address")
    town = factory.Faker("city")
    postcode = factory.Faker("postcode")
    estate = factory.SubFactory(EstateFactory)
    property_type = PropertyType.FLAT
    bedrooms = 2


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person

    reference = factory.Sequence(lambda n: f"PER{n:06d}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    date_of_birth = factory.Faker("date_of_birth", minimum_age=18, maximum_age=90)
    email = factory.LazyAttribute(lambda p: f"{p.first_name}.{p.last_name}@example.org".lower())


class TenancyFactory(factory.django.DjangoModelFactory[Tenancy]):
    class Meta:
        model = Tenancy

    reference = factory.Sequence(lambda n: f"TEN{n:06d}")
    property = factory.SubFactory(PropertyFactory)
    tenancy_type = TenancyType.SECURE
    start_date = dt.date(2015, 4, 1)


class TenancyMemberFactory(factory.django.DjangoModelFactory[TenancyMember]):
    class Meta:
        model = TenancyMember

    tenancy = factory.SubFactory(TenancyFactory)
    person = factory.SubFactory(PersonFactory)
    relationship = TenancyRelationship.LEAD_TENANT
