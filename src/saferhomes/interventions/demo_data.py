"""Demo interventions: open ASB and hate cases at each rung of the proportionate-response ladder (issue 16).

`seed_interventions` is a step of `saferhomes seed` (order 68: after the cases, risk and referrals, before the
reports), registered from `InterventionsConfig.ready`. One open case per kind of the catalogue, lightest rung first,
each against the case's alleged perpetrator; possession tools only where the perpetrator's tenancy allows them. The
rows are written directly but obey the rules the services enforce: formal action carries its reasons and was put
forward by the case's officer and approved by a manager before it started; a CPN follows a CPW to the same person
whose time to comply had passed; milestones are dated on or after the start and never in the future; expected
milestones are due from today on, so the dashboard's "Milestones due" panel has something true to show. Only open
cases are used, so closures already in the demo still obey the closure rules. Deterministic: `ctx.today`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Case, CaseType, Party, PartyRole, Status
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.calendar import LONDON
from saferhomes.core.seed import SeedContext, seed_step_register
from saferhomes.interventions import rules
from saferhomes.interventions.models import Catalogue, Intervention, InterventionStatus, Milestone
from saferhomes.interventions.selectors.interventions import catalogue_current, party_tenancy_type

REASONS = (
    "Reports from three households over two months; advice and a warning letter were ignored and the behaviour has "
    "continued. A lighter step would not protect the neighbours."
)
# kind -> (status, days since it started, [(milestone key, days since the start it happened, details)],
#          [(expected milestone key, days from today it is due)])
PLAN: dict[str, tuple[str, int, list[tuple[str, int, dict[str, Any]]], list[tuple[str, int]]]] = {
    "advice": ("concluded", 60, [("given", 0, {})], []),
    "verbal_warning": ("active", 20, [("given", 0, {})], []),
    "support_plan": ("active", 30, [("agreed", 2, {})], [("reviewed", 10)]),
    "warning_letter": ("active", 14, [("sent", 0, {})], []),
    "mediation": ("active", 21, [("referred", 0, {}), ("session", 14, {})], []),
    "good_neighbour_agreement": ("active", 40, [("signed", 0, {})], [("reviewed", 20)]),
    "abc": ("active", 45, [("signed", 0, {})], [("reviewed", 5)]),
    "cpw": ("active", 10, [("issued", 0, {})], [("time_to_comply_ends", 4)]),
    "cpn": ("active", 5, [("issued", 1, {})], []),
    "civil_injunction": ("active", 40, [("application", 0, {}), ("granted", 21, {})], [("expiry", 300)]),
    "closure_notice": ("approved", 0, [], []),
    "closure_order": ("active", 30, [("notice_served", 0, {}), ("court_hearing", 1, {}), ("order_made", 1, {})], []),
    "nosp": ("awaiting_approval", 0, [], []),
    "demotion": ("proposed", 0, [], []),
    "starter_extension": ("active", 7, [("notice_served", 0, {})], [("review_decided", 14)]),
    "absolute_ground": ("active", 3, [("notice_served", 0, {"condition": "injunction_breach"})], []),
}


def _perpetrators() -> list[Party]:
    return list(
        Party.objects.filter(
            role=PartyRole.ALLEGED_PERPETRATOR,
            case__status=Status.OPEN,
            case__case_type__in=[CaseType.ASB, CaseType.HATE],
            case__assigned_officer__isnull=False,
        )
        .exclude(case__interventions__isnull=False)
        .select_related("case__assigned_officer", "person")
        .order_by("case__received_at", "case_id", "id")
    )


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=LONDON)


def _make(
    catalogue: Catalogue, kind: dict[str, Any], party: Party, manager: User, today: dt.date
) -> tuple[Intervention, list[Milestone]]:
    status, days, done, expected = PLAN[kind["key"]]
    case: Case = party.case
    officer = case.assigned_officer
    assert officer is not None
    start = max(today - dt.timedelta(days=days), case.received_at.astimezone(LONDON).date())
    proposed_at = _at(start - dt.timedelta(days=2 if kind["formal"] else 0), 9)
    item = Intervention(
        case=case,
        party=party,
        kind=kind["key"],
        catalogue=catalogue,
        formal=kind["formal"],
        rung=kind["rung"],
        proportionality=REASONS if kind["formal"] else "",
        status=status,
        proposed_by=officer,
        proposed_at=proposed_at,
    )
    if kind["formal"] and status != InterventionStatus.PROPOSED:
        item.requested_by, item.requested_at = officer, proposed_at
    if kind["formal"] and status in ("approved", "active", "concluded"):
        item.approved_by, item.approved_at = manager, _at(start - dt.timedelta(days=1), 15)
    if status in ("active", "concluded"):
        item.started_on = start
    if status == "concluded":
        item.outcome, item.outcome_on = "The behaviour stopped after the advice; no further reports.", start
    milestones: list[Milestone] = []
    if item.started_on is not None:
        for key, after, details in done:
            extra = dict(details)
            if kind["key"] == "closure_order" and key == "order_made":
                extra["order_months"] = 3
            if kind["key"] == "absolute_ground" and key == "notice_served":
                extra["trigger_on"] = (start - dt.timedelta(days=75)).isoformat()  # the court's finding of breach
                tenancy_type, _label = party_tenancy_type(party, start)
                window = rules.review_window_ends(served_on=start, tenancy_type=tenancy_type)
                if window is not None:
                    extra["review_window_ends"] = window.isoformat()
            occurred = min(start + dt.timedelta(days=after), today)
            milestones.append(
                Milestone(
                    key=key, occurred_on=occurred, details=extra, recorded_by=officer, recorded_at=_at(occurred, 16)
                )
            )
        for key, ahead in expected:
            milestones.append(
                Milestone(key=key, due_on=today + dt.timedelta(days=ahead), recorded_by=officer, recorded_at=_at(start))
            )
        if kind["key"] == "closure_order":
            made = start + dt.timedelta(days=1)
            milestones.append(
                Milestone(
                    key="order_expiry",
                    due_on=rules.closure_order_ends_on(made, 3),
                    recorded_by=officer,
                    recorded_at=_at(start),
                )
            )
    return item, milestones


def seed_interventions(ctx: SeedContext) -> None:
    """One open case at each rung of the ladder (see the module docstring)."""
    manager = User.objects.filter(role=Role.MANAGER, is_active=True).order_by("username").first()
    catalogue = catalogue_current()
    parties = _perpetrators()
    if manager is None or not parties:
        ctx.counts["interventions"] = 0
        return
    kinds = sorted(catalogue.definition["kinds"], key=lambda k: (k["rung"], k["key"] == "cpn"))
    kinds = sorted(kinds, key=lambda k: (k["key"] == "cpn",))  # a CPN after its CPW
    used: set[int] = set()
    made: list[Intervention] = []
    cpw_party: Party | None = None
    for kind in kinds:
        if kind["key"] == "cpn":
            candidates = [cpw_party] if cpw_party is not None else []
        else:
            candidates = [
                p
                for p in parties
                if p.case_id not in used and rules.kind_allowed_for_tenancy(kind, party_tenancy_type(p, ctx.today)[0])
            ]
        if not candidates:
            continue
        party = candidates[0]
        if kind["key"] == "cpn":
            # The CPW's time to comply has passed: it ended before the notice.
            cpw = next(i for i in made if i.kind == "cpw")
            Milestone.objects.filter(intervention=cpw, key="time_to_comply_ends").update(
                occurred_on=None, due_on=ctx.today - dt.timedelta(days=5)
            )
        item, milestones = _make(catalogue, kind, party, manager, ctx.today)
        item.save()
        for milestone in milestones:
            milestone.intervention = item
        Milestone.objects.bulk_create(milestones)
        made.append(item)
        used.add(party.case_id)
        if kind["key"] == "cpw":
            cpw_party = party
    ctx.counts["interventions"] = len(made)
    audit(
        actor=None,
        verb=AuditVerb.INTERVENTIONS_SEEDED,
        object_type="interventions.intervention",
        object_label=f"Demo interventions, seed {ctx.seed}",
        after={"interventions": len(made), "kinds": sorted({i.kind for i in made}), "seed": ctx.seed},
    )


def register_seed_step() -> None:
    """Make `seed_interventions` a step of the demo seed (68: after risk and referrals, before the reports)."""
    seed_step_register("interventions", seed_interventions, order=68)
