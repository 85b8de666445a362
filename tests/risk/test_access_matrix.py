"""Who may open each risk page and endpoint (DESIGN.md §1, §6): every role x sensitivity (normal, restricted, DA) x
relation to the case, from the shared case access matrix (tests/cases/matrix.py). A case the user cannot see is 404,
never 403; a visible case without the permission is 403; DA cases never leak to officers."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.accounts.services import token_create
from saferhomes.cases.models import Case, Sensitivity, Status
from saferhomes.risk.models import Assessment, MaracDecision
from saferhomes.risk.selectors.assessments import instrument_definition
from tests.access.surfaces import CaseSurface, RoleSurface
from tests.api.conftest import bearer
from tests.cases.matrix import ROLES, case_for, page_matrix
from tests.conftest import client_verified_as
from tests.risk.assessment_helpers import CHECKLIST, MATRIX, checklist_answers, matrix_answers, published

pytestmark = pytest.mark.django_db

ASSESS = "risk.assess_risk"
DECLINE = "risk.decide_marac_not_referred"


def _instrument_key(case: Case) -> str:
    return CHECKLIST if case.sensitivity == Sensitivity.DA else MATRIX


def _answers(case: Case) -> dict[str, str]:
    return checklist_answers(yes=14) if case.sensitivity == Sensitivity.DA else matrix_answers()


def _assessed(case: Case) -> Assessment:
    """An assessment with a required MARAC decision, written directly (the services are not under test here)."""
    instrument = published(_instrument_key(case))
    band = instrument_definition(instrument).bands[-1].key
    assert case.assigned_officer is not None
    assessment = Assessment.objects.create(
        case=case,
        instrument=instrument,
        answers=_answers(case),
        score=14,
        computed_band=band,
        band=band,
        reasons=["Set up"],
        assessed_by=case.assigned_officer,
        assessed_at=timezone.now(),
    )
    MaracDecision.objects.create(case=case, assessment=assessment, required=True, grounds=["visible_high_risk"])
    return assessment


def _form(case: Case) -> dict[str, str]:
    data = {f"q_{qid}": value for qid, value in _answers(case).items()}
    if case.sensitivity == Sensitivity.DA:
        data["consent"] = "not_asked"
    return data


RISK = "Risk"
R = "/staff/cases/{ref}/risk/"  # {key}: the instrument; {pk}: the assessment
# (the page, its form data)
PAGES: list[tuple[CaseSurface, Callable[[Case], dict[str, str]] | None]] = [
    (CaseSurface(RISK, "Risk tab", "GET", R, None), None),
    (CaseSurface(RISK, "Assessment result", "GET", R + "{pk}/", None), None),
    (CaseSurface(RISK, "Start an assessment", "GET", R + "new/{key}/", ASSESS), None),
    (CaseSurface(RISK, "Assess (post)", "POST", R + "new/{key}/", ASSESS, ok=302), _form),
    (CaseSurface(RISK, "Assessment step", "GET", R + "new/{key}/step/1/", ASSESS), None),
    (CaseSurface(RISK, "Check answers", "GET", R + "new/{key}/check/", ASSESS), None),
    (CaseSurface(RISK, "Override the band", "GET", R + "{pk}/override/", ASSESS), None),
    (
        CaseSurface(RISK, "Override the band (post)", "POST", R + "{pk}/override/", ASSESS, ok=302),
        lambda case: {"band": "_lowest", "reason": "Matrix"},
    ),
    (CaseSurface(RISK, "MARAC referral made", "GET", R + "{pk}/marac/made/", ASSESS), None),
    (CaseSurface(RISK, "MARAC not referred", "GET", R + "{pk}/marac/not-referred/", DECLINE), None),
    (
        CaseSurface(RISK, "MARAC not referred (post)", "POST", R + "{pk}/marac/not-referred/", DECLINE, ok=302),
        lambda case: {"reason": "Matrix"},
    ),
]
API_READ = CaseSurface(RISK, "Assessments (API)", "GET", "/api/v1/cases/{ref}/risk-assessments", None)
API_ASSESS = CaseSurface(RISK, "Assess (API)", "POST", "/api/v1/cases/{ref}/risk-assessments", ASSESS, ok=201)
REASSESSMENTS = RoleSurface(RISK, "Reassessments due", "GET", "/staff/risk/reassessments/", ASSESS)


@pytest.mark.parametrize(("surface", "data"), PAGES, ids=[page.name for page, _ in PAGES])
@pytest.mark.parametrize(("role", "sensitivity", "relation"), page_matrix(PAGES[0][0].relations))
def test_risk_page_access(
    surface: CaseSurface,
    data: Callable[[Case], dict[str, str]] | None,
    role: str,
    sensitivity: str,
    relation: str,
    make_staff: Callable[..., User],
) -> None:
    user = make_staff(role)
    case = case_for(user, sensitivity=sensitivity, relation=relation, status=Status.OPEN)
    assessment = _assessed(case)
    url = surface.url(ref=case.reference, key=_instrument_key(case), pk=assessment.pk)
    client = client_verified_as(user)
    if surface.method == "GET":
        response = client.get(url)
    else:
        body = data(case) if data else {}
        if body.get("band") == "_lowest":
            body["band"] = instrument_definition(assessment.instrument).bands[0].key
        response = client.post(url, body)
    want = surface.expected(role, sensitivity, relation)
    assert response.status_code == want, response.content[:500]


@pytest.mark.parametrize("surface", [API_READ, API_ASSESS], ids=["get", "post"])
@pytest.mark.parametrize(("role", "sensitivity", "relation"), page_matrix(API_READ.relations))
def test_risk_api_access(
    surface: CaseSurface, role: str, sensitivity: str, relation: str, make_staff: Callable[..., User]
) -> None:
    user = make_staff(role)
    case = case_for(user, sensitivity=sensitivity, relation=relation, status=Status.OPEN)
    _token, raw = token_create(actor=None, user=user, name="tests")
    url = surface.url(ref=case.reference)
    if surface.method == "GET":
        response = Client().get(url, headers=bearer(raw))
    else:
        body: dict[str, Any] = {"instrument": _instrument_key(case), "answers": _answers(case)}
        response = Client().post(url, body, content_type="application/json", headers=bearer(raw))
    want = surface.expected(role, sensitivity, relation)
    assert response.status_code == want, response.content[:500]


@pytest.mark.parametrize("role", ROLES)
def test_reassessments_list_needs_the_assess_permission(role: str, make_staff: Callable[..., User]) -> None:
    response = client_verified_as(make_staff(role)).get(REASSESSMENTS.url())
    assert response.status_code == REASSESSMENTS.expected(role)


def test_officer_dashboard_never_counts_da_cases(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER)
    case = case_for(officer, sensitivity=Sensitivity.DA, relation="same_team", status=Status.OPEN)
    _assessed(case)
    Assessment.objects.filter(case=case).update(reassess_by=timezone.localdate() - dt.timedelta(days=1))
    heading = re.compile(r"Reassessments due \((\d+)\)")
    officer_page = client_verified_as(officer).get("/staff/cases/").content.decode()
    assert heading.findall(officer_page) == ["0"]
    manager = make_staff(Role.MANAGER)
    assert heading.findall(client_verified_as(manager).get("/staff/cases/").content.decode()) == ["1"]
