"""Staff pages of the housing register: who may see them, search, pagination, and no N+1 queries."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from saferhomes.accounts.roles import Role
from saferhomes.housing.models import Person, Property, Tenancy, TenancyRelationship
from tests.access.surfaces import RoleSurface
from tests.housing.factories import (
    EstateFactory,
    PersonFactory,
    PropertyFactory,
    TenancyFactory,
    TenancyMemberFactory,
)

pytestmark = pytest.mark.django_db

ROLES_WHO_SEE_THE_REGISTER = {Role.OFFICER, Role.COORDINATOR, Role.DA_SPECIALIST, Role.MANAGER, Role.ADMIN}


@dataclass
class Household:
    home: Property
    tenancy: Tenancy
    lead: Person
    child: Person


@pytest.fixture
def household() -> Household:
    """A home with a current secure tenancy: lead tenant with safe-contact notes, joint tenant and a child."""
    today = timezone.localdate()
    home = PropertyFactory.create(address_line_1="Flat 3 Tennyson House", postcode="HW4 2AB", reference="PRP000777")
    tenancy = TenancyFactory.create(property=home, reference="TEN000777", start_date=dt.date(2015, 4, 1))
    lead = PersonFactory.create(
        first_name="Amelia",
        last_name="Hartley",
        safe_contact_notes="Do not call before 6pm; partner checks phone",
        vulnerabilities="Anxiety; prefers short calls",
        vulnerability_categories=["mental_health"],
        reasonable_adjustments="Send letters before visits",
        preferred_language="Polish",
        needs_interpreter=True,
    )
    joint = PersonFactory(first_name="Tom", last_name="Hartley")
    child = PersonFactory.create(
        first_name="Lily", last_name="Hartley", date_of_birth=today.replace(year=today.year - 10)
    )
    TenancyMemberFactory(tenancy=tenancy, person=lead, relationship=TenancyRelationship.LEAD_TENANT)
    TenancyMemberFactory(tenancy=tenancy, person=joint, relationship=TenancyRelationship.JOINT_TENANT)
    TenancyMemberFactory(tenancy=tenancy, person=child, relationship=TenancyRelationship.HOUSEHOLD_MEMBER)
    return Household(home=home, tenancy=tenancy, lead=lead, child=child)


def _urls(household: Household) -> list[str]:
    return [
        reverse("housing:property-list"),
        reverse("housing:property-detail", args=[household.home.pk]),
        reverse("housing:person-detail", args=[household.lead.pk]),
    ]


REGISTER_PAGES = [
    RoleSurface(
        "Housing register", "Homes", "GET", "/staff/housing/properties/", frozenset(ROLES_WHO_SEE_THE_REGISTER)
    ),
    RoleSurface(
        "Housing register", "A home", "GET", "/staff/housing/properties/{home}/", frozenset(ROLES_WHO_SEE_THE_REGISTER)
    ),
    RoleSurface(
        "Housing register", "A person", "GET", "/staff/housing/people/{person}/", frozenset(ROLES_WHO_SEE_THE_REGISTER)
    ),
]


@pytest.mark.parametrize("role", Role.values)
def test_register_pages_are_visible_only_to_roles_with_the_view_permissions(
    staff_client: Callable[..., Client], household: Household, role: str
) -> None:
    client = staff_client(role)
    assert [page.url(home=household.home.pk, person=household.lead.pk) for page in REGISTER_PAGES] == _urls(household)
    for page in REGISTER_PAGES:
        url = page.url(home=household.home.pk, person=household.lead.pk)
        response = client.get(url)
        expected = page.expected(role)
        assert response.status_code == expected, url
        if expected == 403:
            assert b"You cannot see this page" in response.content
            assert b"Hartley" not in response.content


def test_register_pages_send_anonymous_visitors_to_sign_in(household: Household) -> None:
    for url in _urls(household):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign-in"))


@pytest.mark.parametrize("query", ["hw42ab", "HW4 2AB", "hw4", "PRP000777", "prp000777", "tennyson"])
def test_homes_are_found_by_postcode_reference_or_address(
    staff_client: Callable[..., Client], household: Household, query: str
) -> None:
    PropertyFactory(address_line_1="1 Elsewhere Road", postcode="LS1 4AP")
    response = staff_client(Role.OFFICER).get(reverse("housing:property-list"), {"q": query})
    assert response.status_code == 200
    assert list(response.context["page_obj"]) == [household.home]
    assert b"Flat 3 Tennyson House" in response.content


def test_homes_can_be_filtered_by_estate(staff_client: Callable[..., Client]) -> None:
    ash, elm = EstateFactory(code="ASH", name="Ashcombe"), EstateFactory(code="ELM", name="Elmwood")
    on_ash = PropertyFactory(estate=ash)
    PropertyFactory(estate=elm)
    response = staff_client(Role.OFFICER).get(reverse("housing:property-list"), {"estate": "ASH"})
    assert list(response.context["page_obj"]) == [on_ash]
    assert re.search(r'<option value="ASH"\s+selected>', response.content.decode())
    assert not re.search(r'<option value="ELM"\s+selected>', response.content.decode())


def test_an_unknown_estate_is_an_error_message_not_a_crash(staff_client: Callable[..., Client]) -> None:
    response = staff_client(Role.OFFICER).get(reverse("housing:property-list"), {"estate": "NOPE", "q": "Mill"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert '<a href="#id_estate">Select an estate from the list</a>' in content
    assert 'value="Mill"' in content  # keeps what was typed
    assert "<title>Error:" in content.replace("\n", "").replace("  ", "")


def test_the_register_is_paginated_50_to_a_page_with_govuk_pagination(staff_client: Callable[..., Client]) -> None:
    estate = EstateFactory.create()
    PropertyFactory.create_batch(51, estate=estate)
    client = staff_client(Role.OFFICER)
    first = client.get(reverse("housing:property-list"))
    assert len(first.context["page_obj"]) == 50
    assert b'class="govuk-pagination"' in first.content
    assert b'rel="next"' in first.content
    second = client.get(reverse("housing:property-list"), {"page": "2", "estate": estate.code})
    assert len(second.context["page_obj"]) == 1
    assert b'rel="prev"' in second.content
    assert b"estate=" in second.content  # page links keep the filter


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_register_list_takes_the_same_number_of_queries_for_3_or_50_homes(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.OFFICER)
    url = reverse("housing:property-list")
    PropertyFactory.create_batch(3)
    few = _queries(client, url)
    PropertyFactory.create_batch(60)
    assert _queries(client, url) == few


def test_a_home_page_takes_the_same_number_of_queries_however_many_tenancies_and_people(
    staff_client: Callable[..., Client], household: Household
) -> None:
    client = staff_client(Role.OFFICER)
    home = household.home
    url = reverse("housing:property-detail", args=[home.pk])
    few = _queries(client, url)
    for year in range(2000, 2010):
        old = TenancyFactory(property=home, start_date=dt.date(year, 1, 1), end_date=dt.date(year, 12, 31))
        TenancyMemberFactory.create_batch(3, tenancy=old, relationship=TenancyRelationship.HOUSEHOLD_MEMBER)
    assert _queries(client, url) == few


def test_a_person_page_takes_the_same_number_of_queries_however_many_tenancies(
    staff_client: Callable[..., Client], household: Household
) -> None:
    client = staff_client(Role.OFFICER)
    lead = household.lead
    url = reverse("housing:person-detail", args=[lead.pk])
    few = _queries(client, url)
    for year in range(2000, 2010):
        TenancyMemberFactory(
            tenancy=TenancyFactory(start_date=dt.date(year, 1, 1), end_date=dt.date(year, 12, 31)), person=lead
        )
    assert _queries(client, url) == few


def test_a_home_page_shows_the_tenancy_with_lead_tenant_first_and_flags_children(
    staff_client: Callable[..., Client], household: Household
) -> None:
    home = household.home
    response = staff_client(Role.OFFICER).get(reverse("housing:property-detail", args=[home.pk]))
    content = response.content.decode()
    assert "Secure tenancy TEN000777" in content
    assert content.index("Amelia Hartley") < content.index("Tom Hartley") < content.index("Lily Hartley")
    assert "lead tenant" in content
    assert "joint tenant" in content
    assert content.count("Under 18") == 1
    assert content.index("Under 18") > content.index("Lily Hartley")


def test_a_person_page_shows_safe_contact_notes_first_as_a_warning(
    staff_client: Callable[..., Client], household: Household
) -> None:
    lead = household.lead
    response = staff_client(Role.OFFICER).get(reverse("housing:person-detail", args=[lead.pk]))
    content = response.content.decode()
    warning = content.index("govuk-warning-text")
    assert warning < content.index("Contact details")
    assert "Do not call before 6pm; partner checks phone" in content[warning : content.index("Contact details")]
    assert "Mental health" in content
    assert "Anxiety; prefers short calls" in content
    assert "Send letters before visits" in content
    assert "Polish" in content
    assert "TEN000777" in content
    assert "Under 18" not in content


def test_a_child_is_flagged_under_18_on_their_page(staff_client: Callable[..., Client], household: Household) -> None:
    child = household.child
    response = staff_client(Role.OFFICER).get(reverse("housing:person-detail", args=[child.pk]))
    assert b"Under 18" in response.content
    assert b"(age 10)" in response.content


def test_a_missing_home_or_person_is_a_404(staff_client: Callable[..., Client]) -> None:
    client = staff_client(Role.OFFICER)
    assert client.get(reverse("housing:property-detail", args=[999999])).status_code == 404
    assert client.get(reverse("housing:person-detail", args=[999999])).status_code == 404
