"""Demo retention data (issue 19): a few closed cases past their retention date, one of them on legal hold, and a
proposed anonymisation run waiting for the DPO's approval, so `dpo_daniel` sees the whole flow after `saferhomes
seed`.

The step "privacy_retention" runs at order 84, after the cases, interventions and Case Reviews. It moves every date of
a few closed demo cases (closed without legal action) back seven years with plain updates, as the cases demo writes
its own dates; the case rows' constraints (response after receipt, triaged unless new) still hold because every date
moves together. The hold and the run go through the services, as the DPO would make them.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Case, CaseType, Outcome, Status
from saferhomes.core.seed import SeedContext, seed_step_register
from saferhomes.interventions.models import Intervention
from saferhomes.privacy.models import RetentionRun
from saferhomes.privacy.services.holds import legal_hold_place
from saferhomes.privacy.services.runs import plan_run

STEP = "privacy_retention"
ORDER = 84
PAST_DUE_CASES = 4
BACK = dt.timedelta(days=7 * 365 + 2)  # seven years: past the six-year default
DATE_FIELDS = (
    "received_at",
    "response_due_at",
    "responded_at",
    "triaged_at",
    "closed_at",
    "closure_approved_at",
    "closure_requested_at",
    "created_at",
)
HOLD_REASON = "Disrepair claim issued in the county court: keep the file until the claim ends"


def seed_privacy_retention(ctx: SeedContext) -> None:
    """Back-date a few closed cases past their retention date, hold one, and plan a run for the DPO."""
    dpo = User.objects.filter(role=Role.DPO, is_active=True).order_by("username").first()
    if dpo is None or RetentionRun.objects.exists():
        return
    formal = Intervention.objects.filter(formal=True).values("case_id")
    picked = list(
        Case.objects.filter(
            status=Status.CLOSED, anonymised_at__isnull=True, case_type__in=[CaseType.ASB, CaseType.HATE]
        )
        .exclude(outcome=Outcome.LEGAL_ACTION_CONCLUDED)
        .exclude(pk__in=formal)
        # Only cases with no partnership records: their own dates (a referral's clock, a share's end) would no longer
        # agree with a case moved seven years back.
        .filter(referrals__isnull=True, support_offers__isnull=True, shares__isnull=True, disclosures__isnull=True)
        .order_by("closed_at", "pk")
        .values_list("pk", "reference")[:PAST_DUE_CASES]
    )
    if not picked:
        return
    changes = {name: F(name) - BACK for name in DATE_FIELDS}
    Case.objects.filter(pk__in=[pk for pk, _ in picked]).update(**changes)
    legal_hold_place(actor=dpo, case_reference=picked[0][1], reason=HOLD_REASON)
    run = plan_run(actor=dpo, as_of=ctx.today)
    ctx.counts["cases past retention"] = len(picked)
    ctx.counts["retention runs"] = 1 if run else 0


def register_seed_step() -> None:
    """Make `seed_privacy_retention` a step of the demo seed (84: after cases, interventions and Case Reviews)."""
    seed_step_register(STEP, seed_privacy_retention, order=ORDER)
