"""The retention schedule's background jobs (issue 19 parts 1-2), run by `saferhomes worker` (core.schedule):

- `retention-plan` (weekly): when cases are due and no run is open, plan a dry-run list and email every active DPO
  once (a `RunNotice` row is claimed before the email goes: a rerun or a second worker never sends it twice);
- `retention-expiry` (daily): delete reports never made into a case past their rule, revoke status links past theirs.

Imported by `PrivacyConfig.ready()` (the worker also discovers each app's `tasks` module)."""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.core.links import staff_url
from saferhomes.core.mail import claim_and_send, templated_email
from saferhomes.core.schedule import periodic
from saferhomes.privacy.models import ItemStatus, RetentionRun, RunNotice, RunStatus
from saferhomes.privacy.selectors.retention import due_cases
from saferhomes.privacy.services.expiry import reports_expire, status_links_expire
from saferhomes.privacy.services.runs import plan_run

logger = logging.getLogger(__name__)
OPEN = (RunStatus.PROPOSED, RunStatus.APPROVED, RunStatus.RUNNING)


def dpos() -> list[User]:
    """Every active DPO with an email address."""
    return list(User.objects.filter(is_active=True, role=Role.DPO).exclude(email="").order_by("pk"))


def run_notice_send(run: RetentionRun) -> str:
    """Email every active DPO about a proposed run, once per run ("claimed", "taken" or "stale")."""
    people = dpos()
    if not people:
        logger.warning("Retention run %s: no active DPO with an email address to tell", run.pk)
        return "stale"
    count = run.items.filter(status=ItemStatus.PENDING).count()
    context = {
        "count": count,
        "run_id": run.pk,
        "url": staff_url(reverse("privacy:run-detail", args=[run.pk])),
        "signature": f"{settings.LANDLORD_NAME} community safety casework",
    }
    messages = [templated_email("privacy/email/run_planned", context, to=[u.email]) for u in people]
    return claim_and_send(
        partial(RunNotice.objects.create, run=run, recipients=[u.pk for u in people]),
        messages=messages,
        what="Retention run notice",
    )


def retention_plan_weekly(*, as_of: dt.date | None = None) -> dict[str, Any]:
    """Plan a run when cases are due and none is open; tell the DPOs about a proposed run not yet told."""
    as_of = as_of or timezone.localdate()
    planned = None
    if not RetentionRun.objects.filter(status__in=OPEN).exists() and due_cases(as_of).exists():
        with transaction.atomic():
            planned = plan_run(actor=None, as_of=as_of)
    told = []
    for run in RetentionRun.objects.filter(status=RunStatus.PROPOSED, notice__isnull=True):
        if run_notice_send(run) == "claimed":
            told.append(run.pk)
    return {"planned": planned.pk if planned else None, "told": told}


@periodic(every=dt.timedelta(days=7), name="retention-plan")
def retention_plan() -> dict[str, Any]:
    """Weekly: plan an anonymisation run for the DPO's approval and email them once."""
    return retention_plan_weekly()


@periodic(every=dt.timedelta(days=1), name="retention-expiry")
def retention_expiry() -> dict[str, Any]:
    """Daily: reports never made into a case and status links past their rules expire."""
    return {**reports_expire().as_dict(), **{k: v for k, v in status_links_expire().as_dict().items() if v}}
