"""The daily `oversight-anomaly-alerts` job (issue 19 part 5: "who is told"; ADR 0020): each new anomaly is emailed
once to the active data protection officers, metadata only (who, when, which case references, why it was picked out;
never a case's contents).

- It looks at the anomalies that began on the last two whole London days, so a run missed for a day is caught up and
  break glass that ended overnight is judged once it has ended.
- Each is claimed by inserting an `AnomalyAlert` (unique per anomaly key) before the email goes
  (`core.mail.claim_and_send`): a rerun or a second worker sends nothing more. The claim is audited.
- With no active DPO with an email address, nothing is claimed: a later run tries again.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict, dataclass, field
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.calendar import local_dates_span
from saferhomes.core.links import staff_url
from saferhomes.core.mail import claim_and_send, templated_email
from saferhomes.core.schedule import periodic
from saferhomes.privacy.oversight_models import AnomalyAlert
from saferhomes.privacy.selectors.anomalies import Anomaly, anomalies_between

logger = logging.getLogger(__name__)
DAYS_LOOKED_AT = 2


@dataclass
class AnomalyAlertRun:
    """What one run did."""

    found: int = 0
    claimed: int = 0
    already_sent: int = 0
    unrouted: int = 0
    keys: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def alert_recipients() -> list[User]:
    """The active data protection officers with an email address."""
    return list(User.objects.filter(role=Role.DPO, is_active=True).exclude(email="").order_by("username"))


def anomaly_email(*, anomaly: Anomaly, to: list[str]) -> EmailMessage:
    """The plain-text email about one anomaly: metadata only."""
    day = timezone.localdate(anomaly.first_at)
    query = f"date_from_0={day.day}&date_from_1={day.month}&date_from_2={day.year}&user={anomaly.username}"
    context = {
        "kind": anomaly.kind_label,
        "username": anomaly.username,
        "explanation": anomaly.explanation,
        "cases": ", ".join(anomaly.cases),
        "url": staff_url(f"{reverse('privacy:oversight-anomalies')}?{query}"),
        "signature": f"{settings.LANDLORD_NAME} community safety casework",
    }
    return templated_email("privacy/email/oversight_anomaly", context, to=to)


def _claim(*, anomaly: Anomaly, recipients: list[User]) -> AnomalyAlert:
    alert = AnomalyAlert.objects.create(
        key=anomaly.key, kind=anomaly.kind, actor_id=anomaly.actor_id, first_at=anomaly.first_at
    )
    audit(
        actor=None,
        verb=AuditVerb.OVERSIGHT_ANOMALY_ALERTED,
        obj=alert,
        object_label=f"{anomaly.kind_label}: {anomaly.username}"[:200],
        after={"key": anomaly.key, "cases": list(anomaly.cases), "recipients": [u.pk for u in recipients]},
    )
    return alert


def anomaly_alerts_send(*, today: dt.date | None = None) -> AnomalyAlertRun:
    """Email the DPOs once about each anomaly that began on the last DAYS_LOOKED_AT whole days before `today`."""
    today = today or timezone.localdate()
    start, end = local_dates_span(today - dt.timedelta(days=DAYS_LOOKED_AT), today - dt.timedelta(days=1))
    run = AnomalyAlertRun()
    found = anomalies_between(start, end)
    run.found = len(found)
    claimed = set(AnomalyAlert.objects.filter(key__in=[a.key for a in found]).values_list("key", flat=True))
    recipients = alert_recipients()
    for anomaly in reversed(found):  # oldest first
        if anomaly.key in claimed:
            run.already_sent += 1
            continue
        if not recipients:
            run.unrouted += 1
            logger.warning("Access anomaly %s: no active data protection officer to tell", anomaly.key)
            continue
        message = anomaly_email(anomaly=anomaly, to=[user.email for user in recipients])
        claim = partial(_claim, anomaly=anomaly, recipients=recipients)
        if claim_and_send(claim, messages=[message], what="Access anomaly alert") == "taken":
            run.already_sent += 1
            continue
        run.claimed += 1
        run.keys.append(anomaly.key)
    return run


@periodic(every=dt.timedelta(days=1), name="oversight-anomaly-alerts")
def oversight_anomaly_alerts() -> dict[str, Any]:
    """Email the data protection officers once about each new access anomaly."""
    return anomaly_alerts_send().as_dict()
