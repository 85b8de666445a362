"""What a MARAC coordinator needs, read from the case for the referral form (issue 15 item 3): the victim (name, date
of birth and age, address, safe contact including the ways never to use, language, vulnerabilities), the alleged
perpetrators, the children in the household, the risk result and its grounds, police call-outs, the consent
position, previous referrals and the repeat flag, and the referring officer.

Only for staff in the DA permission set (`cases.view_da_cases`), on a case they may see: callers have opened the
case through `cases.http.case_of` and check `may_see_marac` first. Ages and "under 18" are worked out on the day the
form is produced (`housing.rules.is_minor_on`), never stored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.cases.models import Case, Party, PartyRole
from saferhomes.cases.rules import case_workable
from saferhomes.cases.selectors.case import case_parties, party_views
from saferhomes.core.audit import audit_read
from saferhomes.housing.models import Person, Property, TenancyMember
from saferhomes.housing.rules import age_on, is_minor_on
from saferhomes.referrals.models import Agency, AgencyKind, MaracForm, Referral, ReferralKind, SharingAgreement
from saferhomes.risk.extensions import grounds_in_words
from saferhomes.risk.models import MaracConsent, MaracDecision, MaracGround
from saferhomes.risk.selectors.assessments import band_label

VIEW_DA = "cases.view_da_cases"
REFER_CASE = "referrals.refer_case"
ASSESS_RISK = "risk.assess_risk"
VICTIM_ROLES = (PartyRole.VICTIM, PartyRole.REPORTER)


def may_see_marac(actor: User) -> bool:
    """Whether the actor is in the DA permission set: nobody else learns that a MARAC form exists."""
    return bool(actor.has_perm(VIEW_DA))


def may_produce_marac(actor: User, case: Case) -> bool:
    """Whether the actor may produce the form on this case: DA set, refers cases, records MARAC; the case not closed."""
    return may_see_marac(actor) and actor.has_perm(REFER_CASE) and actor.has_perm(ASSESS_RISK) and case_workable(case)


def marac_agencies() -> QuerySet[Agency]:
    """MARAC coordinators entitled to DA information, in the directory and active."""
    return Agency.objects.filter(kind=AgencyKind.MARAC, handles_da=True, active=True).order_by("name", "pk")


def agreements_in_force(*, on: dt.date | None = None) -> QuerySet[SharingAgreement]:
    """Information-sharing agreements in force on a day (started, not ended), with their agencies."""
    on = on or timezone.localdate()
    return (
        SharingAgreement.objects.filter(starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .prefetch_related("agencies")
        .order_by("name", "pk")
    )


def required_decisions(*, case: Case) -> QuerySet[MaracDecision]:
    """The case's MARAC decisions that required a referral, newest first, with their assessment."""
    return (
        MaracDecision.objects.filter(case=case, required=True)
        .select_related("assessment__instrument", "assessment__assessed_by", "referral_recorded_by", "not_referred_by")
        .order_by("-decided_at", "-id")
    )


def marac_forms_for_case(*, case: Case) -> QuerySet[MaracForm]:
    """Every MARAC form produced on the case, newest first, with its referral's agency and who produced it."""
    return (
        MaracForm.objects.filter(referral__case=case)
        .select_related("referral__agency", "produced_by", "decision")
        .order_by("-produced_at", "-id")
    )


def marac_form_for_actor(*, actor: User, case: Case, pk: int, request: HttpRequest | None = None) -> MaracForm:
    """A MARAC form produced on this case, for staff in the DA permission set (Http404 for anyone else, never a
    hint); every opening is audited (`maracform.viewed`)."""
    form = marac_forms_for_case(case=case).filter(pk=pk).first() if may_see_marac(actor) else None
    if form is None:
        raise Http404("No such MARAC form.")
    audit_read(actor=actor, obj=form, request=request, reason=request.path[:200] if request is not None else "")
    return form


# The facts the form prints ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonFacts:
    """Someone on the form: who, born when, how old today, where they live."""

    name: str
    role: str
    date_of_birth: dt.date | None
    age: int | None
    address: list[str]


@dataclass(frozen=True)
class VictimFacts(PersonFacts):
    """The victim, with what the coordinator must know before any contact."""

    phone: str = ""
    email: str = ""
    safe_contact: str = ""
    safe_times: str = ""
    safe_ways: list[str] = field(default_factory=list)
    never_use: list[str] = field(default_factory=list)
    language: str = ""
    interpreter: bool = False
    format: str = ""
    vulnerabilities: str = ""
    vulnerability_categories: list[str] = field(default_factory=list)
    adjustments: str = ""

    @property
    def vulnerability_words(self) -> str:
        """The register's categories, then what staff wrote: 'Mental health. Anxiety since the assault'."""
        categories = ", ".join(self.vulnerability_categories)
        return ". ".join(part for part in (categories, self.vulnerabilities) if part)


