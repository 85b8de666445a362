"""Demo partner access (issue 15 item 6): the council ASB team and the IDVA service each see one case shared with them,
as `partner_pete` and `partner_ida` would after signing in.

`seed_partners` is a step of `saferhomes seed` (order 67: after the cases, 50, and risk, 60; before the reports, 70):
- the partner users `partner_pete` (council ASB team, not entitled to DA information) and `partner_ida` (IDVA
  service, entitled), made with their agencies by the agency directory's step (`demo_agencies.py`, order 52);
- a normal ASB case with incidents shared with the council (summary and incidents), with an update from Pete and a
  case conference whose actions are owned across agencies (one done); a DA case with a risk assessment shared with
  the IDVA service (summary and risk); and an ended share with the council, so the tab shows a past share too.
Shares, the update and the conference go through the services (so the disclosures and audit trail are as real ones);
the ended share is written as it would have been made months ago. Deterministic: the cases are chosen by date of
receipt, every word is fixed, and dates follow `ctx.today`.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Case, CaseType, Incident, Sensitivity, Status
from saferhomes.core.seed import SeedContext, seed_step_register
from saferhomes.referrals.demo_agencies import DEMO_PARTNERS
from saferhomes.referrals.models import (
    Agency,
    CaseShare,
    Disclosure,
    DisclosureSource,
    LawfulBasis,
    PartnerMembership,
    SharePart,
)
from saferhomes.referrals.selectors.shares import london_today
from saferhomes.referrals.services.conferences import conference_action_done, conference_record
from saferhomes.referrals.services.partner import partner_update_add
from saferhomes.referrals.services.shares import case_share
from saferhomes.risk.models import Assessment

SEED_ORDER = 67
WORKING = (Status.OPEN, Status.REOPENED, Status.TRIAGED)


def _partner(username: str) -> tuple[User, Agency]:
    """A demo partner user made by the agency directory's seed step (`referrals/demo_agencies.py`, order 52), and the
    agency they work for: one definition of the demo partners, whichever step runs."""
    membership = PartnerMembership.objects.select_related("user", "agency").get(user__username=username)
    return User.objects.get(pk=membership.user_id), membership.agency  # fresh: permissions are cached per instance


def _asb_cases() -> list[Case]:
    """Working, normal ASB cases with incidents and an officer, oldest first."""
    has_incident = Exists(Incident.objects.filter(case=OuterRef("pk")))
    return list(
        Case.objects.filter(
            has_incident,
            case_type=CaseType.ASB,
            sensitivity=Sensitivity.NORMAL,
            status__in=WORKING,
            assigned_officer__isnull=False,
        )
        .select_related("assigned_officer")
        .order_by("received_at", "pk")[:2]
    )


def _da_case() -> Case | None:
    """The oldest working DA case with a risk assessment and an officer."""
    assessed = Exists(Assessment.objects.filter(case=OuterRef("pk")))
    return (
        Case.objects.filter(
            assessed,
            case_type=CaseType.DA,
            sensitivity=Sensitivity.DA,
            status__in=WORKING,
            assigned_officer__role__in=[Role.DA_SPECIALIST, Role.MANAGER],
        )
        .select_related("assigned_officer")
        .order_by("received_at", "pk")
        .first()
    )


def _ended_share(case: Case, agency: Agency, today: dt.date) -> CaseShare:
    """A share made three months ago that ended ten days ago, with the disclosure it made at the time."""
    officer = case.assigned_officer
    assert officer is not None  # chosen with an officer
    started = dt.datetime.combine(today - dt.timedelta(days=100), dt.time(10, 30), tzinfo=dt.UTC)
    reason = "Joint visit with the council's noise officer; they needed the history of complaints."
    share = CaseShare.objects.create(
        case=case,
        agency=agency,
        parts=[SharePart.SUMMARY],
        lawful_basis=LawfulBasis.PUBLIC_TASK,
        reason=reason,
        starts_at=started,
        ends_on=today - dt.timedelta(days=10),
        created_by=officer,
        created_at=started,
    )
    Disclosure.objects.create(
        case=case,
        agency=agency,
        source=DisclosureSource.SHARE,
        what=f"Summary of case {case.reference}, shared until {share.ends_on:%-d %B %Y}",
        reason=reason,
        lawful_basis=LawfulBasis.PUBLIC_TASK,
        share=share,
        disclosed_at=started,
        disclosed_by=officer,
    )
    return share


def seed_partners(ctx: SeedContext) -> None:
    """The demo's partner agencies, partner users, shares, an update and a case conference (module docstring)."""
    pete, council = _partner(DEMO_PARTNERS[0].username)
    _ida, idva = _partner(DEMO_PARTNERS[1].username)
    today = max(ctx.today, london_today())
    counts = {"shares": 0, "partner_updates": 0, "case_conferences": 0}
    asb = _asb_cases()
    if asb:
        case = asb[0]
        officer = case.assigned_officer
        assert officer is not None  # chosen with an officer
        share = case_share(
            actor=officer,
            case=case,
            agency=council,
            parts=[SharePart.SUMMARY, SharePart.INCIDENTS],
            ends_on=today + dt.timedelta(days=60),
            lawful_basis=LawfulBasis.PUBLIC_TASK,
            reason="The council's ASB team is considering a community protection warning against the same household.",
        )
        partner_update_add(
            actor=pete,
            share=share,
            text=(
                "We visited the address with the noise team on Tuesday evening and served a community protection "
                "warning. We will monitor for four weeks; please send any new incidents."
            ),
        )
        held_on = max(today - dt.timedelta(days=7), timezone.localdate(case.received_at))
        conference = conference_record(
            actor=officer,
            case=case,
            held_on=held_on,
            agencies=[council],
            attendees=(
                f"{officer.get_full_name()}, housing officer, the landlord\n"
                "Pete Marsh, ASB caseworker, Demo Borough Council ASB Team\n"
                "PC Priya Patel, neighbourhood policing team"
            ),
            decisions=(
                "The council serves a community protection warning. The landlord writes to the tenant about the "
                "tenancy conditions. The police increase patrols on Friday and Saturday nights."
            ),
            actions=[
                ("Serve a community protection warning", council, "Pete Marsh", held_on + dt.timedelta(days=7)),
                ("Write to the tenant about the tenancy conditions", None, officer.get_full_name(), held_on),
                ("Review the case at the next meeting", None, officer.get_full_name(), held_on + dt.timedelta(days=28)),
            ],
        )
        first = conference.actions.order_by("id").first()
        if first is not None:
            conference_action_done(actor=officer, action=first)
        counts["shares"] += 1
        counts["partner_updates"] += 1
        counts["case_conferences"] += 1
    if len(asb) > 1:
        _ended_share(asb[1], council, today)
        counts["shares"] += 1
    da = _da_case()
    if da is not None and da.assigned_officer is not None:
        case_share(
            actor=da.assigned_officer,
            case=da,
            agency=idva,
            parts=[SharePart.SUMMARY, SharePart.RISK],
            ends_on=today + dt.timedelta(days=90),
            lawful_basis=LawfulBasis.VITAL_INTERESTS,
            reason="High-risk victim referred to the IDVA service; they need the risk result to plan her safety.",
        )
        counts["shares"] += 1
    ctx.counts.update(counts)


def register_seed_step() -> None:
    """Make `seed_partners` a step of the demo seed, after risk (60) and before the reports (70)."""
    seed_step_register("partners", seed_partners, order=SEED_ORDER)
