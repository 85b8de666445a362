"""The partner access matrix (issue 15, "Bad input and security"), in the style of tests/cases/matrix.py: partner
users of two agencies x how the case stands to their agency x sensitivity, and what each surface must answer.

Two viewers: a partner of a council ASB team (not entitled to DA information) and one of an IDVA service (entitled).
How the case stands to the viewer's agency (STATES):
- shared: actively shared with it (every part). A DA or restricted case can only be shared with an agency entitled
  to DA information; for the council viewer such a share is written directly, as if the agency lost its flag or the
  case became DA after sharing, to prove the selectors refuse it too;
- unshared: shared with nobody;
- elsewhere: actively shared with another agency (entitled to DA information), not with the viewer's;
- ended: shared with the viewer's agency until yesterday;
- withdrawn: shared with it until next month, but withdrawn.

    @pytest.mark.parametrize(("viewer", "state", "sensitivity"), partner_matrix())
    def test_partner_case_page(viewer, state, sensitivity):
        world = partner_world(viewer=viewer, state=state, sensitivity=sensitivity)
        response = client_verified_as(world.partner).get(f"/staff/partner/cases/{world.case.reference}/")
        assert response.status_code == (200 if partner_sees(viewer, state, sensitivity) else 404)
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.cases.models import Case, CaseType, EvidenceFile, Sensitivity
from saferhomes.referrals.models import Agency
from tests.cases.factories import CaseFactory
from tests.referrals.partner_helpers import (
    ALL_PARTS,
    PNG,
    council_agency,
    idva_agency,
    partner_of,
    police_ppu_agency,
    share_of,
)

VIEWERS = ["council", "idva"]
STATES = ["shared", "unshared", "elsewhere", "ended", "withdrawn"]
SENSITIVITIES = [str(s) for s in Sensitivity]
ENTITLED_TO_DA = {"council": False, "idva": True}


def partner_sees(viewer: str, state: str, sensitivity: str) -> bool:
    """Whether the viewer's partner may read the case: actively shared with their agency, and their agency entitled
    to DA information when the case is DA or restricted."""
    return state == "shared" and (sensitivity == Sensitivity.NORMAL or ENTITLED_TO_DA[viewer])


def partner_matrix() -> list[Any]:
    """Every viewer x state x sensitivity, as pytest params with readable ids."""
    return [
        pytest.param(viewer, state, sensitivity, id=f"{viewer}-{state}-{sensitivity}")
        for viewer, state, sensitivity in itertools.product(VIEWERS, STATES, SENSITIVITIES)
    ]


@dataclass(frozen=True)
class PartnerWorld:
    """A partner, their agency, the case as it stands to that agency, and an evidence file on it."""

    partner: User
    agency: Agency
    case: Case
    document: EvidenceFile


def _agencies(viewer: str) -> tuple[Agency, Agency]:
    """The viewer's agency and another agency entitled to DA information."""
    if viewer == "council":
        return council_agency(), idva_agency()
    return idva_agency(), police_ppu_agency()


def partner_world(*, viewer: str, state: str, sensitivity: str) -> PartnerWorld:
    """Build the case standing in `state` to a partner of the `viewer` agency (needs the evidence_dir fixture)."""
    mine, other = _agencies(viewer)
    partner = partner_of(mine, f"partner_{viewer}")
    case_type = CaseType.DA if sensitivity == Sensitivity.DA else CaseType.ASB
    case: Case = CaseFactory.create(case_type=case_type, sensitivity=sensitivity, summary="Matrix case summary")
    document = EvidenceFile(
        case=case, original_name="matrix.png", content_type="image/png", size=len(PNG), sha256="0" * 64
    )
    document.file.save("evidence.png", ContentFile(PNG), save=False)
    document.save()
    today = timezone.localdate()
    if state == "shared":
        share_of(case, mine, ALL_PARTS)
    elif state == "elsewhere":
        share_of(case, other, ALL_PARTS)
    elif state == "ended":
        share_of(case, mine, ALL_PARTS, ends_on=today - dt.timedelta(days=1))
    elif state == "withdrawn":
        share_of(
            case,
            mine,
            ALL_PARTS,
            ends_on=today + dt.timedelta(days=30),
            withdrawn_at=timezone.now() - dt.timedelta(minutes=5),
            withdrawn_reason="No longer needed",
        )
    return PartnerWorld(partner=partner, agency=mine, case=case, document=document)
