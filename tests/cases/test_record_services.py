"""Investigation record services: incidents, contacts (the first response stops the clock once), notes, actions.

Each service checks the permission, acts only on a case the actor can see (404 otherwise), refuses closed cases,
is audited and bumps the case version. Evidence and contact plans have their own test modules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import (
    ActionKind,
    Case,
    CaseType,
    Contact,
    ContactPurpose,
    Direction,
    Incident,
    IncidentSource,
    Outcome,
    Party,
    PartyRole,
    Status,
)
from saferhomes.cases.services import record
from saferhomes.core.errors import DomainError
from saferhomes.core.models import AuditEvent
from saferhomes.housing.models import ContactMethod
from tests.cases.factories import CaseFactory, PartyFactory, force_status
from tests.cases.record_helpers import ago, case_fixture, officer_fixture, reporter_fixture  # noqa: F401
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


def _field_errors(excinfo: pytest.ExceptionInfo[DomainError]) -> dict[str, list[str]]:
    return excinfo.value.field_errors


def _contact(actor: User, case: Case, **kwargs: object) -> Contact:
    arguments: dict[str, object] = {
        "method": ContactMethod.PHONE,
        "occurred_at": ago(hours=1),
        "summary": "Called to talk through the report.",
    }
    arguments.update(kwargs)
    return record.contact_record(actor=actor, case=case, **arguments)  # type: ignore[arg-type]


def _close(case: Case) -> None:
    force_status(case, Status.CLOSED, outcome=Outcome.RESOLVED)


# Incidents -------------------------------------------------------------------------------------------------------


def test_incident_records_when_where_what_who_and_witnesses_audited_and_bumps_version(
    officer: User, case: Case, reporter: Party
) -> None:
    perpetrator = PartyFactory.create(case=case, role=PartyRole.ALLEGED_PERPETRATOR)
    witness = PartyFactory.create(case=case, role=PartyRole.WITNESS)
    version = case.version
    incident = record.incident_record(
        actor=officer,
        case=case,
        occurred_at=ago(days=1, hours=2),
        occurred_until=ago(days=1),
        location_text="Stairwell of block B",
        description="Shouting and banging on the door.",
        source=IncidentSource.REPORTER_DIARY,
        parties_involved=[reporter, perpetrator],
        witnesses=[witness],
    )
    assert set(incident.parties_involved.all()) == {reporter, perpetrator}
    assert list(incident.witnesses.all()) == [witness]
    assert incident.created_by == officer
    event = AuditEvent.objects.get(verb="incident.recorded")
    assert event.object_id == str(incident.pk)
    assert event.actor == officer
    assert event.after is not None
    assert event.after["witnesses"] == [witness.pk]
    case.refresh_from_db()
    assert case.version == version + 1


@pytest.mark.parametrize(
    ("arguments", "field", "message"),
    [
        ({"occurred_at": "future"}, "occurred_at", "must be today or in the past"),
        ({"occurred_until": "before"}, "occurred_until", "same as or after the start"),
        ({"occurred_until": "future"}, "occurred_until", "must be today or in the past"),
        ({"location_text": ""}, "location_text", "Enter where the incident happened"),
        ({"description": "   "}, "description", "Enter what happened"),
        ({"source": "gossip"}, "source", "Select who told us"),
    ],
)
def test_incident_bad_input_is_refused_with_a_field_message(
    officer: User, case: Case, arguments: dict[str, str], field: str, message: str
) -> None:
    start = ago(hours=5)
    values: dict[str, object] = {"occurred_at": start, "description": "Noise", "location_text": "Flat 3"}
    moments = {"future": timezone.now() + dt.timedelta(hours=2), "before": start - dt.timedelta(minutes=1)}
    values.update({key: moments.get(value, value) for key, value in arguments.items()})
    with pytest.raises(DomainError) as excinfo:
        record.incident_record(actor=officer, case=case, **values)  # type: ignore[arg-type]
    assert message in " ".join(_field_errors(excinfo)[field])
    assert not Incident.objects.exists()


def test_incident_cannot_name_people_from_another_case(officer: User, case: Case) -> None:
    stranger = PartyFactory.create(case=CaseFactory.create())
    with pytest.raises(DomainError) as excinfo:
        record.incident_record(
            actor=officer,
            case=case,
            occurred_at=ago(hours=1),
            description="Noise",
            location_text="Flat 3",
            witnesses=[stranger],
        )
    assert "witnesses" in _field_errors(excinfo)


def test_incident_before_the_report_is_allowed(officer: User, case: Case) -> None:
    """Reporters often describe what happened before they told us; only the future is refused."""
    incident = record.incident_record(
        actor=officer,
        case=case,
        occurred_at=case.received_at - dt.timedelta(days=30),
        description="x",
        location_text="y",
    )
    assert incident.pk


def test_officer_from_another_team_gets_404_not_a_hint(case: Case, make_staff: Callable[..., User]) -> None:
    outsider = make_staff(Role.OFFICER, username="officer_other", team=TeamFactory.create(name="Other team"))
    with pytest.raises(Http404):
        record.incident_record(
            actor=outsider, case=case, occurred_at=ago(hours=1), description="Noise", location_text="Flat 3"
        )
    with pytest.raises(Http404):
        record.note_add(actor=outsider, case=case, text="Looking around")
    assert not AuditEvent.objects.filter(verb__in=["incident.recorded", "note.added"]).exists()


@pytest.mark.parametrize("role", [Role.PARTNER, Role.DPO, Role.ADMIN])
def test_roles_that_do_not_work_cases_are_refused(case: Case, make_staff: Callable[..., User], role: str) -> None:
    with pytest.raises(PermissionDenied):
        record.note_add(actor=make_staff(role), case=case, text="Hello")


def test_da_case_is_404_for_an_officer_even_when_assigned_by_mistake_to_their_team(
    officer: User, make_staff: Callable[..., User]
) -> None:
    da_case = CaseFactory.create(
        case_type=CaseType.DA, team=officer.team, assigned_officer=make_staff(Role.DA_SPECIALIST)
    )
    with pytest.raises(Http404):
        record.note_add(actor=officer, case=da_case, text="Hello")


def test_nothing_new_is_recorded_on_a_closed_case(officer: User, case: Case, reporter: Party) -> None:
    _close(case)
    with pytest.raises(DomainError, match="closed"):
        _contact(officer, case, party=reporter)
    with pytest.raises(DomainError, match="closed"):
        record.note_add(actor=officer, case=case, text="Late note")


# Contacts and the response clock ---------------------------------------------------------------------------------


def test_contact_is_recorded_and_audited(officer: User, case: Case, reporter: Party) -> None:
    contact = _contact(
        officer, case, party=reporter, direction=Direction.INBOUND, successful=False, method=ContactMethod.EMAIL
    )
    assert contact.created_by == officer
    assert not contact.successful
    assert AuditEvent.objects.filter(verb="contact.recorded", object_id=str(contact.pk)).count() == 1


def test_contact_in_the_future_is_refused(officer: User, case: Case, reporter: Party) -> None:
    with pytest.raises(DomainError) as excinfo:
        _contact(officer, case, party=reporter, occurred_at=timezone.now() + dt.timedelta(minutes=5))
    assert _field_errors(excinfo)["occurred_at"] == ["The date of the contact must be today or in the past"]


def test_contact_before_the_report_was_received_is_refused(officer: User, case: Case, reporter: Party) -> None:
    with pytest.raises(DomainError) as excinfo:
        _contact(officer, case, party=reporter, occurred_at=case.received_at - dt.timedelta(minutes=1))
    assert "on or after the report was received" in _field_errors(excinfo)["occurred_at"][0]


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"summary": ""}, "summary"),
        ({"method": "pigeon"}, "method"),
        ({"direction": "sideways"}, "direction"),
        ({"purpose": "gossip"}, "purpose"),
    ],
)
def test_contact_bad_choices_and_blank_summary_are_refused(
    officer: User, case: Case, reporter: Party, arguments: dict[str, str], field: str
) -> None:
    with pytest.raises(DomainError) as excinfo:
        _contact(officer, case, party=reporter, **arguments)
    assert field in _field_errors(excinfo)


def test_contact_with_someone_from_another_case_is_refused(officer: User, case: Case) -> None:
    with pytest.raises(DomainError) as excinfo:
        _contact(officer, case, party=PartyFactory.create(case=CaseFactory.create()))
    assert "party" in _field_errors(excinfo)


def test_first_response_must_be_with_the_reporter(officer: User, case: Case) -> None:
    witness = PartyFactory.create(case=case, role=PartyRole.WITNESS)
    with pytest.raises(DomainError) as excinfo:
        _contact(officer, case, party=witness, purpose=ContactPurpose.FIRST_RESPONSE)
    assert "with the reporter" in _field_errors(excinfo)["party"][0]
    case.refresh_from_db()
    assert case.responded_at is None


def test_first_response_stops_the_response_clock_exactly_once(officer: User, case: Case, reporter: Party) -> None:
    first = ago(hours=20)
    _contact(officer, case, party=reporter, purpose=ContactPurpose.FIRST_RESPONSE, occurred_at=first)
    assert case.responded_at == first  # the caller's instance is brought up to date
    _contact(officer, case, party=reporter, purpose=ContactPurpose.FIRST_RESPONSE, occurred_at=ago(hours=2))
    case.refresh_from_db()
    assert case.responded_at == first
    events = AuditEvent.objects.filter(verb="case.responded", object_id=str(case.pk))
    assert events.count() == 1
    assert events.get().before == {"responded_at": None}


def test_an_unsuccessful_first_response_attempt_does_not_stop_the_clock(
    officer: User, case: Case, reporter: Party
) -> None:
    _contact(officer, case, party=reporter, purpose=ContactPurpose.FIRST_RESPONSE, successful=False)
    case.refresh_from_db()
    assert case.responded_at is None


def test_general_contacts_and_outcome_discussions_do_not_stop_the_clock(
    officer: User, case: Case, reporter: Party
) -> None:
    _contact(officer, case, party=reporter, purpose=ContactPurpose.GENERAL)
    _contact(officer, case, party=reporter, purpose=ContactPurpose.OUTCOME_DISCUSSION)
    case.refresh_from_db()
    assert case.responded_at is None


def test_initial_assessment_of_an_anonymous_report_stops_the_clock_without_a_party(officer: User, case: Case) -> None:
    moment = ago(hours=3)
    _contact(officer, case, purpose=ContactPurpose.INITIAL_ASSESSMENT, occurred_at=moment, method=ContactMethod.VISIT)
    case.refresh_from_db()
    assert case.responded_at == moment


def test_every_contact_bumps_the_case_version(officer: User, case: Case, reporter: Party) -> None:
    version = Case.objects.get(pk=case.pk).version
    _contact(officer, case, party=reporter)
    _contact(officer, case, party=reporter, purpose=ContactPurpose.FIRST_RESPONSE)
    assert Case.objects.get(pk=case.pk).version == version + 2
    assert case.version == version + 2


# Notes -----------------------------------------------------------------------------------------------------------


def test_note_is_added_with_its_shareable_flag(officer: User, case: Case) -> None:
    private = record.note_add(actor=officer, case=case, text="  Spoke to the police.  ")
    shared = record.note_add(actor=officer, case=case, text="Warning letter sent.", shareable=True)
    assert (private.text, private.shareable) == ("Spoke to the police.", False)
    assert shared.shareable
    assert AuditEvent.objects.filter(verb="note.added").count() == 2


def test_empty_note_is_refused(officer: User, case: Case) -> None:
    with pytest.raises(DomainError) as excinfo:
        record.note_add(actor=officer, case=case, text="  \n ")
    assert _field_errors(excinfo) == {"text": ["Enter the note"]}


# Actions ---------------------------------------------------------------------------------------------------------


def test_action_is_owned_by_the_actor_unless_someone_else_is_named(
    officer: User, case: Case, make_staff: Callable[..., User]
) -> None:
    own = record.action_add(actor=officer, case=case, description="Visit the reporter")
    assert own.owner == officer
    assert own.kind == ActionKind.TASK
    colleague = make_staff(Role.OFFICER, username="officer_colleague", team=officer.team)
    plan_item = record.action_add(
        actor=officer,
        case=case,
        description="Agree an acceptable behaviour contract",
        kind=ActionKind.ACTION_PLAN,
        owner=colleague,
        due_date=timezone.localdate() + dt.timedelta(days=14),
    )
    assert plan_item.owner == colleague
    assert AuditEvent.objects.filter(verb="action.added").count() == 2


@pytest.mark.parametrize("role", [Role.OFFICER, Role.DPO, Role.PARTNER])
def test_action_owner_must_be_staff_who_can_see_and_work_the_case(
    officer: User, case: Case, make_staff: Callable[..., User], role: str
) -> None:
    elsewhere = make_staff(role, username=f"elsewhere_{role}", team=TeamFactory.create(name="Elsewhere"))
    with pytest.raises(DomainError) as excinfo:
        record.action_add(actor=officer, case=case, description="Visit", owner=elsewhere)
    assert _field_errors(excinfo) == {"owner": ["Select an owner who can work on this case"]}


def test_action_due_in_the_past_is_refused(officer: User, case: Case) -> None:
    with pytest.raises(DomainError) as excinfo:
        record.action_add(
            actor=officer, case=case, description="Visit", due_date=timezone.localdate() - dt.timedelta(days=1)
        )
    assert "due_date" in _field_errors(excinfo)


def test_action_complete_records_who_and_when_and_cannot_complete_twice(officer: User, case: Case) -> None:
    action = record.action_add(actor=officer, case=case, description="Visit")
    done = record.action_complete(actor=officer, action=action, note="Visited on Tuesday")
    assert done.done_at is not None
    assert done.done_by == officer
    assert done.done_note == "Visited on Tuesday"
    with pytest.raises(DomainError, match="already completed"):
        record.action_complete(actor=officer, action=action)


def test_action_reopen_needs_a_reason_and_clears_completion(officer: User, case: Case) -> None:
    action = record.action_add(actor=officer, case=case, description="Visit")
    with pytest.raises(DomainError, match="not complete"):
        record.action_reopen(actor=officer, action=action, reason="x")
    record.action_complete(actor=officer, action=action)
    with pytest.raises(DomainError) as excinfo:
        record.action_reopen(actor=officer, action=action, reason=" ")
    assert "reason" in _field_errors(excinfo)
    reopened = record.action_reopen(actor=officer, action=action, reason="Reporter says nobody came")
    assert reopened.done_at is None
    assert reopened.done_by is None
    assert AuditEvent.objects.get(verb="action.reopened").reason == "Reporter says nobody came"
