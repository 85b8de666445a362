"""Demo registers and published figures (issue 18 parts 3-5): seed step "insights_registers" (order 81, after the
cases, interventions and reports). Synthetic only (Faker en_GB, seeded per step), deterministic on `ctx.today`.

It places the demo estates on a map (around a made-up town centre), adds prevention initiatives and publicity
campaigns with partner agencies, training records for every member of staff (one expired, to show the gate when it
is switched on), the policy review register (last year's annual review approved, the next annual due within the
notice period, the full review later), equality answers for the people on closed cases (some "prefer not to say",
some not asked), and an approved "action we've taken" snapshot of last quarter.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from saferhomes.accounts.models import TrainingCourse, TrainingRecord, User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Party, Status
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.seed import SeedContext, seed_step_register
from saferhomes.housing.models import Estate
from saferhomes.insights import publication
from saferhomes.insights.models import (
    ActionTakenSnapshot,
    EqualityMonitoring,
    Initiative,
    InitiativeKind,
    PolicyReview,
    PolicyReviewKind,
)
from saferhomes.insights.register_rules import add_years
from saferhomes.insights.selectors.action_taken import action_taken_counts, ordered_rows, threshold
from saferhomes.insights.selectors.equality import MONITORED_ROLES, QUESTIONS
from saferhomes.referrals.models import Agency

STEP = "insights_registers"
CENTRE = (53.79650, -1.54790)  # a made-up town's centre; estates are placed within a few kilometres of it
INITIATIVES = [
    (InitiativeKind.PREVENTION, "Summer youth diversion football sessions", 90, 60, 140, "1850.00"),
    (InitiativeKind.PREVENTION, "Communal lighting and CCTV review with residents", 150, None, 60, "4200.00"),
    (InitiativeKind.PUBLICITY, "'Report it, we act' leaflet drop and door knocking", 45, 14, 2300, "950.00"),
    (InitiativeKind.PUBLICITY, "Hate crime awareness week stalls", 200, 7, 380, "420.50"),
]
# role -> courses and whether each is in force (True) or ran out (False)
TRAINING: dict[str, list[tuple[str, bool]]] = {
    Role.OFFICER: [(TrainingCourse.ASB_POWERS, True), (TrainingCourse.HATE_CRIME, True)],
    Role.COORDINATOR: [(TrainingCourse.ASB_POWERS, True), (TrainingCourse.HATE_CRIME, True)],
    Role.DA_SPECIALIST: [(TrainingCourse.DOMESTIC_ABUSE, True), (TrainingCourse.SAFEGUARDING, True)],
    Role.MANAGER: [
        (TrainingCourse.DOMESTIC_ABUSE, True),
        (TrainingCourse.HATE_CRIME, True),
        (TrainingCourse.SAFEGUARDING, True),
    ],
    Role.DPO: [(TrainingCourse.DATA_PROTECTION, True)],
}


def _place_estates(rng: random.Random) -> int:
    estates = list(Estate.objects.filter(latitude__isnull=True).order_by("code"))
    for estate in estates:
        estate.latitude = Decimal(f"{CENTRE[0] + rng.uniform(-0.03, 0.03):.5f}")
        estate.longitude = Decimal(f"{CENTRE[1] + rng.uniform(-0.05, 0.05):.5f}")
    Estate.objects.bulk_update(estates, ["latitude", "longitude"])
    return len(estates)


def _initiatives(ctx: SeedContext, manager: User) -> int:
    estates = list(Estate.objects.select_related("area").order_by("code")[:4])
    agencies = list(Agency.objects.order_by("code")[:6])
    made = 0
    for index, (kind, title, days_ago, runs_for, reach, cost) in enumerate(INITIATIVES):
        if Initiative.objects.filter(title=title).exists():
            continue
        estate = estates[index % len(estates)] if estates and kind == InitiativeKind.PREVENTION else None
        starts_on = ctx.today - dt.timedelta(days=days_ago)
        initiative = Initiative.objects.create(
            kind=kind,
            title=title,
            description="With residents, local partners and our neighbourhood officers.",
            area=estate.area if estate is not None else None,
            estate=estate,
            starts_on=starts_on,
            ends_on=starts_on + dt.timedelta(days=runs_for) if runs_for else None,
            reach=reach,
            cost=Decimal(cost),
            created_by=manager,
        )
        initiative.partners.set(agencies[index % 3 : index % 3 + 2])
        made += 1
    return made


def _training(ctx: SeedContext, manager: User) -> int:
    made = 0
    staff = User.objects.filter(is_active=True, role__in=list(TRAINING)).order_by("username")
    expired_one = False
    for user in staff:
        if TrainingRecord.objects.filter(user=user).exists():
            continue
        for course, in_force in TRAINING[user.role]:
            # One officer's hate crime training ran out, so the register shows an expired record.
            lapsed = (not expired_one) and user.role == Role.OFFICER and course == TrainingCourse.HATE_CRIME
            expired_one = expired_one or lapsed
            completed = ctx.today - dt.timedelta(days=800 if lapsed else 200)
            TrainingRecord.objects.create(
                user=user,
                course=course,
                completed_on=completed,
                expires_on=add_years(completed, 2) if in_force else completed,
                recorded_by=manager,
            )
            made += 1
    return made


def _policy_reviews(ctx: SeedContext, manager: User) -> int:
    if PolicyReview.objects.exists():
        return 0
    last_due = add_years(ctx.today + dt.timedelta(days=20), -1)
    PolicyReview.objects.create(
        kind=PolicyReviewKind.ANNUAL,
        due_on=last_due,
        completed_on=last_due - dt.timedelta(days=6),
        summary="Updated the hate crime section and the Case Review threshold; no other change.",
        approval_body="The board",
        approved_by=manager,
        approved_at=timezone.make_aware(dt.datetime.combine(last_due, dt.time(12))),
        created_by=manager,
    )
    PolicyReview.objects.create(
        kind=PolicyReviewKind.ANNUAL, due_on=ctx.today + dt.timedelta(days=20), created_by=manager
    )
    PolicyReview.objects.create(kind=PolicyReviewKind.FULL, due_on=add_years(ctx.today, 2), created_by=manager)
    return 3


def _equality(rng: random.Random, manager: User) -> int:
    parties = list(
        Party.objects.filter(case__status=Status.CLOSED, role__in=MONITORED_ROLES, equality_monitoring__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    rows = []
    now = timezone.now()
    for party_id in parties:
        if rng.random() < 0.2:
            continue  # not asked
        answers = {}
        for field, (_, choices) in QUESTIONS.items():
            roll = rng.random()
            answers[field] = "" if roll < 0.1 else ("prefer_not" if roll < 0.2 else rng.choice(choices.values[:-1]))
        rows.append(EqualityMonitoring(party_id=party_id, recorded_by=manager, recorded_at=now, **answers))
    EqualityMonitoring.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _snapshot(ctx: SeedContext, manager: User) -> int:
    start = publication.previous_quarter_start(ctx.today)
    if ActionTakenSnapshot.objects.filter(quarter_start=start).exists():
        return 0
    rows = ordered_rows(action_taken_counts(start))
    ActionTakenSnapshot.objects.create(
        quarter_start=start,
        figures={"areas": [{"area": area, "counts": counts} for area, counts in rows]},
        threshold=threshold(),
        approved_by=manager,
    )
    return 1


def seed_insights_registers(ctx: SeedContext) -> None:
    """Registers, equality answers, a mapped register and a published quarter (see the module docstring)."""
    manager = User.objects.filter(role=Role.MANAGER, is_active=True).order_by("username").first()
    if manager is None:
        ctx.counts["insights registers"] = 0
        return
    rng = random.Random(f"{ctx.seed}:{STEP}")  # noqa: S311 - demo data, not security
    with transaction.atomic():
        made = {
            "estates mapped": _place_estates(rng),
            "initiatives": _initiatives(ctx, manager),
            "training records": _training(ctx, manager),
            "policy reviews": _policy_reviews(ctx, manager),
            "equality answers": _equality(rng, manager),
            "published quarters": _snapshot(ctx, manager),
        }
        audit(actor=None, verb=AuditVerb.INSIGHTS_SEEDED, object_label="Demo registers", after=made)
    ctx.counts.update(made)


def register_seed_step() -> None:
    seed_step_register(STEP, seed_insights_registers, order=81)
