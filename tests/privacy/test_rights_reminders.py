"""The daily `rights-request-reminders` job (issue 19 part 4): the DPO is emailed once when a request is 7 days from
its deadline and once when it is overdue; reruns send nothing twice; an extension's new deadline may remind again;
the email names neither the requester nor the subject."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError

from saferhomes.core.schedule import registry
from saferhomes.privacy.models_rights import RightsKind, RightsRequest, RightsRequestReminder, RightsStatus
from saferhomes.privacy.rights_reminders import rights_reminders_send

pytestmark = pytest.mark.django_db


def _request(due: dt.date, **fields) -> RightsRequest:
    made: RightsRequest = RightsRequest.objects.create(
        kind=RightsKind.ACCESS,
        requester_name="Ophelia Requesterperson",
        subject_names=["Ophelia Requesterperson"],
        received_on=due - dt.timedelta(days=30),
        due_on=due,
        **fields,
    )
    return made


def test_dpo_is_reminded_once_seven_days_before_and_once_when_overdue(
    dpo_daniel, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    today = dt.date(2026, 12, 4)
    soon = _request(today + dt.timedelta(days=7))
    late = _request(today - dt.timedelta(days=1))
    not_yet = _request(today + dt.timedelta(days=8))
    _request(today - dt.timedelta(days=3), status=RightsStatus.COMPLETED, decision="complied")  # decided
    with django_capture_on_commit_callbacks(execute=True):
        run = rights_reminders_send(today=today)
    assert run.claimed == 2
    assert sorted(run.references) == sorted([soon.reference, late.reference])
    assert len(mailoutbox) == 2
    assert all("Requesterperson" not in m.body and "Requesterperson" not in m.subject for m in mailoutbox)
    assert {m.subject for m in mailoutbox} == {
        f"Rights request {soon.reference}: due in 7 days",
        f"Rights request {late.reference}: overdue",
    }
    with django_capture_on_commit_callbacks(execute=True):
        again = rights_reminders_send(today=today)
    assert again.claimed == 0
    assert len(mailoutbox) == 2
    # A week on: the soon one is overdue, the other is now due (today); the late one was told already.
    with django_capture_on_commit_callbacks(execute=True):
        later = rights_reminders_send(today=today + dt.timedelta(days=8))
    assert sorted(later.references) == sorted([soon.reference, not_yet.reference])


def test_an_extended_deadline_reminds_again(dpo_daniel) -> None:
    today = dt.date(2026, 12, 4)
    row = _request(today + dt.timedelta(days=3))
    rights_reminders_send(today=today)
    RightsRequest.objects.filter(pk=row.pk).update(
        extended_due_on=today + dt.timedelta(days=60), extension_reason="Complex"
    )
    assert rights_reminders_send(today=today + dt.timedelta(days=55)).references == [row.reference]
    assert RightsRequestReminder.objects.filter(request=row).count() == 2


def test_a_reminder_is_claimed_once_per_request_kind_and_deadline(dpo_daniel) -> None:
    row = _request(dt.date(2026, 12, 4))
    RightsRequestReminder.objects.create(request=row, kind="overdue", due_on=row.due_on)
    with pytest.raises(IntegrityError):
        RightsRequestReminder.objects.create(request=row, kind="overdue", due_on=row.due_on)


def test_the_job_is_registered_daily() -> None:
    job = next(job for job in registry.all() if job.name == "rights-request-reminders")
    assert job.every == dt.timedelta(days=1)
