"""The case record over the API follows the case access matrix (issue 21 part 1): for every role, sensitivity and
relation, every record endpoint answers what its row in SURFACES says (tests/cases/matrix.py, through
tests/access/surfaces.py, which also documents it) — a case the token holder may not see is a 404 on all of them
(never a 403 that would reveal it), a role without `cases.work_case` gets 403 on every write — and reads of
restricted and DA cases are audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.accounts.services import token_create
from saferhomes.cases.models import ActionItem, Case, ContactPlan, EvidenceFile, Party, PartyRole, Sensitivity, Status
from saferhomes.core.models import AuditEvent
from tests.access.surfaces import CaseSurface
from tests.api.conftest import assert_problem, bearer
from tests.cases.factories import PartyFactory
from tests.cases.matrix import case_for
from tests.cases.record_helpers import SAMPLES, evidence_dir_fixture, upload  # noqa: F401

pytestmark = pytest.mark.django_db

VIEW, WORK = "cases.view_case", "cases.work_case"


def _record(case: Case) -> dict[str, Any]:
    """A reporter, an open action, a done action and a file on the case, made directly (not through any actor)."""
    reporter: Party = PartyFactory.create(case=case, role=PartyRole.REPORTER, first_name="Ruth", last_name="Example")
    action = ActionItem.objects.create(case=case, description="Visit the neighbour", owner=case.assigned_officer)
    done = ActionItem.objects.create(
        case=case, description="Write to them", owner=case.assigned_officer, done_at=timezone.now(), done_note="Sent"
    )
    name, content = SAMPLES["text/plain"]
    evidence = EvidenceFile(
        case=case, original_name=name, content_type="text/plain", size=len(content), sha256="0" * 64
    )
    evidence.file.save("evidence.txt", ContentFile(content), save=True)
    return {"reporter": reporter, "action": action, "done": done, "evidence": evidence}


API = "Case record API"
RECORD = "/api/v1/cases/{ref}"
# The record endpoints in the order the test calls them (a later call may depend on an earlier one's refusal).
SURFACES = [
    CaseSurface(API, "List incidents", "GET", f"{RECORD}/incidents", VIEW),
    CaseSurface(API, "Record an incident", "POST", f"{RECORD}/incidents", WORK, ok=201),
    CaseSurface(API, "List notes", "GET", f"{RECORD}/notes", VIEW),
    CaseSurface(API, "Add a note", "POST", f"{RECORD}/notes", WORK, ok=201),
    CaseSurface(API, "List actions", "GET", f"{RECORD}/actions", VIEW),
    CaseSurface(API, "Add an action", "POST", f"{RECORD}/actions", WORK, ok=201),
    CaseSurface(API, "Complete an action", "POST", f"{RECORD}/actions/{{action}}/complete", WORK),
    CaseSurface(API, "Reopen an action", "POST", f"{RECORD}/actions/{{done}}/reopen", WORK),
    CaseSurface(API, "Agree a contact plan", "POST", f"{RECORD}/contact-plan", WORK, ok=201),
    CaseSurface(API, "Read the contact plan", "GET", f"{RECORD}/contact-plan", VIEW),
    CaseSurface(API, "Change the contact plan", "PUT", f"{RECORD}/contact-plan", WORK),
    CaseSurface(API, "List evidence", "GET", f"{RECORD}/evidence", VIEW),
    CaseSurface(API, "Upload evidence", "POST", f"{RECORD}/evidence", WORK, ok=201),
    CaseSurface(API, "Download evidence", "GET", f"{RECORD}/evidence/{{evidence}}/file", VIEW),
]


def _bodies(made: dict[str, Any]) -> dict[str, Any]:
    """Each surface's body, by name (None for reads; "upload" for the multipart upload)."""
    an_hour_ago = (timezone.now() - dt.timedelta(hours=1)).isoformat()
    plan = {"party_id": made["reporter"].pk, "frequency_days": 7, "method": "visit"}
    return {
        "Record an incident": {"occurred_at": an_hour_ago, "description": "Shouting", "location_text": "Stairs"},
        "Add a note": {"text": "Spoke to the caretaker"},
        "Add an action": {"description": "Check the CCTV"},
        "Complete an action": {"note": "Done"},
        "Reopen an action": {"reason": "Not finished"},
        "Agree a contact plan": plan,
        "Change the contact plan": {**plan, "frequency_days": 14},
        "Upload evidence": "upload",
    }


