"""Reassigning many cases at once (issue 14 item 20): the checks of a single assignment for each, all or nothing, each
case audited with the reason, the new officer emailed once with references and links and never a name."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.http import Http404
from pytest_django import DjangoCaptureOnCommitCallbacks

from saferhomes.accounts.models import User
from saferhomes.cases.models import Case, PartyRole, Status
from saferhomes.cases.services.case import assignment_problem, case_assign, cases_reassign
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.models import AuditEvent
from tests.cases.factories import PartyFactory
from tests.cases.workload_helpers import Crew, case_held_by, da_case_held_by, make_crew

pytestmark = pytest.mark.django_db


@pytest.fixture
def crew(make_staff: Callable[..., User]) -> Crew:
    return make_crew(make_staff)


def holders(*cases: Case) -> list[tuple[int | None, int | None]]:
    return [Case.objects.values_list("assigned_officer_id", "team_id").get(pk=case.pk) for case in cases]


def test_cases_move_together_each_audited_with_the_reason(crew: Crew) -> None:
    first, second = case_held_by(crew.olivia), case_held_by(crew.olivia, status=Status.NEW)
    untouched = case_held_by(crew.olivia)

    moved = cases_reassign(actor=crew.cara, cases=[second, first], officer=crew.omar, reason="Olivia is on leave")

    assert [case.reference for case in moved] == sorted([first.reference, second.reference])
    assert holders(first, second) == [(crew.omar.pk, crew.north.pk)] * 2
    assert holders(untouched) == [(crew.olivia.pk, crew.north.pk)]
    events = AuditEvent.objects.filter(verb=AuditVerb.CASE_REASSIGNED).order_by("object_id")
    assert sorted(e.object_id for e in events) == sorted([str(first.pk), str(second.pk)])
    assert {e.reason for e in events} == {"Olivia is on leave"}
    assert {e.actor_id for e in events} == {crew.cara.pk}
    assert all((e.after or {}).get("assigned_officer_id") == crew.omar.pk for e in events)
    assert Case.objects.get(pk=first.pk).version == first.version + 1


def test_unassigned_cases_are_assigned_and_audited_as_such(crew: Crew) -> None:
    case = case_held_by(None, status=Status.NEW)
    cases_reassign(actor=crew.cara, cases=[case], officer=crew.omar, reason="Triage rota")
    event = AuditEvent.objects.get(object_id=str(case.pk), verb=AuditVerb.CASE_ASSIGNED)
    assert event.reason == "Triage rota"


def test_one_case_that_cannot_go_stops_them_all_and_says_which_and_why(crew: Crew) -> None:
    asb = case_held_by(crew.dev)
    da = da_case_held_by(crew.dev)

    with pytest.raises(DomainError) as error:
        cases_reassign(actor=crew.maya, cases=[asb, da], officer=crew.omar, reason="Dev is on leave")

    assert error.value.field_errors == {
        "cases": [f"{da.reference} cannot be reassigned: it is a domestic abuse case and Omar Haddad is not DA-trained"]
    }
    assert holders(asb, da) == [(crew.dev.pk, crew.dev.team_id)] * 2
    assert not AuditEvent.objects.filter(verb__in=[AuditVerb.CASE_REASSIGNED, AuditVerb.CASE_ASSIGNED]).exists()


def test_every_case_that_cannot_go_is_named(crew: Crew) -> None:
    closed = case_held_by(crew.olivia, status=Status.CLOSED)
    already = case_held_by(crew.omar)
    fine = case_held_by(crew.olivia)
    with pytest.raises(DomainError) as error:
        cases_reassign(actor=crew.cara, cases=[fine, closed, already], officer=crew.omar, reason="Balance")
    assert sorted(error.value.field_errors["cases"]) == sorted(
        [
            f"{closed.reference} cannot be reassigned: it is closed",
            f"{already.reference} cannot be reassigned: it is already assigned to them",
        ]
    )
    assert holders(fine) == [(crew.olivia.pk, crew.north.pk)]


def test_da_cases_go_to_da_trained_staff(crew: Crew, make_staff: Callable[..., User]) -> None:
    da = da_case_held_by(crew.dev)
    other_specialist = make_staff("da_specialist", username="da_specialist_2")
    cases_reassign(actor=crew.maya, cases=[da], officer=other_specialist, reason="Cover")
    assert holders(da) == [(other_specialist.pk, other_specialist.team_id)]


def test_a_reason_and_at_least_one_case_are_needed(crew: Crew) -> None:
    case = case_held_by(crew.olivia)
    with pytest.raises(DomainError) as error:
        cases_reassign(actor=crew.cara, cases=[case], officer=crew.omar, reason="   ")
    assert error.value.field_errors == {"reason": ["Enter why the cases are being reassigned"]}
    with pytest.raises(DomainError) as error:
        cases_reassign(actor=crew.cara, cases=[], officer=crew.omar, reason="Cover")
    assert error.value.field_errors == {"cases": ["Select the cases to reassign"]}
    assert holders(case) == [(crew.olivia.pk, crew.north.pk)]


def test_only_staff_who_assign_cases_may_reassign(crew: Crew) -> None:
    case = case_held_by(crew.olivia)
    with pytest.raises(PermissionDenied):
        cases_reassign(actor=crew.olivia, cases=[case], officer=crew.omar, reason="Swap")


def test_a_case_the_actor_cannot_see_is_not_found(crew: Crew) -> None:
    da = da_case_held_by(crew.dev)
    with pytest.raises(Http404):
        cases_reassign(actor=crew.cara, cases=[da], officer=crew.dev, reason="Cover")


def test_the_new_officer_is_emailed_once_with_every_reference_and_no_names(
    crew: Crew, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    cases = [case_held_by(crew.olivia, summary=f"Noise from flat {n}") for n in range(3)]
    for case in cases:
        PartyFactory.create(case=case, role=PartyRole.REPORTER, first_name="Winifred", last_name="Quayle")

    with django_capture_on_commit_callbacks(execute=True):
        cases_reassign(actor=crew.cara, cases=cases, officer=crew.omar, reason="Olivia Bennett is on leave")

    (email,) = mail.outbox
    assert email.to == [crew.omar.email]
    assert email.subject == "3 cases have been assigned to you"
    for case in cases:
        assert f"{case.reference}: http" in email.body
        assert f"/staff/cases/{case.reference}/" in email.body
    for private in ("Winifred", "Quayle", "Noise from flat", "Olivia", "on leave"):
        assert private not in f"{email.subject}\n{email.body}"


def test_nobody_is_emailed_before_the_commit_or_when_nothing_moved(crew: Crew) -> None:
    case = case_held_by(crew.olivia)
    cases_reassign(actor=crew.cara, cases=[case], officer=crew.omar, reason="Cover")
    assert mail.outbox == []  # the test transaction never commits
    with pytest.raises(DomainError):
        cases_reassign(actor=crew.cara, cases=[case], officer=crew.omar, reason="Again")
    assert mail.outbox == []


def test_single_and_bulk_assignment_share_one_check(crew: Crew) -> None:
    da = da_case_held_by(crew.dev)
    problem = assignment_problem(case=da, officer=crew.omar, team=crew.north, reason="Cover")
    assert problem is not None
    with pytest.raises(DomainError) as single:
        case_assign(actor=crew.maya, case=da, officer=crew.omar, reason="Cover")
    with pytest.raises(DomainError) as bulk:
        cases_reassign(actor=crew.maya, cases=[da], officer=crew.omar, reason="Cover")
    assert single.value.field_errors == {"officer": [problem.message]}
    assert bulk.value.field_errors == {"cases": [f"{da.reference} cannot be reassigned: {problem.why}"]}
