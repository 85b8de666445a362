"""Who sees which case: the whole access matrix through `cases_visible_to`, and `case_get_for_actor`'s 404 and audit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.http import Http404
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import AccessGrant, Case, CaseLink, LinkReason, PartyRole, Sensitivity
from saferhomes.cases.selectors import case as selectors
from saferhomes.core.models import AuditEvent
from tests.cases.factories import CaseFactory, PartyFactory
from tests.cases.matrix import case_for, full_matrix, visible
from tests.housing.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("role", "sensitivity", "relation"), full_matrix())
def test_case_visibility_matrix(role: str, sensitivity: str, relation: str, make_staff: Callable[..., User]) -> None:
    user = make_staff(role)
    case = case_for(user, sensitivity=sensitivity, relation=relation)
    seen = selectors.cases_visible_to(actor=user).filter(pk=case.pk).exists()
    assert seen is visible(role, sensitivity, relation)


@pytest.mark.parametrize(("role", "sensitivity", "relation"), full_matrix())
def test_case_get_for_actor_matrix_is_404_when_invisible(
    role: str, sensitivity: str, relation: str, make_staff: Callable[..., User]
) -> None:
    user = make_staff(role)
    case = case_for(user, sensitivity=sensitivity, relation=relation)
    if visible(role, sensitivity, relation):
        assert selectors.case_get_for_actor(actor=user, reference=case.reference) == case
    else:
        with pytest.raises(Http404):
            selectors.case_get_for_actor(actor=user, reference=case.reference)


def test_da_case_is_404_for_officer_in_the_same_team(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER)
    case = case_for(officer, sensitivity=Sensitivity.DA, relation="same_team")
    with pytest.raises(Http404):
        selectors.case_get_for_actor(actor=officer, reference=case.reference)


def test_expired_break_glass_grant_no_longer_shows_the_case(make_staff: Callable[..., User]) -> None:
    manager = make_staff(Role.MANAGER)
    case = case_for(manager, sensitivity=Sensitivity.RESTRICTED, relation="other_team")
    AccessGrant.objects.create(case=case, user=manager, reason="Urgent", expires_at=timezone.now() - dt.timedelta(1))
    assert not selectors.cases_visible_to(actor=manager).filter(pk=case.pk).exists()


def test_inactive_user_sees_nothing(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER)
    case_for(officer, sensitivity=Sensitivity.NORMAL, relation="assigned")
    officer.is_active = False
    officer.save()
    assert selectors.cases_visible_to(actor=officer).count() == 0


def test_named_twice_and_granted_case_is_listed_once(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER)
    case = case_for(officer, sensitivity=Sensitivity.RESTRICTED, relation="named")
    AccessGrant.objects.create(case=case, user=officer, reason="x" * 12, expires_at=timezone.now() + dt.timedelta(1))
    AccessGrant.objects.create(case=case, user=officer, reason="y" * 12, expires_at=timezone.now() + dt.timedelta(1))
    assert list(selectors.cases_visible_to(actor=officer)) == [case]


@pytest.mark.parametrize("sensitivity", [Sensitivity.RESTRICTED, Sensitivity.DA])
def test_reading_a_restricted_or_da_case_is_audited(sensitivity: str, make_staff: Callable[..., User]) -> None:
    manager = make_staff(Role.MANAGER)
    case = case_for(manager, sensitivity=sensitivity, relation="assigned")
    selectors.case_get_for_actor(actor=manager, reference=case.reference)
    event = AuditEvent.objects.get(verb="case.viewed")
    assert (event.actor, event.object_id) == (manager, str(case.pk))


def test_reading_a_normal_case_is_not_audited(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER)
    case = case_for(officer, sensitivity=Sensitivity.NORMAL, relation="assigned")
    selectors.case_get_for_actor(actor=officer, reference=case.reference)
    assert not AuditEvent.objects.filter(verb="case.viewed").exists()


def test_reading_a_normal_case_through_break_glass_is_audited(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER)
    case = case_for(officer, sensitivity=Sensitivity.NORMAL, relation="grant")
    selectors.case_get_for_actor(actor=officer, reference=case.reference)
    assert AuditEvent.objects.filter(verb="case.viewed", actor=officer).count() == 1


def test_refused_read_is_audited_for_the_dpo_and_reveals_nothing(make_staff: Callable[..., User]) -> None:
    # Issue 14 item 16: a refused read of a case that exists is recorded (case.read_refused); the person refused
    # still cannot tell it from a reference that does not exist.
    officer = make_staff(Role.OFFICER)
    case = case_for(officer, sensitivity=Sensitivity.DA, relation="other_team")
    with pytest.raises(Http404) as refused:
        selectors.case_get_for_actor(actor=officer, reference=case.reference)
    with pytest.raises(Http404) as missing:
        selectors.case_get_for_actor(actor=officer, reference="ASB-2026-999999")
    assert str(refused.value) == str(missing.value)
    assert list(AuditEvent.objects.values_list("verb", "object_id")) == [("case.read_refused", str(case.pk))]


def test_reference_lookup_ignores_case_and_spaces(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER)
    case = case_for(officer, sensitivity=Sensitivity.NORMAL, relation="assigned")
    assert selectors.case_get_for_actor(actor=officer, reference=f"  {case.reference.lower()} ") == case


def test_minor_party_is_flagged_on_the_incident_date(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER)
    case = case_for(officer, sensitivity=Sensitivity.NORMAL, relation="assigned")
    received = timezone.localdate(case.received_at)
    PartyFactory.create(
        case=case, role=PartyRole.ALLEGED_PERPETRATOR, date_of_birth=received.replace(year=received.year - 15)
    )
    (view,) = selectors.party_views(case=case)
    assert view.is_minor
    assert view.age == 15
    assert "youth_offending_team" in [p.code for p in view.prompts]


def test_register_person_details_come_from_the_register(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER)
    case = case_for(officer, sensitivity=Sensitivity.NORMAL, relation="assigned")
    person = PersonFactory.create(vulnerabilities="Uses a wheelchair", safe_contact_notes="Text only")
    PartyFactory.create(case=case, person=person, first_name="", last_name="", vulnerabilities="stale")
    (view,) = selectors.party_views(case=case)
    assert (view.vulnerabilities, view.safe_contact) == ("Uses a wheelchair", "Text only")


def test_case_review_prompt_on_the_victims_second_report_within_six_months(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER)
    person = PersonFactory.create()
    now = timezone.now()
    first = CaseFactory.create(received_at=now - dt.timedelta(days=90))
    second = CaseFactory.create(received_at=now)
    PartyFactory.create(case=first, person=person, role=PartyRole.VICTIM)
    PartyFactory.create(case=second, person=person, role=PartyRole.REPORTER)
    assert selectors.case_review_prompt_for(case=first) is None
    prompt = selectors.case_review_prompt_for(case=second)
    assert prompt is not None
    assert "2 times" in prompt.message
    assert officer  # the officer is irrelevant: the rule counts reports, it does not show them


def test_case_review_prompt_on_the_third_linked_complaint(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER)
    case, other, third = CaseFactory.create_batch(3)
    CaseLink.objects.create(from_case=case, to_case=other, reason=LinkReason.SAME_LOCATION, created_by=officer)
    assert selectors.case_review_prompt_for(case=case) is None
    CaseLink.objects.create(from_case=third, to_case=case, reason=LinkReason.SAME_LOCATION, created_by=officer)
    assert selectors.case_review_prompt_for(case=case) is not None


def test_search_finds_register_and_ad_hoc_parties_and_free_locations() -> None:
    person = PersonFactory.create(first_name="Ottoline", last_name="Brackenbury")
    by_register = CaseFactory.create(summary="Register party")
    PartyFactory.create(case=by_register, person=person, first_name="", last_name="")
    ad_hoc = CaseFactory.create(summary="Ad hoc party")
    PartyFactory.create(case=ad_hoc, first_name="Ottoline", last_name="Brackenbury")
    elsewhere = CaseFactory.create(summary="Somewhere else", location_text="Behind Brackenbury Parade")
    CaseFactory.create(summary="Nobody of that name")
    found = set(Case.objects.filter(selectors.case_search_q("brackenbury")))
    assert found == {by_register, ad_hoc, elsewhere}
    assert set(Case.objects.filter(selectors.case_search_q("ottoline BRACKENBURY"))) == {by_register, ad_hoc}
    assert not Case.objects.filter(selectors.case_search_q("nobody-matches-this")).exists()