def _send(client: Client, headers: dict[str, str], method: str, url: str, body: Any) -> Any:
    if body == "upload":
        name, content = SAMPLES["image/jpeg"]
        return client.post(url, {"file": upload(name, content), "description": "Door"}, headers=headers)
    if method == "get":
        return client.get(url, headers=headers)
    return getattr(client, method)(url, body, content_type="application/json", headers=headers)


@pytest.mark.parametrize(("role", "sensitivity", "relation"), SURFACES[0].params())
def test_every_record_endpoint_follows_the_case_access_matrix(
    role: str, sensitivity: str, relation: str, make_staff: Callable[..., User], evidence_dir: Path
) -> None:
    user = make_staff(role)
    case = case_for(user, sensitivity=sensitivity, relation=relation, status=Status.OPEN)
    Case.objects.filter(pk=case.pk).update(received_at=timezone.now() - dt.timedelta(days=2))
    made = _record(case)
    _token, raw = token_create(actor=None, user=user, name="tests")
    client, headers = Client(), bearer(raw)
    bodies = _bodies(made)
    ids = {"ref": case.reference, "action": made["action"].pk, "done": made["done"].pk, "evidence": made["evidence"].pk}
    for surface in SURFACES:
        if surface.name == "Read the contact plan" and not ContactPlan.objects.filter(case=case).exists():
            ContactPlan.objects.create(  # the agree call was refused: a plan for the reads and the change
                case=case, party=made["reporter"], frequency_days=7, method="visit", agreed_at=timezone.now(),
                next_due_at=timezone.now() + dt.timedelta(days=7),
            )  # fmt: skip
        response = _send(client, headers, surface.method.lower(), surface.url(**ids), bodies.get(surface.name))
        want = surface.expected(role, sensitivity, relation)
        if want == surface.ok:
            assert response.status_code == surface.ok, (surface.name, response.content)
        else:
            body_out = assert_problem(response, want)
            assert case.reference not in str(body_out), surface.name


def test_record_reads_of_a_da_case_are_audited_and_each_download_too(
    make_staff: Callable[..., User], evidence_dir: Path
) -> None:
    specialist = make_staff(Role.DA_SPECIALIST)
    case = case_for(specialist, sensitivity=Sensitivity.DA, relation="assigned", status=Status.OPEN)
    made = _record(case)
    _token, raw = token_create(actor=None, user=specialist, name="tests")
    client = Client()
    for suffix in ("/incidents", "/notes", "/actions", "/evidence"):
        assert client.get(f"/api/v1/cases/{case.reference}{suffix}", headers=bearer(raw)).status_code == 200
    assert AuditEvent.objects.filter(verb="case.viewed", actor=specialist, object_id=str(case.pk)).count() == 4
    response = client.get(f"/api/v1/cases/{case.reference}/evidence/{made['evidence'].pk}/file", headers=bearer(raw))
    assert response.status_code == 200
    assert AuditEvent.objects.filter(
        verb="evidencefile.viewed", actor=specialist, object_id=str(made["evidence"].pk)
    ).exists()


def test_a_normal_case_record_read_is_not_audited_but_its_download_is(
    make_staff: Callable[..., User], evidence_dir: Path
) -> None:
    officer = make_staff(Role.OFFICER)
    case = case_for(officer, sensitivity=Sensitivity.NORMAL, relation="assigned", status=Status.OPEN)
    made = _record(case)
    _token, raw = token_create(actor=None, user=officer, name="tests")
    client = Client()
    assert client.get(f"/api/v1/cases/{case.reference}/notes", headers=bearer(raw)).status_code == 200
    assert not AuditEvent.objects.filter(verb="case.viewed").exists()
    client.get(f"/api/v1/cases/{case.reference}/evidence/{made['evidence'].pk}/file", headers=bearer(raw))
    assert AuditEvent.objects.filter(verb="evidencefile.viewed", actor=officer).count() == 1
