"""The case page layout renders with its header, banner and tabs."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from tests.cases.factories import CaseFactory, PartyFactory
from tests.conftest import client_verified_as

pytestmark = pytest.mark.django_db


def test_case_page_shows_reference_tabs_and_vulnerability_banner(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER)
    case = CaseFactory.create(assigned_officer=officer, team=officer.team)
    PartyFactory.create(case=case, vulnerabilities="Hearing impaired", first_name="Ann", last_name="Example")
    client: Client = client_verified_as(officer)
    response = client.get(f"/staff/cases/{case.reference}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert case.reference in body
    assert "Hearing impaired" in body
    assert f"/staff/cases/{case.reference}/parties/" in body
