"""Disclosures on the case (issue 15 item 5: "every disclosure recorded (what, to whom, when, why, under which
agreement or lawful basis, by whom), listed on the case"): the Partnership tab's section and
`GET /api/v1/cases/{reference}/disclosures`, for whoever sees the case; a MARAC form's disclosure only for the DA
permission set."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.accounts.services import token_create
from saferhomes.cases.models import AccessGrant, Case
from saferhomes.referrals.models import Disclosure, DisclosureSource, LawfulBasis
from tests.access.surfaces import CaseSurface
from tests.api.conftest import bearer
from tests.cases.matrix import case_for
from tests.conftest import client_verified_as
from tests.referrals.agreement_helpers import agreement
from tests.referrals.factories import AgencyFactory

pytestmark = pytest.mark.django_db
P = "Partnership"

AT = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


def _disclose(case: Case, by: User, **fields: Any) -> Disclosure:
    fields.setdefault("agency", AgencyFactory.create(code="demo-council-asb", name="Exampleton Council ASB team"))
    fields.setdefault("source", DisclosureSource.REFERRAL)
    fields.setdefault("what", "Names and addresses; the incident log")
    fields.setdefault("reason", "Joint visit to the alleged perpetrator")
    fields.setdefault("lawful_basis", LawfulBasis.PUBLIC_TASK)
    made: Disclosure = Disclosure.objects.create(case=case, disclosed_by=by, disclosed_at=AT, **fields)
    return made


def test_the_tab_lists_what_to_whom_when_why_on_what_basis_and_by_whom(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER, first_name="Olivia", last_name="Bennett")
    case = case_for(officer, sensitivity="normal", relation="assigned")
    council = AgencyFactory.create(code="demo-council-asb", name="Exampleton Council ASB team")
    isa = agreement(
        created_by=make_staff(Role.DPO), name="Community safety partnership ASB agreement", agencies=[council]
    )
    _disclose(case, officer, agency=council, agreement=isa)

    page = client_verified_as(officer).get(f"/staff/cases/{case.reference}/partnership/").content.decode()

    section = page[page.index('<section id="disclosures"') :]
    for text in (
        "2 Mar 2026 09:30",
        "Olivia Bennett",
        "Exampleton Council ASB team",
        "Referral",
        "Names and addresses; the incident log",
        "Why: Joint visit to the alleged perpetrator",
        "Public task",
        "Agreement: Community safety partnership ASB agreement",
    ):
        assert text in section, text


def test_a_case_with_no_disclosures_says_so(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER)
    case = case_for(officer, sensitivity="normal", relation="assigned")
    page = client_verified_as(officer).get(f"/staff/cases/{case.reference}/partnership/").content.decode()
    assert "Nothing from this case has been disclosed to another organisation." in page


def _api(user: User, reference: str) -> Any:
    _token, raw = token_create(actor=None, user=user, name="tests")
    return Client().get(DISCLOSURES_API.url(ref=reference), headers=bearer(raw))


DISCLOSURES_API = CaseSurface(P, "Disclosure log of a case (API)", "GET", "/api/v1/cases/{ref}/disclosures", None)


@pytest.mark.parametrize(("role", "sensitivity", "relation"), DISCLOSURES_API.params())
def test_the_api_follows_the_case_access_matrix(
    role: str, sensitivity: str, relation: str, make_staff: Callable[..., User]
) -> None:
    user = make_staff(role)
    case = case_for(user, sensitivity=sensitivity, relation=relation)
    assert case.assigned_officer is not None
    _disclose(case, case.assigned_officer)

    response = _api(user, case.reference)

    assert response.status_code == DISCLOSURES_API.expected(role, sensitivity, relation)
    if response.status_code == 200:
        (row,) = response.json()
        assert row["agency"] == "demo-council-asb"
        assert row["source"] == "referral"
        assert row["lawful_basis"] == "public_task"
        assert row["disclosed_by"] == case.assigned_officer.username


def test_a_marac_form_disclosure_is_listed_only_inside_the_da_permission_set(
    make_staff: Callable[..., User],
) -> None:
    specialist = make_staff(Role.DA_SPECIALIST)
    case = case_for(specialist, sensitivity="da", relation="assigned")
    marac = AgencyFactory.create(code="demo-marac", name="Exampleton MARAC", handles_da=True)
    _disclose(case, specialist, agency=marac, source=DisclosureSource.MARAC_FORM, what="MARAC referral form")
    _disclose(case, specialist)
    officer = make_staff(Role.OFFICER)
    AccessGrant.objects.create(case=case, user=officer, reason="Covering", expires_at=AT + dt.timedelta(days=3650))

    inside = [row["source"] for row in _api(specialist, case.reference).json()]
    outside = [row["source"] for row in _api(officer, case.reference).json()]

    assert sorted(inside) == ["marac_form", "referral"]
    assert outside == ["referral"]
