"""Demo information sharing (issue 15 items 3 and 5): the demo MARAC coordinator, IDVA service and council ASB team
(made here if the agency directory's own demo step has not made them: matched by code, fields set only when made),
three information-sharing agreements (one due for review within days, one in force, one ended), and a MARAC referral
form produced on a demo DA case whose MARAC decision required a referral (its referral to the MARAC and the
disclosure with it), so "a DA case shows a MARAC referral PDF" in `make demo`.

`seed_sharing` is a step of `saferhomes seed` (order 66: after the risk assessments, before the reports). The form is
drawn from the case as `marac_form_produce` draws it (`marac_facts`, `marac_form_render`), for a decision the risk
step already recorded as made (the outstanding ones stay outstanding, to show the closure blocker). Synthetic
organisations and words only; dates from `ctx.today`, so the same seed gives the same data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Case, CaseType
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.seed import SeedContext, seed_step_register
from saferhomes.referrals.models import (
    Agency,
    Disclosure,
    DisclosureSource,
    LawfulBasis,
    MaracForm,
    Referral,
    ReferralKind,
    SharingAgreement,
)
from saferhomes.referrals.selectors.marac import marac_facts
from saferhomes.referrals.services.marac import CONSENT_FROM_MARAC, WHAT_IS_SHARED, marac_form_render
from saferhomes.risk.models import MaracConsent, MaracDecision
from saferhomes.risk.selectors.assessments import WORKING_STATUSES

LONDON = ZoneInfo("Europe/London")
SEED_ORDER = 66

# The agencies the demo's agreements and MARAC form name: made by the agency directory's step (`demo_agencies.py`,
# order 52), one definition of the demo agencies.
AGENCY_CODES = ("MARAC", "IDVA", "COUNCIL-ASB")

REASON = (
    "Visible high risk on the DA checklist, and the victim fears the alleged perpetrator will come back when his bail "
    "ends. The victim has agreed to work with the IDVA."
)
VICTIM_WANTS = "To stay in the home, and for the alleged perpetrator to have no contact."
SAFETY_ACTIONS = (
    "Locks changed and a door viewer fitted the same day; referred to the sanctuary scheme; police told of the "
    "address marker; IDVA contacted and meeting the victim at the office."
)
NO_CONSENT_NOTE = (
    "The risk of serious harm is high; asking while the alleged perpetrator may see the victim's messages would put "
    "the victim at risk."
)


def _agencies() -> dict[str, Agency]:
    """The demo agencies by code, as the agency directory's step made them."""
    return {agency.code: agency for agency in Agency.objects.filter(code__in=AGENCY_CODES)}


def _agreements(ctx: SeedContext, agencies: dict[str, Agency], keeper: User) -> list[SharingAgreement]:
    """Three agreements: the MARAC protocol due for review within days, the ASB one in force, an old one ended."""
    today = ctx.today
    plans = [
        (
            "Exampleton MARAC information-sharing protocol",
            ["MARAC", "IDVA"],
            "Sharing information about victims of domestic abuse at high risk of serious harm, so the MARAC can agree "
            "a safety plan.",
            "Names, dates of birth, addresses and safe-contact instructions of victims, alleged perpetrators and "
            "children in the household; risk assessment results; police call-outs; housing history.",
            LawfulBasis.PUBLIC_TASK,
            today - dt.timedelta(days=355),
            today + dt.timedelta(days=10),
            None,
        ),
        (
            "Exampleton community safety partnership: anti-social behaviour",
            ["COUNCIL-ASB"],
            "Joint problem-solving of anti-social behaviour cases between the landlord and the council.",
            "Names and addresses of victims, witnesses and alleged perpetrators; incident dates and descriptions; "
            "actions taken.",
            LawfulBasis.PUBLIC_TASK,
            today - dt.timedelta(days=120),
            today + dt.timedelta(days=245),
            None,
        ),
        (
            "IDVA referrals pilot",
            ["IDVA"],
            "Referring victims of domestic abuse to the IDVA service during the pilot.",
            "Names and contact details of victims who consented; a summary of the risk.",
            LawfulBasis.CONSENT,
            today - dt.timedelta(days=800),
            today - dt.timedelta(days=435),
            today - dt.timedelta(days=70),
        ),
    ]
    made = []
    for name, codes, purpose, data_shared, basis, starts_on, review_on, ends_on in plans:
        agreement, created = SharingAgreement.objects.get_or_create(
            name=name,
            defaults={
                "purpose": purpose,
                "data_shared": data_shared,
                "lawful_basis": basis,
                "starts_on": starts_on,
                "review_on": review_on,
                "ends_on": ends_on,
                "created_by": keeper,
            },
        )
        if created:
            agreement.agencies.set([agencies[code] for code in codes])
        made.append(agreement)
    return made


