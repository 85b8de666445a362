"""Demo referrals and support offers: a step of `saferhomes seed` after risk (60) and before the reports (70).

- Every hate-crime case and criminal ASB case that has been triaged is referred to the police (`POLICE-NPT`, or
  `POLICE-PPU` for a restricted case), with a synthetic crime reference in one of the formats forces use and a
  realistic time to refer: most the same working day, some the next, and one slow (sent a week ago on a case reported
  long before, not yet acknowledged, so chased once). Timed from the report's receipt, as the service times a case
  whose police prompt at triage is not in the audit trail (the demo's cases were made, not triaged). A restricted
  case goes only to an agency entitled to DA information: the public protection unit.
- On working cases the referrals stand at every stage: sent and waiting (chased once per step that has fallen due,
  as the worker would have), acknowledged, and with an outcome. Closed and closing cases have only referrals with an
  outcome, so they stay valid under the closure check (and a closing case can still close).
- A few other working ASB cases are referred to mediation or the council's ASB team, with consent.
- Support is offered on about a third of working cases to someone on the case (victims, witnesses and alleged
  perpetrators alike): accepted (some with an outcome), declined with a reason and a date to offer again (some of
  them due now), or waiting for an answer.
- Each referral is recorded as a disclosure, as `referral_make` does.

The agencies it needs are made by code with `get_or_create`, setting fields only when it makes them (the agency
directory's own demo step uses the same codes). Deterministic: one random stream per seed (`ctx.faker`), times from
`ctx.today` at 09:00. Everyone and everything is made up.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from saferhomes.cases.models import Case, CaseType, Party, PartyRole, Sensitivity, Status
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.calendar import (
    LONDON,
    WorkingCalendar,
    add_working_days,
    is_working_day,
    working_time_after,
    working_time_between,
)
from saferhomes.core.calendar_config import calendar_current
from saferhomes.core.seed import SeedContext, seed_step_register
from saferhomes.referrals.models import (
    Agency,
    Consent,
    Disclosure,
    DisclosureSource,
    LawfulBasis,
    Referral,
    ReferralChase,
    ReferralKind,
    SupportKind,
    SupportOffer,
    SupportStatus,
)
from saferhomes.referrals.referral_rules import chase_due_at, chase_step_due, crime_reference_problem, da_agency_needed

WORKING = (Status.TRIAGED, Status.OPEN, Status.REOPENED, Status.CLOSING)
SUPPORT_SHARE = 0.35
OTHER_REFERRAL_SHARE = 0.08

# The agencies the demo refers to, as the agency directory's step made them (`demo_agencies.py`, order 52): one
# definition of the demo agencies. Restricted cases go to the police's public protection unit (entitled to DA);
# tenancy sustainment is the landlord's own service, so those offers name no agency.
AGENCY_CODES = ("POLICE-NPT", "POLICE-PPU", "VICTIM-SUPPORT", "COUNCIL-ASB", "MEDIATION")

POLICE_OUTCOMES = (
    "Crime recorded and allocated to the neighbourhood team; suspect interviewed under caution.",
    "Recorded as a hate incident; extra patrols in the block for four weeks.",
    "No further action by the police: not enough evidence. Officer advised the victim to keep a diary.",
    "Community resolution agreed with the suspect, who apologised and paid for the damage.",
    "Suspect charged; the case is with the Crown Prosecution Service.",
)
OTHER_OUTCOMES = (
    "Both households attended two mediation sessions and signed an agreement.",
    "The council served a community protection warning.",
    "The service could not reach the household after three attempts and closed the referral.",
)
DECLINED_REASONS = (
    "Says they do not need help at the moment.",
    "Does not want any agency involved while the police investigate.",
    "Already gets support from family.",
    "Not ready to talk about it yet.",
)
SUPPORT_OUTCOMES = (
    "Attended six sessions; says they feel safer at home.",
    "Rent arrears plan agreed and the tenancy is stable.",
    "Stopped engaging after the first month.",
)
STRAND_WORDS = {
    "race": "race or ethnicity",
    "religion": "religion or belief",
    "disability": "disability",
    "sexual_orientation": "sexual orientation",
    "transgender": "transgender identity",
}


@dataclass
class _Built:
    referrals: list[Referral] = field(default_factory=list)
    chases: list[tuple[int, ReferralChase]] = field(default_factory=list)  # (index in referrals, chase)
    offers: list[SupportOffer] = field(default_factory=list)


def _agencies() -> dict[str, Agency]:
    return {agency.code: agency for agency in Agency.objects.filter(code__in=AGENCY_CODES)}


class _Maker:
    """Builds the referrals and offers of one case after another from one random stream."""

    def __init__(self, ctx: SeedContext, agencies: dict[str, Agency], calendar: WorkingCalendar) -> None:
        self.rng: random.Random = ctx.faker("referrals").random
        self.today = ctx.today
        self.now = dt.datetime.combine(ctx.today, dt.time(9, 0), tzinfo=LONDON)
        self.agencies = agencies
        self.calendar = calendar
        self.built = _Built()
        self.slow_done = False
        self.chase_days = settings.REFERRAL_CHASE_AFTER_WORKING_DAYS

    # Times ---------------------------------------------------------------------------------------------------------

    def _limit(self, case: Case) -> dt.datetime:
        """Nothing on the case happens after this: its closure (or the request for it), else the seed's 'now'."""
        ends = [moment for moment in (case.closed_at, case.closure_requested_at) if moment is not None]
        return min([self.now, *ends])

    def _office_time(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(self.rng.randint(9, 16), self.rng.choice((5, 20, 35, 50))), LONDON)

    def _sent_at(self, case: Case, limit: dt.datetime) -> dt.datetime:
        """Most the same working day, some the next or the one after; never after the case's limit."""
        received = case.received_at.astimezone(LONDON)
        days = self.rng.choices((0, 1, 2), weights=(65, 27, 8))[0]
        if days == 0:
            sent = received + dt.timedelta(minutes=self.rng.randint(25, 240))
            local = sent.astimezone(LONDON)
            if not is_working_day(local.date(), self.calendar) or not 8 <= local.hour < 18:
                sent = self._office_time(add_working_days(received.date(), 1, self.calendar))
        else:
            sent = self._office_time(add_working_days(received.date(), days, self.calendar))
        sent = max(sent, received + dt.timedelta(minutes=20))
        if sent >= limit:
            sent = received + (limit - received) / 3
        return sent

    def _later(self, after: dt.datetime, limit: dt.datetime, hours: tuple[int, int]) -> dt.datetime | None:
        """A moment in office hours some working hours after `after`, if it comes before `limit`."""
        moment = working_time_after(after, dt.timedelta(hours=self.rng.randint(*hours)), self.calendar)
        local = moment.astimezone(LONDON)
        if not is_working_day(local.date(), self.calendar) or not 9 <= local.hour < 17:
            day = local.date() if local.hour < 9 and is_working_day(local.date(), self.calendar) else None
            moment = self._office_time(day or add_working_days(local.date(), 1, self.calendar))
        return moment if moment < limit else None

    # Referrals -----------------------------------------------------------------------------------------------------

    def _crime_reference(self, sent: dt.datetime) -> str:
        local = sent.astimezone(LONDON)
        form = self.rng.randrange(3)
        if form == 0:
            reference = f"{self.rng.randint(10, 99)}/{self.rng.randint(100000, 999999)}/{local:%y}"
        elif form == 1:
            reference = f"CRI-{local:%Y}-{self.rng.randint(1, 999999):06d}"
        else:
            reference = f"{self.rng.randint(1, 9999):04d} {local:%d/%m/%y}"
        assert crime_reference_problem(reference) is None, reference
        return reference

    def _slow(self, case: Case) -> dt.datetime | None:
        """The one slow referral: on an open case received long ago, sent only a week or so ago (more than five
        working days after the report), and not acknowledged since, so it has been chased once."""
        if self.slow_done or case.status not in (Status.OPEN, Status.REOPENED):
            return None
        sent = self._office_time(add_working_days(self.today, -(self.chase_days + 2), self.calendar))
        slow = self.calendar.working_day_length * 5
        if working_time_between(case.received_at, sent, self.calendar) < slow or sent >= self._limit(case):
            return None
        self.slow_done = True
        return sent

    def police(self, case: Case) -> None:
        """The case's police referral, and what has become of it by now."""
        limit = self._limit(case)
        resolved = case.status in (Status.CLOSED, Status.CLOSING)
        slow = self._slow(case)
        sent = slow or self._sent_at(case, limit)
        if case.case_type == CaseType.HATE:
            strands = " and ".join(STRAND_WORDS.get(strand, "other") for strand in case.hate_strands) or "hostility"
            reason = f"Hate crime reported, motivated by {strands}. Reported to the police as the reporter asked."
        else:
            reason = "Criminal behaviour reported (threats, damage or drugs). Reported to the police to investigate."
        consent_given = self.rng.random() < 0.8
        referral = Referral(
            case=case,
            agency=self.agencies[
                "POLICE-PPU"
                if da_agency_needed(case_type=case.case_type, sensitivity=case.sensitivity)
                else "POLICE-NPT"
            ],
            kind=ReferralKind.POLICE,
            reason=reason,
            information_shared=(
                "The reporter's name and contact details, the incidents recorded so far and the description of the "
                "alleged perpetrator."
            ),
            lawful_basis=LawfulBasis.PUBLIC_TASK,
            consent=Consent.GIVEN if consent_given else Consent.NOT_SOUGHT,
            consent_note="Agreed on the phone when the report was taken."
            if consent_given
            else "Not sought: reporting a crime to the police is part of our public task; the reporter was told.",
            crime_reference=self._crime_reference(sent),
            clock_started_at=case.received_at,
            sent_at=sent,
            created_by=case.assigned_officer,
            created_at=sent,
        )
        self._follow_up(referral, limit, resolved=resolved, outcomes=POLICE_OUTCOMES, waiting=slow is not None)

    def other(self, case: Case) -> None:
        """A referral to mediation or the council's ASB team, with consent."""
        limit = self._limit(case)
        sent = self._sent_at(case, limit) + dt.timedelta(days=self.rng.randint(3, 20))
        if sent >= limit:
            return
        mediation = self.rng.random() < 0.5
        referral = Referral(
            case=case,
            agency=self.agencies["MEDIATION" if mediation else "COUNCIL-ASB"],
            kind=ReferralKind.MEDIATION if mediation else ReferralKind.OTHER,
            reason="Neighbour dispute that both households agree to try to settle through mediation."
            if mediation
            else "Noise nuisance across several homes: the council's environmental health powers may help.",
            information_shared="Both households' names, addresses and phone numbers, and a summary of the problem.",
            lawful_basis=LawfulBasis.CONSENT,
            consent=Consent.GIVEN,
            consent_note="Both households agreed at the home visit.",
            clock_started_at=case.received_at,
            sent_at=sent,
            created_by=case.assigned_officer,
            created_at=sent,
        )
        self._follow_up(
            referral, limit, resolved=case.status in (Status.CLOSED, Status.CLOSING), outcomes=OTHER_OUTCOMES
        )

    def _follow_up(
        self,
        referral: Referral,
        limit: dt.datetime,
        *,
        resolved: bool,
        outcomes: tuple[str, ...],
        waiting: bool = False,
    ) -> None:
        """Acknowledged and given an outcome (always on a resolved case), acknowledged only, or still waiting (only
        recent referrals: an agency answers in the end). Some are acknowledged only after the officer chased."""
        age = working_time_between(referral.sent_at, self.now, self.calendar) / self.calendar.working_day_length
        if resolved:
            stage = "outcome"
        elif waiting:
            stage = "waiting"
        elif age < 2 * self.chase_days:
            stage = self.rng.choices(("waiting", "acknowledged", "outcome"), (45, 35, 20))[0]
        else:
            stage = self.rng.choices(("acknowledged", "outcome"), (45, 55))[0]
        if stage != "waiting":
            hours = (2, 40) if self.rng.random() < 0.8 else (self.chase_days * 24 + 1, self.chase_days * 24 + 20)
            acknowledged = self._later(referral.sent_at, limit, hours)
            referral.acknowledged_at = acknowledged or referral.sent_at + (limit - referral.sent_at) / 3
            if stage == "outcome":
                outcome_at = self._later(referral.acknowledged_at, limit, (24, 24 * 12))
                if outcome_at is None and resolved:
                    outcome_at = referral.acknowledged_at + (limit - referral.acknowledged_at) / 2
                if outcome_at is not None:
                    referral.outcome, referral.outcome_at = self.rng.choice(outcomes), outcome_at
        self.built.referrals.append(referral)
        self._chases(referral, until=referral.acknowledged_at or referral.outcome_at or self.now)

    def _chases(self, referral: Referral, *, until: dt.datetime) -> None:
        """One chase for every step that fell due before the agency answered, as the worker would have sent."""
        index = len(self.built.referrals) - 1
        for step in range(1, chase_step_due(referral.sent_at, until, self.chase_days, self.calendar) + 1):
            due = chase_due_at(referral.sent_at, step, self.chase_days, self.calendar)
            self.built.chases.append((index, ReferralChase(step=step, due_at=due, sent_at=due, created_at=due)))

    # Support -------------------------------------------------------------------------------------------------------

    def support(self, case: Case, parties: list[Party]) -> None:
        """Support offered to one or two people on the case, at some stage of their answer."""
        limit = self._limit(case)
        for party in self.rng.sample(parties, k=min(len(parties), self.rng.choice((1, 1, 2)))):
            kind = self._support_kind(party)
            offered = case.received_at + (limit - case.received_at) * self.rng.uniform(0.1, 0.6)
            offer = SupportOffer(
                case=case,
                party=party,
                kind=kind,
                agency=self._support_agency(kind),
                offered_at=offered,
                created_by=case.assigned_officer,
                created_at=offered,
            )
            answer = self.rng.choices(("accepted", "declined", "waiting"), (45, 35, 20))[0]
            if answer != "waiting":
                offer.decided_at = offered + (limit - offered) * self.rng.uniform(0.05, 0.3)
            if answer == "accepted":
                assert offer.decided_at is not None
                offer.status = SupportStatus.ACCEPTED
                if self.rng.random() < 0.4:
                    offer.outcome = self.rng.choice(SUPPORT_OUTCOMES)
                    offer.outcome_at = offer.decided_at + (limit - offer.decided_at) * 0.5
            elif answer == "declined":
                assert offer.decided_at is not None
                offer.status = SupportStatus.DECLINED
                offer.declined_reason = self.rng.choice(DECLINED_REASONS)
                # 28 days after the answer, as the service suggests: many of those dates have come by now.
                offer.offer_again_on = offer.decided_at.astimezone(LONDON).date() + dt.timedelta(days=28)
            self.built.offers.append(offer)

    def _support_kind(self, party: Party) -> str:
        if party.role == PartyRole.ALLEGED_PERPETRATOR:
            return self.rng.choice(
                (SupportKind.TENANCY_SUSTAINMENT, SupportKind.DRUG_ALCOHOL, SupportKind.MENTAL_HEALTH)
            )
        if party.role in (PartyRole.VICTIM, PartyRole.REPORTER):
            return self.rng.choice((SupportKind.VICTIM_SUPPORT, SupportKind.VICTIM_SUPPORT, SupportKind.MEDIATION))
        return SupportKind.VICTIM_SUPPORT

    def _support_agency(self, kind: str) -> Agency | None:
        return {
            SupportKind.VICTIM_SUPPORT: self.agencies["VICTIM-SUPPORT"],
            SupportKind.MEDIATION: self.agencies["MEDIATION"],
        }.get(SupportKind(kind))


