"""Issue 14 item 8: a domestic abuse case cannot close without the DA checklist ever done, unless a manager records
why (audited); registered as a closure check from risk, as the MARAC blocker is."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.extensions import CLOSURE_CHECKS
from saferhomes.cases.models import Case, Status
from saferhomes.cases.rules import FixAt
from saferhomes.cases.selectors.closure import case_closure_blockers
from saferhomes.core.errors import DomainError
from saferhomes.core.models import AuditEvent
from saferhomes.risk.extensions import da_checklist_closure_blockers
from saferhomes.risk.models import ChecklistWaiver
from saferhomes.risk.services.assessments import assessment_record
from saferhomes.risk.services.checklist import da_checklist_waive
from tests.cases.factories import force_status
from tests.conftest import client_verified_as
from tests.risk.assessment_helpers import (
    CHECKLIST,
    FACTORS,
    checklist_answers,
    da_case,
    published,
    working_case,
)

pytestmark = pytest.mark.django_db
CODE = "da_checklist_missing"


@pytest.fixture
def specialist(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.DA_SPECIALIST)


@pytest.fixture
def manager(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.MANAGER)


def _da(specialist: User) -> Case:
    return da_case(assigned_officer=specialist, team=specialist.team)


def _codes(case: Case) -> list[str]:
    return [blocker.code for blocker in case_closure_blockers(case=case)]


def _text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_da_checklist_check_is_registered_from_risk() -> None:
    assert da_checklist_closure_blockers in CLOSURE_CHECKS


def test_da_case_cannot_close_before_the_da_checklist(specialist: User) -> None:
    case = _da(specialist)
    blockers = [b for b in case_closure_blockers(case=case) if b.code == CODE]
    assert len(blockers) == 1
    assert blockers[0].fix_at == FixAt.RISK
    assert "manager records why not" in blockers[0].message

    assessment_record(actor=specialist, case=case, instrument=published(CHECKLIST), answers=checklist_answers(yes=2))
    assert CODE not in _codes(case)


def test_asb_case_never_needs_the_da_checklist(make_staff: Callable[..., User]) -> None:
    officer = make_staff(Role.OFFICER)
    case = working_case(assigned_officer=officer, team=officer.team)
    assert CODE not in _codes(case)


def test_another_instrument_does_not_count_as_the_da_checklist(specialist: User) -> None:
    case = _da(specialist)
    assessment_record(actor=specialist, case=case, instrument=published(FACTORS), answers={})
    assert CODE in _codes(case)


def test_only_a_manager_records_why_and_it_unblocks_closure(specialist: User, manager: User) -> None:
    case = _da(specialist)
    with pytest.raises(PermissionDenied):
        da_checklist_waive(actor=specialist, case=case, reason="Victim declined")
    with pytest.raises(DomainError) as caught:
        da_checklist_waive(actor=manager, case=case, reason="   ")
    assert "reason" in caught.value.field_errors

    waiver = da_checklist_waive(actor=manager, case=case, reason="Victim declined every attempt; IDVA engaged")

    assert waiver.recorded_by == manager
    assert CODE not in _codes(case)
    event = AuditEvent.objects.get(verb="risk.da_checklist_waived")
    assert event.reason == "Victim declined every attempt; IDVA engaged"
    assert event.object_id == str(case.pk)
    with pytest.raises(DomainError, match="already"):
        da_checklist_waive(actor=manager, case=case, reason="Again")


def test_waiver_refused_on_asb_and_closed_cases(manager: User, specialist: User) -> None:
    asb = working_case(assigned_officer=manager, team=manager.team)
    with pytest.raises(DomainError, match="Only a domestic abuse case"):
        da_checklist_waive(actor=manager, case=asb, reason="Not needed")
    closed = force_status(_da(specialist), Status.CLOSED)
    with pytest.raises(DomainError, match="closed"):
        da_checklist_waive(actor=manager, case=closed, reason="Too late")
    assert not ChecklistWaiver.objects.exists()


def test_risk_tab_warns_and_offers_the_manager_the_form(specialist: User, manager: User) -> None:
    case = _da(specialist)
    url = f"/staff/cases/{case.reference}/risk/checklist-not-done/"

    specialist_page = _text(client_verified_as(specialist).get(f"/staff/cases/{case.reference}/risk/"))
    assert "The DA checklist has not been done on this case" in specialist_page
    assert url not in specialist_page
    assert client_verified_as(specialist).get(url).status_code == 403

    client = client_verified_as(manager)
    assert url in _text(client.get(f"/staff/cases/{case.reference}/risk/"))
    assert "Enter why the DA checklist was not done" in _text(client.post(url, {"reason": ""}))
    response = client.post(url, {"reason": "Victim moved to a refuge; IDVA holds the risk"})
    assert response.status_code == 302
    assert ChecklistWaiver.objects.get(case=case).reason == "Victim moved to a refuge; IDVA holds the risk"
    assert "The DA checklist has not been done" not in _text(client.get(f"/staff/cases/{case.reference}/risk/"))
    assert client.get(url).status_code == 404


def test_closure_page_names_the_da_checklist_blocker(specialist: User) -> None:
    case = _da(specialist)
    page = _text(client_verified_as(specialist).get(f"/staff/cases/{case.reference}/closure/"))
    assert "needs the DA checklist before it closes" in page
