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
from tests.access.surfaces import Grid
from tests.api.conftest import bearer
from tests.cases.record_helpers import evidence_dir_fixture  # noqa: F401
from tests.conftest import client_verified_as
from tests.referrals.partner_matrix import (
    SENSITIVITIES,
    STATES,
    VIEWERS,
    PartnerWorld,
    partner_matrix,
    partner_sees,
    partner_world,
)

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


# surface -> (the request, and what "sees" means there; the check, True when the partner sees the case through it)
SURFACES: dict[str, tuple[str, Callable[[PartnerWorld], bool]]] = {
    "list": ("`GET /staff/partner/`: the case is listed", _list),
    "page": ("`GET /staff/partner/cases/{ref}/`: 200, else 404", _page),
    "document": ("`GET /staff/partner/cases/{ref}/documents/{pk}/`: 200, else 404", _document),
    "update": ("`POST /staff/partner/cases/{ref}/update/`: 302 and saved, else 404 and nothing saved", _update),
    "api_list": ("`GET /api/v1/shared-cases`: the case is listed", _api_list),
    "api_detail": ("`GET /api/v1/shared-cases/{ref}`: 200, else 404 naming nothing", _api_detail),
}


def _viewer_and_state(row: str) -> tuple[str, str]:
    viewer, state = row.split(" / ")
    return viewer, state


PARTNER_GRID = Grid(
    "Partner agencies",
    "What a partner sees of a case, through every surface a partner has",
    rows=[f"{viewer} / {state}" for viewer in VIEWERS for state in STATES],
    columns=SENSITIVITIES,
    cell=lambda row, sensitivity: "sees" if partner_sees(*_viewer_and_state(row), sensitivity) else "—",
    note="`tests/referrals/partner_matrix.py`: a partner of a council ASB team (`council`, not entitled to DA "
    "information) or of an IDVA service (`idva`, entitled); the case `shared` with their agency, `unshared`, shared "
    "`elsewhere`, share `ended`, or share `withdrawn`. Surfaces: "
    + "; ".join(f"{name}: {request}" for name, (request, _) in SURFACES.items())
    + ".",
)


@pytest.mark.parametrize("surface", sorted(SURFACES))
@pytest.mark.parametrize(("viewer", "state", "sensitivity"), partner_matrix())
def test_partner_access_matrix(viewer: str, state: str, sensitivity: str, surface: str, evidence_dir: Path) -> None:
    world = partner_world(viewer=viewer, state=state, sensitivity=sensitivity)
    _request, sees = SURFACES[surface]
    assert sees(world) is (PARTNER_GRID.cell(f"{viewer} / {state}", sensitivity) == "sees")


STAFF_PAGES = ["", "parties/", "incidents/", "contacts/", "actions/", "timeline/", "risk/", "partnership/", "closure/"]
STAFF_API = ["", "/contacts", "/closure", "/risk-assessments", "/shares"]
STAFF_SURFACES = [
    *(f"GET /staff/cases/{{ref}}/{page}" for page in STAFF_PAGES),
    "GET /staff/cases/{ref}/evidence/{pk}/",
    *(f"GET /api/v1/cases/{{ref}}{suffix}" for suffix in STAFF_API),
]
STAFF_GRID = Grid(
    "Partner agencies",
    "The staff pages and API of a case shared with the partner",
    rows=[f"`{surface}`" for surface in STAFF_SURFACES],
    columns=["manager named on the case", "partner (case shared, every sensitivity)"],
    cell=lambda _surface, column: 200 if column.startswith("manager") else 404,
    note="Never 403 with a hint: the partner gets 404 and the response names nothing of the case.",
)


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
    staff_wants, partner_wants = STAFF_GRID.columns
    for page in STAFF_PAGES:
        row = f"`GET /staff/cases/{{ref}}/{page}`"
        url = f"/staff/cases/{reference}/{page}"
        assert staff.get(url).status_code == STAFF_GRID.cell(row, staff_wants), url
        response = partner.get(url)
        assert response.status_code == STAFF_GRID.cell(row, partner_wants), (url, response.status_code)
        assert "Matrix case summary" not in response.content.decode()
    row = "`GET /staff/cases/{ref}/evidence/{pk}/`"
    assert staff.get(evidence).status_code == STAFF_GRID.cell(row, staff_wants)
    assert partner.get(evidence).status_code == STAFF_GRID.cell(row, partner_wants)
    for suffix in STAFF_API:
        response = _api(world, f"/api/v1/cases/{reference}{suffix}")
        wanted = STAFF_GRID.cell(f"`GET /api/v1/cases/{{ref}}{suffix}`", partner_wants)
        assert response.status_code == wanted, (suffix, response.status_code)
        assert reference not in json.dumps(response.json())
