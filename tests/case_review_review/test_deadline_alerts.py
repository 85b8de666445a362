"""Review and outcome-letter deadline alerts (issue 17 part 3): once overdue, the single point of contact (else the
managers who run reviews) is emailed once, with the reference and the date only; a rerun sends nothing again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core import mail
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.case_review.models import Application, DeadlineAlert
from saferhomes.case_review.review_alerts import review_deadline_alerts_send
from saferhomes.referrals.models import Agency
from tests.case_review_review.helpers import conclude
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def test_an_overdue_review_is_alerted_once_to_its_contact(
    met: Application, cara: User, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    Application.objects.filter(pk=met.pk).update(spoc=cara, review_due_at=timezone.now() - dt.timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        run = review_deadline_alerts_send()
    assert (run.claimed, run.references) == (1, [met.reference])
    (message,) = mail.outbox
    assert message.to == [cara.email]
    assert "review panel" in message.subject
    assert met.reference in message.body
    assert "Priya" not in message.body
    assert "Shah" not in message.body
    assert "Loud music" not in message.body
    assert DeadlineAlert.objects.get().sent_at is not None
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        assert review_deadline_alerts_send().claimed == 0
    assert len(mail.outbox) == 1


def test_a_review_not_yet_due_is_not_alerted(met: Application, cara: User) -> None:
    Application.objects.filter(pk=met.pk).update(spoc=cara, review_due_at=timezone.now() + dt.timedelta(hours=1))
    assert review_deadline_alerts_send().checked == 0


def test_an_overdue_outcome_letter_goes_to_the_managers_when_there_is_no_contact(
    met: Application,
    cara: User,
    agencies: list[Agency],
    make_staff: Callable[..., User],
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    maya = make_staff(Role.MANAGER)
    concluded = conclude(met, cara, agencies)
    Application.objects.filter(pk=concluded.pk).update(spoc=None, outcome_due_at=timezone.now() - dt.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        run = review_deadline_alerts_send()
    assert run.claimed == 1
    (message,) = mail.outbox
    assert message.to == [maya.email]
    assert "outcome letter" in message.subject


def test_nobody_to_tell_is_left_for_a_later_run(cara: User) -> None:
    application = ApplicationFactory.create(met=True, review_due_at=timezone.now() - dt.timedelta(days=1))
    run = review_deadline_alerts_send()
    assert (run.checked, run.unrouted, run.claimed) == (1, 1, 0)
    assert not DeadlineAlert.objects.filter(application=application).exists()
