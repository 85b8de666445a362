"""Demo access for the DPO's oversight pages (issue 19 part 5): step "oversight" of `saferhomes seed` (order 86, after
the cases and everything that reads them), so the DPO demo login sees all three sections filled:

- a burst: the DA specialist opens 10 different DA or restricted cases within half an hour, three working days ago;
- a read out of hours: a case's officer opens their restricted case at 23:40, five days ago;
- break glass: the manager breaks glass on a restricted case two days ago, with a reason, and reads two pages (and,
  having changed nothing, it also shows as break glass left unused).

The reads are audit events exactly as `cases.selectors.case` writes them (`case.viewed`, the page as the reason), dated
in the past: inserted raw so that the audit trail's "when" is the demo's moment, not the seeding's. Only synthetic
staff and cases; a few dozen rows, so seeding stays fast.
"""

from __future__ import annotations

import datetime as dt

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import AccessGrant, Case, Sensitivity
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.calendar import LONDON
from saferhomes.core.models import AuditEvent
from saferhomes.core.seed import SeedContext, seed_step_register

STEP = "oversight"
ORDER = 86
BREAK_GLASS_REASON = "Tenant's MP has complained about how the case was handled; I need to review the file"


def _staff(role: str) -> User | None:
    return User.objects.filter(role=role, is_active=True).order_by("username").first()


def _event(*, actor: User, verb: AuditVerb, case: Case, at: dt.datetime, reason: str, after: object = None) -> None:
    """One audit event dated `at` (inserted raw: `AuditEvent.at` is otherwise the moment of insertion)."""
    event = AuditEvent(
        at=at,
        actor=actor,
        actor_label=actor.get_username(),
        verb=verb,
        object_type="cases.case",
        object_id=str(case.pk),
        object_label=case.reference,
        after=after,
        reason=reason,
    )
    event.save_base(raw=True, force_insert=True)


def _working_day_before(day: dt.date, days: int) -> dt.date:
    day -= dt.timedelta(days=days)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def _at(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


def seed_oversight(ctx: SeedContext) -> None:
    """The burst, the read out of hours and the break glass (see the module docstring)."""
    specialist, manager = _staff(Role.DA_SPECIALIST), _staff(Role.MANAGER)
    sensitive = list(
        Case.objects.filter(sensitivity__in=[Sensitivity.DA, Sensitivity.RESTRICTED])
        .only("pk", "reference", "sensitivity", "assigned_officer_id")
        .order_by("pk")[:40]
    )
    if specialist is None or manager is None or len(sensitive) < 2:
        ctx.counts[STEP] = 0
        return
    made = 0
    burst_day = _working_day_before(ctx.today, 3)
    for index, case in enumerate(sensitive[:10]):
        at = _at(burst_day, 14, 3 * index)
        _event(actor=specialist, verb=AuditVerb.CASE_VIEWED, case=case, at=at, reason=f"/staff/cases/{case.reference}/")
        made += 1
    restricted = [c for c in sensitive if c.sensitivity == Sensitivity.RESTRICTED] or sensitive
    late = next((c for c in restricted if c.assigned_officer_id is not None), restricted[0])
    reader = User.objects.filter(pk=late.assigned_officer_id or 0).first() or specialist
    night = _at(ctx.today - dt.timedelta(days=5), 23, 40)
    _event(actor=reader, verb=AuditVerb.CASE_VIEWED, case=late, at=night, reason=f"/staff/cases/{late.reference}/")
    glass_case = restricted[-1]
    granted = _at(_working_day_before(ctx.today, 2), 11, 0)
    grant = AccessGrant.objects.create(
        case=glass_case,
        user=manager,
        reason=BREAK_GLASS_REASON,
        granted_at=granted,
        expires_at=granted + dt.timedelta(hours=8),
    )
    _event(
        actor=manager,
        verb=AuditVerb.CASE_BREAK_GLASS,
        case=glass_case,
        at=granted,
        reason=BREAK_GLASS_REASON,
        after={"expires_at": grant.expires_at.isoformat(), "sensitivity": glass_case.sensitivity},
    )
    for minute, page in ((1, ""), (4, "timeline/")):
        path = f"/staff/cases/{glass_case.reference}/{page}"
        _event(
            actor=manager,
            verb=AuditVerb.CASE_VIEWED,
            case=glass_case,
            at=granted + dt.timedelta(minutes=minute),
            reason=path,
        )
    ctx.counts[STEP] = made + 4


def register_seed_step() -> None:
    """Make `seed_oversight` a step of the demo seed (86: after every step that makes cases)."""
    seed_step_register(STEP, seed_oversight, order=ORDER)
