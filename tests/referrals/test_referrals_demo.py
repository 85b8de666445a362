"""Demo referrals and support offers: a step of the seed after risk, deterministic, every triaged hate-crime and
criminal ASB case referred to the police with a valid crime reference and a realistic time to refer, chases as the
worker would have sent them, closed and closing cases still able to close, and support at every stage."""

from __future__ import annotations

import datetime as dt

import pytest

from saferhomes.cases.models import Case, CaseType, Status
from saferhomes.cases.selectors.closure import case_closure_blockers
from saferhomes.core.calendar import LONDON
from saferhomes.core.calendar_config import calendar_current
from saferhomes.core.seed import SEED_STEPS, seed_demo
from saferhomes.referrals.models import (
    Agency,
    Disclosure,
    Referral,
    ReferralChase,
    ReferralKind,
    SupportOffer,
    SupportStatus,
)
from saferhomes.referrals.referral_rules import chase_step_due, crime_reference_problem, da_agency_needed, time_to_refer
from saferhomes.referrals.selectors.support import case_support_offers, support_due_again
from tests.demo_once import seeded_once
from tests.demo_wipe import wipe_demo

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)
NOW = dt.datetime.combine(TODAY, dt.time(9), tzinfo=LONDON)
HOMES = 700
WORKING = (Status.TRIAGED, Status.OPEN, Status.REOPENED, Status.CLOSING)


seeded = seeded_once(homes=HOMES, seed=1, today=TODAY)


def test_referrals_are_a_step_after_risk_and_before_the_reports() -> None:
    order = {step.name: step.order for step in SEED_STEPS}
    assert order["risk"] < order["referrals"] == 65 < order["reports"]


def test_every_triaged_hate_crime_and_criminal_asb_case_is_referred_to_the_police(seeded: None) -> None:
    police = Agency.objects.get(code="POLICE-NPT")
    protection = Agency.objects.get(code="POLICE-PPU")  # entitled to DA information: restricted cases go there
    assert (police.kind, police.handles_da, protection.kind, protection.handles_da) == ("police", False, "police", True)
    candidates = Case.objects.filter(status__in=[*WORKING, Status.CLOSED], case_type__in=[CaseType.HATE, CaseType.ASB])
    wanted = [case for case in candidates if case.case_type == CaseType.HATE or case.criminal]
    assert len(wanted) >= 10
    for case in wanted:
        [referral] = Referral.objects.filter(case=case, kind=ReferralKind.POLICE)
        assert referral.agency == (protection if case.sensitivity != "normal" else police)
        assert crime_reference_problem(referral.crime_reference) is None, referral.crime_reference
    hate = Case.objects.filter(case_type=CaseType.HATE, status=Status.OPEN).first()
    assert hate is not None
    assert hate.referrals.filter(kind=ReferralKind.POLICE).exists()


def test_every_demo_referral_keeps_the_services_rules(seeded: None) -> None:
    # This step's referrals (the MARAC referral is the information-sharing step's, made with its form).
    referrals = list(Referral.objects.exclude(kind=ReferralKind.MARAC).select_related("case", "agency"))
    assert referrals
    for referral in referrals:
        case = referral.case
        assert referral.clock_started_at == case.received_at <= referral.sent_at <= NOW
        if referral.acknowledged_at is not None:
            assert referral.sent_at <= referral.acknowledged_at <= NOW
        if referral.outcome_at is not None:
            assert referral.acknowledged_at is not None
            assert referral.acknowledged_at <= referral.outcome_at <= NOW
            assert referral.outcome
        for end in (case.closed_at, case.closure_requested_at):
            if end is not None:
                assert (referral.outcome_at or referral.sent_at) <= end
        if da_agency_needed(case_type=case.case_type, sensitivity=case.sensitivity):
            assert referral.agency.handles_da
        assert Disclosure.objects.filter(referral=referral, case=case, agency=referral.agency).count() == 1


