"""Demo partner access (issue 15 item 6): the council ASB team and the IDVA service each see one case shared with them,
as `partner_pete` and `partner_ida` would after signing in.

`seed_partners` is a step of `saferhomes seed` (order 67: after the cases, 50, and risk, 60; before the reports, 70):
- the agencies `demo-council-asb` (council, not entitled to DA information) and `demo-idva` (IDVA service, entitled),
  made here if the agency directory's own step has not made them (their fields are set only when made here);
- the partner users `partner_pete` (council) and `partner_ida` (IDVA), with the demo password and an authenticator
  app, made as the demo staff are when missing, and linked to their agency;
- a normal ASB case with incidents shared with the council (summary and incidents), with an update from Pete and a
  case conference whose actions are owned across agencies (one done); a DA case with a risk assessment shared with
  the IDVA service (summary and risk); and an ended share with the council, so the tab shows a past share too.
Shares, the update and the conference go through the services (so the disclosures and audit trail are as real ones);
the ended share is written as it would have been made months ago. Deterministic: the cases are chosen by date of
receipt, every word is fixed, and dates follow `ctx.today`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db.models import Exists, OuterRef
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.accounts.selectors import totp_device_confirmed
from saferhomes.accounts.services import staff_create, staff_totp_device_create
from saferhomes.cases.models import Case, CaseType, Incident, Sensitivity, Status
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.seed import SeedContext, seed_step_register
from saferhomes.housing.demo_data import DEMO_PASSWORD
from saferhomes.referrals.models import (
    Agency,
    AgencyKind,
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


@dataclass(frozen=True)
class DemoAgency:
    code: str
    name: str
    kind: str
    handles_da: bool
    description: str


@dataclass(frozen=True)
class DemoPartner:
    username: str
    first_name: str
    last_name: str
    job_title: str
    agency_code: str


COUNCIL = DemoAgency(
    "demo-council-asb",
    "Demo Borough Council ASB Team",
    AgencyKind.COUNCIL,
    False,
    "The council's anti-social behaviour team: noise, nuisance, community protection notices.",
)
IDVA = DemoAgency(
    "demo-idva",
    "Demo IDVA Service",
    AgencyKind.IDVA,
    True,
    "Independent domestic violence advisers for high-risk victims of domestic abuse.",
)
PARTNERS = [
    DemoPartner("partner_pete", "Pete", "Marsh", "ASB caseworker", COUNCIL.code),
    DemoPartner("partner_ida", "Ida", "Okafor", "Independent domestic violence adviser", IDVA.code),
]


def _agency(spec: DemoAgency) -> Agency:
    agency, _created = Agency.objects.get_or_create(
        code=spec.code,
        defaults={
            "name": spec.name,
            "kind": spec.kind,
            "handles_da": spec.handles_da,
            "description": spec.description,
            "email": f"{spec.code}@example.org",
            "secure_email": f"{spec.code}@secure.example.org",
            "area_served": "Demo borough",
        },
    )
    return agency


def _partner(spec: DemoPartner, agency: Agency) -> User:
    """The partner user, made as the demo staff are (housing.demo_data.seed_staff) if missing, linked to the agency."""
    user = User.objects.filter(username=spec.username).first()
    if user is None:
        user = staff_create(
            actor=None,
            username=spec.username,
            role=Role.PARTNER,
            email=f"{spec.username.replace('_', '.')}@example.org",
            first_name=spec.first_name,
            last_name=spec.last_name,
        )
        user.password = make_password(DEMO_PASSWORD)
        user.job_title = spec.job_title
        user.save(update_fields=["password", "job_title"])
    if totp_device_confirmed(user=user) is None:
        staff_totp_device_create(user)
    membership, created = PartnerMembership.objects.get_or_create(user=user, defaults={"agency": agency})
    if created:
        audit(
            actor=None,
            verb=AuditVerb.PARTNER_MEMBERSHIP_SET,
            obj=membership,
            object_label=f"{user.username} at {agency.name}",
            after={"user": user.username, "agency": agency.code},
        )
    return User.objects.get(pk=user.pk)  # fresh: permissions are cached per instance


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
    council, idva = _agency(COUNCIL), _agency(IDVA)
    pete, _ida = (_partner(spec, agency) for spec, agency in zip(PARTNERS, (council, idva), strict=True))
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
