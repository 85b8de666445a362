"""The staff area needs a signed-in user who has passed the second factor."""

import pytest
from django.test import Client

from saferhomes.accounts.roles import Role
from tests.conftest import PERSONAS


@pytest.mark.django_db
def test_staff_home_redirects_anonymous_visitor_to_sign_in() -> None:
    response = Client().get("/staff/")
    assert response.status_code == 302
    assert response["Location"] == "/staff/sign-in/?next=/staff/"


@pytest.mark.django_db
def test_staff_home_requires_second_factor(officer_olivia) -> None:
    client = Client()
    client.force_login(officer_olivia)
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/two-factor/")


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.values)
def test_every_role_with_second_factor_reaches_staff_home(staff_client, role) -> None:
    response = staff_client(role).get("/staff/", follow=True)  # a partner lands on their shared cases (ADR 0010)
    assert response.status_code == 200
    assert response.redirect_chain == ([("/staff/partner/", 302)] if role == Role.PARTNER else [])


@pytest.mark.django_db
def test_each_role_group_exists_after_migrate() -> None:
    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)
    assert set(PERSONAS) == set(Role.values)
