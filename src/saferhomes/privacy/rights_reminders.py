"""Rights-request reminders (issue 19 part 4): the daily `rights-request-reminders` job emails the DPO once when an
open request is 7 days (or fewer) from its deadline and once when it is overdue. Once per request, kind and deadline:
a `RightsRequestReminder` row is claimed before the email goes (`core.mail.claim_and_send`), so a rerun or a second
worker sends nothing twice; an extended deadline may remind again. The email carries the reference, the kind and the
date, never who asked or whom it is about. Registered from `privacy.apps` (one import line)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db.models import F
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.core.links import staff_url
from saferhomes.core.mail import claim_and_send, templated_email
from saferhomes.core.schedule import periodic
from saferhomes.privacy.models_rights import OPEN_STATUSES, ReminderKind, RightsRequest, RightsRequestReminder
from saferhomes.privacy.rights_rules import DUE_SOON_DAYS

logger = logging.getLogger(__name__)
HANDLE = "privacy.handle_rights_request"


@dataclass
class ReminderRun:
    checked: int = 0
    claimed: int = 0
    already_sent: int = 0
    unrouted: int = 0
    references: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _recipients() -> list[User]:
    users = User.objects.filter(is_active=True, role=Role.DPO).exclude(email="").order_by("pk")
    return [user for user in users if user.has_perm(HANDLE)]


def rights_reminders_send(*, today: dt.date | None = None) -> ReminderRun:
    """Email the DPO once per open request due within 7 days, and once per overdue one (see the module docstring)."""
    today = today or timezone.localdate()
    run = ReminderRun()
    rows = list(
        RightsRequest.objects.filter(status__in=OPEN_STATUSES)
        .annotate(deadline=Coalesce(F("extended_due_on"), F("due_on")))
        .filter(deadline__lte=today + timedelta(days=DUE_SOON_DAYS))
        .order_by("deadline", "pk")
    )
    sent = set(RightsRequestReminder.objects.filter(request__in=rows).values_list("request_id", "kind", "due_on"))
    people = _recipients()
    for row in rows:
        deadline: dt.date = row.deadline
        kind = ReminderKind.OVERDUE if deadline < today else ReminderKind.DUE_SOON
        if (row.pk, kind.value, deadline) in sent:
            continue
        run.checked += 1
        if not people:
            run.unrouted += 1
            logger.warning("Rights request %s: no data protection officer to remind", row.pk)
            continue
        context = {
            "reference": row.reference,
            "kind": row.get_kind_display(),
            "overdue": kind == ReminderKind.OVERDUE,
            "due": f"{deadline:%A} {deadline.day} {deadline:%B %Y}",
            "url": staff_url(reverse("privacy:rights-detail", args=[row.pk])),
            "signature": f"{settings.LANDLORD_NAME} data protection",
        }
        messages = [templated_email("privacy/rights/email/reminder", context, to=[u.email]) for u in people]
        outcome = claim_and_send(
            partial(
                RightsRequestReminder.objects.create,
                request=row,
                kind=kind,
                due_on=deadline,
                recipients=[u.pk for u in people],
            ),
            messages=messages,
            what="Rights request reminder",
        )
        if outcome != "claimed":
            run.already_sent += 1
            continue
        run.claimed += 1
        run.references.append(row.reference)
    return run


@periodic(every=timedelta(days=1), name="rights-request-reminders")
def rights_request_reminders() -> dict[str, Any]:
    """Email the DPO once about each rights request due within 7 days, and once about each overdue one."""
    return rights_reminders_send().as_dict()
