"""The agency directory's pages: staff who refer or share cases read it, administrators keep it, everyone else is
refused; search by name or code and filter by kind; an agency's page says plainly whether it may have DA information
and lists its partner users; adding and changing keep every answer and name each problem."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import ROLE_PERMISSIONS, Role
from saferhomes.accounts.selectors import STAFF_AREAS, staff_links
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.models import AuditEvent
from saferhomes.referrals.models import Agency, AgencyKind
from saferhomes.referrals.selectors.agencies import DIRECTORY_READERS
from tests.access.surfaces import RoleSurface
from tests.conftest import client_verified_as
from tests.referrals.factories import AgencyFactory, partner_user

pytestmark = pytest.mark.django_db

READERS = {Role.OFFICER, Role.COORDINATOR, Role.DA_SPECIALIST, Role.MANAGER, Role.DPO, Role.ADMIN}
GOOD = {
    "code": "HW-MEDIATION",
    "name": "Hartwick Community Mediation",
    "kind": "mediation",
    "description": "Volunteer mediators for disputes between neighbours.",
    "email": "mediation@example.org",
    "secure_email": "",
    "phone": "01632 960 111",
    "website": "https://www.example.org/mediation",
    "address": "2 Mill Lane, Hartwick",
    "area_served": "Hartwick",
    "eligibility": "Neighbours who both agree to take part.",
    "how_to_refer": "Email the referral form.",
    "handles_da": "no",
    "active": "yes",
}


@pytest.fixture
def idva() -> Agency:
    agency: Agency = AgencyFactory.create(
        code="HW-IDVA", name="Hartwick IDVA Service", kind=AgencyKind.IDVA, handles_da=True
    )
    return agency


def test_the_roles_that_read_the_directory_are_those_the_menu_offers_it_to() -> None:
    menu = next(area for area in STAFF_AREAS if area[1] == "referrals:agencies")
    assert set(menu[2] or ()) == set(DIRECTORY_READERS)
    assert {role for role, perms in ROLE_PERMISSIONS.items() if set(perms) & set(DIRECTORY_READERS)} == READERS


DIRECTORY = "Agency directory"
ADMIN = frozenset({Role.ADMIN})
DIRECTORY_PAGES = [
    RoleSurface(DIRECTORY, "Agencies", "GET", "/staff/partnership/agencies/", frozenset(READERS)),
    RoleSurface(
        DIRECTORY, "Agencies (filtered)", "GET", "/staff/partnership/agencies/?q=idva&kind=idva", frozenset(READERS)
    ),
    RoleSurface(DIRECTORY, "An agency", "GET", "/staff/partnership/agencies/{code}/", frozenset(READERS)),
    RoleSurface(DIRECTORY, "Add an agency", "GET", "/staff/partnership/agencies/add/", ADMIN),
    RoleSurface(DIRECTORY, "Change an agency", "GET", "/staff/partnership/agencies/{code}/edit/", ADMIN),
    RoleSurface(DIRECTORY, "Add an agency (post)", "POST", "/staff/partnership/agencies/add/", ADMIN, ok=302),
]


@pytest.mark.parametrize("role", Role.values)
def test_directory_pages_for_every_role(role: str, make_staff: Callable[..., User], idva: Agency) -> None:
    client = client_verified_as(make_staff(role))
    for page in DIRECTORY_PAGES:
        url = page.url(code=idva.code)
        response = client.get(url) if page.method == "GET" else client.post(url, GOOD)
        assert response.status_code == page.expected(role), page.name
    labels = [link.label for link in staff_links(user=make_staff(role, username=f"{role}_menu"))]
    assert ("Agencies" in labels) == (role in READERS)


def test_a_partner_without_an_agency_sees_nothing(make_staff: Callable[..., User], idva: Agency) -> None:
    partner = make_staff(Role.PARTNER, team=None)
    client = client_verified_as(partner)
    assert client.get("/staff/partnership/agencies/").status_code == 403
    assert client.get(f"/staff/partnership/agencies/{idva.code}/").status_code == 403
    labels = {link.label for link in staff_links(user=partner)}
    assert not labels & {"Agencies", "Cases", "Reports", "Properties"}


def test_an_unknown_code_is_404_for_a_reader(staff_client: Callable[..., Client]) -> None:
    client = staff_client(Role.OFFICER)
    assert client.get("/staff/partnership/agencies/NO-SUCH/").status_code == 404
    assert client.get("/staff/partnership/agencies/NO-SUCH/edit/").status_code == 403
    assert staff_client(Role.ADMIN).get("/staff/partnership/agencies/NO-SUCH/edit/").status_code == 404


def test_search_by_name_or_code_and_filter_by_kind(staff_client: Callable[..., Client], idva: Agency) -> None:
    AgencyFactory.create(code="NPT", name="Exampleshire Police: Neighbourhood Team", kind=AgencyKind.POLICE)
    AgencyFactory.create(code="ASB", name="Hartwick Council ASB Team", kind=AgencyKind.COUNCIL)
    client = staff_client(Role.OFFICER)

    def names(query: str) -> list[str]:
        response = client.get(f"/staff/partnership/agencies/{query}")
        assert response.status_code == 200
        return [agency.name for agency in response.context["page_obj"]]

    assert names("") == [
        "Exampleshire Police: Neighbourhood Team",
        "Hartwick Council ASB Team",
        "Hartwick IDVA Service",
    ]
    assert names("?q=hartwick") == ["Hartwick Council ASB Team", "Hartwick IDVA Service"]
    assert names("?q=npt") == ["Exampleshire Police: Neighbourhood Team"]
    assert names("?q=hartwick&kind=idva") == ["Hartwick IDVA Service"]
    assert names("?kind=yot") == []
    page = client.get("/staff/partnership/agencies/?kind=fire")
    assert page.status_code == 200
    assert "Select the kind of agency from the list" in page.content.decode()
    assert "govuk-error-summary" in page.content.decode()


def test_the_list_takes_the_same_queries_however_many_agencies(
    staff_client: Callable[..., Client], django_assert_max_num_queries: Callable[..., object]
) -> None:
    client = staff_client(Role.OFFICER)
    AgencyFactory.create_batch(3)
    client.get("/staff/partnership/agencies/")
    with django_assert_max_num_queries(12) as few:  # type: ignore[attr-defined]
        client.get("/staff/partnership/agencies/")
    AgencyFactory.create_batch(40)
    with django_assert_max_num_queries(len(few.captured_queries)):  # type: ignore[attr-defined]
        client.get("/staff/partnership/agencies/")


def test_an_agencys_page_says_plainly_whether_it_may_have_da_information_and_lists_its_partners(
    staff_client: Callable[..., Client], idva: Agency
) -> None:
    partner_user(idva, first_name="Ida", last_name="Novak", username="partner_ida")
    council = AgencyFactory.create(code="ASB", name="Hartwick Council ASB Team")
    client = staff_client(Role.OFFICER)
    page = client.get(f"/staff/partnership/agencies/{idva.code.lower()}/").content.decode()
    assert "Entitled to domestic abuse information." in page
    assert "Ida Novak" in page
    assert idva.secure_email in page
    assert "Change the agency" not in page
    other = client.get(f"/staff/partnership/agencies/{council.code}/").content.decode()
    assert "Not entitled to domestic abuse information." in other
    assert "Nobody from Hartwick Council ASB Team signs in" in other
    assert (
        "Change the agency"
        in staff_client(Role.ADMIN).get(f"/staff/partnership/agencies/{idva.code}/").content.decode()
    )


def test_an_administrator_adds_an_agency(staff_client: Callable[..., Client]) -> None:
    response = staff_client(Role.ADMIN).post("/staff/partnership/agencies/add/", GOOD, follow=True)
    agency = Agency.objects.get(code="HW-MEDIATION")
    assert response.redirect_chain[-1][0] == "/staff/partnership/agencies/HW-MEDIATION/"
    assert "Hartwick Community Mediation is in the directory." in response.content.decode()
    assert (agency.kind, agency.handles_da, agency.active) == ("mediation", False, True)
    assert AuditEvent.objects.filter(verb=AuditVerb.AGENCY_CREATED, object_id=str(agency.pk)).exists()


def test_a_bad_agency_is_refused_naming_each_problem_and_keeping_every_answer(
    staff_client: Callable[..., Client], idva: Agency
) -> None:
    bad = {**GOOD, "code": "hw-idva", "email": "not-an-email", "website": "ftp://example.org", "handles_da": ""}
    response = staff_client(Role.ADMIN).post("/staff/partnership/agencies/add/", bad)
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "Enter an email address in the correct format" in page
    assert "Enter the website address in the correct format" in page
    assert "Select yes if the agency is entitled to domestic abuse information" in page
    assert 'value="Hartwick Community Mediation"' in page
    assert not Agency.objects.filter(name=GOOD["name"]).exists()
    fixed = {**bad, "email": GOOD["email"], "website": GOOD["website"], "handles_da": "no"}
    again = staff_client(Role.ADMIN).post("/staff/partnership/agencies/add/", fixed).content.decode()
    assert "Another agency already has the code hw-idva: choose another" in again


def test_an_administrator_changes_an_agency(staff_client: Callable[..., Client], idva: Agency) -> None:
    client = staff_client(Role.ADMIN)
    form = client.get(f"/staff/partnership/agencies/{idva.code}/edit/").content.decode()
    assert 'value="Hartwick IDVA Service"' in form
    changed = {**GOOD, "code": "HW-IDVA", "name": "Hartwick IDVA", "kind": "idva", "handles_da": "yes"}
    response = client.post(f"/staff/partnership/agencies/{idva.code}/edit/", changed)
    assert response.status_code == 302
    idva.refresh_from_db()
    assert (idva.name, idva.handles_da, idva.phone) == ("Hartwick IDVA", True, "01632 960 111")
    event = AuditEvent.objects.get(verb=AuditVerb.AGENCY_UPDATED)
    assert event.before is not None
    assert event.after is not None
    assert event.before["name"] == "Hartwick IDVA Service"
    assert event.after["name"] == "Hartwick IDVA"


def test_a_control_character_is_refused_at_the_edge(staff_client: Callable[..., Client]) -> None:
    response = staff_client(Role.ADMIN).post("/staff/partnership/agencies/add/", {**GOOD, "name": "Bad\x00name"})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not Agency.objects.exists()


def test_the_directory_needs_the_second_factor(make_staff: Callable[..., User]) -> None:
    client = Client()
    client.force_login(make_staff(Role.OFFICER))
    response = client.get("/staff/partnership/agencies/")
    assert response.status_code == 302


def test_partner_users_listed_are_only_that_agencys(staff_client: Callable[..., Client], idva: Agency) -> None:
    other = AgencyFactory.create(code="OTHER")
    partner_user(other, first_name="Olu", last_name="Other", username="partner_other")
    page = staff_client(Role.OFFICER).get(f"/staff/partnership/agencies/{idva.code}/").content.decode()
    assert "Olu Other" not in page