def _decision_for_the_form() -> MaracDecision | None:
    """The newest required MARAC decision already recorded as made on a working DA case, preferring one assigned to
    a DA specialist (the demo's da_specialist_dev), with no form yet."""
    candidates = (
        MaracDecision.objects.filter(
            required=True,
            referral_made_on__isnull=False,
            case__case_type=CaseType.DA,
            case__status__in=WORKING_STATUSES,
            case__assigned_officer__isnull=False,
        )
        .exclude(pk__in=MaracForm.objects.values("decision_id"))
        .select_related("case__assigned_officer", "assessment__instrument", "assessment__assessed_by")
        .order_by("-decided_at", "-pk")
    )
    specialist = candidates.filter(case__assigned_officer__role=Role.DA_SPECIALIST).first()
    return specialist or candidates.first()


def _produce_form(decision: MaracDecision, agency: Agency, agreement: SharingAgreement | None) -> MaracForm:
    """The form as the officer would have produced it on the day the referral was recorded as made."""
    case: Case = decision.case
    officer = case.assigned_officer
    assert officer is not None
    assert decision.referral_made_on is not None
    on_the_day = max(
        decision.decided_at + dt.timedelta(hours=1),
        dt.datetime.combine(decision.referral_made_on, dt.time(15, 30), tzinfo=LONDON),
    )
    produced_at = min(on_the_day, max(decision.decided_at, timezone.now()))  # never in the future
    consent = MaracConsent(decision.consent)
    basis = LawfulBasis.CONSENT if consent == MaracConsent.GIVEN else LawfulBasis.PUBLIC_TASK
    consent_note = "" if consent == MaracConsent.GIVEN else NO_CONSENT_NOTE
    facts = marac_facts(case=case, decision=decision, actor=officer, today=decision.referral_made_on)
    details = {
        "agency": agency,
        "reason": REASON,
        "victim_wants": VICTIM_WANTS,
        "safety_actions": SAFETY_ACTIONS,
        "lawful_basis": LawfulBasis(basis).label,
        "consent_note": consent_note,
        "agreement": agreement,
        "produced_at": produced_at,
    }
    document = marac_form_render(facts=facts, details=details)
    referral = Referral.objects.create(
        case=case,
        agency=agency,
        kind=ReferralKind.MARAC,
        reason=REASON,
        information_shared=WHAT_IS_SHARED,
        lawful_basis=basis,
        consent=CONSENT_FROM_MARAC[consent],
        consent_note=consent_note or "Consent recorded with the DA checklist",
        clock_started_at=decision.decided_at,
        sent_at=produced_at,
        created_by=officer,
        created_at=produced_at,
    )
    form = MaracForm(
        referral=referral,
        decision=decision,
        sha256=hashlib.sha256(document).hexdigest(),
        size=len(document),
        reason=REASON,
        victim_wants=VICTIM_WANTS,
        safety_actions=SAFETY_ACTIONS,
        produced_by=officer,
        produced_at=produced_at,
    )
    form.file.save(f"marac-{case.reference}.pdf", ContentFile(document), save=True)
    Disclosure.objects.create(
        case=case,
        agency=agency,
        source=DisclosureSource.MARAC_FORM,
        what=WHAT_IS_SHARED,
        reason=REASON,
        lawful_basis=basis,
        agreement=agreement,
        referral=referral,
        disclosed_at=produced_at,
        disclosed_by=officer,
    )
    return form


def seed_sharing(ctx: SeedContext) -> None:
    """Demo agencies (if missing), agreements and one produced MARAC referral form (see the module docstring)."""
    agencies = _agencies()
    keeper = (
        User.objects.filter(role=Role.DPO, is_active=True).order_by("username").first()
        or User.objects.filter(is_active=True).order_by("username").first()
    )
    agreements = _agreements(ctx, agencies, keeper) if keeper is not None else []
    decision = _decision_for_the_form()
    form = None
    if decision is not None:
        protocol = agreements[0] if agreements else None
        form = _produce_form(decision, agencies["MARAC"], protocol)
    counts = {"sharing_agreements": len(agreements), "marac_forms": 1 if form is not None else 0}
    ctx.counts.update(counts)
    audit(
        actor=None,
        verb=AuditVerb.SHARING_SEEDED,
        object_type="referrals.sharingagreement",
        object_label=f"Demo information sharing, seed {ctx.seed}"
        + (f": MARAC form on {form.referral.case.reference}" if form is not None else ""),
        after={**counts, "seed": ctx.seed},
    )


def register_seed_step() -> None:
    """Make `seed_sharing` a step of the demo seed, after the risk assessments (60) and before the reports (70)."""
    seed_step_register("sharing", seed_sharing, order=SEED_ORDER)