def test_closed_and_closing_cases_have_only_resolved_referrals(seeded: None) -> None:
    resolved = Case.objects.filter(status__in=[Status.CLOSED, Status.CLOSING], referrals__isnull=False).distinct()
    assert resolved.exists()
    for case in resolved:
        assert not any(referral.outstanding for referral in case.referrals.all())
        assert not [b for b in case_closure_blockers(case=case) if b.code == "referral_outstanding"]
    waiting = Referral.objects.filter(outcome_at__isnull=True, withdrawn_at__isnull=True)
    assert waiting.exists()
    assert set(waiting.values_list("case__status", flat=True)) <= {Status.TRIAGED, Status.OPEN, Status.REOPENED}


def test_time_to_refer_is_mostly_the_same_working_day_with_one_slow(seeded: None) -> None:
    calendar = calendar_current()
    hours = sorted(
        time_to_refer(r.clock_started_at, r.sent_at, calendar).working_hours
        for r in Referral.objects.filter(kind=ReferralKind.POLICE)
    )
    within_a_day = [h for h in hours if h < 24]
    assert len(within_a_day) >= len(hours) / 2
    assert hours[-1] >= 5 * 24  # the slow one: more than five working days


def test_chases_are_the_steps_that_fell_due_before_an_answer(seeded: None) -> None:
    calendar = calendar_current()
    chased = 0
    for referral in Referral.objects.prefetch_related("chases"):
        until = referral.acknowledged_at or referral.outcome_at or NOW
        steps = sorted(chase.step for chase in referral.chases.all())
        assert steps == list(range(1, chase_step_due(referral.sent_at, until, 5, calendar) + 1))
        chased += bool(steps)
    assert chased >= 1
    assert ReferralChase.objects.filter(referral__acknowledged_at__isnull=True).exists()


def test_support_is_offered_at_every_stage_with_some_due_again(seeded: None) -> None:
    offers = list(SupportOffer.objects.select_related("party", "case"))
    statuses = {offer.status for offer in offers}
    assert statuses == {SupportStatus.OFFERED, SupportStatus.ACCEPTED, SupportStatus.DECLINED}
    assert any(offer.outcome for offer in offers if offer.status == SupportStatus.ACCEPTED)
    for offer in offers:
        assert offer.party.case_id == offer.case_id
        assert offer.case.status != Status.CLOSED
        assert offer.case.received_at <= offer.offered_at <= NOW
        if offer.status == SupportStatus.DECLINED:
            assert offer.declined_reason
            assert offer.offer_again_on is not None
    due = [
        offer
        for case in {offer.case for offer in offers}
        for offer in support_due_again(case_support_offers(case=case), today=TODAY)
    ]
    assert due


def test_the_same_seed_gives_the_same_referrals_and_existing_agencies_are_kept(seeded: None) -> None:
    order = ("case__reference", "kind", "sent_at")
    fields = ("case__reference", "kind", "crime_reference", "sent_at", "acknowledged_at", "outcome_at")
    mine = Referral.objects.exclude(kind=ReferralKind.MARAC)  # the MARAC referral is the sharing step's
    first = list(mine.order_by(*order).values_list(*fields))
    offers = list(SupportOffer.objects.order_by("case__reference", "offered_at").values_list("kind", "status"))
    Agency.objects.filter(code="COUNCIL-ASB").update(name="Renamed by the directory")
    # The whole demo again from empty (later steps change cases the referrals step chooses from, e.g. the retention
    # demo moves a few closed cases back seven years), keeping the agency directory.
    Disclosure.objects.all().delete()
    ReferralChase.objects.all().delete()
    Referral.objects.all().delete()
    wipe_demo()
    seed_demo(homes=HOMES, seed=1, today=TODAY)
    assert list(mine.order_by(*order).values_list(*fields)) == first
    assert list(SupportOffer.objects.order_by("case__reference", "offered_at").values_list("kind", "status")) == offers
    assert Agency.objects.get(code="COUNCIL-ASB").name == "Renamed by the directory"
