"""A worked example for the MARAC referral form: a DA case whose DA checklist (15 'yes' answers, 1 police call-out)
requires a MARAC referral, with a victim from the housing register, her home and household, an alleged perpetrator,
and a MARAC coordinator in the agency directory. Synthetic people only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from saferhomes.accounts.models import User
from saferhomes.cases.models import Case, Party, PartyRole
from saferhomes.housing.models import Person, TenancyRelationship
from saferhomes.referrals.models import Agency, AgencyKind
from saferhomes.risk.models import Assessment, MaracConsent, MaracDecision, MaracGround
from saferhomes.risk.services.assessments import assessment_record
from tests.cases.factories import PartyFactory
from tests.housing.factories import PersonFactory, PropertyFactory, TenancyFactory, TenancyMemberFactory
from tests.referrals.factories import AgencyFactory
from tests.risk.assessment_helpers import CHECKLIST, checklist_answers, da_case, published

# time-machine moment for the worked example: 10 March 2026, 10:00 in London (GMT).
NOW = dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 3, 10)


@dataclass
class MaracExample:
    case: Case
    decision: MaracDecision
    victim: Party
    person: Person


def marac_agency(**fields: Any) -> Agency:
    """The MARAC coordinator, entitled to DA information."""
    fields.setdefault("name", "Exampleton MARAC coordinator")
    agency: Agency = AgencyFactory.create(
        code=fields.pop("code", "demo-marac"), kind=AgencyKind.MARAC, handles_da=True, **fields
    )
    return agency


def marac_example(specialist: User, *, consent: str = MaracConsent.REFUSED, **case_fields: Any) -> MaracExample:
    """The worked example's case (call under time-machine at NOW): see the module docstring."""
    home = PropertyFactory.create(address_line_1="12 Example Court", town="Exampleton", postcode="EX1 2AB")
    tenancy = TenancyFactory.create(property=home, start_date=dt.date(2015, 4, 1))
    person = PersonFactory.create(
        first_name="Amira",
        last_name="Example",
        date_of_birth=dt.date(1990, 5, 20),
        mobile="07700 900123",
        email="amira@example.org",
        safe_contact_notes="Only call her mobile between 10 and 12; he checks her email",
        contact_avoid=["email", "letter"],
        preferred_language="Arabic",
        needs_interpreter=True,
        vulnerabilities="Anxiety since the assault",
        vulnerability_categories=["mental_health"],
    )
    TenancyMemberFactory.create(tenancy=tenancy, person=person, relationship=TenancyRelationship.LEAD_TENANT)
    for first, born in (("Zara", dt.date(2014, 3, 11)), ("Sami", dt.date(2008, 3, 10)), ("Rami", dt.date(2008, 3, 11))):
        child = PersonFactory.create(first_name=first, last_name="Example", date_of_birth=born)
        TenancyMemberFactory.create(tenancy=tenancy, person=child, relationship=TenancyRelationship.HOUSEHOLD_MEMBER)
    case = da_case(assigned_officer=specialist, team=specialist.team, **case_fields)
    victim: Party = PartyFactory.create(
        case=case,
        role=PartyRole.VICTIM,
        person=person,
        first_name="",
        last_name="",
        contact_methods=["phone"],
        contact_avoid=["visit"],
        safe_times="10am to 12 noon on weekdays",
    )
    PartyFactory.create(
        case=case,
        role=PartyRole.ALLEGED_PERPETRATOR,
        first_name="Mark",
        last_name="Example",
        date_of_birth=dt.date(1985, 2, 1),
        address="4 Other Road, Exampleton, EX2 9ZZ",
    )
    PartyFactory.create(
        case=case,
        role=PartyRole.HOUSEHOLD_MEMBER,
        first_name="Leo",
        last_name="Example",
        date_of_birth=dt.date(2020, 1, 1),
    )
    PartyFactory.create(case=case, role=PartyRole.HOUSEHOLD_MEMBER, first_name="Nadia", last_name="Example")
    assessment = assessment_record(
        actor=specialist,
        case=case,
        instrument=published(CHECKLIST),
        answers=checklist_answers(yes=15, callouts=1),
        subject=victim,
        consent=consent,
    )
    return MaracExample(case=case, decision=assessment.marac_decision, victim=victim, person=person)


def decision_on(case: Case, *, assessed_by: User) -> MaracDecision:
    """A required MARAC decision on any case, written directly (for access tests, where no service could)."""
    assessment = Assessment.objects.create(
        case=case,
        instrument=published(CHECKLIST),
        answers=checklist_answers(yes=15),
        score=15,
        yes_count=15,
        computed_band="high",
        band="high",
        assessed_by=assessed_by,
    )
    decision: MaracDecision = MaracDecision.objects.create(
        case=case, assessment=assessment, required=True, grounds=[MaracGround.VISIBLE_HIGH_RISK]
    )
    return decision