def _may_refer(case: Case, agency: Agency) -> bool:
    """The service's rule: a DA or restricted case goes only to an agency entitled to DA information."""
    return agency.active and (
        agency.handles_da or not da_agency_needed(case_type=case.case_type, sensitivity=case.sensitivity)
    )


def _police_for(case: Case, agencies: dict[str, Agency]) -> Agency:
    """The neighbourhood team, or the public protection unit when the case is restricted or DA."""
    needs_da = da_agency_needed(case_type=case.case_type, sensitivity=case.sensitivity)
    return agencies["POLICE-PPU" if needs_da else "POLICE-NPT"]


def seed_referrals(ctx: SeedContext) -> None:
    """Police referrals, other referrals and support offers on the demo cases (see the module docstring)."""
    agencies = _agencies()
    maker = _Maker(ctx, agencies, calendar_current())
    cases = list(
        Case.objects.filter(status__in=[*WORKING, Status.CLOSED], assigned_officer__isnull=False)
        .select_related("assigned_officer")
        .order_by("received_at", "pk")
    )
    parties: dict[int, list[Party]] = {}
    for party in Party.objects.filter(case__in=[c for c in cases if c.status != Status.CLOSED], anonymous=False):
        parties.setdefault(party.case_id, []).append(party)
    for case in cases:
        criminal = case.case_type == CaseType.HATE or (case.case_type == CaseType.ASB and case.criminal)
        if criminal and _may_refer(case, _police_for(case, agencies)):
            maker.police(case)
        elif (
            case.case_type == CaseType.ASB
            and case.sensitivity == Sensitivity.NORMAL
            and maker.rng.random() < OTHER_REFERRAL_SHARE
        ):
            maker.other(case)
        if case.status != Status.CLOSED and case.pk in parties and maker.rng.random() < SUPPORT_SHARE:
            maker.support(case, sorted(parties[case.pk], key=lambda party: party.pk))
    built = maker.built
    Referral.objects.bulk_create(built.referrals, batch_size=1000)
    for index, chase in built.chases:
        chase.referral = built.referrals[index]
    ReferralChase.objects.bulk_create([chase for _index, chase in built.chases], batch_size=1000)
    Disclosure.objects.bulk_create(
        [
            Disclosure(
                case=referral.case,
                agency=referral.agency,
                source=DisclosureSource.REFERRAL,
                what=referral.information_shared,
                reason=referral.reason,
                lawful_basis=referral.lawful_basis,
                referral=referral,
                disclosed_at=referral.sent_at,
                disclosed_by=referral.created_by,
            )
            for referral in built.referrals
        ],
        batch_size=1000,
    )
    SupportOffer.objects.bulk_create(built.offers, batch_size=1000)
    counts: dict[str, Any] = {
        "referrals": len(built.referrals),
        "police_referrals": sum(1 for r in built.referrals if r.kind == ReferralKind.POLICE),
        "referrals_outstanding": sum(1 for r in built.referrals if r.outstanding),
        "referral_chases": len(built.chases),
        "support_offers": len(built.offers),
        "support_due_again": sum(
            1 for o in built.offers if o.offer_again_on is not None and o.offer_again_on <= ctx.today
        ),
    }
    ctx.counts.update(counts)
    audit(
        actor=None,
        verb=AuditVerb.REFERRALS_SEEDED,
        object_type="referrals.referral",
        object_label=f"Demo referrals and support offers, seed {ctx.seed}",
        after={**counts, "seed": ctx.seed},
    )


def register_seed_step() -> None:
    """Make `seed_referrals` a step of the demo seed, after risk (60) and before the reports (70)."""
    seed_step_register("referrals", seed_referrals, order=65)