@dataclass(frozen=True)
class ChildFacts:
    """A child in the household (under 18 today) and how we know of them."""

    name: str
    date_of_birth: dt.date
    age: int
    known_from: str


@dataclass(frozen=True)
class RiskFacts:
    """The assessment that required the referral."""

    instrument: str
    version: int
    assessed_on: dt.date
    assessed_by: str
    yes_count: int | None
    band: str
    grounds: list[str]
    grounds_words: str
    professional_judgement: str
    police_callouts: int | None


@dataclass(frozen=True)
class PreviousReferral:
    on: dt.date
    words: str


@dataclass(frozen=True)
class OfficerFacts:
    name: str
    job_title: str
    team: str
    email: str
    phone: str


@dataclass(frozen=True)
class MaracFacts:
    """Everything the MARAC referral form prints, read on `today`."""

    case: Case
    decision: MaracDecision
    today: dt.date
    victim: VictimFacts | None
    perpetrators: list[PersonFacts]
    children: list[ChildFacts]
    household_age_unknown: list[str]
    risk: RiskFacts
    consent: str
    consent_label: str
    repeat: bool
    previous_referral_on: dt.date | None
    previous_referrals: list[PreviousReferral]
    officer: OfficerFacts

    @property
    def suggested_reason(self) -> str:
        """The reason for referral the form starts with, from the assessment: the officer checks and edits it."""
        risk = self.risk
        answers = f" with {risk.yes_count} 'yes' answers" if risk.yes_count is not None else ""
        band = f" ({risk.band.lower()} risk)" if risk.band else ""
        reason = (
            f"The {risk.instrument} completed on {_day(risk.assessed_on)}{answers}{band} requires a MARAC "
            f"referral on the grounds of {risk.grounds_words or 'the assessment'}."
        )
        if risk.professional_judgement:
            reason += f" Professional judgement: {risk.professional_judgement}"
        if self.repeat and self.previous_referral_on:
            reason += f" This is a repeat referral: the last was on {_day(self.previous_referral_on)}."
        return reason


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _full_name(user: User | None) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _homes(person_ids: list[int], today: dt.date) -> dict[int, Property]:
    """Each person's home today: the property of their newest tenancy current today (one query)."""
    memberships = (
        TenancyMember.objects.filter(person_id__in=person_ids, tenancy__start_date__lte=today)
        .filter(Q(tenancy__end_date__isnull=True) | Q(tenancy__end_date__gte=today))
        .select_related("tenancy__property")
        .order_by("-tenancy__start_date", "tenancy__reference")
    )
    homes: dict[int, Property] = {}
    for membership in memberships:
        homes.setdefault(membership.person_id, membership.tenancy.property)
    return homes


def _address(party: Party, homes: dict[int, Property]) -> list[str]:
    if party.person_id is not None and party.person_id in homes:
        return homes[party.person_id].address_lines
    return [line.strip() for line in party.address.split(",") if line.strip()]


def _dob(party: Party) -> dt.date | None:
    return party.person.date_of_birth if party.person_id is not None and party.person else party.date_of_birth


def _person_facts(party: Party, homes: dict[int, Property], today: dt.date) -> PersonFacts:
    dob = _dob(party)
    return PersonFacts(
        name=party.display_name,
        role=party.get_role_display(),
        date_of_birth=dob,
        age=age_on(dob, today) if dob else None,
        address=_address(party, homes),
    )


def _victim_party(case: Case, decision: MaracDecision, parties: list[Party]) -> Party | None:
    """The person the assessment was about, else the first named victim, else the first named reporter."""
    subject_id = decision.assessment.subject_id
    named = [party for party in parties if not party.anonymous]
    for party in named:
        if party.pk == subject_id:
            return party
    for role in VICTIM_ROLES:
        for party in named:
            if party.role == role:
                return party
    return None


def _victim_facts(case: Case, party: Party, homes: dict[int, Property], today: dt.date) -> VictimFacts:
    (view,) = party_views(case=case, parties=[party])
    person: Person | None = party.person if party.person_id is not None else None
    base = _person_facts(party, homes, today)
    return VictimFacts(
        name=base.name,
        role=base.role,
        date_of_birth=base.date_of_birth,
        age=base.age,
        address=base.address,
        phone=(person.mobile or person.phone) if person else party.phone,
        email=person.email if person else party.email,
        safe_contact=view.safe_contact,
        safe_times=view.safe_times,
        safe_ways=view.contact_methods,
        never_use=view.contact_avoid,
        language=view.language,
        interpreter=bool(person and person.needs_interpreter),
        format=view.format,
        vulnerabilities=view.vulnerabilities,
        vulnerability_categories=person.vulnerability_category_labels if person else [],
        adjustments=view.adjustments,
    )


