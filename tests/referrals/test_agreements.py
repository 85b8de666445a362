"""The register of information-sharing agreements (issue 15 item 5): the DPO adds and changes agreements (audited;
review and end dates on or after the start, at least one agency); staff who share read it; the list is in review
order with "Review due" (14 days) and "Review overdue" tags; bad answers are shown on the form, never a 500."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import ROLE_PERMISSIONS, Role
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.models import AuditEvent
from saferhomes.referrals.models import LawfulBasis, SharingAgreement
from saferhomes.referrals.selectors.agreements import review_state
from saferhomes.referrals.services.agreements import agreement_record, agreement_update
from tests.access.surfaces import RoleSurface
from tests.conftest import client_verified_as
from tests.referrals.agreement_helpers import agreement
from tests.referrals.factories import AgencyFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 18)
NOON = dt.datetime(2026, 3, 18, 12, 0, tzinfo=dt.UTC)


def _readers() -> set[str]:
    return {
        role
        for role, perms in ROLE_PERMISSIONS.items()
        if {"referrals.share_case", "referrals.manage_agreements"} & set(perms)
    }


def _values(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": "Exampleton MARAC information-sharing protocol",
        "agencies": [AgencyFactory.create(code="demo-marac"), AgencyFactory.create(code="demo-idva")],
        "purpose": "Safety planning for victims at high risk",
        "data_shared": "Names, addresses, risk results",
        "lawful_basis": LawfulBasis.PUBLIC_TASK,
        "starts_on": dt.date(2026, 4, 1),
        "review_on": dt.date(2027, 4, 1),
        "ends_on": None,
    }
    values.update(changes)
    return values


# Services -------------------------------------------------------------------------------------------------------------


def test_the_dpo_records_an_agreement_with_its_agencies_audited(dpo_daniel: User) -> None:
    made = agreement_record(actor=dpo_daniel, **_values(name="  Exampleton MARAC protocol  "))

    assert made.name == "Exampleton MARAC protocol"
    assert sorted(made.agencies.values_list("code", flat=True)) == ["demo-idva", "demo-marac"]
    event = AuditEvent.objects.get(verb=AuditVerb.AGREEMENT_RECORDED)
    assert event.after is not None
    assert (event.actor_id, event.after["agencies"], event.after["review_on"]) == (
        dpo_daniel.pk,
        ["demo-idva", "demo-marac"],
        "2027-04-01",
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"review_on": dt.date(2026, 3, 31)}, "review_on", "same as or after the start date"),
        ({"ends_on": dt.date(2026, 3, 31)}, "ends_on", "same as or after the start date"),
        ({"agencies": []}, "agencies", "at least one agency"),
        ({"name": "   "}, "name", "Enter the agreement's name"),
        ({"lawful_basis": "because"}, "lawful_basis", "Select the lawful basis"),
        ({"purpose": ""}, "purpose", "what the agreement is for"),
        ({"starts_on": None}, "starts_on", "Enter the date the agreement starts"),
    ],
)
def test_bad_agreements_are_refused_naming_the_field(
    dpo_daniel: User, changes: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(DomainError) as refused:
        agreement_record(actor=dpo_daniel, **_values(**changes))

    assert message in refused.value.field_errors[field][0]
    assert not SharingAgreement.objects.exists()


def test_review_and_end_on_the_start_day_are_allowed(dpo_daniel: User) -> None:
    made = agreement_record(actor=dpo_daniel, **_values(review_on=dt.date(2026, 4, 1), ends_on=dt.date(2026, 4, 1)))
    assert (made.review_on, made.ends_on) == (dt.date(2026, 4, 1), dt.date(2026, 4, 1))


@pytest.mark.parametrize("role", [Role.OFFICER, Role.MANAGER, Role.ADMIN])
def test_only_the_keepers_of_the_register_change_it(
    role: str, make_staff: Callable[..., User], dpo_daniel: User
) -> None:
    existing = agreement(created_by=dpo_daniel)
    with pytest.raises(PermissionDenied):
        agreement_record(actor=make_staff(role), **_values())
    with pytest.raises(PermissionDenied):
        agreement_update(actor=make_staff(role), agreement=existing, **_values())


def test_changing_an_agreement_is_audited_before_and_after(dpo_daniel: User) -> None:
    existing = agreement(created_by=dpo_daniel)
    idva = AgencyFactory.create(code="demo-idva")

    agreement_update(
        actor=dpo_daniel,
        agreement=existing,
        **_values(
            name=existing.name,
            agencies=[*existing.agencies.all(), idva],
            starts_on=existing.starts_on,
            review_on=dt.date(2027, 4, 1),
        ),
    )

    existing.refresh_from_db()
    assert existing.review_on == dt.date(2027, 4, 1)
    event = AuditEvent.objects.get(verb=AuditVerb.AGREEMENT_UPDATED)
    assert event.before is not None
    assert event.after is not None
    assert (event.before["review_on"], event.after["review_on"]) == ("2026-04-01", "2027-04-01")
    assert event.after["agencies"] == ["demo-council-asb", "demo-idva"]


# Review tags --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("review_on", "ends_on", "key"),
    [
        (dt.date(2026, 4, 2), None, ""),  # 15 days ahead of 18 March: in force, not yet due
        (dt.date(2026, 4, 1), None, "due"),  # 14 days ahead: due
        (dt.date(2026, 3, 18), None, "due"),  # today
        (dt.date(2026, 3, 17), None, "overdue"),
        (dt.date(2026, 3, 1), dt.date(2026, 3, 17), "ended"),
        (dt.date(2026, 3, 1), dt.date(2026, 3, 18), "overdue"),  # ends today: still in force
    ],
)
def test_review_tags_on_the_edges(review_on: dt.date, ends_on: dt.date | None, key: str, dpo_daniel: User) -> None:
    made = agreement(created_by=dpo_daniel, starts_on=dt.date(2025, 1, 1), review_on=review_on, ends_on=ends_on)
    assert review_state(made, today=TODAY).key == key


def test_an_agreement_not_started_says_so(dpo_daniel: User) -> None:
    made = agreement(created_by=dpo_daniel, starts_on=dt.date(2026, 6, 1), review_on=dt.date(2027, 6, 1))
    assert review_state(made, today=TODAY).label == "Not started"


# Pages ---------------------------------------------------------------------------------------------------------------


AGREEMENTS = "Information-sharing agreements"
AGREEMENT_PAGES = [
    RoleSurface(AGREEMENTS, "The register", "GET", "/staff/partnership/agreements/", frozenset(_readers())),
    RoleSurface(AGREEMENTS, "An agreement", "GET", "/staff/partnership/agreements/{pk}/", frozenset(_readers())),
    RoleSurface(AGREEMENTS, "Record an agreement", "GET", "/staff/partnership/agreements/new/", frozenset({Role.DPO})),
    RoleSurface(
        AGREEMENTS, "Change an agreement", "GET", "/staff/partnership/agreements/{pk}/edit/", frozenset({Role.DPO})
    ),
]


@pytest.mark.parametrize("role", list(Role))
def test_the_register_is_read_by_those_who_share_and_kept_by_the_dpo(
    role: str, make_staff: Callable[..., User]
) -> None:
    keeper = make_staff(Role.DPO, username="dpo_keeper")
    existing = agreement(created_by=keeper)
    client = client_verified_as(make_staff(role))

    for page in AGREEMENT_PAGES:
        assert client.get(page.url(pk=existing.pk)).status_code == page.expected(role), page.path


def test_the_list_is_in_review_order_with_tags(dpo_daniel: User) -> None:
    agreement(created_by=dpo_daniel, name="Later", review_on=dt.date(2026, 9, 1))
    agreement(created_by=dpo_daniel, name="Overdue one", review_on=dt.date(2026, 3, 1))
    agreement(created_by=dpo_daniel, name="Due soon", review_on=dt.date(2026, 3, 25))
    client = client_verified_as(dpo_daniel)

    with time_machine.travel(NOON, tick=False):
        page = client.get("/staff/partnership/agreements/").content.decode()

    names = re.findall(r'href="/staff/partnership/agreements/\d+/">([^<]+)</a>', page)
    assert names == ["Overdue one", "Due soon", "Later"]
    assert page.count("Review overdue") == 1
    assert page.count("Review due") == 1
    assert "Add an agreement" in page


def test_the_list_costs_the_same_queries_however_many_agreements(
    dpo_daniel: User, django_assert_max_num_queries: Any
) -> None:
    client = client_verified_as(dpo_daniel)
    client.get("/staff/partnership/agreements/")  # warm the session and permission caches
    for n in range(3):
        agreement(created_by=dpo_daniel, name=f"Agreement {n}")
    with django_assert_max_num_queries(12) as few:
        client.get("/staff/partnership/agreements/")
    for n in range(3, 30):
        agreement(created_by=dpo_daniel, name=f"Agreement {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/staff/partnership/agreements/")


def _form_data(**changes: str) -> dict[str, Any]:
    marac = AgencyFactory.create(code="demo-marac")
    data: dict[str, Any] = {
        "name": "Exampleton MARAC protocol",
        "agencies": [str(marac.pk)],
        "purpose": "Safety planning",
        "data_shared": "Names and risk results",
        "lawful_basis": LawfulBasis.PUBLIC_TASK,
        "starts_on_0": "1",
        "starts_on_1": "4",
        "starts_on_2": "2026",
        "review_on_0": "1",
        "review_on_1": "4",
        "review_on_2": "2027",
    }
    data.update(changes)
    return data


def test_the_dpo_adds_an_agreement_through_the_form(dpo_daniel: User) -> None:
    response = client_verified_as(dpo_daniel).post("/staff/partnership/agreements/new/", _form_data())

    made = SharingAgreement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/partnership/agreements/{made.pk}/"
    assert (made.review_on, made.ends_on, made.created_by) == (dt.date(2027, 4, 1), None, dpo_daniel)


def test_a_review_before_the_start_is_shown_on_the_form_with_what_was_typed(dpo_daniel: User) -> None:
    response = client_verified_as(dpo_daniel).post(
        "/staff/partnership/agreements/new/", _form_data(review_on_2="2025", review_on_0="31", review_on_1="3")
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "The review date must be the same as or after the start date" in page
    assert 'value="Exampleton MARAC protocol"' in page
    assert not SharingAgreement.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"agencies": ["999999"]},
        {"review_on_0": "31", "review_on_1": "2", "review_on_2": "2027"},
        {"lawful_basis": "\x00"},
        {"name": "x" * 201},
    ],
)
def test_bad_form_answers_are_errors_not_crashes(dpo_daniel: User, changes: dict[str, Any]) -> None:
    response: Any = client_verified_as(dpo_daniel).post("/staff/partnership/agreements/new/", _form_data(**changes))
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


def test_the_dpo_changes_the_review_date_through_the_form(dpo_daniel: User) -> None:
    existing = agreement(created_by=dpo_daniel)
    client: Client = client_verified_as(dpo_daniel)
    form_page = client.get(f"/staff/partnership/agreements/{existing.pk}/edit/").content.decode()
    assert 'value="2026"' in form_page  # the dates start as they are
    council = existing.agencies.get()

    response = client.post(
        f"/staff/partnership/agreements/{existing.pk}/edit/",
        _form_data(
            name=existing.name,
            agencies=[str(council.pk)],  # type: ignore[arg-type]
            starts_on_0="1",
            starts_on_1="4",
            starts_on_2="2025",
            review_on_0="1",
            review_on_1="4",
            review_on_2="2027",
        ),
    )

    assert response.status_code == 302
    existing.refresh_from_db()
    assert existing.review_on == dt.date(2027, 4, 1)
    assert list(existing.agencies.all()) == [council]
