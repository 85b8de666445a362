"""Shared pieces for the partner-access tests: a council ASB team and an IDVA service, their partner users, and a case
with something in every part (incidents with a place and people, a risk assessment, an evidence file) so a test can
see exactly which parts a partner is shown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Case, CaseType, EvidenceFile, Incident, IncidentSource, Party, PartyRole
from saferhomes.cases.services.evidence import evidence_upload
from saferhomes.referrals.models import Agency, AgencyKind, CaseShare, SharePart
from saferhomes.risk.models import Assessment
from saferhomes.risk.services.assessments import assessment_record
from tests.cases.factories import PartyFactory
from tests.factories import TeamFactory, UserFactory
from tests.referrals.factories import AgencyFactory, CaseShareFactory, partner_user
from tests.risk.assessment_helpers import (
    CHECKLIST,
    MATRIX,
    MATRIX_HIGH,
    checklist_answers,
    matrix_answers,
    published,
    working_case,
)

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
ALL_PARTS = [SharePart.SUMMARY, SharePart.INCIDENTS, SharePart.RISK, SharePart.DOCUMENTS]
VICTIM_NAME = ("Zelda", "Quartermaine")
PERPETRATOR_NAME = ("Xavier", "Pemberton-Hollis")
INCIDENT_PLACE = "Behind the garages on Larkspur Walk"


def council_agency() -> Agency:
    agency: Agency = AgencyFactory.create(code="council-asb", name="Example Council ASB Team")
    return agency


def idva_agency() -> Agency:
    agency: Agency = AgencyFactory.create(
        code="idva", name="Example IDVA Service", kind=AgencyKind.IDVA, handles_da=True
    )
    return agency


def police_ppu_agency() -> Agency:
    agency: Agency = AgencyFactory.create(
        code="police-ppu", name="Example Police Public Protection Unit", kind=AgencyKind.POLICE, handles_da=True
    )
    return agency


def partner_of(agency: Agency, username: str) -> User:
    """A partner user of `agency` (role partner, no team)."""
    return partner_user(agency, username=username)


def assessing_officer(case_type: str = CaseType.ASB) -> User:
    """The officer a full case is assigned to: a DA specialist for DA cases."""
    role = Role.DA_SPECIALIST if case_type == CaseType.DA else Role.OFFICER
    team = TeamFactory.create(name="Partner tests team")
    user: User = UserFactory.create(username=f"case_officer_{role}", role=role, team=team)
    return user


def full_case(officer: User | None = None, **fields: Any) -> Case:
    """An open case with parties (named), an incident (with a place, people and a witness), a high ASB risk
    assessment and one evidence file (needs the evidence_dir fixture)."""
    officer = officer or assessing_officer(fields.get("case_type", CaseType.ASB))
    fields.setdefault("summary", "Drug dealing from the flat")
    fields.setdefault("description", "Visitors at all hours; needles in the stairwell.")
    case = working_case(assigned_officer=officer, team=officer.team, **fields)
    victim: Party = PartyFactory.create(
        case=case, role=PartyRole.VICTIM, first_name=VICTIM_NAME[0], last_name=VICTIM_NAME[1], phone="07700 900123"
    )
    perpetrator: Party = PartyFactory.create(
        case=case, role=PartyRole.ALLEGED_PERPETRATOR, first_name=PERPETRATOR_NAME[0], last_name=PERPETRATOR_NAME[1]
    )
    incident = Incident.objects.create(
        case=case,
        occurred_at=timezone.now() - dt.timedelta(hours=20),
        description="Shouting and a door kicked in",
        location_text=INCIDENT_PLACE,
        source=IncidentSource.REPORT,
        created_by=officer,
    )
    incident.parties_involved.set([perpetrator])
    incident.witnesses.set([victim])
    if case.case_type == CaseType.DA:
        assessment_record(
            actor=officer, case=case, instrument=published(CHECKLIST), answers=checklist_answers(yes=15), subject=victim
        )
    else:
        assessment_record(actor=officer, case=case, instrument=published(MATRIX), answers=matrix_answers(**MATRIX_HIGH))
    evidence_upload(
        actor=officer,
        case=case,
        file=SimpleUploadedFile("door.png", PNG, content_type="image/png"),
        description="The kicked-in door",
    )
    return case


def share_of(case: Case, agency: Agency, parts: Sequence[str] | None = None, **fields: Any) -> CaseShare:
    """A share made directly (the factory: no service rules), active for 30 days unless told otherwise."""
    share: CaseShare = CaseShareFactory.create(
        case=case, agency=agency, parts=list(parts or [SharePart.SUMMARY]), created_by=case.assigned_officer, **fields
    )
    return share


def evidence_of(case: Case) -> EvidenceFile:
    evidence: EvidenceFile = EvidenceFile.objects.filter(case=case).order_by("id").first()  # type: ignore[assignment]
    return evidence


def latest_assessment_of(case: Case) -> Assessment:
    assessment: Assessment = Assessment.objects.filter(case=case).order_by("-assessed_at").first()  # type: ignore[assignment]
    return assessment
