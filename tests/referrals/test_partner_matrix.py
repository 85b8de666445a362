"""The partner access matrix (tests/referrals/partner_matrix.py): partners of two agencies x shared / unshared / shared
elsewhere / ended / withdrawn x normal / restricted / DA, through every surface a partner has — the list, the case
page, a document, an update, the API's list and read — and the staff case pages and API for a case that IS shared
with them (404, never 403 with a hint)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.accounts.services import token_create
from saferhomes.cases.models import Sensitivity
from saferhomes.referrals.models import PartnerUpdate
from tests.api.conftest import bearer
from tests.cases.record_helpers import evidence_dir_fixture  # noqa: F401
from tests.conftest import client_verified_as
from tests.referrals.partner_matrix import PartnerWorld, partner_matrix, partner_sees, partner_world

pytestmark = pytest.mark.django_db


def _list(world: PartnerWorld) -> bool:
    html = client_verified_as(world.partner).get("/staff/partner/").content.decode()
    return f'href="/staff/partner/cases/{world.case.reference}/"' in html


def _page(world: PartnerWorld) -> bool:
    response = client_verified_as(world.partner).get(f"/staff/partner/cases/{world.case.reference}/")
    assert response.status_code in (200, 404)
    return response.status_code == 200 and "Matrix case summary" in response.content.decode()


def _document(world: PartnerWorld) -> bool:
    url = f"/staff/partner/cases/{world.case.reference}/documents/{world.document.pk}/"
    response = client_verified_as(world.partner).get(url)
    assert response.status_code in (200, 404)
    return response.status_code == 200


def _update(world: PartnerWorld) -> bool:
    url = f"/staff/partner/cases/{world.case.reference}/update/"
    response = client_verified_as(world.partner).post(url, {"text": "Matrix update"})
    assert response.status_code in (302, 404)
    made = PartnerUpdate.objects.filter(case=world.case, text="Matrix update").exists()
    assert made == (response.status_code == 302)
    return made


def _api(world: PartnerWorld, url: str) -> Any:
    _token, raw = token_create(actor=None, user=world.partner, name="matrix")
    return Client().get(url, headers=bearer(raw))


def _api_list(world: PartnerWorld) -> bool:
    response = _api(world, "/api/v1/shared-cases")
    assert response.status_code == 200
    return world.case.reference in [row["reference"] for row in response.json()]


def _api_detail(world: PartnerWorld) -> bool:
    response = _api(world, f"/api/v1/shared-cases/{world.case.reference}")
    assert response.status_code in (200, 404)
    if response.status_code == 404:
        assert world.case.reference not in json.dumps(response.json())
    return response.status_code == 200


SURFACES: dict[str, Callable[[PartnerWorld], bool]] = {
    "list": _list,
    "page": _page,
    "document": _document,
    "update": _update,
    "api_list": _api_list,
    "api_detail": _api_detail,
}


@pytest.mark.parametrize("surface", sorted(SURFACES))
@pytest.mark.parametrize(("viewer", "state", "sensitivity"), partner_matrix())
def test_partner_access_matrix(viewer: str, state: str, sensitivity: str, surface: str, evidence_dir: Path) -> None:
    world = partner_world(viewer=viewer, state=state, sensitivity=sensitivity)
    assert SURFACES[surface](world) is partner_sees(viewer, state, sensitivity)


STAFF_PAGES = ["", "parties/", "incidents/", "contacts/", "actions/", "timeline/", "risk/", "partnership/", "closure/"]


@pytest.mark.parametrize("sensitivity", [str(s) for s in Sensitivity])
def test_a_partner_gets_404_on_the_staff_case_pages_and_api_of_a_case_shared_with_them(
    sensitivity: str, evidence_dir: Path, make_staff: Callable[..., User]
) -> None:
    world = partner_world(viewer="idva", state="shared", sensitivity=sensitivity)
    assert partner_sees("idva", "shared", sensitivity)
    reference = world.case.reference
    manager = make_staff(Role.MANAGER)
    world.case.restricted_to.add(manager)  # a member of staff who may open every one of these addresses
    staff, partner = client_verified_as(manager), client_verified_as(world.partner)
    evidence = f"/staff/cases/{reference}/evidence/{world.document.pk}/"
    for url in [*(f"/staff/cases/{reference}/{page}" for page in STAFF_PAGES), evidence]:
        assert staff.get(url).status_code == 200, url
        response = partner.get(url)
        assert response.status_code == 404, (url, response.status_code)
        assert "Matrix case summary" not in response.content.decode()
    for suffix in ("", "/contacts", "/closure", "/risk-assessments", "/shares"):
        response = _api(world, f"/api/v1/cases/{reference}{suffix}")
        assert response.status_code == 404, (suffix, response.status_code)
        assert reference not in json.dumps(response.json())
