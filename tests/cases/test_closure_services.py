"""Closing a case: put forward, approval for high-risk and DA, close with blockers, reopen, and the survey on commit."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import (
    Case,
    CaseType,
    Outcome,
    PartyRole,
    Priority,
    Sensitivity,
    Status,
    SurveyDelivery,
    SurveyInvitation,
)
from saferhomes.cases.selectors.closure import closures_awaiting_approval
from saferhomes.cases.services.closure import (
    ClosureBlockedError,
    case_approve_closure,
    case_close,
    case_reopen,
    case_request_closure,
    survey_invite,
)
from saferhomes.core.errors import DomainError
from saferhomes.core.models import AuditEvent
from saferhomes.risk.services.checklist import da_checklist_waive
from tests.cases.closure_helpers import (
    closed_case,
    closing_case,
    discuss_outcome,
    open_action,
    open_case,
    reporter_of,
)
from tests.cases.factories import CaseFactory, PartyFactory
from tests.housing.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(name="officer")
def officer_fixture(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.OFFICER)


@pytest.fixture(name="manager")
def manager_fixture(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.MANAGER)


# --- Putting a case forward for closure -----------------------------------------------------------------------


def test_an_open_case_is_put_forward_for_closure_with_its_outcome(officer: User) -> None:
    case = open_case(officer)

    case = case_request_closure(
        actor=officer, case=case, outcome=Outcome.RESOLVED, outcome_summary=" Noise stopped. ", version=case.version
    )

    assert case.status == Status.CLOSING
    assert (case.outcome, case.outcome_summary) == (Outcome.RESOLVED, "Noise stopped.")
    assert case.closure_requested_by == officer
    assert case.version == 2
    event = AuditEvent.objects.get(verb="case.closure_requested")
    assert event.before["status"] == "open"  # type: ignore[index]
    assert event.after["status"] == "closing"  # type: ignore[index]


def test_closure_needs_an_outcome_and_a_summary(officer: User) -> None:
    case = open_case(officer)

    with pytest.raises(DomainError) as raised:
        case_request_closure(actor=officer, case=case, outcome="made-up", outcome_summary="  ")

    assert raised.value.field_errors == {
        "outcome": ["Select the outcome of the case"],
        "outcome_summary": ["Enter a summary of the outcome"],
    }
    case.refresh_from_db()
    assert case.status == Status.OPEN


@pytest.mark.parametrize("status", [Status.NEW, Status.TRIAGED, Status.CLOSED])
def test_only_open_or_reopened_cases_are_put_forward_for_closure(officer: User, status: str) -> None:
    case = closed_case(officer) if status == Status.CLOSED else open_case(officer, status=status)

    with pytest.raises(DomainError):
        case_request_closure(actor=officer, case=case, outcome=Outcome.RESOLVED, outcome_summary="Done.")


def test_a_stale_version_is_not_silently_overwritten(officer: User) -> None:
    case = open_case(officer)

    with pytest.raises(DomainError, match="changed by"):
        case_request_closure(
            actor=officer, case=case, outcome=Outcome.RESOLVED, outcome_summary="Done.", version=case.version - 1
        )


def test_an_officer_cannot_close_a_case_they_cannot_see(make_staff: Callable[..., User], officer: User) -> None:
    stranger = make_staff(Role.OFFICER, username="officer_other")
    case = CaseFactory.create(status=Status.OPEN)  # another team's case

    with pytest.raises(Http404):
        case_request_closure(actor=stranger, case=case, outcome=Outcome.RESOLVED, outcome_summary="Done.")


def test_roles_without_close_permission_cannot_put_a_case_forward(make_staff: Callable[..., User]) -> None:
    dpo = make_staff(Role.DPO)
    case = CaseFactory.create(status=Status.OPEN)

    with pytest.raises(PermissionDenied):
        case_request_closure(actor=dpo, case=case, outcome=Outcome.RESOLVED, outcome_summary="Done.")


# --- Closing and its blockers ---------------------------------------------------------------------------------


def test_case_cannot_close_before_outcome_discussed(officer: User) -> None:
    case = open_case(officer)
    case = case_request_closure(actor=officer, case=case, outcome=Outcome.RESOLVED, outcome_summary="Done.")

    with pytest.raises(ClosureBlockedError) as raised:
        case_close(actor=officer, case=case)

    assert [b.code for b in raised.value.blockers] == ["outcome_not_discussed"]
    assert raised.value.messages == [raised.value.blockers[0].message]
    case.refresh_from_db()
    assert case.status == Status.CLOSING


def test_an_outcome_discussion_with_someone_other_than_reporter_or_victim_does_not_count(officer: User) -> None:
    case = closing_case(officer)
    case.contacts.all().delete()
    witness = PartyFactory.create(case=case, role=PartyRole.WITNESS)
    discuss_outcome(case, party=witness)

    with pytest.raises(ClosureBlockedError, match="Discuss the outcome"):
        case_close(actor=officer, case=case)


def test_a_discussion_with_the_victim_counts(officer: User) -> None:
    case = closing_case(officer)
    case.contacts.all().delete()
    victim = PartyFactory.create(case=case, role=PartyRole.VICTIM)
    discuss_outcome(case, party=victim)

    assert case_close(actor=officer, case=case).status == Status.CLOSED


def test_an_unreachable_reporter_needs_an_attempt_and_the_reason_given_when_put_forward(officer: User) -> None:
    case = open_case(officer)
    discuss_outcome(case, successful=False)
    case = case_request_closure(actor=officer, case=case, outcome=Outcome.UNABLE_TO_CONTACT, outcome_summary="Tried.")

    with pytest.raises(ClosureBlockedError) as raised:
        case_close(actor=officer, case=case)
    assert [b.code for b in raised.value.blockers] == ["not_discussed_reason_missing"]

    case = case_request_closure(
        actor=officer,
        case=case,
        outcome=Outcome.UNABLE_TO_CONTACT,
        outcome_summary="Tried.",
        not_discussed_reason="Three calls and a letter, no reply",
    )
    assert case_close(actor=officer, case=case).status == Status.CLOSED


def test_an_anonymous_reporter_needs_the_attempt_recorded_and_a_reason(officer: User) -> None:
    case = CaseFactory.create(assigned_officer=officer, team=officer.team, status=Status.OPEN)
    anonymous = PartyFactory.create(case=case, role=PartyRole.REPORTER, anonymous=True, first_name="", last_name="")
    case = case_request_closure(
        actor=officer, case=case, outcome=Outcome.NO_FURTHER_ACTION, outcome_summary="Nothing more we can do."
    )

    with pytest.raises(ClosureBlockedError, match="anonymous"):
        case_close(actor=officer, case=case)

    discuss_outcome(case, successful=False, party=anonymous)
    case = case_request_closure(
        actor=officer,
        case=case,
        outcome=Outcome.NO_FURTHER_ACTION,
        outcome_summary="Nothing more we can do.",
        not_discussed_reason="Anonymous: no contact details were given",
    )
    assert case_close(actor=officer, case=case).status == Status.CLOSED


def test_case_cannot_close_with_open_actions(officer: User) -> None:
    case = closing_case(officer)
    action = open_action(case, "Write to flat 3")

    with pytest.raises(ClosureBlockedError, match='"Write to flat 3"'):
        case_close(actor=officer, case=case)

    action.done_at = case.received_at
    action.save()
    assert case_close(actor=officer, case=case).status == Status.CLOSED


def test_every_blocker_is_given_at_once(officer: User) -> None:
    case = open_case(officer, priority=Priority.HIGH)
    open_action(case)
    case = case_request_closure(actor=officer, case=case, outcome=Outcome.RESOLVED, outcome_summary="Done.")

    with pytest.raises(ClosureBlockedError) as raised:
        case_close(actor=officer, case=case)

    assert [b.code for b in raised.value.blockers] == ["outcome_not_discussed", "open_actions", "approval_missing"]


def test_a_case_that_is_not_closing_cannot_be_closed(officer: User) -> None:
    case = open_case(officer)
    discuss_outcome(case)

    with pytest.raises(DomainError, match="Put the case forward for closure first"):
        case_close(actor=officer, case=case)


def test_closing_sets_closed_at_keeps_the_outcome_and_is_audited(officer: User) -> None:
    case = closing_case(officer)

    case = case_close(actor=officer, case=case, version=case.version)

    assert case.status == Status.CLOSED
    assert case.closed_at is not None
    assert case.outcome == Outcome.RESOLVED
    assert AuditEvent.objects.filter(verb="case.closed", object_id=str(case.pk)).count() == 1


# --- Manager approval -----------------------------------------------------------------------------------------


def test_high_priority_case_needs_manager_approval(officer: User, manager: User) -> None:
    case = closing_case(officer, priority=Priority.HIGH)

    with pytest.raises(ClosureBlockedError, match="because it is high priority"):
        case_close(actor=officer, case=case)

    case = case_approve_closure(actor=manager, case=case)
    assert case.closure_approved_by == manager
    assert AuditEvent.objects.filter(verb="case.closure_approved").exists()
    assert case_close(actor=officer, case=case).status == Status.CLOSED


def test_domestic_abuse_case_needs_manager_approval(make_staff: Callable[..., User], manager: User) -> None:
    specialist = make_staff(Role.DA_SPECIALIST)
    case = closing_case(specialist, case_type=CaseType.DA, priority=Priority.LOW)
    assert case.sensitivity == Sensitivity.DA

    with pytest.raises(ClosureBlockedError, match="domestic abuse"):
        case_close(actor=specialist, case=case)

    case_approve_closure(actor=manager, case=case)
    # (A DA case also needs the DA checklist, or a manager's reason: tests/risk/test_da_checklist_closure.py.)
    da_checklist_waive(actor=manager, case=case, reason="Assessed by the IDVA")
    assert case_close(actor=specialist, case=case).status == Status.CLOSED


def test_only_managers_approve_closure(officer: User) -> None:
    case = closing_case(officer, priority=Priority.HIGH)

    with pytest.raises(PermissionDenied):
        case_approve_closure(actor=officer, case=case)


def test_a_manager_cannot_approve_a_closure_they_put_forward(manager: User) -> None:
    case = open_case(manager, priority=Priority.HIGH)
    discuss_outcome(case)
    case = case_request_closure(actor=manager, case=case, outcome=Outcome.RESOLVED, outcome_summary="Done.")

    with pytest.raises(DomainError, match="Another manager must approve"):
        case_approve_closure(actor=manager, case=case)


def test_a_normal_case_needs_no_approval_and_none_is_given(officer: User, manager: User) -> None:
    case = closing_case(officer)

    with pytest.raises(DomainError, match="does not need"):
        case_approve_closure(actor=manager, case=case)


def test_changing_the_outcome_after_approval_needs_approval_again(officer: User, manager: User) -> None:
    case = closing_case(officer, priority=Priority.HIGH)
    case = case_approve_closure(actor=manager, case=case)

    case = case_request_closure(actor=officer, case=case, outcome=Outcome.REFERRED_ON, outcome_summary="Police lead.")

    assert case.closure_approved_at is None
    with pytest.raises(ClosureBlockedError, match="manager must approve"):
        case_close(actor=officer, case=case)


def test_approval_is_only_for_a_case_put_forward_for_closure(officer: User, manager: User) -> None:
    case = open_case(officer, priority=Priority.HIGH)

    with pytest.raises(DomainError, match="put forward for closure"):
        case_approve_closure(actor=manager, case=case)


# --- Reopening ------------------------------------------------------------------------------------------------


def test_a_closed_case_is_reopened_with_a_reason_and_its_outcome_cleared(officer: User) -> None:
    case = closed_case(officer)

    case = case_reopen(actor=officer, case=case, reason="New incidents reported")

    assert case.status == Status.REOPENED
    assert case.closed_at is None
    assert (case.outcome, case.outcome_summary, case.closure_approved_at) == ("", "", None)
    event = AuditEvent.objects.get(verb="case.reopened")
    assert event.reason == "New incidents reported"
    assert event.before["outcome"] == "resolved"  # type: ignore[index]


def test_reopening_needs_a_reason(officer: User) -> None:
    case = closed_case(officer)

    with pytest.raises(DomainError) as raised:
        case_reopen(actor=officer, case=case, reason="   ")

    assert raised.value.field_errors == {"reason": ["Enter why the case is being reopened"]}


def test_only_a_closed_case_is_reopened(officer: User) -> None:
    case = open_case(officer)

    with pytest.raises(DomainError, match="Only a closed case can be reopened"):
        case_reopen(actor=officer, case=case, reason="Why not")


def test_a_reopened_case_goes_through_closure_again(officer: User) -> None:
    case = case_reopen(actor=officer, case=closed_case(officer), reason="It started again")

    case = case_request_closure(actor=officer, case=case, outcome=Outcome.RESOLVED, outcome_summary="Stopped again.")
    assert case_close(actor=officer, case=case).status == Status.CLOSED


# --- The survey invitation ------------------------------------------------------------------------------------


def test_survey_invitation_is_made_only_when_the_closure_commits(
    officer: User, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    case = closing_case(officer)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:  # type: ignore[attr-defined]
        case_close(actor=officer, case=case)
    assert SurveyInvitation.objects.count() == 0
    assert mail.outbox == []

    for callback in callbacks:
        callback()
    invitation = SurveyInvitation.objects.get()
    assert invitation.party == reporter_of(case)
    assert invitation.delivery == SurveyDelivery.EMAIL
    (email,) = mail.outbox
    assert email.to == ["reporter@example.org"]
    assert case.reference in email.subject


def test_no_survey_when_the_closure_is_rolled_back(
    officer: User, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    case = closing_case(officer)

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        try:
            with transaction.atomic():
                case_close(actor=officer, case=case)
                raise RuntimeError("something after the close failed")
        except RuntimeError:
            pass

    assert SurveyInvitation.objects.count() == 0
    case.refresh_from_db()
    assert case.status == Status.CLOSING


def test_survey_token_is_stored_only_as_its_sha256(officer: User) -> None:
    case = closed_case(officer)

    token = survey_invite(case_id=case.pk)

    assert token is not None
    assert len(token) >= 40
    invitation = SurveyInvitation.objects.get(case=case)
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(AuditEvent.objects.filter(object_type="cases.surveyinvitation").values())
    (email,) = mail.outbox
    assert f"/survey/{token}/" in email.body
    assert invitation.expires_at - invitation.sent_at == dt.timedelta(days=90)


def test_a_reporter_with_safe_contact_notes_is_not_emailed(officer: User) -> None:
    case = closed_case(officer)
    reporter = reporter_of(case)
    reporter.safe_contact_notes = "Text only after 6pm"
    reporter.save()

    survey_invite(case_id=case.pk)

    invitation = SurveyInvitation.objects.get(case=case)
    assert invitation.delivery == SurveyDelivery.OFFICER
    assert "safe-contact" in invitation.delivery_note
    assert mail.outbox == []


def test_a_register_person_with_safe_contact_notes_is_not_emailed(officer: User) -> None:
    case = closed_case(officer)
    person = PersonFactory.create(safe_contact_notes="Do not call before 6pm")
    reporter = reporter_of(case)
    reporter.person = person
    reporter.save()

    survey_invite(case_id=case.pk)

    assert SurveyInvitation.objects.get(case=case).delivery == SurveyDelivery.OFFICER
    assert mail.outbox == []


def test_domestic_abuse_surveys_are_never_emailed_automatically(make_staff: Callable[..., User]) -> None:
    specialist = make_staff(Role.DA_SPECIALIST)
    case = closed_case(specialist, case_type=CaseType.DA)

    survey_invite(case_id=case.pk)

    invitation = SurveyInvitation.objects.get(case=case)
    assert invitation.delivery == SurveyDelivery.OFFICER
    assert "Domestic abuse" in invitation.delivery_note
    assert mail.outbox == []


def test_a_reporter_without_email_gets_the_link_from_the_officer(officer: User) -> None:
    case = closed_case(officer)
    reporter_of(case).__class__.objects.filter(case=case).update(email="")

    survey_invite(case_id=case.pk)

    assert SurveyInvitation.objects.get(case=case).delivery == SurveyDelivery.OFFICER


def test_no_reporter_means_no_invitation_and_the_reason_is_audited(officer: User) -> None:
    case = closed_case(officer)
    case.contacts.all().delete()
    case.parties.all().delete()

    assert survey_invite(case_id=case.pk) is None

    assert not SurveyInvitation.objects.exists()
    assert AuditEvent.objects.filter(verb="case.survey_not_sent", object_id=str(case.pk)).exists()


def test_a_failed_email_leaves_the_case_closed_and_asks_the_officer_to_give_the_link(
    officer: User, settings: object
) -> None:
    settings.EMAIL_BACKEND = "tests.cases.test_closure_services.FailingBackend"  # type: ignore[attr-defined]
    case = closed_case(officer)

    assert survey_invite(case_id=case.pk) is not None

    invitation = SurveyInvitation.objects.get(case=case)
    assert invitation.delivery == SurveyDelivery.OFFICER
    assert "could not be sent" in invitation.delivery_note
    assert AuditEvent.objects.filter(verb="survey.email_failed").exists()


class FailingBackend:
    """An email backend whose server is down."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def send_messages(self, messages: object) -> int:
        raise ConnectionRefusedError("mail server down")


def test_closures_awaiting_approval_lists_what_a_manager_may_approve(officer: User, manager: User) -> None:
    high = closing_case(officer, priority=Priority.HIGH)
    closing_case(officer)  # normal priority: no approval needed
    own = closing_case(manager, priority=Priority.HIGH)
    Case.objects.filter(pk=own.pk).update(closure_requested_by=manager)
    approved = closing_case(officer, priority=Priority.HIGH)
    case_approve_closure(actor=manager, case=approved)

    assert list(closures_awaiting_approval(actor=manager)) == [high]
    assert not closures_awaiting_approval(actor=officer).exists()
