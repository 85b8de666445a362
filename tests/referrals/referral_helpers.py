"""Helpers for the referral and support tests: agencies of each kind, working cases, and a referral made through the
service with sensible answers that a test overrides one at a time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from saferhomes.accounts.models import User
from saferhomes.cases.models import Case
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.referrals.models import Agency, AgencyKind, Consent, LawfulBasis, Referral, ReferralKind
from saferhomes.referrals.services.referrals import referral_make
from tests.cases.factories import CaseFactory, force_status
from tests.referrals.factories import AgencyFactory


def police_agency(**fields: Any) -> Agency:
    """A police neighbourhood team (not entitled to DA information unless told)."""
    fields.setdefault("code", "example-police-npt")
    fields.setdefault("name", "Example Police Neighbourhood Team")
    agency: Agency = AgencyFactory.create(kind=AgencyKind.POLICE, **fields)
    return agency


def council_agency(**fields: Any) -> Agency:
    """A council ASB team."""
    fields.setdefault("code", "example-council-asb")
    fields.setdefault("name", "Example Council ASB Team")
    agency: Agency = AgencyFactory.create(kind=AgencyKind.COUNCIL, **fields)
    return agency


def working_case(officer: User, *, status: str = "open", **fields: Any) -> Case:
    """A criminal case assigned to `officer` in their team, walked to a working status (open by default)."""
    fields.setdefault("criminal", True)
    case = CaseFactory.create(assigned_officer=officer, team=officer.team, **fields)
    return force_status(case, status)


def prompt_shown(officer: User, case: Case, prompts: tuple[str, ...] = ("police_referral",)) -> None:
    """The audit event triage writes when it shows prompts (intake.services.triage), at the current time."""
    audit(actor=officer, verb=AuditVerb.CASE_PROMPTED, obj=case, after={"report": "RPT-X", "prompts": list(prompts)})


def referral_answers(agency: Agency | None, **overrides: Any) -> dict[str, Any]:
    """The answers of a police referral made with consent, which a test changes one at a time."""
    answers: dict[str, Any] = {
        "agency": agency,
        "kind": ReferralKind.POLICE,
        "reason": "Hate crime: threats and graffiti on the reporter's door",
        "information_shared": "Reporter's name and phone number; the incidents recorded since March",
        "lawful_basis": LawfulBasis.PUBLIC_TASK,
        "consent": Consent.GIVEN,
        "consent_note": "Agreed by phone",
        "crime_reference": "13/123456/26",
    }
    answers.update(overrides)
    return answers


def make_referral(
    actor: User, case: Case, agency: Agency | None, *, sent_at: dt.datetime | None = None, **overrides: Any
) -> Referral:
    """A referral made through the service."""
    return referral_make(actor=actor, case=case, sent_at=sent_at, **referral_answers(agency, **overrides))
