"""What referrals and support offers add to the case pages (referrals sits above cases in the layers, so cases never
imports it): the Partnership tab's "Referrals" and "Support offered" sections, a closure blocker for an outstanding
referral, the "Referrals and support" kind of timeline entry, and the demo data step (`referrals.demo_referrals`).
`register()` is called from ReferralsConfig.ready().
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format

from saferhomes.accounts.models import User
from saferhomes.cases.extensions import TimelineSource, register_closure_check, register_timeline_source
from saferhomes.cases.models import Case
from saferhomes.cases.permissions import WORK_CASE
from saferhomes.cases.rules import Blocker, FixAt, case_workable
from saferhomes.cases.timeline import TimelineEntry
from saferhomes.documents.bundle import register_bundle_section
from saferhomes.referrals.bundle import referrals_bundle_section
from saferhomes.referrals.models import Referral, ReferralKind, SupportOffer, SupportStatus
from saferhomes.referrals.sections import Section, register_section
from saferhomes.referrals.selectors.referrals import outstanding_referrals, referral_in_words, referral_rows
from saferhomes.referrals.selectors.support import case_support_offers, support_due_again
from saferhomes.referrals.services.referrals import REFER_CASE

# Closure ---------------------------------------------------------------------------------------------------------


def referral_closure_blockers(case: Case) -> list[Blocker]:
    """An outstanding referral (no outcome, not withdrawn) blocks closing, as an outstanding MARAC referral does."""
    blockers = []
    for referral in outstanding_referrals(case=case):
        words = referral_in_words(referral)
        blockers.append(
            Blocker(
                code="referral_outstanding",
                message=f"{words[:1].upper()}{words[1:]} is outstanding: record its outcome, or withdraw it with a "
                "reason",
                fix_at=FixAt.PARTNERSHIP,
                fix_text=f"Record the outcome of the referral to {referral.agency.name}",
            )
        )
    return blockers


# The Partnership tab ---------------------------------------------------------------------------------------------


def referrals_section(*, case: Case, actor: User, request: HttpRequest) -> dict[str, Any] | None:
    """Every referral of the case this actor may see (MARAC ones only to the DA set), with what they may do."""
    rows = referral_rows(case=case, actor=actor)
    return {
        "rows": rows,
        "can_refer": actor.has_perm(REFER_CASE) and case_workable(case),
        # Criminal ASB and hate crime: offer the police referral straight away until one is made.
        "offer_police": case.criminal
        and not any(row.referral.kind == ReferralKind.POLICE and row.referral.withdrawn_at is None for row in rows),
    }


def support_section(*, case: Case, actor: User, request: HttpRequest) -> dict[str, Any] | None:
    """Every offer of support on the case, and the refusals whose date to offer again has come."""
    offers = case_support_offers(case=case)
    can_offer = actor.has_perm(WORK_CASE) and case_workable(case)
    return {
        "offers": offers,
        "due_again": support_due_again(offers, today=timezone.localdate()) if case_workable(case) else [],
        "can_offer": can_offer,
    }


REFERRALS_SECTION = Section("referrals", "referrals/referrals/_section.html", referrals_section)
SUPPORT_SECTION = Section("support", "referrals/support/_section.html", support_section)

# Timeline --------------------------------------------------------------------------------------------------------


def _person(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _referral_entries(referral: Referral) -> Iterable[TimelineEntry]:
    agency = referral.agency.name
    kind = referral.get_kind_display().split(" (")[0]
    details = [f"Why: {referral.reason}", f"Shared: {referral.information_shared}"]
    details.append(
        f"Lawful basis: {referral.get_lawful_basis_display()}; consent {referral.get_consent_display().lower()}"
    )
    if referral.crime_reference:
        details.append(f"Crime or incident reference: {referral.crime_reference}")
    yield TimelineEntry(
        kind="referrals",
        at=referral.sent_at,
        title=f"{kind} referral made to {agency}",
        details=details,
        actor=_person(referral.created_by),
        obj=referral,
    )
    if referral.acknowledged_at is not None:
        yield TimelineEntry(
            kind="referrals", at=referral.acknowledged_at, title=f"Referral acknowledged by {agency}", obj=referral
        )
    if referral.outcome_at is not None:
        yield TimelineEntry(
            kind="referrals",
            at=referral.outcome_at,
            title=f"Outcome of the referral to {agency}",
            details=[referral.outcome],
            obj=referral,
        )
    if referral.withdrawn_at is not None:
        yield TimelineEntry(
            kind="referrals",
            at=referral.withdrawn_at,
            title=f"Referral to {agency} withdrawn",
            details=[f"Reason: {referral.withdrawn_reason}"],
            obj=referral,
        )


def _support_entries(offer: SupportOffer) -> Iterable[TimelineEntry]:
    who = offer.party.display_name
    what = offer.get_kind_display()
    by = f" ({offer.agency.name})" if offer.agency is not None else ""
    yield TimelineEntry(
        kind="referrals",
        at=offer.offered_at,
        title=f"{what} support{by} offered to {who}",
        actor=_person(offer.created_by),
        obj=offer,
    )
    if offer.decided_at is not None and offer.status == SupportStatus.ACCEPTED:
        yield TimelineEntry(kind="referrals", at=offer.decided_at, title=f"{who} accepted {what.lower()} support")
    if offer.decided_at is not None and offer.status == SupportStatus.DECLINED:
        details = [f"Reason: {offer.declined_reason}"]
        if offer.offer_again_on is not None:
            details.append(f"Offer again on {date_format(offer.offer_again_on, 'j F Y')}")
        yield TimelineEntry(
            kind="referrals", at=offer.decided_at, title=f"{who} declined {what.lower()} support", details=details
        )
    if offer.outcome_at is not None:
        yield TimelineEntry(
            kind="referrals", at=offer.outcome_at, title=f"Outcome of {what.lower()} support", details=[offer.outcome]
        )


def referrals_timeline(case: Case) -> Iterable[TimelineEntry]:
    """Each referral (made, acknowledged, outcome, withdrawn) and each offer of support (offered, answered, outcome):
    two queries whatever their number."""
    for referral in Referral.objects.filter(case=case).select_related("agency", "created_by"):
        yield from _referral_entries(referral)
    offers = SupportOffer.objects.filter(case=case).select_related("party__person", "agency", "created_by")
    for offer in offers:
        yield from _support_entries(offer)


REFERRALS_TIMELINE = TimelineSource(
    kind="referrals", label="Referrals and support", tag="Partnership", entries=referrals_timeline
)


def register() -> None:
    """Plug referrals and support offers into the case pages and the demo seed (idempotent)."""
    from saferhomes.referrals.demo_referrals import register_seed_step

    register_seed_step()
    register_section(REFERRALS_SECTION)
    register_section(SUPPORT_SECTION)
    register_closure_check(referral_closure_blockers)
    register_timeline_source(REFERRALS_TIMELINE)
    register_bundle_section(referrals_bundle_section)
