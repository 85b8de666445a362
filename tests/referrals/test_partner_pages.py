"""A partner's own pages under /staff/partner/: where they land after signing in, a menu with only their shared cases,
the list, the shared parts of a case, a document, adding an update; and staff cannot use them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Case, EvidenceFile, Incident
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.models import AuditEvent
from saferhomes.referrals.models import Agency, PartnerUpdate, SharePart
from tests.access.surfaces import RoleSurface
from tests.cases.factories import CaseFactory
from tests.cases.record_helpers import evidence_dir_fixture  # noqa: F401
from tests.conftest import client_verified_as
from tests.referrals.partner_helpers import (
    ALL_PARTS,
    INCIDENT_PLACE,
    PERPETRATOR_NAME,
    PNG,
    VICTIM_NAME,
    council_agency,
    evidence_of,
    full_case,
    idva_agency,
    partner_of,
    share_of,
)

pytestmark = pytest.mark.django_db


def _without_nonce(html: str) -> str:
    return re.sub(r'(nonce|value)="[^"]*"', "", html)  # per-request CSP nonce and CSRF token


@pytest.fixture
def pete() -> User:
    return partner_of(council_agency(), "partner_pete")


def test_a_partner_lands_on_their_shared_cases_with_only_that_in_the_menu(pete: User) -> None:
    client = client_verified_as(pete)
    response = client.get("/staff/")
    assert (response.status_code, response["Location"]) == (302, "/staff/partner/")
    html = client.get("/staff/partner/").content.decode()
    menu = html.split('id="staff-navigation"', 1)[1].split("</ul>", 1)[0]
    assert 'href="/staff/partner/"' in menu
    assert menu.count('class="govuk-service-navigation__link"') == 1  # and sign out, a button
    assert "Example Council ASB Team" in html


def test_staff_keep_their_home_page_and_menu(make_staff: Callable[..., User]) -> None:
    client = client_verified_as(make_staff(Role.OFFICER))
    response = client.get("/staff/")
    assert response.status_code == 200
    assert 'href="/staff/partner/"' not in response.content.decode()


def test_the_partner_pages_show_the_shared_parts_and_nothing_more(pete: User, evidence_dir: Path) -> None:
    council = council_agency()
    case = full_case()
    share_of(case, council, [SharePart.SUMMARY, SharePart.INCIDENTS])
    theirs = share_of(CaseFactory.create(summary="Another agency's case"), idva_agency()).case
    client = client_verified_as(pete)

    listing = client.get("/staff/partner/").content.decode()
    assert f'href="/staff/partner/cases/{case.reference}/"' in listing
    assert theirs.reference not in listing
    assert "Summary and incidents" in listing

    html = client.get(f"/staff/partner/cases/{case.reference}/").content.decode()
    assert "Drug dealing from the flat" in html
    assert "Shouting and a door kicked in" in html
    assert 'id="risk"' not in html
    assert 'id="documents"' not in html
    for secret in (*VICTIM_NAME, *PERPETRATOR_NAME, INCIDENT_PLACE, "door.png"):
        assert secret not in html
    assert f'href="/staff/partner/cases/{case.reference}/update/"' in html


def test_another_agencys_case_by_url_is_the_same_404_as_no_case(pete: User) -> None:
    theirs = share_of(CaseFactory.create(), idva_agency()).case
    client = client_verified_as(pete)
    refused = client.get(f"/staff/partner/cases/{theirs.reference}/")
    missing = client.get("/staff/partner/cases/ASB-2099-000001/")
    assert refused.status_code == missing.status_code == 404
    assert _without_nonce(refused.content.decode()) == _without_nonce(missing.content.decode())
    assert theirs.reference not in refused.content.decode()
    assert client.get(f"/staff/partner/cases/{theirs.reference}/update/").status_code == 404


def test_a_shared_document_downloads_and_is_audited(pete: User, evidence_dir: Path) -> None:
    case = full_case()
    share_of(case, council_agency(), ALL_PARTS)
    evidence = evidence_of(case)
    client = client_verified_as(pete)
    html = client.get(f"/staff/partner/cases/{case.reference}/").content.decode()
    link = f"/staff/partner/cases/{case.reference}/documents/{evidence.pk}/"
    assert link in html
    response = client.get(link)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == evidence.file.open("rb").read()  # type: ignore[attr-defined]
    assert response["Cache-Control"] == "private, no-store"
    assert AuditEvent.objects.filter(verb=AuditVerb.SHARED_CASE_READ, actor=pete).count() == 2  # page + download


def test_adding_an_update_with_a_document(pete: User, evidence_dir: Path) -> None:
    case = CaseFactory.create()
    share_of(case, council_agency())
    client = client_verified_as(pete)
    url = f"/staff/partner/cases/{case.reference}/update/"
    assert "Add an update" in client.get(url).content.decode()

    empty = client.post(url, {"text": ""}).content.decode()
    assert "There is a problem" in empty
    assert "Enter your update" in empty

    response = client.post(
        url,
        {"text": "We served a warning", "file": SimpleUploadedFile("warning.png", PNG, content_type="image/png")},
        follow=True,
    )
    html = response.content.decode()
    assert "Your update has been sent to the housing officer" in html
    assert "We served a warning" in html
    assert "Document sent: warning.png" in html
    assert PartnerUpdate.objects.get().original_name == "warning.png"


# What a partner gets on these pages is the partner matrix (tests/referrals/test_partner_matrix.py); here, staff.
STAFF_ROLES = frozenset(r for r in Role.values if r != Role.PARTNER)
PARTNER_PAGES = [
    RoleSurface(
        "Partner agencies", "Shared cases", "GET", "/staff/partner/", frozenset({Role.PARTNER}), tried=STAFF_ROLES
    ),
    RoleSurface(
        "Partner agencies",
        "A shared case",
        "GET",
        "/staff/partner/cases/{ref}/",
        frozenset({Role.PARTNER}),
        tried=STAFF_ROLES,
    ),
]


@pytest.mark.parametrize("role", sorted(STAFF_ROLES))
def test_staff_are_refused_the_partner_pages(role: str, make_staff: Callable[..., User]) -> None:
    user = make_staff(role)
    case = CaseFactory.create()
    share_of(case, council_agency())
    client: Client = client_verified_as(user)
    for page in PARTNER_PAGES:
        assert client.get(page.url(ref=case.reference)).status_code == page.expected(role) == 403


def test_the_partner_pages_need_the_second_factor(pete: User) -> None:
    client = Client()
    client.force_login(pete)
    response = client.get("/staff/partner/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/two-factor/")


def _grow(case: Case, agency: Agency, partner: User, n: int) -> None:
    for index in range(n):
        Incident.objects.create(
            case=case,
            occurred_at=timezone.now() - dt.timedelta(hours=index + 1),
            description=f"Incident {index}",
            created_by=case.assigned_officer,
        )
        evidence = EvidenceFile(case=case, original_name=f"{index}.png", content_type="image/png", size=1, sha256="0")
        evidence.file.save("evidence.png", ContentFile(PNG), save=False)
        evidence.save()
        PartnerUpdate.objects.create(
            share=case.shares.get(), case=case, agency=agency, text=f"Update {index}", created_by=partner
        )


def test_the_case_page_and_the_tab_cost_the_same_queries_however_much_is_on_the_case(
    pete: User, evidence_dir: Path, django_assert_max_num_queries: Any, make_staff: Callable[..., User]
) -> None:
    council = council_agency()
    manager = make_staff(Role.MANAGER)
    case = CaseFactory.create()
    share_of(case, council, ALL_PARTS)
    partner, staff = client_verified_as(pete), client_verified_as(manager)
    _grow(case, council, pete, 2)
    with django_assert_max_num_queries(40) as small_page:
        assert partner.get(f"/staff/partner/cases/{case.reference}/").status_code == 200
    with django_assert_max_num_queries(60) as small_tab:
        assert staff.get(f"/staff/cases/{case.reference}/partnership/").status_code == 200
    _grow(case, council, pete, 10)
    with django_assert_max_num_queries(len(small_page.captured_queries)):
        assert "Incident 9" in partner.get(f"/staff/partner/cases/{case.reference}/").content.decode()
    with django_assert_max_num_queries(len(small_tab.captured_queries)):
        assert "Update 9" in staff.get(f"/staff/cases/{case.reference}/partnership/").content.decode()
