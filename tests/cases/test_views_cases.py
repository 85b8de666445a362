"""Case pages: every case URL x role x sensitivity through the shared matrix; forms keep input and show errors;
list and detail run a bounded number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Case, CaseType, PartyRole, Sensitivity, Status
from saferhomes.cases.views import cases as case_views
from saferhomes.core.models import AuditEvent
from tests.access.surfaces import CaseSurface, RoleSurface
from tests.cases.factories import CaseFactory, PartyFactory
from tests.cases.matrix import ROLES, case_for, page_matrix
from tests.conftest import client_verified_as
from tests.housing.factories import EstateFactory, PersonFactory, PropertyFactory

pytestmark = pytest.mark.django_db

CASE = "Case pages"
# Pages of one case; the permission each needs beyond seeing the case.
CASE_PAGES = [
    CaseSurface(CASE, "Overview", "GET", "/staff/cases/{ref}/", None),
    CaseSurface(CASE, "Parties", "GET", "/staff/cases/{ref}/parties/", None),
    CaseSurface(CASE, "Add a party", "GET", "/staff/cases/{ref}/parties/new/", "cases.work_case"),
    CaseSurface(CASE, "Triage", "GET", "/staff/cases/{ref}/triage/", "cases.triage_case"),
    CaseSurface(CASE, "Assign", "GET", "/staff/cases/{ref}/assign/", "cases.assign_case"),
    CaseSurface(CASE, "Link cases", "GET", "/staff/cases/{ref}/links/new/", "cases.work_case"),
]
PARTY_EDIT = CaseSurface(CASE, "Change a party", "GET", "/staff/cases/{ref}/parties/{pk}/", "cases.work_case")
START = CaseSurface(
    CASE, "Start the investigation (post)", "POST", "/staff/cases/{ref}/status/", "cases.work_case", ok=302
)


@pytest.mark.parametrize("surface", CASE_PAGES, ids=[page.name for page in CASE_PAGES])
@pytest.mark.parametrize(("role", "sensitivity", "relation"), page_matrix(CASE_PAGES[0].relations))
def test_case_page_access_matrix(
    surface: CaseSurface, role: str, sensitivity: str, relation: str, make_staff: Callable[..., User]
) -> None:
    user = make_staff(role)
    case = case_for(user, sensitivity=sensitivity, relation=relation)
    response = client_verified_as(user).get(surface.url(ref=case.reference))
    assert response.status_code == surface.expected(role, sensitivity, relation)


@pytest.mark.parametrize(("role", "sensitivity", "relation"), PARTY_EDIT.params())
def test_party_edit_access_matrix(role: str, sensitivity: str, relation: str, make_staff: Callable[..., User]) -> None:
    user = make_staff(role)
    case = case_for(user, sensitivity=sensitivity, relation=relation)
    party = PartyFactory.create(case=case)
    response = client_verified_as(user).get(PARTY_EDIT.url(ref=case.reference, pk=party.pk))
    assert response.status_code == PARTY_EDIT.expected(role, sensitivity, relation)


@pytest.mark.parametrize(("role", "sensitivity", "relation"), START.params())
def test_start_investigation_post_access_matrix(
    role: str, sensitivity: str, relation: str, make_staff: Callable[..., User]
) -> None:
    user = make_staff(role)
    case = case_for(user, sensitivity=sensitivity, relation=relation, status=Status.TRIAGED)
    response = client_verified_as(user).post(
        START.url(ref=case.reference), {"to_status": "open", "version": case.version}
    )
    assert response.status_code == START.expected(role, sensitivity, relation)
    case.refresh_from_db()
    assert (case.status == Status.OPEN) is (response.status_code == 302)


# Pages that are not about one case, and the permission each needs.
AREA_PAGES = [
    RoleSurface(CASE, "My cases", "GET", "/staff/cases/", "cases.view_case"),
    RoleSurface(CASE, "All cases", "GET", "/staff/cases/all/", "cases.view_case"),
    RoleSurface(CASE, "New case", "GET", "/staff/cases/new/", "cases.add_case"),
    RoleSurface(CASE, "Break glass", "GET", "/staff/cases/break-glass/", "cases.break_glass"),
]


@pytest.mark.parametrize("surface", AREA_PAGES, ids=[page.path for page in AREA_PAGES])
@pytest.mark.parametrize("role", ROLES)
def test_case_area_pages_by_role(surface: RoleSurface, role: str, staff_client: Callable[..., Client]) -> None:
    response = staff_client(role).get(surface.url())
    assert response.status_code == surface.expected(role)


def test_unknown_reference_is_404(staff_client: Callable[..., Client]) -> None:
    assert staff_client(Role.MANAGER).get("/staff/cases/ASB-2026-999999/").status_code == 404


def test_signed_out_visitor_is_sent_to_sign_in(client: Client) -> None:
    case = CaseFactory.create()
    response = client.get(f"/staff/cases/{case.reference}/")
    assert response.status_code == 302
    assert "sign-in" in response["Location"]


def test_cases_is_in_the_staff_menu_for_case_roles_only(staff_client: Callable[..., Client]) -> None:
    assert 'href="/staff/cases/"' in staff_client(Role.OFFICER).get("/staff/cases/").content.decode()
    assert 'href="/staff/cases/"' not in staff_client(Role.DPO, username="dpo_2").get("/staff/").content.decode()


# Reads are audited --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["", "parties/"])
def test_every_tab_read_of_a_da_case_is_audited(suffix: str, make_staff: Callable[..., User]) -> None:
    specialist = make_staff(Role.DA_SPECIALIST)
    case = case_for(specialist, sensitivity=Sensitivity.DA, relation="assigned")
    client_verified_as(specialist).get(f"/staff/cases/{case.reference}/{suffix}")
    event = AuditEvent.objects.get(verb="case.viewed")
    assert event.reason == f"/staff/cases/{case.reference}/{suffix}"


# Dashboard --------------------------------------------------------------------------------------------------------


def test_dashboard_counts_my_cases_and_overdue_responses(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER)
    CaseFactory.create(
        assigned_officer=officer,
        team=officer.team,
        summary="Shouting in the stairwell",
        response_due_at=timezone.now() - dt.timedelta(hours=2),
    )
    CaseFactory.create(summary="Someone else's case")
    body = client_verified_as(officer).get("/staff/cases/").content.decode()
    assert 'data-count="overdue">1 case<' in body
    assert 'data-count="mine">1 case<' in body
    assert "Someone else&#x27;s case" not in body


# New case ---------------------------------------------------------------------------------------------------------


def _new_case_data(**overrides: str) -> dict[str, str]:
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    data = {
        "case_type": "asb",
        "summary": "Dog barking all night",
        "description": "Since March",
        "category": "nuisance",
        "sub_types": "pets",
        "received_on_0": str(yesterday.day),
        "received_on_1": str(yesterday.month),
        "received_on_2": str(yesterday.year),
        "received_time": "14:30",
        "urgent": "no",
        "first_name": "Ann",
        "last_name": "Example",
        "phone": "07700 900123",
    }
    data.update(overrides)
    return data


def test_new_case_form_creates_the_case_and_opens_it(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER)
    home = PropertyFactory.create(reference="PRP123456")
    response = client_verified_as(officer).post(
        "/staff/cases/new/", _new_case_data(property_reference="prp123456"), follow=True
    )
    case = Case.objects.get()
    assert response.redirect_chain[-1][0] == f"/staff/cases/{case.reference}/"
    assert (case.summary, case.assigned_officer, list(case.properties.all())) == (
        "Dog barking all night",
        officer,
        [home],
    )
    assert f"Case {case.reference} created" in response.content.decode()
    assert case.parties.get().display_name == "Ann Example"


def test_new_case_errors_are_summarised_and_input_kept(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER)
    data = _new_case_data(case_type="hate", received_time="25:00", urgent="yes", property_reference="NOPE1")
    response = client_verified_as(officer).post("/staff/cases/new/", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in body
    assert "govuk-error-summary" in body
    assert "Time the report was received must be a real time" in body
    assert "Dog barking all night" in body  # kept
    assert not Case.objects.exists()


def test_new_case_service_errors_land_on_fields(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER)
    response = client_verified_as(officer).post("/staff/cases/new/", _new_case_data(case_type="hate", urgent="yes"))
    body = response.content.decode()
    assert "Select at least one hate strand for a hate incident or crime" in body
    assert "Enter why the case is urgent" in body
    assert not Case.objects.exists()


def test_new_case_in_the_future_is_refused(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    data = _new_case_data(
        received_on_0=str(tomorrow.day), received_on_1=str(tomorrow.month), received_on_2=str(tomorrow.year)
    )
    body = client_verified_as(officer).post("/staff/cases/new/", data).content.decode()
    assert "The date the report was received must be today or in the past" in body


def test_da_case_created_by_an_officer_goes_to_the_da_team_without_opening(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER)
    response = client_verified_as(officer).post("/staff/cases/new/", _new_case_data(case_type="da"))
    case = Case.objects.get()
    assert response.status_code == 200
    assert "You will not be able to open it" in response.content.decode()
    assert case.sensitivity == Sensitivity.DA


# Triage, assign, links, parties ------------------------------------------------------------------------------------


def test_triage_form_triages_and_prompts_police_referral(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER)
    case = case_for(officer, sensitivity="normal", relation="assigned")
    response = client_verified_as(officer).post(
        f"/staff/cases/{case.reference}/triage/",
        {"version": case.version, "priority": "high", "urgent": "no", "criminal": "yes", "category": "personal"},
        follow=True,
    )
    case.refresh_from_db()
    assert case.status == Status.TRIAGED
    assert "refer it to the police" in response.content.decode()


def test_stale_triage_form_is_refused_with_what_changed(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER)
    case = case_for(officer, sensitivity="normal", relation="assigned")
    client = client_verified_as(officer)
    stale = case.version
    client.post(f"/staff/cases/{case.reference}/links/new/", {"version": stale, "other_reference": "x", "reason": "x"})
    other = CaseFactory.create(assigned_officer=officer, team=officer.team)
    client.post(
        f"/staff/cases/{case.reference}/links/new/",
        {"version": stale, "other_reference": other.reference, "reason": "same_location"},
    )
    response = client.post(
        f"/staff/cases/{case.reference}/triage/",
        {"version": stale, "priority": "high", "urgent": "no", "criminal": "no"},
    )
    body = response.content.decode()
    assert "This case was changed by" in body
    assert "Your changes were not saved" in body
    case.refresh_from_db()
    assert case.status == Status.NEW
    # The page now carries the current version: having read what changed, the officer can send it again.
    assert f'name="version" value="{case.version}"' in body
    again = client.post(
        f"/staff/cases/{case.reference}/triage/",
        {"version": case.version, "priority": "high", "urgent": "no", "criminal": "no"},
    )
    assert again.status_code == 302


def test_reassignment_without_reason_is_an_error(make_staff: Callable[..., User]) -> None:
    coordinator = make_staff(Role.COORDINATOR)
    case = case_for(coordinator, sensitivity="normal", relation="other_team")
    new_officer = make_staff(Role.OFFICER)
    client = client_verified_as(coordinator)
    url = f"/staff/cases/{case.reference}/assign/"
    body = client.post(url, {"version": case.version, "officer": new_officer.pk}).content.decode()
    assert "Enter why the case is being reassigned" in body
    response = client.post(url, {"version": case.version, "officer": new_officer.pk, "reason": "Leave cover"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.assigned_officer == new_officer


def test_party_add_shows_minor_prompts_on_the_parties_tab(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER)
    case = case_for(officer, sensitivity="normal", relation="assigned")
    received = timezone.localdate(case.received_at)
    dob = received.replace(year=received.year - 14)
    response = client_verified_as(officer).post(
        f"/staff/cases/{case.reference}/parties/new/",
        {
            "version": case.version,
            "role": PartyRole.ALLEGED_PERPETRATOR,
            "first_name": "Sam",
            "last_name": "Young",
            "date_of_birth_0": str(dob.day),
            "date_of_birth_1": str(dob.month),
            "date_of_birth_2": str(dob.year),
        },
        follow=True,
    )
    body = response.content.decode()
    assert "Sam Young added as alleged perpetrator" in body
    assert "youth offending team" in body
    assert "14 on the incident date" in body


def test_party_from_the_register_by_reference(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER)
    case = case_for(officer, sensitivity="normal", relation="assigned")
    person = PersonFactory.create(reference="PER000777")
    client_verified_as(officer).post(
        f"/staff/cases/{case.reference}/parties/new/",
        {"version": case.version, "role": PartyRole.VICTIM, "person_reference": "per000777"},
    )
    assert case.parties.get().person == person


def test_party_with_unknown_register_reference_is_an_error(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER)
    case = case_for(officer, sensitivity="normal", relation="assigned")
    body = (
        client_verified_as(officer)
        .post(
            f"/staff/cases/{case.reference}/parties/new/",
            {"version": case.version, "role": PartyRole.VICTIM, "person_reference": "PER404"},
        )
        .content.decode()
    )
    assert "No one on the housing register has the reference PER404" in body


def test_link_form_links_and_shows_both_sides(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER)
    case = case_for(officer, sensitivity="normal", relation="assigned")
    other = CaseFactory.create(assigned_officer=officer, team=officer.team)
    client = client_verified_as(officer)
    client.post(
        f"/staff/cases/{case.reference}/links/new/",
        {"version": case.version, "other_reference": other.reference, "reason": "same_perpetrator"},
    )
    assert case.reference in client.get(f"/staff/cases/{other.reference}/").content.decode()


def test_break_glass_form_opens_the_case(make_staff: Callable[..., User]) -> None:
    manager = make_staff(Role.MANAGER)
    case = CaseFactory.create(sensitivity=Sensitivity.RESTRICTED)
    client = client_verified_as(manager)
    assert client.get(f"/staff/cases/{case.reference}/").status_code == 404
    response = client.post(
        "/staff/cases/break-glass/", {"reference": case.reference, "reason": "Police asked about threats"}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"/staff/cases/{case.reference}/"
    assert "You opened this case by breaking glass" in response.content.decode()


def test_break_glass_without_reason_is_an_error(make_staff: Callable[..., User]) -> None:
    manager = make_staff(Role.MANAGER)
    case = CaseFactory.create(sensitivity=Sensitivity.RESTRICTED)
    body = client_verified_as(manager).post("/staff/cases/break-glass/", {"reference": case.reference}).content.decode()
    assert "govuk-error-summary" in body
    assert case.reference in body


# List and search --------------------------------------------------------------------------------------------------


def test_list_searches_by_reference_name_address_and_postcode(make_staff: Callable[..., User]) -> None:
    coordinator = make_staff(Role.COORDINATOR)
    home = PropertyFactory.create(address_line_1="12 Tennyson Road", postcode="LS1 4AP")
    target = CaseFactory.create(summary="Target case")
    target.properties.add(home)
    PartyFactory.create(case=target, first_name="Zebedee", last_name="Quill")
    CaseFactory.create(summary="Noise elsewhere")
    client = client_verified_as(coordinator)
    for text in (target.reference.lower(), "zebedee quill", "Quill", "tennyson", "ls14ap", "LS1"):
        body = client.get("/staff/cases/all/", {"q": text}).content.decode()
        assert "Target case" in body, text
        assert "Noise elsewhere" not in body, text


def test_list_filters_by_officer_typed_as_name_username_or_id(make_staff: Callable[..., User]) -> None:
    coordinator = make_staff(Role.COORDINATOR)
    olivia = make_staff(Role.OFFICER, first_name="Olivia", last_name="Okafor")
    other = make_staff(Role.OFFICER, username="officer_omar", first_name="Omar", last_name="Begum")
    CaseFactory.create(summary="Olivia's case", assigned_officer=olivia, team=olivia.team)
    CaseFactory.create(summary="Omar's case", assigned_officer=other, team=other.team)
    client = client_verified_as(coordinator)
    for text in ("Olivia Okafor", "okafor", olivia.username.upper(), str(olivia.pk)):
        body = client.get("/staff/cases/all/", {"officer": text}).content.decode()
        assert "Olivia&#x27;s case" in body, text
        assert "Omar&#x27;s case" not in body, text


def test_list_filters_by_estate_code_or_name(make_staff: Callable[..., User]) -> None:
    coordinator = make_staff(Role.COORDINATOR)
    larks = EstateFactory.create(code="LRK", name="Larkspur Gardens")
    CaseFactory.create(summary="On Larkspur", estate=larks)
    CaseFactory.create(summary="Elsewhere", estate=EstateFactory.create(code="OAK", name="Oakfield Rise"))
    client = client_verified_as(coordinator)
    for text in ("lrk", "larkspur", "Larkspur Gardens"):
        body = client.get("/staff/cases/all/", {"estate": text}).content.decode()
        assert "On Larkspur" in body, text
        assert "Elsewhere" not in body, text


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("officer", "Nobody Atall", 'No officer is called "Nobody Atall"'),
        ("estate", "Atlantis", 'No estate is called "Atlantis"'),
    ],
)
def test_list_unknown_officer_or_estate_is_a_clear_error_keeping_the_input(
    make_staff: Callable[..., User], field: str, text: str, message: str
) -> None:
    coordinator = make_staff(Role.COORDINATOR)
    CaseFactory.create(summary="Any case")
    response = client_verified_as(coordinator).get("/staff/cases/all/", {field: text, "q": "kept"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert message.replace('"', "&quot;") in body
    assert f'href="#id_{field}"' in body
    assert 'value="kept"' in body
    assert "Any case" not in body


def test_a_broad_search_counts_fewer_and_says_to_add_words(
    make_staff: Callable[..., User], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(case_views, "SEARCH_COUNT_LIMIT", 2)
    monkeypatch.setattr(case_views, "LIST_PAGE_SIZE", 1)
    coordinator = make_staff(Role.COORDINATOR)
    for _ in range(4):
        PartyFactory.create(last_name="Smithson")
    client = client_verified_as(coordinator)
    searched = client.get("/staff/cases/all/", {"q": "smithson"}).content.decode()
    assert "of more than 2 cases" in searched
    assert "Add more words to the search" in searched
    listed = client.get("/staff/cases/all/", {"status": "new"}).content.decode()
    assert "of 4 cases" in listed
    assert "Add more words" not in listed


def test_list_filters_by_status_type_and_priority(make_staff: Callable[..., User]) -> None:
    coordinator = make_staff(Role.COORDINATOR)
    CaseFactory.create(summary="Open hate", case_type=CaseType.HATE, status=Status.OPEN, priority="high")
    CaseFactory.create(summary="New asb", status=Status.NEW)
    body = (
        client_verified_as(coordinator)
        .get("/staff/cases/all/", {"status": ["open", "triaged"], "case_type": "hate", "priority": "high"})
        .content.decode()
    )
    assert "Open hate" in body
    assert "New asb" not in body


def test_list_never_shows_cases_the_user_cannot_see(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER)
    CaseFactory.create(summary="DA case elsewhere", case_type=CaseType.DA)
    CaseFactory.create(summary="Other team case")
    mine = case_for(officer, sensitivity="normal", relation="assigned", summary="My own case")
    body = client_verified_as(officer).get("/staff/cases/all/", {"q": ""}).content.decode()
    assert "My own case" in body
    assert mine.reference in body
    assert "DA case elsewhere" not in body
    assert "Other team case" not in body


def test_list_bad_filter_shows_error_summary_and_keeps_input(make_staff: Callable[..., User]) -> None:
    coordinator = make_staff(Role.COORDINATOR)
    response = client_verified_as(coordinator).get(
        "/staff/cases/all/", {"priority": "urgentest", "received_from_0": "31", "received_from_1": "2", "q": "kept"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in body
    assert "Select priority from the list" in body
    assert "Received on or after must include a year" in body
    assert 'value="kept"' in body


def test_list_filters_by_received_dates(make_staff: Callable[..., User]) -> None:
    coordinator = make_staff(Role.COORDINATOR)
    CaseFactory.create(summary="March case", received_at=dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC))
    CaseFactory.create(summary="May case", received_at=dt.datetime(2026, 5, 10, 12, tzinfo=dt.UTC))
    body = (
        client_verified_as(coordinator)
        .get(
            "/staff/cases/all/",
            {"received_from_0": "1", "received_from_1": "4", "received_from_2": "2026"},
        )
        .content.decode()
    )
    assert "May case" in body
    assert "March case" not in body


def _queries(client: Client, url: str, data: dict[str, str] | None = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, data or {})
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_list_takes_the_same_few_queries_for_5_or_35_cases(
    make_staff: Callable[..., User], django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    coordinator = make_staff(Role.COORDINATOR)
    client = client_verified_as(coordinator)
    CaseFactory.create_batch(5)
    _queries(client, "/staff/cases/all/")  # warm caches (content types, permissions)
    few = _queries(client, "/staff/cases/all/", {"q": "a", "status": "new"})
    CaseFactory.create_batch(30)
    with django_assert_max_num_queries(12):
        many = _queries(client, "/staff/cases/all/", {"q": "a", "status": "new"})
    assert many == few


def test_detail_takes_the_same_few_queries_however_many_parties_and_links(
    make_staff: Callable[..., User], django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    manager = make_staff(Role.MANAGER)
    case = case_for(manager, sensitivity="da", relation="assigned")
    client = client_verified_as(manager)
    url = f"/staff/cases/{case.reference}/"

    def add_party_and_link() -> None:
        person = PersonFactory.create()
        PartyFactory.create(case=case, person=person, role=PartyRole.VICTIM, vulnerabilities="Needs care")
        earlier = CaseFactory.create(received_at=case.received_at - dt.timedelta(days=30))
        PartyFactory.create(case=earlier, person=person, role=PartyRole.REPORTER)
        case.links_from.create(to_case=earlier, reason="same_victim", created_by=manager)

    add_party_and_link()
    _queries(client, url)
    few = _queries(client, url)
    for _ in range(9):
        add_party_and_link()
    with django_assert_max_num_queries(25):
        many = _queries(client, url)
    assert many == few
    assert "tell the reporter about the ASB Case Review" in client.get(url).content.decode()
