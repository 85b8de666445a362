"""Who is told (issue 19 part 5): the daily `oversight-anomaly-alerts` job emails the active DPOs once about each new
anomaly, metadata only; a rerun sends nothing; with no DPO to tell, nothing is claimed and a later run tries again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.core import mail

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.calendar import LONDON
from saferhomes.core.models import AuditEvent
from saferhomes.core.schedule import registry
from saferhomes.privacy.oversight_alerts import anomaly_alerts_send
from saferhomes.privacy.oversight_models import AnomalyAlert
from tests.privacy.oversight_helpers import SECRET_DESCRIPTION, SECRET_PARTY, SECRET_SUMMARY, read_at, restricted_case

pytestmark = pytest.mark.django_db(transaction=True)

TUESDAY = dt.date(2026, 3, 3)
WEDNESDAY_MORNING = dt.datetime(2026, 3, 4, 6, 0, tzinfo=LONDON)


def test_the_job_is_registered_daily() -> None:
    jobs = {job.name: job for job in registry.all()}
    assert jobs["oversight-anomaly-alerts"].every == dt.timedelta(days=1)


def test_each_new_anomaly_is_emailed_once_to_active_dpos_metadata_only(make_staff: Callable[..., User]) -> None:
    dpo = make_staff(Role.DPO, email="dpo@example.org")
    make_staff(Role.DPO, username="dpo_left", email="left@example.org", is_active=False)
    officer = make_staff(Role.DA_SPECIALIST)
    case = restricted_case()
    read_at(officer, case, dt.datetime.combine(TUESDAY, dt.time(23, 15), tzinfo=LONDON))
    with time_machine.travel(WEDNESDAY_MORNING, tick=False):
        run = anomaly_alerts_send()
        again = anomaly_alerts_send()
    assert (run.claimed, again.claimed, again.already_sent) == (1, 0, 1)
    [message] = mail.outbox
    assert message.to == [dpo.email]
    assert message.subject == f"Access to check: Restricted or DA cases read outside working hours ({officer.username})"
    assert case.reference in message.body
    assert "23:15" in message.body
    for secret in (SECRET_SUMMARY, SECRET_DESCRIPTION, *SECRET_PARTY):
        assert secret not in message.body
    alert = AnomalyAlert.objects.get()
    assert alert.sent_at is not None
    assert AuditEvent.objects.filter(verb=AuditVerb.OVERSIGHT_ANOMALY_ALERTED).count() == 1


def test_with_no_dpo_to_tell_nothing_is_claimed(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.DA_SPECIALIST)
    read_at(officer, restricted_case(), dt.datetime.combine(TUESDAY, dt.time(23, 15), tzinfo=LONDON))
    with time_machine.travel(WEDNESDAY_MORNING, tick=False):
        run = anomaly_alerts_send()
    assert (run.found, run.claimed, run.unrouted) == (1, 0, 1)
    assert not AnomalyAlert.objects.exists()
    make_staff(Role.DPO, email="dpo@example.org")
    with time_machine.travel(WEDNESDAY_MORNING + dt.timedelta(days=1), tick=False):
        assert anomaly_alerts_send().claimed == 1


def test_anomalies_older_than_two_days_are_left_alone(make_staff: Callable[..., User]) -> None:
    make_staff(Role.DPO, email="dpo@example.org")
    officer = make_staff(Role.DA_SPECIALIST)
    read_at(officer, restricted_case(), dt.datetime.combine(TUESDAY, dt.time(23, 15), tzinfo=LONDON))
    with time_machine.travel(WEDNESDAY_MORNING + dt.timedelta(days=3), tick=False):
        assert anomaly_alerts_send().found == 0
    assert mail.outbox == []
