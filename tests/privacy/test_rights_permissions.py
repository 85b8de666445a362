"""Permission matrix for the rights-request pages and API (issue 19 part 4): every role against every URL and
endpoint. Only the DPO (`privacy.handle_rights_request`) gets in; everyone else is refused (403), never shown data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from saferhomes.accounts.roles import Role
from saferhomes.privacy.models_rights import RightsKind, RightsRequest
from tests.access.surfaces import RoleSurface

pytestmark = pytest.mark.django_db


@pytest.fixture
def rights_request(make_staff) -> RightsRequest:
    today = timezone.localdate()
    made: RightsRequest = RightsRequest.objects.create(
        kind=RightsKind.ACCESS,
        requester_name="Sam Example",
        subject_names=["Sam Example"],
        received_on=today,
        due_on=today + dt.timedelta(days=30),
    )
    return made


AREA = "Data protection"
RIGHTS = "privacy.handle_rights_request"
# The DPO's answer is the page's for a request just received: a search redirects to the request, the export GET is
# 404 until one is produced, and the export POST shows the request again with why no export was produced (the
# requester's identity is not yet verified).
PAGES = [
    RoleSurface(AREA, "Rights requests", "GET", "/staff/privacy/requests/", RIGHTS),
    RoleSurface(AREA, "Rights requests (CSV)", "GET", "/staff/privacy/requests/?format=csv", RIGHTS),
    RoleSurface(AREA, "Log a rights request", "GET", "/staff/privacy/requests/new/", RIGHTS),
    RoleSurface(AREA, "A rights request", "GET", "/staff/privacy/requests/{pk}/", RIGHTS),
    RoleSurface(AREA, "Search for the subject", "GET", "/staff/privacy/requests/{pk}/search/", RIGHTS),
    RoleSurface(AREA, "Search for the subject (post)", "POST", "/staff/privacy/requests/{pk}/search/", RIGHTS, ok=302),
    RoleSurface(AREA, "Produce the export (post)", "POST", "/staff/privacy/requests/{pk}/export/", RIGHTS),
    RoleSurface(AREA, "Download the export", "GET", "/staff/privacy/requests/{pk}/export/", RIGHTS, ok=404),
]


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("page", PAGES, ids=[f"{page.method} {page.path}" for page in PAGES])
def test_rights_pages_are_for_the_dpo_only(role, page: RoleSurface, staff_client, rights_request) -> None:
    client = staff_client(role)
    response = getattr(client, page.method.lower())(page.url(pk=rights_request.pk))
    assert response.status_code == page.expected(role)
