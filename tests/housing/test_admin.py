"""The configuration admin lists and shows the register for administrators (read-only by their permissions)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.test import Client

from saferhomes.accounts.roles import Role
from tests.housing.factories import TenancyMemberFactory

pytestmark = pytest.mark.django_db


def test_admin_registrations_pass_djangos_checks() -> None:
    call_command("check", "housing")


def test_administrator_can_search_and_open_register_records_in_the_admin(
    staff_client: Callable[..., Client],
) -> None:
    member = TenancyMemberFactory.create()
    client = staff_client(Role.ADMIN)
    home = member.tenancy.property
    pages = [
        f"/staff/admin/housing/property/?q={home.postcode}",
        f"/staff/admin/housing/property/{home.pk}/change/",
        f"/staff/admin/housing/tenancy/?q={member.tenancy.reference}",
        f"/staff/admin/housing/tenancy/{member.tenancy.pk}/change/",
        f"/staff/admin/housing/person/?q={member.person.last_name}",
        f"/staff/admin/housing/person/{member.person.pk}/change/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
    listing = client.get(f"/staff/admin/housing/property/?q={home.postcode}")
    assert home.reference in listing.content.decode()
