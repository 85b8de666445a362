"""Review reminders for information-sharing agreements (issue 15 item 5): the worker emails the staff who keep the
register (the DPO) once per agreement and review date, 14 days before it (a setting), or at once if it has passed
unreminded; never for an ended agreement; moving the review date makes a new reminder due."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core import mail
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks, Settings

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.models import AuditEvent
from saferhomes.core.schedule import registry
from saferhomes.referrals.agreement_reminders import agreement_review_reminders_send
from saferhomes.referrals.models import AgreementReviewReminder
from tests.referrals.agreement_helpers import agreement

pytestmark = pytest.mark.django_db

REVIEW_ON = dt.date(2026, 4, 1)  # a Wednesday; 14 days before is 18 March


@pytest.fixture
def dpo(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.DPO, email="dpo@example.org")


def _run(on: dt.date, capture: DjangoCaptureOnCommitCallbacks) -> int:
    with capture(execute=True):
        return agreement_review_reminders_send(today=on).claimed


def test_nothing_is_sent_15_days_before_the_review(
    dpo: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    agreement(created_by=dpo, review_on=REVIEW_ON)
    assert _run(dt.date(2026, 3, 17), django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_the_dpo_is_emailed_once_14_days_before_the_review(
    dpo: User, make_staff: Callable[..., User], django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    made = agreement(created_by=dpo, review_on=REVIEW_ON)
    make_staff(Role.MANAGER)  # reads the disclosure log, does not keep the register

    assert _run(dt.date(2026, 3, 18), django_capture_on_commit_callbacks) == 1
    assert _run(dt.date(2026, 3, 19), django_capture_on_commit_callbacks) == 0  # once only
    assert _run(dt.date(2026, 4, 2), django_capture_on_commit_callbacks) == 0  # not again when overdue

    (message,) = mail.outbox
    assert message.to == ["dpo@example.org"]
    assert (
        message.subject
        == 'Review due: information-sharing agreement "Community safety partnership: anti-social behaviour"'
    )
    assert "is due for review by 1 April 2026" in message.body
    assert f"/staff/partnership/agreements/{made.pk}/" in message.body
    reminder = AgreementReviewReminder.objects.get()
    assert (reminder.agreement, reminder.review_on) == (made, REVIEW_ON)
    assert reminder.sent_at is not None
    assert AuditEvent.objects.filter(verb=AuditVerb.AGREEMENT_REVIEW_REMINDED, object_id=str(made.pk)).count() == 1


def test_a_longer_notice_is_a_setting(
    dpo: User, settings: Settings, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    settings.AGREEMENT_REVIEW_NOTICE_DAYS = 30
    agreement(created_by=dpo, review_on=REVIEW_ON)
    assert _run(dt.date(2026, 3, 2), django_capture_on_commit_callbacks) == 1


def test_an_overdue_agreement_never_reminded_is_reminded_once_as_overdue(
    dpo: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    agreement(created_by=dpo, review_on=REVIEW_ON)
    assert _run(dt.date(2026, 5, 1), django_capture_on_commit_callbacks) == 1
    assert mail.outbox[0].subject.startswith("Review overdue:")
    assert "was due for review on 1 April 2026" in mail.outbox[0].body


def test_a_new_review_date_is_reminded_afresh(
    dpo: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    made = agreement(created_by=dpo, review_on=REVIEW_ON)
    assert _run(dt.date(2026, 3, 18), django_capture_on_commit_callbacks) == 1
    made.review_on = dt.date(2027, 4, 1)
    made.save()

    assert _run(dt.date(2027, 3, 17), django_capture_on_commit_callbacks) == 0
    assert _run(dt.date(2027, 3, 18), django_capture_on_commit_callbacks) == 1
    assert AgreementReviewReminder.objects.count() == 2


def test_an_ended_agreement_is_not_reminded(
    dpo: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    agreement(created_by=dpo, review_on=REVIEW_ON, ends_on=dt.date(2026, 3, 17))
    assert _run(dt.date(2026, 3, 18), django_capture_on_commit_callbacks) == 0
    assert not AgreementReviewReminder.objects.exists()


def test_with_nobody_to_tell_nothing_is_claimed_and_a_later_run_tells_them(
    make_staff: Callable[..., User], django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    admin = make_staff(Role.ADMIN)
    agreement(created_by=admin, review_on=REVIEW_ON)
    with django_capture_on_commit_callbacks(execute=True):
        run = agreement_review_reminders_send(today=dt.date(2026, 3, 18))
    assert (run.claimed, run.unrouted) == (0, 1)
    assert not AgreementReviewReminder.objects.exists()

    make_staff(Role.DPO, email="dpo@example.org")
    assert _run(dt.date(2026, 3, 19), django_capture_on_commit_callbacks) == 1


def test_the_worker_runs_it_as_a_periodic_job() -> None:
    names = {job.name for job in registry.all()}
    assert "agreement-review-reminders" in names
