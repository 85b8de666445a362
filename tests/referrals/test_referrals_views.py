"""The Referrals section of the Partnership tab and its pages: who may open and post them (the case access matrix),
the form's errors with answers kept, the list with its tags and police time to refer, acknowledgement, outcome and
withdrawal, and the tab's queries flat as referrals and offers grow."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Case, CaseType, PartyRole
from saferhomes.referrals.models import Referral, ReferralChase, SupportKind, SupportOffer, SupportStatus
from tests.access.surfaces import CaseSurface
from tests.cases.factories import PartyFactory, force_status
from tests.cases.matrix import case_for
from tests.conftest import client_verified_as
from tests.referrals.factories import AgencyFactory, ReferralFactory
from tests.referrals.referral_helpers import (
    council_agency,
    make_referral,
    police_agency,
    prompt_shown,
    working_case,
)

pytestmark = pytest.mark.django_db

REFER = "referrals.refer_case"
LONDON = dt.timezone(dt.timedelta(0))


def _text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _form(agency_pk: int, **overrides: str) -> dict[str, str]:
    """What an officer types to record a police referral sent an hour ago."""
    sent = dt.datetime.now(tz=dt.UTC).astimezone() - dt.timedelta(hours=1)
    data = {
        "agency": str(agency_pk),
        "kind": "police",
        "crime_reference": "13/123456/26",
        "reason": "Threats and graffiti: a hate crime",
        "information_shared": "Reporter's name and phone number; the incidents",
        "lawful_basis": "public_task",
        "consent": "given",
        "consent_note": "Agreed by phone",
        "sent_on_0": str(sent.day),
        "sent_on_1": str(sent.month),
        "sent_on_2": str(sent.year),
        "sent_time": f"{sent:%H:%M}",
    }
    data.update(overrides)
    return data


# Access ----------------------------------------------------------------------------------------------------------

REFERRAL_FORM = CaseSurface(
    "Partnership", "Make a referral", "GET", "/staff/cases/{ref}/partnership/referrals/new/", REFER
)
REFERRAL_POST = CaseSurface(
    "Partnership", "Make a referral (post)", "POST", "/staff/cases/{ref}/partnership/referrals/new/", REFER, ok=302
)
ACKNOWLEDGE_POST = CaseSurface(
    "Partnership",
    "Record a referral's acknowledgement (post)",
    "POST",
    "/staff/cases/{ref}/partnership/referrals/{pk}/acknowledge/",
    REFER,
    ok=302,
)


@pytest.mark.parametrize(("role", "sensitivity", "relation"), REFERRAL_FORM.params())
def test_the_referral_form_follows_the_case_access_matrix(
    role: str, sensitivity: str, relation: str, make_staff: Callable[..., User]
) -> None:
    user = make_staff(role)
    case = case_for(user, sensitivity=sensitivity, relation=relation)
    response = client_verified_as(user).get(REFERRAL_FORM.url(ref=case.reference))
    assert response.status_code == REFERRAL_FORM.expected(role, sensitivity, relation)


@pytest.mark.parametrize(("role", "sensitivity", "relation"), REFERRAL_POST.params())
def test_making_a_referral_follows_the_case_access_matrix(
    role: str, sensitivity: str, relation: str, make_staff: Callable[..., User]
) -> None:
    user = make_staff(role)
    case = case_for(user, sensitivity=sensitivity, relation=relation)
    police = police_agency(handles_da=True)
    response = client_verified_as(user).post(REFERRAL_POST.url(ref=case.reference), _form(police.pk))
    expected = REFERRAL_POST.expected(role, sensitivity, relation)
    assert response.status_code == expected
    assert Referral.objects.filter(case=case).exists() == (expected == 302)


@pytest.mark.parametrize(("role", "sensitivity", "relation"), ACKNOWLEDGE_POST.params())
def test_acknowledging_follows_the_case_access_matrix(
    role: str, sensitivity: str, relation: str, make_staff: Callable[..., User]
) -> None:
    user = make_staff(role)
    case = case_for(user, sensitivity=sensitivity, relation=relation)
    assert case.assigned_officer is not None
    an_hour_ago = dt.datetime.now(tz=dt.UTC) - dt.timedelta(hours=1)
    referral = ReferralFactory.create(case=case, agency=police_agency(handles_da=True), sent_at=an_hour_ago)
    url = ACKNOWLEDGE_POST.url(ref=case.reference, pk=referral.pk)
    response = client_verified_as(user).post(url, {"version": "1"} | _moment("acknowledged"))
    expected = ACKNOWLEDGE_POST.expected(role, sensitivity, relation)
    assert response.status_code == expected
    referral.refresh_from_db()
    assert (referral.acknowledged_at is not None) == (expected == 302)


def _moment(prefix: str, delta: dt.timedelta = dt.timedelta(0)) -> dict[str, str]:
    moment = dt.datetime.now(tz=dt.UTC).astimezone() + delta
    return {
        f"{prefix}_on_0": str(moment.day),
        f"{prefix}_on_1": str(moment.month),
        f"{prefix}_on_2": str(moment.year),
        f"{prefix}_time": f"{moment:%H:%M}",
    }


# The form ----------------------------------------------------------------------------------------------------------


@pytest.fixture
def officer(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.OFFICER)


def _tab(case: Case) -> str:
    return f"/staff/cases/{case.reference}/partnership/"


def test_a_police_referral_without_a_crime_reference_is_refused_keeping_the_answers(officer: User) -> None:
    case, police = working_case(officer), police_agency()
    client = client_verified_as(officer)
    url = f"{_tab(case)}referrals/new/"
    response = client.post(url, _form(police.pk, crime_reference=""))
    page = _text(response)
    assert response.status_code == 200
    assert "Error: Make a referral" in page
    assert 'class="govuk-error-summary"' in page
    assert 'href="#id_crime_reference"' in page
    assert "Enter the crime or incident reference number the police gave you" in page
    assert "Threats and graffiti: a hate crime" in page  # kept
    assert not Referral.objects.exists()
    response = client.post(url, _form(police.pk))
    assert response.status_code == 302
    assert response["Location"] == f"{_tab(case)}#referrals"
    assert Referral.objects.get().crime_reference == "13/123456/26"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"lawful_basis": ""}, "Select the lawful basis for sharing the information"),
        ({"consent": "refused", "lawful_basis": "consent"}, "Consent was refused, so consent cannot be the lawful"),
        ({"consent": "not_sought", "consent_note": ""}, "Say why consent was not sought"),
        ({"crime_reference": "n/a"}, "Enter the crime or incident reference as the police gave it"),
        ({"agency": ""}, "Select the agency you referred the case to"),
        ({"sent_on_0": "31", "sent_on_1": "2"}, "Date the referral was sent must be a real date"),
        ({"sent_time": "25:00"}, "Time it was sent must be a real time"),
    ],
)
def test_the_form_shows_each_refusal_on_its_field(officer: User, overrides: dict[str, str], message: str) -> None:
    case, police = working_case(officer), police_agency()
    response = client_verified_as(officer).post(f"{_tab(case)}referrals/new/", _form(police.pk, **overrides))
    assert response.status_code == 200
    assert message in _text(response)
    assert not Referral.objects.exists()


def test_a_sent_time_in_the_future_is_refused(officer: User) -> None:
    case, police = working_case(officer), police_agency()
    data = _form(police.pk) | _moment("sent", dt.timedelta(days=2))
    response = client_verified_as(officer).post(f"{_tab(case)}referrals/new/", data)
    assert "The date and time the referral was sent must be now or in the past" in _text(response)


def test_a_da_case_is_offered_only_agencies_entitled_to_da_information(make_staff: Callable[..., User]) -> None:
    specialist = make_staff(Role.DA_SPECIALIST)
    case = working_case(specialist, case_type=CaseType.DA)
    council_agency()
    AgencyFactory.create(code="idva", name="Example IDVA Service", handles_da=True)
    AgencyFactory.create(code="gone", name="Closed Service", handles_da=True, active=False)
    page = _text(client_verified_as(specialist).get(f"{_tab(case)}referrals/new/"))
    assert "Example IDVA Service" in page
    assert "Example Council ASB Team" not in page
    assert "Closed Service" not in page


def test_the_kind_can_be_chosen_by_the_link(officer: User) -> None:
    case = working_case(officer)
    page = client_verified_as(officer).get(f"{_tab(case)}referrals/new/?kind=police").content.decode()
    assert re.search(r'value="police"[^>]*checked|checked[^>]*value="police"', page)


def test_a_closed_case_goes_back_to_the_tab_with_the_reason(officer: User) -> None:
    case = working_case(officer, status="closed")
    client = client_verified_as(officer)
    response = client.get(f"{_tab(case)}referrals/new/")
    assert response.status_code == 302
    page = _text(client.get(response["Location"]))
    assert "This case is closed. Reopen it before recording anything new on it." in page
    assert "Make a referral" not in page


# The list --------------------------------------------------------------------------------------------------------


def test_the_tab_lists_referrals_with_their_tags_and_police_time_to_refer(officer: User) -> None:
    received = dt.datetime(2026, 3, 13, 18, tzinfo=dt.UTC)  # Friday
    case = working_case(officer, case_type=CaseType.HATE, received_at=received)
    with time_machine.travel(dt.datetime(2026, 3, 13, 21, tzinfo=dt.UTC), tick=False):
        prompt_shown(officer, case)
    with time_machine.travel(dt.datetime(2026, 3, 14, 2, tzinfo=dt.UTC), tick=False):
        police = make_referral(officer, case, police_agency())
    support = make_referral(officer, case, council_agency(), kind="support", crime_reference="")
    ReferralChase.objects.create(referral=support, step=1, due_at=support.sent_at)
    ReferralChase.objects.create(referral=support, step=2, due_at=support.sent_at)
    page = _text(client_verified_as(officer).get(_tab(case)))
    assert "Referred to the police 3 working hours (5 calendar hours) after the prompt at triage" in page
    assert "13/123456/26" in page
    assert "Chased 2 times" in page
    assert len(re.findall(r'govuk-tag--yellow[^"]*">Sent<', page)) == 2
    assert f"referrals/{police.pk}/acknowledge/" in page
    assert f"referrals/{police.pk}/withdraw/" in page


def test_a_closed_case_lists_its_referrals_but_offers_no_changes(officer: User) -> None:
    case = working_case(officer)
    referral = make_referral(officer, case, police_agency())
    assert "Make a referral" in _text(client_verified_as(officer).get(_tab(case)))
    Referral.objects.filter(pk=referral.pk).update(acknowledged_at=referral.sent_at)
    force_status(case, "closed")
    page = _text(client_verified_as(officer).get(_tab(case)))
    assert "Example Police Neighbourhood Team" in page
    assert "Make a referral" not in page
    assert "/withdraw/" not in page
    assert "/outcome/" not in page


def test_recording_the_acknowledgement_outcome_and_withdrawal(officer: User) -> None:
    case = working_case(officer)
    client = client_verified_as(officer)
    police = make_referral(officer, case, police_agency(), sent_at=dt.datetime.now(tz=dt.UTC) - dt.timedelta(hours=2))
    url = f"{_tab(case)}referrals/{police.pk}"
    form = _text(client.get(f"{url}/acknowledge/"))
    assert "Record the acknowledgement" in form
    assert 'name="version" value="1"' in form
    stale = client.post(f"{url}/acknowledge/", {"version": "9"} | _moment("acknowledged"))
    assert "Someone else changed this referral" in _text(stale)
    assert client.post(f"{url}/acknowledge/", {"version": "1"} | _moment("acknowledged")).status_code == 302
    assert "Acknowledged" in _text(client.get(_tab(case)))
    empty = client.post(f"{url}/outcome/", {"version": "2", "outcome": ""} | _moment("outcome"))
    assert "Enter what came of the referral" in _text(empty)
    done = client.post(f"{url}/outcome/", {"version": "2", "outcome": "Crime recorded"} | _moment("outcome"))
    assert done.status_code == 302
    page = _text(client.get(_tab(case)))
    assert "Outcome recorded" in page
    assert "Crime recorded" in page
    again = client.get(f"{url}/withdraw/")
    assert again.status_code == 302  # no longer outstanding
    other = make_referral(officer, case, council_agency(), kind="support", crime_reference="")
    refused = client.post(f"{_tab(case)}referrals/{other.pk}/withdraw/", {"version": "1", "reason": ""})
    assert "Enter why the referral is withdrawn" in _text(refused)
    client.post(f"{_tab(case)}referrals/{other.pk}/withdraw/", {"version": "1", "reason": "Wrong team"})
    assert "Withdrawn" in _text(client.get(_tab(case)))


def test_a_referral_of_another_case_is_404(officer: User) -> None:
    case, other = working_case(officer), working_case(officer)
    referral = make_referral(officer, other, police_agency())
    response = client_verified_as(officer).get(f"{_tab(case)}referrals/{referral.pk}/acknowledge/")
    assert response.status_code == 404


def test_the_tab_queries_do_not_grow_with_referrals_and_offers(officer: User) -> None:
    case = working_case(officer)
    client = client_verified_as(officer)
    police = police_agency()

    def grow(n: int) -> None:
        for index in range(n):
            referral = make_referral(officer, case, police, crime_reference=f"13/{index:06d}/26")
            ReferralChase.objects.create(referral=referral, step=1, due_at=referral.sent_at)
            party = PartyFactory.create(case=case, role=PartyRole.WITNESS)
            SupportOffer.objects.create(
                case=case,
                party=party,
                kind=SupportKind.VICTIM_SUPPORT,
                agency=police,
                offered_at=case.received_at,
                status=SupportStatus.DECLINED,
                decided_at=case.received_at,
                declined_reason="Not now",
                offer_again_on=dt.date(2026, 1, 1),
                created_by=officer,
            )

    grow(1)
    client.get(_tab(case))  # warm the calendar and session caches
    with CaptureQueriesContext(connection) as small:
        assert client.get(_tab(case)).status_code == 200
    grow(12)
    with CaptureQueriesContext(connection) as large:
        page = _text(client.get(_tab(case)))
    assert page.count("Offer support again to") == 13
    assert len(large.captured_queries) <= len(small.captured_queries), [q["sql"] for q in large.captured_queries]


def test_a_control_character_is_an_error_on_its_question_keeping_the_rest(officer: User) -> None:
    case, police = working_case(officer), police_agency()
    data = _form(police.pk, reason="Threats\x00 and graffiti")
    response = client_verified_as(officer).post(f"{_tab(case)}referrals/new/", data)
    page = _text(response)
    assert response.status_code == 200
    assert "hidden control character" in page
    assert "Reporter&#x27;s name and phone number; the incidents" in page
    assert not Referral.objects.exists()


def test_a_criminal_case_offers_the_police_referral_until_one_is_made(officer: User) -> None:
    case, other = working_case(officer), working_case(officer, criminal=False)
    client = client_verified_as(officer)
    assert "?kind=police" in _text(client.get(_tab(case)))
    assert "?kind=police" not in _text(client.get(_tab(other)))
    make_referral(officer, case, police_agency())
    assert "?kind=police" not in _text(client.get(_tab(case)))
