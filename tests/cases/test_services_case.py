"""Case services: create, triage, assign, status moves, parties, links, break glass and the optimistic lock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import (
    AccessGrant,
    Case,
    CaseLink,
    CaseType,
    Party,
    PartyRole,
    Priority,
    Sensitivity,
    Status,
)
from saferhomes.cases.selectors.case import cases_visible_to
from saferhomes.cases.services.break_glass import case_break_glass
from saferhomes.cases.services.case import CaseDetails, case_assign, case_create, case_transition, case_triage
from saferhomes.cases.services.link import case_link
from saferhomes.cases.services.locking import check_version
from saferhomes.cases.services.party import PartyDetails, party_add, party_update
from saferhomes.core.errors import DomainError
from saferhomes.core.models import AuditEvent
from tests.cases.factories import CaseFactory, PartyFactory
from tests.factories import TeamFactory, UserFactory
from tests.housing.factories import PersonFactory, PropertyFactory

pytestmark = pytest.mark.django_db
LONDON_NOON = dt.datetime(2026, 3, 4, 12, 0, tzinfo=dt.UTC)  # a Wednesday


def details(**overrides: object) -> CaseDetails:
    base: dict[str, object] = {
        "case_type": CaseType.ASB,
        "summary": "Loud music every night from the flat above",
        "received_at": LONDON_NOON,
        "category": "nuisance",
        "sub_types": ["noise"],
        "reporter": PartyDetails(first_name="Ann", last_name="Example", phone="07700 900123"),
    }
    base.update(overrides)
    return CaseDetails(**base)  # type: ignore[arg-type]


@pytest.fixture
def officer(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.OFFICER)


@pytest.fixture
def coordinator(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.COORDINATOR)


# Create -----------------------------------------------------------------------------------------------------------


@time_machine.travel(dt.datetime(2026, 3, 5, 9, tzinfo=dt.UTC), tick=False)
def test_create_numbers_the_case_assigns_the_creator_and_adds_the_reporter(officer: User) -> None:
    case = case_create(actor=officer, details=details())
    assert case.reference == "ASB-2026-000001"
    assert (case.status, case.assigned_officer, case.team) == (Status.NEW, officer, officer.team)
    assert case.response_due_at is not None
    assert timezone.localtime(case.response_due_at).date() == dt.date(2026, 3, 11)  # 5 working days from Wed 4th
    (reporter,) = case.parties.all()
    assert (reporter.role, reporter.display_name) == (PartyRole.REPORTER, "Ann Example")
    assert list(AuditEvent.objects.order_by("pk").values_list("verb", flat=True)) == ["case.created", "party.added"]


@time_machine.travel(dt.datetime(2026, 3, 5, 9, tzinfo=dt.UTC), tick=False)
def test_urgent_case_is_due_within_24_working_hours(officer: User) -> None:
    case = case_create(actor=officer, details=details(urgent=True, urgent_reason="Threats of violence"))
    assert case.response_due_at == LONDON_NOON + dt.timedelta(hours=24)


def test_urgent_case_needs_a_reason(officer: User) -> None:
    with pytest.raises(DomainError) as error:
        case_create(actor=officer, details=details(urgent=True))
    assert "urgent_reason" in error.value.field_errors


def test_case_cannot_be_received_in_the_future(officer: User) -> None:
    with pytest.raises(DomainError) as error:
        case_create(actor=officer, details=details(received_at=timezone.now() + dt.timedelta(hours=1)))
    assert error.value.field_errors["received_at"] == ["The date the report was received must be today or in the past"]


def test_back_dated_case_is_numbered_in_the_year_it_was_received(officer: User) -> None:
    case = case_create(actor=officer, details=details(received_at=dt.datetime(2025, 12, 31, 23, 0, tzinfo=dt.UTC)))
    assert case.reference == "ASB-2025-000001"


def test_hate_case_needs_a_strand(officer: User) -> None:
    with pytest.raises(DomainError) as error:
        case_create(actor=officer, details=details(case_type=CaseType.HATE))
    assert "hate_strands" in error.value.field_errors
    case = case_create(actor=officer, details=details(case_type=CaseType.HATE, hate_strands=["race"]))
    assert case.reference.startswith("HATE-")


def test_every_bad_field_is_reported_at_once_and_nothing_is_saved(officer: User) -> None:
    bad = details(case_type="x", summary=" ", received_at=None, sub_types=["nope"], reporter=PartyDetails(email="no"))
    with pytest.raises(DomainError) as error:
        case_create(actor=officer, details=bad)
    assert {"case_type", "summary", "received_at", "sub_types", "reporter_email", "reporter_last_name"} <= set(
        error.value.field_errors
    )
    assert not Case.objects.exists()


def test_da_case_is_da_sensitive_and_goes_to_the_da_team_when_the_reporter_cannot_see_it(officer: User) -> None:
    da_team = TeamFactory.create(name="Domestic abuse team")
    case = case_create(actor=officer, details=details(case_type=CaseType.DA, sensitivity=Sensitivity.NORMAL))
    assert (case.sensitivity, case.assigned_officer, case.team) == (Sensitivity.DA, None, da_team)
    assert not cases_visible_to(actor=officer).filter(pk=case.pk).exists()


def test_da_specialist_creating_a_da_case_keeps_it(make_staff: Callable[..., User]) -> None:
    specialist = make_staff(Role.DA_SPECIALIST)
    case = case_create(actor=specialist, details=details(case_type=CaseType.DA))
    assert case.assigned_officer == specialist
    assert cases_visible_to(actor=specialist).filter(pk=case.pk).exists()


def test_restricted_case_names_its_creator(officer: User) -> None:
    case = case_create(actor=officer, details=details(sensitivity=Sensitivity.RESTRICTED))
    assert list(case.restricted_to.all()) == [officer]


def test_properties_set_the_estate(officer: User) -> None:
    home = PropertyFactory.create()
    case = case_create(actor=officer, details=details(properties=[home]))
    assert case.estate == home.estate
    assert list(case.properties.all()) == [home]


@pytest.mark.parametrize("role", [Role.PARTNER, Role.DPO, Role.ADMIN])
def test_roles_without_case_permissions_cannot_create(role: str, make_staff: Callable[..., User]) -> None:
    with pytest.raises(PermissionDenied):
        case_create(actor=make_staff(role), details=details())


# Triage -----------------------------------------------------------------------------------------------------------


def test_triage_moves_new_to_triaged_and_prompts_police_referral_for_crime(officer: User) -> None:
    case = CaseFactory.create(assigned_officer=officer, team=officer.team)
    result = case_triage(actor=officer, case=case, priority=Priority.HIGH, urgent=False, criminal=True, version=1)
    assert (result.case.status, result.case.priority, result.case.criminal) == (Status.TRIAGED, "high", True)
    assert result.case.triaged_at is not None
    assert result.case.version == 2
    assert [p.code for p in result.prompts] == ["police_referral"]


def test_urgency_override_at_triage_needs_a_reason_and_moves_the_deadline(officer: User) -> None:
    case = CaseFactory.create(assigned_officer=officer, team=officer.team, received_at=LONDON_NOON)
    with pytest.raises(DomainError) as error:
        case_triage(actor=officer, case=case, priority=Priority.NORMAL, urgent=True)
    assert "urgent_reason" in error.value.field_errors
    result = case_triage(actor=officer, case=case, priority=Priority.NORMAL, urgent=True, urgent_reason="Vulnerable")
    assert result.case.response_due_at == LONDON_NOON + dt.timedelta(hours=24)
    assert AuditEvent.objects.get(verb="case.triaged").reason == "Vulnerable"


def test_only_a_new_case_can_be_triaged(officer: User) -> None:
    case = CaseFactory.create(assigned_officer=officer, team=officer.team, status=Status.OPEN)
    with pytest.raises(DomainError) as error:
        case_triage(actor=officer, case=case, priority=Priority.NORMAL, urgent=False)
    assert error.value.messages == ["Only a new case can be triaged"]


def test_officer_cannot_triage_a_case_they_cannot_see(officer: User) -> None:
    case = CaseFactory.create()
    with pytest.raises(Http404):
        case_triage(actor=officer, case=case, priority=Priority.NORMAL, urgent=False)


# Optimistic locking -------------------------------------------------------------------------------------------------


def test_stale_form_is_refused_naming_who_changed_what_and_when(officer: User, coordinator: User) -> None:
    case = CaseFactory.create(assigned_officer=officer, team=officer.team)
    form_version = case.version
    other = UserFactory.create(username="other_officer", role=Role.OFFICER)
    case_assign(actor=coordinator, case=case, officer=other, reason="Leave cover", version=form_version)
    with pytest.raises(DomainError) as error:
        case_triage(actor=coordinator, case=case, priority=Priority.HIGH, urgent=False, version=form_version)
    (message,) = error.value.messages
    assert message.startswith(f"This case was changed by {coordinator.get_full_name()} at ")
    assert "Your changes were not saved; here is what changed: reassigned (assigned officer, team)." in message
    case.refresh_from_db()
    assert case.status == Status.NEW


def test_check_version_without_a_version_does_not_check() -> None:
    case = CaseFactory.create()
    check_version(case, None)
    with pytest.raises(DomainError):
        check_version(case, case.version + 1)


# Assign -----------------------------------------------------------------------------------------------------------


def test_first_assignment_needs_no_reason_but_reassignment_does(coordinator: User) -> None:
    case = CaseFactory.create(assigned_officer=None, team=None)
    officer = UserFactory.create(username="new_officer", role=Role.OFFICER)
    case = case_assign(actor=coordinator, case=case, officer=officer)
    assert (case.assigned_officer, case.team) == (officer, officer.team)
    another = UserFactory.create(username="another_officer", role=Role.OFFICER)
    with pytest.raises(DomainError) as error:
        case_assign(actor=coordinator, case=case, officer=another)
    assert error.value.field_errors["reason"] == ["Enter why the case is being reassigned"]
    case_assign(actor=coordinator, case=case, officer=another, reason="Caseload balance")
    event = AuditEvent.objects.get(verb="case.reassigned")
    assert event.reason == "Caseload balance"
    assert mail.outbox == []  # emails wait for the commit; the test transaction never commits


def test_assignment_email_is_sent_on_commit(
    coordinator: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    case = CaseFactory.create(assigned_officer=None, team=None)
    officer = UserFactory.create(username="new_officer", role=Role.OFFICER)
    with django_capture_on_commit_callbacks(execute=True):
        case_assign(actor=coordinator, case=case, officer=officer)
    assert [m.subject for m in mail.outbox] == [f"Case {case.reference} has been assigned to you"]


def test_da_case_only_goes_to_da_trained_staff(make_staff: Callable[..., User]) -> None:
    manager = make_staff(Role.MANAGER)
    case = CaseFactory.create(case_type=CaseType.DA)
    officer = UserFactory.create(username="plain_officer", role=Role.OFFICER)
    with pytest.raises(DomainError) as error:
        case_assign(actor=manager, case=case, officer=officer, reason="Cover")
    assert "not DA-trained" in error.value.field_errors["officer"][0]


def test_officer_cannot_assign(officer: User) -> None:
    case = CaseFactory.create(assigned_officer=officer, team=officer.team)
    with pytest.raises(PermissionDenied):
        case_assign(actor=officer, case=case, officer=officer)


def test_cases_cannot_be_given_to_someone_who_cannot_work_them(coordinator: User) -> None:
    case = CaseFactory.create(assigned_officer=None, team=None)
    dpo = UserFactory.create(username="dpo_x", role=Role.DPO)
    with pytest.raises(DomainError):
        case_assign(actor=coordinator, case=case, officer=dpo)


# Transitions ------------------------------------------------------------------------------------------------------


def test_start_investigation_moves_triaged_to_open(officer: User) -> None:
    case = CaseFactory.create(assigned_officer=officer, team=officer.team, status=Status.TRIAGED)
    case = case_transition(actor=officer, case=case, to_status=Status.OPEN)
    assert (case.status, case.stage) == (Status.OPEN, "investigating")
    assert AuditEvent.objects.filter(verb="case.open").exists()


def test_illegal_transition_says_why(officer: User) -> None:
    case = CaseFactory.create(assigned_officer=officer, team=officer.team)
    with pytest.raises(DomainError) as error:
        case_transition(actor=officer, case=case, to_status=Status.CLOSED)
    assert error.value.messages == [
        "A new case must be triaged, investigated and its outcome discussed before it can be closed"
    ]


def test_moves_with_their_own_form_point_to_it(officer: User) -> None:
    case = CaseFactory.create(assigned_officer=officer, team=officer.team, status=Status.OPEN)
    with pytest.raises(DomainError) as error:
        case_transition(actor=officer, case=case, to_status=Status.CLOSING)
    assert "closure tab" in error.value.messages[0]


def test_withdrawing_a_closure_needs_a_reason_and_clears_the_request(officer: User) -> None:
    case = CaseFactory.create(
        assigned_officer=officer,
        team=officer.team,
        status=Status.CLOSING,
        closure_requested_by=officer,
        closure_requested_at=timezone.now(),
    )
    with pytest.raises(DomainError):
        case_transition(actor=officer, case=case, to_status=Status.OPEN)
    case = case_transition(actor=officer, case=case, to_status=Status.OPEN, reason="New incident reported")
    assert (case.status, case.closure_requested_by) == (Status.OPEN, None)


# Parties ----------------------------------------------------------------------------------------------------------


def test_add_register_person_as_alleged_perpetrator(officer: User) -> None:
    case = CaseFactory.create(assigned_officer=officer, team=officer.team)
    person = PersonFactory.create()
    party = party_add(
        actor=officer, case=case, details=PartyDetails(role=PartyRole.ALLEGED_PERPETRATOR, person=person), version=1
    )
    assert party.display_name == str(person)
    assert case.version == 2
    with pytest.raises(DomainError):
        party_add(actor=officer, case=case, details=PartyDetails(role=PartyRole.ALLEGED_PERPETRATOR, person=person))


def test_party_needs_a_name_unless_anonymous_reporter(officer: User) -> None:
    case = CaseFactory.create(assigned_officer=officer, team=officer.team)
    with pytest.raises(DomainError) as error:
        party_add(actor=officer, case=case, details=PartyDetails(role=PartyRole.WITNESS))
    assert "last_name" in error.value.field_errors
    with pytest.raises(DomainError) as error:
        party_add(actor=officer, case=case, details=PartyDetails(role=PartyRole.WITNESS, anonymous=True))
    assert "anonymous" in error.value.field_errors
    party = party_add(actor=officer, case=case, details=PartyDetails(role=PartyRole.REPORTER, anonymous=True))
    assert party.display_name == "Anonymous"


def test_date_of_birth_cannot_be_in_the_future(officer: User) -> None:
    case = CaseFactory.create(assigned_officer=officer, team=officer.team)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(DomainError) as error:
        party_add(actor=officer, case=case, details=PartyDetails(first_name="A", date_of_birth=tomorrow))
    assert "date_of_birth" in error.value.field_errors


def test_party_update_is_audited_with_before_and_after(officer: User) -> None:
    case = CaseFactory.create(assigned_officer=officer, team=officer.team)
    party = PartyFactory.create(case=case)
    party_update(
        actor=officer,
        party=party,
        details=PartyDetails(
            role=PartyRole.VICTIM, first_name=party.first_name, last_name=party.last_name, vulnerabilities="Deaf"
        ),
    )
    event = AuditEvent.objects.get(verb="party.updated")
    before, after = event.before or {}, event.after or {}
    assert (before["role"], after["role"], after["vulnerabilities"]) == ("reporter", "victim", "Deaf")
    assert Party.objects.get(pk=party.pk).vulnerabilities == "Deaf"


def test_nobody_can_be_added_to_a_case_they_cannot_see(officer: User) -> None:
    case = CaseFactory.create(case_type=CaseType.DA)
    with pytest.raises(Http404):
        party_add(actor=officer, case=case, details=PartyDetails(first_name="A"))


# Links ------------------------------------------------------------------------------------------------------------


def test_link_two_visible_cases_once(officer: User) -> None:
    case = CaseFactory.create(assigned_officer=officer, team=officer.team)
    other = CaseFactory.create(assigned_officer=officer, team=officer.team)
    link = case_link(actor=officer, case=case, other_reference=other.reference.lower(), reason="same_location")
    assert (link.from_case, link.to_case) == (case, other)
    with pytest.raises(DomainError) as error:
        case_link(actor=officer, case=other, other_reference=case.reference, reason="same_location")
    assert "already linked" in error.value.field_errors["other_reference"][0]


def test_linking_to_a_case_you_cannot_see_looks_like_no_such_case(officer: User) -> None:
    case = CaseFactory.create(assigned_officer=officer, team=officer.team)
    hidden = CaseFactory.create(case_type=CaseType.DA)
    with pytest.raises(DomainError) as error:
        case_link(actor=officer, case=case, other_reference=hidden.reference, reason="same_victim")
    assert error.value.field_errors["other_reference"] == [f"No case you can see has the reference {hidden.reference}"]
    assert not CaseLink.objects.exists()


def test_a_case_cannot_be_linked_to_itself(officer: User) -> None:
    case = CaseFactory.create(assigned_officer=officer, team=officer.team)
    with pytest.raises(DomainError):
        case_link(actor=officer, case=case, other_reference=case.reference, reason="other")


# Break glass ------------------------------------------------------------------------------------------------------


def test_manager_breaks_glass_with_a_reason_audited_and_dpo_emailed(
    make_staff: Callable[..., User], django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    manager = make_staff(Role.MANAGER)
    make_staff(Role.DPO, email="dpo.person@example.org")
    case = CaseFactory.create(sensitivity=Sensitivity.RESTRICTED)
    assert not cases_visible_to(actor=manager).filter(pk=case.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        grant = case_break_glass(actor=manager, reference=case.reference, reason="Police request about a threat")
    assert cases_visible_to(actor=manager).filter(pk=case.pk).exists()
    assert grant.expires_at > timezone.now()
    event = AuditEvent.objects.get(verb="case.break_glass")
    assert (event.actor, event.reason) == (manager, "Police request about a threat")
    (email,) = mail.outbox
    assert set(email.to) == {"dataprotection@example.org", "dpo.person@example.org"}
    assert case.reference in email.subject
    assert "Police request about a threat" in email.body


def test_break_glass_needs_a_reason(make_staff: Callable[..., User]) -> None:
    manager = make_staff(Role.MANAGER)
    case = CaseFactory.create(sensitivity=Sensitivity.RESTRICTED)
    with pytest.raises(DomainError) as error:
        case_break_glass(actor=manager, reference=case.reference, reason="  ")
    assert "reason" in error.value.field_errors
    assert not AccessGrant.objects.exists()


def test_break_glass_is_for_managers_only(make_staff: Callable[..., User]) -> None:
    case = CaseFactory.create(sensitivity=Sensitivity.RESTRICTED)
    for role in (Role.OFFICER, Role.COORDINATOR, Role.DA_SPECIALIST, Role.PARTNER, Role.DPO, Role.ADMIN):
        with pytest.raises(PermissionDenied):
            case_break_glass(actor=make_staff(role), reference=case.reference, reason="I would like to see it")


def test_break_glass_on_a_case_already_visible_is_refused(make_staff: Callable[..., User]) -> None:
    manager = make_staff(Role.MANAGER)
    case = CaseFactory.create()
    with pytest.raises(DomainError) as error:
        case_break_glass(actor=manager, reference=case.reference, reason="Just checking the case")
    assert "already open" in error.value.field_errors["reference"][0]


def test_break_glass_grant_expires(make_staff: Callable[..., User]) -> None:
    manager = make_staff(Role.MANAGER)
    case = CaseFactory.create(sensitivity=Sensitivity.RESTRICTED)
    case_break_glass(actor=manager, reference=case.reference, reason="Police request about a threat")
    with time_machine.travel(timezone.now() + dt.timedelta(hours=9)):
        assert not cases_visible_to(actor=manager).filter(pk=case.pk).exists()
