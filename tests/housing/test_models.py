"""Register invariants hold in the database, not only in forms."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from saferhomes.housing.models import (
    Person,
    Property,
    TenancyRelationship,
    validate_postcode,
    validate_vulnerability_categories,
)
from tests.housing.factories import (
    EstateFactory,
    PersonFactory,
    PropertyFactory,
    TenancyFactory,
    TenancyMemberFactory,
)

pytestmark = pytest.mark.django_db


def _violates(build) -> bool:
    try:
        with transaction.atomic():
            build()
    except IntegrityError:
        return True
    return False


def test_property_reference_is_unique() -> None:
    PropertyFactory(reference="PRP1")
    assert _violates(lambda: PropertyFactory(reference="PRP1"))


def test_uprn_is_unique_when_present_but_many_homes_may_have_none() -> None:
    PropertyFactory(uprn=None)
    PropertyFactory(uprn=None)
    PropertyFactory(uprn=100023456789)
    assert _violates(lambda: PropertyFactory(uprn=100023456789))


def test_uprn_longer_than_twelve_digits_is_refused_by_the_database() -> None:
    assert _violates(lambda: PropertyFactory(uprn=1_000_000_000_000))


def test_unknown_property_type_is_refused_by_the_database() -> None:
    assert _violates(lambda: PropertyFactory(property_type="castle"))


def test_tenancy_cannot_end_before_it_starts() -> None:
    TenancyFactory(start_date=dt.date(2020, 1, 1), end_date=dt.date(2020, 1, 1))
    assert _violates(lambda: TenancyFactory(start_date=dt.date(2020, 1, 2), end_date=dt.date(2020, 1, 1)))


def test_unknown_tenancy_type_is_refused_by_the_database() -> None:
    assert _violates(lambda: TenancyFactory(tenancy_type="council"))


def test_a_tenancy_has_at_most_one_lead_tenant() -> None:
    tenancy = TenancyFactory()
    TenancyMemberFactory(tenancy=tenancy, relationship=TenancyRelationship.LEAD_TENANT)
    TenancyMemberFactory(tenancy=tenancy, relationship=TenancyRelationship.JOINT_TENANT)
    assert _violates(lambda: TenancyMemberFactory(tenancy=tenancy, relationship=TenancyRelationship.LEAD_TENANT))


def test_a_person_appears_once_in_a_tenancy() -> None:
    member = TenancyMemberFactory()
    assert _violates(
        lambda: TenancyMemberFactory(
            tenancy=member.tenancy, person=member.person, relationship=TenancyRelationship.HOUSEHOLD_MEMBER
        )
    )


def test_person_reference_is_unique_when_present_but_optional() -> None:
    PersonFactory(reference="")
    PersonFactory(reference="")
    PersonFactory(reference="PER1")
    assert _violates(lambda: PersonFactory(reference="PER1"))


def test_person_must_have_a_last_name() -> None:
    assert _violates(lambda: PersonFactory(last_name=""))


def test_unknown_preferred_format_is_refused_by_the_database() -> None:
    assert _violates(lambda: PersonFactory(preferred_format="smoke_signals"))


def test_person_minor_flag_is_derived_from_date_of_birth_on_a_date() -> None:
    child = PersonFactory.build(date_of_birth=dt.date(2012, 2, 29))
    assert child.is_minor_on(dt.date(2030, 2, 28)) is True
    assert child.is_minor_on(dt.date(2030, 3, 1)) is False
    assert child.age_on(dt.date(2030, 3, 1)) == 18
    unknown = PersonFactory.build(date_of_birth=None)
    assert unknown.is_minor_on(dt.date(2030, 1, 1)) is False
    assert unknown.age_on(dt.date(2030, 1, 1)) is None


def test_postcode_validator_wants_the_canonical_form() -> None:
    validate_postcode("LS1 4AP")
    with pytest.raises(ValidationError, match="Write the postcode as LS1 4AP"):
        validate_postcode("ls14ap")
    with pytest.raises(ValidationError, match="is not a UK postcode"):
        validate_postcode("XYZ")


def test_property_full_clean_normalises_the_postcode() -> None:
    home = PropertyFactory.build(postcode="ls14ap", estate=EstateFactory())
    home.full_clean()
    assert home.postcode == "LS1 4AP"


def test_vulnerability_categories_must_be_known_and_distinct() -> None:
    validate_vulnerability_categories(["mental_health", "older_person"])
    for bad in (["werewolf"], ["mental_health", "mental_health"], "mental_health", [1]):
        with pytest.raises(ValidationError):
            validate_vulnerability_categories(bad)


def test_string_forms_name_the_thing() -> None:
    member = TenancyMemberFactory.create(
        person=PersonFactory(title="Ms", first_name="Amelia", last_name="Hartley"),
        tenancy=TenancyFactory(reference="TEN9", property=PropertyFactory(address_line_1="1 Mill Lane")),
    )
    assert str(member.person) == "Ms Amelia Hartley"
    assert str(member) == "Ms Amelia Hartley: Lead tenant of TEN9"
    assert str(member.tenancy) == "TEN9 (Secure)"
    assert str(member.tenancy.property).startswith("1 Mill Lane, ")
    estate = member.tenancy.property.estate
    assert estate is not None
    assert str(estate).startswith("Estate ")
    assert str(estate.area).startswith("Area ")


def test_property_import_permission_exists() -> None:
    assert ("import_register", "Can import the housing register") in Property._meta.permissions
    assert Person._meta.verbose_name_plural == "people"
