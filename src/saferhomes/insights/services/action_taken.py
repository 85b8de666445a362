"""Approving a quarter's "action we've taken" for publication (issue 18 part 4; ADR 0016)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.insights import publication
from saferhomes.insights.models import ActionTakenSnapshot
from saferhomes.insights.selectors.action_taken import PUBLISH, action_taken_counts, ordered_rows, threshold


def action_taken_approve(*, actor: User, quarter_start: dt.date, today: dt.date | None = None) -> ActionTakenSnapshot:
    """Freeze the quarter's figures as they are now and publish them. A quarter is approved once: what the public
    sees does not change when cases change later."""
    require(actor, PUBLISH)
    today = today or timezone.localdate()
    if not publication.is_quarter_start(quarter_start):
        raise DomainError(field_errors={"quarter": "Choose a quarter: it starts on 1 January, April, July or October."})
    if not publication.quarter_has_ended(quarter_start, today):
        raise DomainError(
            field_errors={"quarter": f"{publication.quarter_label(quarter_start)} has not ended yet: approve it after."}
        )
    rows = ordered_rows(action_taken_counts(quarter_start))
    figures = {"areas": [{"area": area, "counts": counts} for area, counts in rows]}
    try:
        with transaction.atomic():
            snapshot = ActionTakenSnapshot.objects.create(
                quarter_start=quarter_start, figures=figures, threshold=threshold(), approved_by=actor
            )
            audit(
                actor=actor,
                verb=AuditVerb.ACTION_TAKEN_APPROVED,
                obj=snapshot,
                object_label=publication.quarter_label(quarter_start),
                after={"quarter_start": quarter_start.isoformat(), "threshold": snapshot.threshold},
            )
    except IntegrityError:
        raise DomainError(
            field_errors={"quarter": f"{publication.quarter_label(quarter_start)} was approved already."}
        ) from None
    return snapshot