def _children(
    parties: list[Party], victim: Party | None, homes: dict[int, Property], today: dt.date
) -> tuple[list[ChildFacts], list[str]]:
    """Household members on the case under 18 today, and the under-18s of the victim's home in the housing register;
    household members whose date of birth is not recorded are named apart (nobody is assumed to be an adult)."""
    children: list[ChildFacts] = []
    unknown: list[str] = []
    seen: set[int] = set()
    if victim is not None and victim.person_id is not None:
        seen.add(victim.person_id)
    for party in parties:
        if party.role != PartyRole.HOUSEHOLD_MEMBER:
            continue
        dob = _dob(party)
        if dob is None:
            unknown.append(party.display_name)
        elif is_minor_on(dob, today):
            children.append(ChildFacts(party.display_name, dob, age_on(dob, today), "Household member on the case"))
        if party.person_id is not None:
            seen.add(party.person_id)
    home = homes.get(victim.person_id) if victim is not None and victim.person_id is not None else None
    if home is not None:
        members = (
            TenancyMember.objects.filter(tenancy__property=home, tenancy__start_date__lte=today)
            .filter(Q(tenancy__end_date__isnull=True) | Q(tenancy__end_date__gte=today))
            .select_related("person")
            .order_by("person__date_of_birth", "person_id")
        )
        for member in members:
            person = member.person
            if person.pk in seen or not person.is_minor_on(today):
                continue
            seen.add(person.pk)
            assert person.date_of_birth is not None  # a minor has a date of birth
            children.append(
                ChildFacts(
                    person.full_name,
                    person.date_of_birth,
                    age_on(person.date_of_birth, today),
                    "Lives at the victim's home (housing register)",
                )
            )
    return sorted(children, key=lambda child: (child.date_of_birth, child.name)), unknown


def _risk_facts(decision: MaracDecision) -> RiskFacts:
    assessment = decision.assessment
    return RiskFacts(
        instrument=assessment.instrument.name,
        version=assessment.instrument.version,
        assessed_on=timezone.localdate(assessment.assessed_at),
        assessed_by=_full_name(assessment.assessed_by),
        yes_count=assessment.yes_count,
        band=band_label(assessment.instrument, assessment.band),
        grounds=[str(MaracGround(g).label) for g in decision.grounds if g in MaracGround.values],
        grounds_words=grounds_in_words(decision.grounds),
        professional_judgement=decision.professional_judgement_reason,
        police_callouts=decision.police_callouts_12m,
    )


def _previous_referrals(case: Case, decision: MaracDecision) -> list[PreviousReferral]:
    """Earlier MARAC referrals: those recorded on this case's other decisions, the MARAC referrals sent from it, and
    the last one for the same person found when the assessment was made (possibly on another case)."""
    found: dict[dt.date, str] = {}
    made = (
        MaracDecision.objects.filter(case=case, referral_made_on__isnull=False)
        .exclude(pk=decision.pk)
        .values_list("referral_made_on", flat=True)
    )
    for day in made:
        if day is not None:
            found.setdefault(day, "MARAC referral recorded on this case")
    referrals = Referral.objects.filter(case=case, kind=ReferralKind.MARAC).select_related("agency")
    for referral in referrals:
        found[timezone.localdate(referral.sent_at)] = f"MARAC referral to {referral.agency.name}"
    if decision.previous_referral_on is not None:
        found.setdefault(decision.previous_referral_on, "The last MARAC referral for this person")
    return [PreviousReferral(day, words) for day, words in sorted(found.items(), reverse=True)]


def marac_facts(*, case: Case, decision: MaracDecision, actor: User, today: dt.date | None = None) -> MaracFacts:
    """What the MARAC referral form prints for this decision, read now (the referring officer is `actor`)."""
    today = today or timezone.localdate()
    parties = case_parties(case=case)
    victim = _victim_party(case, decision, parties)
    homes = _homes([party.person_id for party in parties if party.person_id is not None], today)
    children, unknown = _children(parties, victim, homes, today)
    team = getattr(actor, "team", None)
    return MaracFacts(
        case=case,
        decision=decision,
        today=today,
        victim=_victim_facts(case, victim, homes, today) if victim is not None else None,
        perpetrators=[
            _person_facts(party, homes, today) for party in parties if party.role == PartyRole.ALLEGED_PERPETRATOR
        ],
        children=children,
        household_age_unknown=unknown,
        risk=_risk_facts(decision),
        consent=decision.consent,
        consent_label=str(MaracConsent(decision.consent).label) if decision.consent in MaracConsent.values else "",
        repeat=decision.repeat,
        previous_referral_on=decision.previous_referral_on,
        previous_referrals=_previous_referrals(case, decision),
        officer=OfficerFacts(
            name=_full_name(actor),
            job_title=actor.job_title,
            team=team.name if team is not None else "",
            email=actor.email,
            phone=actor.phone,
        ),
    )
