"""`GET/POST /api/v1/agencies` and `GET /api/v1/agencies/{code}`: the directory's access rules per role, the same
rules for a new agency as the pages (422 naming the field), problem+json for every refusal."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.accounts.services import token_create
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.models import AuditEvent
from saferhomes.referrals.models import Agency, AgencyKind
from tests.access.surfaces import RoleSurface
from tests.api.conftest import assert_problem, bearer
from tests.referrals.factories import AgencyFactory, partner_user

pytestmark = pytest.mark.django_db

READERS = {Role.OFFICER, Role.COORDINATOR, Role.DA_SPECIALIST, Role.MANAGER, Role.DPO, Role.ADMIN}
KINDS = {
    "police",
    "council",
    "csp",
    "marac",
    "idva",
    "social_care",
    "health",
    "drug_alcohol",
    "victim_support",
    "mediation",
    "yot",
    "other",
}
NEW = {
    "code": "HW-MEDIATION",
    "name": "Hartwick Community Mediation",
    "kind": "mediation",
    "email": "mediation@example.org",
    "phone": "01632 960 401",
    "website": "https://www.example.org/mediation",
    "handles_da": False,
}


@pytest.fixture
def send() -> Callable[..., Any]:
    """send(user, method, url, body) with a fresh token of the user's, from a client with no session."""

    def _send(user: User, method: str, url: str, body: Any = None, **headers: str) -> Any:
        _token, raw = token_create(actor=None, user=user, name="tests")
        all_headers = {**bearer(raw), **headers}
        if method == "get":
            return Client().get(url, body or {}, headers=all_headers)
        return Client().post(url, json.dumps(body), content_type="application/json", headers=all_headers)

    return _send


@pytest.fixture
def idva() -> Agency:
    agency: Agency = AgencyFactory.create(code="HW-IDVA", name="Hartwick IDVA Service", kind="idva", handles_da=True)
    return agency


DIRECTORY_API = [
    RoleSurface("Agency directory", "Agencies (API)", "GET", "/api/v1/agencies", frozenset(READERS)),
    RoleSurface("Agency directory", "An agency (API)", "GET", "/api/v1/agencies/{code}", frozenset(READERS)),
    RoleSurface("Agency directory", "Add an agency (API)", "POST", "/api/v1/agencies", frozenset({Role.ADMIN}), ok=201),
]


@pytest.mark.parametrize("role", Role.values)
def test_the_directory_over_the_api_for_every_role(
    role: str, make_staff: Callable[..., User], send: Callable[..., Any], idva: Agency
) -> None:
    user = make_staff(role)
    listed = send(user, "get", DIRECTORY_API[0].url())
    one = send(user, "get", DIRECTORY_API[1].url(code="hw-idva"))
    created = send(user, "post", DIRECTORY_API[2].url(), NEW)
    for surface, response in zip(DIRECTORY_API, (listed, one, created), strict=True):
        assert response.status_code == surface.expected(role), surface.name
    for response in (listed, one, created):
        if response.status_code == 403:
            assert_problem(response, 403)
    if DIRECTORY_API[1].allows(role):
        assert one.json()["code"] == "HW-IDVA"
        assert one.json()["handles_da"] is True


def test_a_partner_with_an_agency_is_refused_the_directory_too(send: Callable[..., Any], idva: Agency) -> None:
    partner = partner_user(idva, username="partner_ida")
    assert_problem(send(partner, "get", "/api/v1/agencies"), 403)
    assert_problem(send(partner, "get", "/api/v1/agencies/HW-IDVA"), 403)


def test_the_list_filters_by_kind_and_searches_by_name_or_code(
    make_staff: Callable[..., User], send: Callable[..., Any], idva: Agency
) -> None:
    AgencyFactory.create(code="NPT", name="Exampleshire Police NPT", kind=AgencyKind.POLICE)
    AgencyFactory.create(code="ASB", name="Hartwick Council ASB Team", kind=AgencyKind.COUNCIL)
    officer = make_staff(Role.OFFICER)

    def codes(query: dict[str, str]) -> list[str]:
        response = send(officer, "get", "/api/v1/agencies", query)
        assert response.status_code == 200
        return [agency["code"] for agency in response.json()]

    assert codes({}) == ["NPT", "ASB", "HW-IDVA"]
    assert codes({"q": "hartwick"}) == ["ASB", "HW-IDVA"]
    assert codes({"kind": "police"}) == ["NPT"]
    assert codes({"q": "idva", "kind": "idva"}) == ["HW-IDVA"]
    body = assert_problem(send(officer, "get", "/api/v1/agencies", {"kind": "fire"}), 422)
    assert body["errors"][0]["field"].endswith("kind")
    assert_problem(send(officer, "get", "/api/v1/agencies", {"q": "x" * 101}), 422)


def test_an_agency_has_its_open_referral_fields(
    make_staff: Callable[..., User], send: Callable[..., Any], idva: Agency
) -> None:
    body = send(make_staff(Role.OFFICER), "get", "/api/v1/agencies/HW-IDVA").json()
    assert set(body) >= {
        "code",
        "name",
        "kind",
        "kind_label",
        "handles_da",
        "active",
        "description",
        "email",
        "secure_email",
        "phone",
        "website",
        "address",
        "area_served",
        "eligibility",
        "how_to_refer",
    }
    assert (body["kind"], body["kind_label"]) == ("idva", "IDVA service")


def test_an_unknown_code_is_a_404_problem(make_staff: Callable[..., User], send: Callable[..., Any]) -> None:
    assert_problem(send(make_staff(Role.OFFICER), "get", "/api/v1/agencies/NO-SUCH"), 404)


def test_an_administrator_adds_an_agency_once_per_idempotency_key(
    make_staff: Callable[..., User], send: Callable[..., Any]
) -> None:
    admin = make_staff(Role.ADMIN)
    first = send(admin, "post", "/api/v1/agencies", NEW, **{"Idempotency-Key": "add-mediation"})
    again = send(admin, "post", "/api/v1/agencies", NEW, **{"Idempotency-Key": "add-mediation"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again["Idempotent-Replayed"] == "true"
    assert first.json()["code"] == again.json()["code"] == "HW-MEDIATION"
    assert Agency.objects.filter(code="HW-MEDIATION").count() == 1
    assert AuditEvent.objects.filter(verb=AuditVerb.AGENCY_CREATED).count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"code": "has spaces"}, "code"),
        ({"code": "hw-idva"}, "code"),
        ({"email": "not-an-email"}, "email"),
        ({"secure_email": "x@"}, "secure_email"),
        ({"website": "ftp://example.org"}, "website"),
        ({"phone": "ring us"}, "phone"),
        ({"kind": "fire"}, "kind"),
        ({"name": ""}, "name"),
        ({"name": "a\x00b"}, "name"),
        ({"code": "x" * 31}, "code"),
        ({"handles_da": "sometimes"}, "handles_da"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(
    make_staff: Callable[..., User], send: Callable[..., Any], idva: Agency, change: dict[str, Any], field: str
) -> None:
    body = assert_problem(send(make_staff(Role.ADMIN), "post", "/api/v1/agencies", {**NEW, **change}), 422)
    assert any(error["field"].split(".")[-1] == field for error in body["errors"]), body
    assert not Agency.objects.filter(name=NEW["name"]).exists()


def test_the_kind_is_documented_as_the_issues_list_of_values() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert set(schema["components"]["schemas"]["AgencyKind"]["enum"]) == KINDS
    assert {"get", "post"} <= set(schema["paths"]["/api/v1/agencies"])
    assert "get" in schema["paths"]["/api/v1/agencies/{code}"]
