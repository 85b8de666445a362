"""The satisfaction survey's rules: one answer per invitation, 90 days to answer, a fresh link from the officer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import SurveyDelivery, SurveyInvitation
from saferhomes.cases.selectors.closure import (
    SurveyLinkError,
    SurveyLinkProblem,
    survey_invitation_for_token,
    survey_token_hash,
)
from saferhomes.cases.services.closure import survey_answer, survey_link_issue
from saferhomes.core.errors import DomainError
from saferhomes.core.models import AuditEvent
from tests.cases.closure_helpers import closing_case, invited, open_case

pytestmark = pytest.mark.django_db


@pytest.fixture(name="officer")
def officer_fixture(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.OFFICER)


def test_the_reporter_answers_once_with_a_score_and_what_we_could_do_better(officer: User) -> None:
    _case, token = invited(officer)

    invitation = survey_answer(token=token, satisfaction="4", could_do_better="  Call back sooner. ")

    assert invitation.satisfaction == 4
    assert invitation.could_do_better == "Call back sooner."
    assert invitation.answered_at is not None
    event = AuditEvent.objects.get(verb="survey.answered")
    assert event.actor is None
    assert event.actor_label == "anonymous"
    assert event.after["satisfaction"] == 4  # type: ignore[index]


def test_a_survey_is_answered_only_once(officer: User) -> None:
    _case, token = invited(officer)
    survey_answer(token=token, satisfaction=5)

    with pytest.raises(SurveyLinkError) as raised:
        survey_answer(token=token, satisfaction=1, could_do_better="Changed my mind")

    assert raised.value.problem == SurveyLinkProblem.ANSWERED
    assert SurveyInvitation.objects.get().satisfaction == 5


@pytest.mark.parametrize("bad", [None, "", "0", "6", "very", 3.5])
def test_the_score_must_be_one_of_the_five_points(officer: User, bad: object) -> None:
    _case, token = invited(officer)

    with pytest.raises(DomainError) as raised:
        survey_answer(token=token, satisfaction=bad)

    assert raised.value.field_errors == {"satisfaction": ["Select how satisfied or dissatisfied you are"]}
    assert SurveyInvitation.objects.get().answered_at is None


def test_survey_link_expires_after_90_days(officer: User) -> None:
    _case, token = invited(officer)
    sent = SurveyInvitation.objects.get().sent_at

    with time_machine.travel(sent + dt.timedelta(days=89, hours=23), tick=False):
        assert survey_invitation_for_token(token=token)
    with (
        time_machine.travel(sent + dt.timedelta(days=90, seconds=1), tick=False),
        pytest.raises(SurveyLinkError) as raised,
    ):
        survey_answer(token=token, satisfaction=5)
    assert raised.value.problem == SurveyLinkProblem.EXPIRED


def test_an_unknown_token_opens_nothing(officer: User) -> None:
    invited(officer)

    with pytest.raises(SurveyLinkError) as raised:
        survey_invitation_for_token(token="not-a-real-token")

    assert raised.value.problem == SurveyLinkProblem.UNKNOWN


def test_the_token_hash_is_sha256_hex() -> None:
    assert survey_token_hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_the_officer_gets_a_fresh_link_once_and_the_old_one_stops_working(officer: User) -> None:
    case, old_token = invited(officer)

    invitation, token = survey_link_issue(actor=officer, case=case)

    assert token != old_token
    assert invitation.delivery == SurveyDelivery.OFFICER
    assert invitation.token_hash == survey_token_hash(token)
    with pytest.raises(SurveyLinkError):
        survey_invitation_for_token(token=old_token)
    assert survey_invitation_for_token(token=token).pk == invitation.pk
    assert SurveyInvitation.objects.count() == 1
    assert AuditEvent.objects.filter(verb="survey.link_issued", actor=officer).exists()


def test_a_fresh_link_runs_for_another_90_days(officer: User) -> None:
    case, _token = invited(officer)
    later = timezone.now() + dt.timedelta(days=80)

    with time_machine.travel(later, tick=False):
        invitation, _ = survey_link_issue(actor=officer, case=case)

    assert invitation.expires_at == later + dt.timedelta(days=90)


def test_no_fresh_link_once_answered_or_before_closing(officer: User) -> None:
    case, token = invited(officer)
    survey_answer(token=token, satisfaction=3)

    with pytest.raises(DomainError, match="already answered"):
        survey_link_issue(actor=officer, case=case)
    with pytest.raises(DomainError, match="only for closed cases"):
        survey_link_issue(actor=officer, case=closing_case(officer))
    with pytest.raises(DomainError, match="only for closed cases"):
        survey_link_issue(actor=officer, case=open_case(officer))
