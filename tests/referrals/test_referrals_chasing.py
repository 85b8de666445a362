"""Chasing unacknowledged referrals: not before N working days (a bank holiday pushes it), once per step even when the
job runs twice, step 2 at 2N, nothing after an acknowledgement, outcome or withdrawal; the officer alone is emailed,
with the reference and agency only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError, transaction
from pytest_django.fixtures import Settings

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import PartyRole
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.models import AuditEvent
from saferhomes.core.schedule import registry
from saferhomes.referrals import chasing
from saferhomes.referrals.models import Referral, ReferralChase
from saferhomes.referrals.services.referrals import referral_acknowledge, referral_record_outcome, referral_withdraw
from tests.cases.factories import PartyFactory
from tests.referrals.referral_helpers import make_referral, police_agency, working_case

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
# Sent on the Thursday before Easter 2026: Good Friday (3 April) and Easter Monday (6 April) are bank holidays.
SENT = dt.datetime(2026, 4, 2, 10, tzinfo=LONDON)
# Five working days later: Tuesday 7, Wednesday 8, Thursday 9, Friday 10 and Monday 13 April, at 10:00.
STEP_1 = dt.datetime(2026, 4, 13, 10, tzinfo=LONDON)
WITHOUT_HOLIDAYS = dt.datetime(2026, 4, 9, 10, tzinfo=LONDON)
STEP_2 = dt.datetime(2026, 4, 20, 10, tzinfo=LONDON)


@pytest.fixture
def officer(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.OFFICER)


@pytest.fixture
def referral(officer: User) -> Referral:
    case = working_case(officer, received_at=SENT - dt.timedelta(days=1))
    PartyFactory.create(case=case, role=PartyRole.REPORTER, first_name="Dee", last_name="Example")
    with time_machine.travel(SENT, tick=False):
        return make_referral(officer, case, police_agency(), reason="Threats from Sam Example next door")


@pytest.fixture
def run(django_capture_on_commit_callbacks: Callable[..., Any]) -> Callable[[dt.datetime], chasing.ChaseRun]:
    """Run the job at a moment, with its on-commit emails sent."""

    def _run(at: dt.datetime) -> chasing.ChaseRun:
        with time_machine.travel(at, tick=False), django_capture_on_commit_callbacks(execute=True):
            return chasing.referral_chases_send()

    return _run


def test_not_chased_before_five_working_days_a_bank_holiday_pushing_it(
    referral: Referral, run: Callable[[dt.datetime], chasing.ChaseRun]
) -> None:
    assert run(WITHOUT_HOLIDAYS).claimed == 0  # five weekdays, but two were bank holidays
    assert run(STEP_1 - dt.timedelta(minutes=1)).claimed == 0
    assert mail.outbox == []
    done = run(STEP_1)
    assert (done.claimed, done.references) == (1, [referral.case.reference])
    chase = ReferralChase.objects.get()
    assert (chase.referral, chase.step, chase.due_at) == (referral, 1, STEP_1)
    assert chase.sent_at is not None


def test_chased_once_per_step_even_when_run_twice(
    referral: Referral, run: Callable[[dt.datetime], chasing.ChaseRun]
) -> None:
    assert run(STEP_1).claimed == 1
    assert run(STEP_1 + dt.timedelta(hours=1)).claimed == 0
    assert run(STEP_2 - dt.timedelta(minutes=1)).claimed == 0
    assert run(STEP_2).claimed == 1
    assert run(STEP_2).claimed == 0
    assert list(ReferralChase.objects.order_by("step").values_list("step", "due_at")) == [(1, STEP_1), (2, STEP_2)]
    assert len(mail.outbox) == 2
    assert "(reminder 2)" in mail.outbox[1].body
    events = AuditEvent.objects.filter(verb=AuditVerb.REFERRAL_CHASED, object_id=str(referral.pk))
    assert [(event.after or {}).get("step") for event in events.order_by("at", "pk")] == [1, 2]


def test_after_a_long_pause_only_the_latest_step_is_sent(
    referral: Referral, run: Callable[[dt.datetime], chasing.ChaseRun]
) -> None:
    assert run(STEP_2 + dt.timedelta(days=1)).claimed == 1
    assert list(ReferralChase.objects.values_list("step", flat=True)) == [2]
    assert len(mail.outbox) == 1


def test_a_step_is_claimed_once_when_runs_overlap(referral: Referral, officer: User) -> None:
    message = chasing.referral_chase_email(
        referral=referral, case=referral.case, step=1, working_days=5, officer=officer
    )
    with time_machine.travel(STEP_1, tick=False):
        for outcome in ("claimed", "taken"):  # the second run's insert hits the unique constraint
            claimed = chasing._claim(referral=referral, step=1, due_at=STEP_1, message=message, officer=officer)
            assert claimed == outcome
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferralChase.objects.create(referral=referral, step=1, due_at=STEP_1)


@pytest.mark.parametrize("ended", ["acknowledged", "outcome", "withdrawn"])
def test_nothing_is_chased_once_the_agency_answered_or_it_was_withdrawn(
    referral: Referral, officer: User, run: Callable[[dt.datetime], chasing.ChaseRun], ended: str
) -> None:
    with time_machine.travel(STEP_1 - dt.timedelta(hours=1), tick=False):
        if ended == "acknowledged":
            referral_acknowledge(actor=officer, referral=referral)
        elif ended == "outcome":
            referral_record_outcome(actor=officer, referral=referral, outcome="No further action")
        else:
            referral_withdraw(actor=officer, referral=referral, reason="Sent in error")
    assert run(STEP_2).checked == 0
    assert not ReferralChase.objects.exists()
    assert mail.outbox == []


def test_the_email_goes_to_the_officer_with_the_reference_and_agency_only(
    referral: Referral, officer: User, run: Callable[[dt.datetime], chasing.ChaseRun], settings: Settings
) -> None:
    run(STEP_1)
    [message] = mail.outbox
    assert message.to == [officer.email]
    assert message.subject == f"Referral not acknowledged: {referral.case.reference}"
    assert "Example Police Neighbourhood Team" in message.body
    assert "sent on 2 April 2026" in message.body
    assert "after 5 working days" in message.body
    assert (
        f"{settings.SAFERHOMES_BASE_URL}/staff/cases/{referral.case.reference}/partnership/#referrals" in message.body
    )
    for private in ("Dee", "Sam", "Threats", "13/123456/26"):
        assert private not in message.body


def test_a_case_without_an_officer_who_may_see_it_is_left_for_later(
    referral: Referral, run: Callable[[dt.datetime], chasing.ChaseRun]
) -> None:
    type(referral.case).objects.filter(pk=referral.case_id).update(assigned_officer=None)
    done = run(STEP_1)
    assert (done.unrouted, done.claimed) == (1, 0)
    assert not ReferralChase.objects.exists()


def test_the_threshold_is_a_setting(
    referral: Referral, run: Callable[[dt.datetime], chasing.ChaseRun], settings: Settings
) -> None:
    settings.REFERRAL_CHASE_AFTER_WORKING_DAYS = 2  # Tuesday 7 and Wednesday 8 April
    assert run(dt.datetime(2026, 4, 8, 9, 59, tzinfo=LONDON)).claimed == 0
    assert run(dt.datetime(2026, 4, 8, 10, tzinfo=LONDON)).claimed == 1
    assert "after 2 working days" in mail.outbox[0].body


def test_chasing_is_a_periodic_job() -> None:
    jobs = {job.name: job for job in registry.all()}
    assert jobs["referral-chases"].every == dt.timedelta(hours=1)
