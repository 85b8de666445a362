"""The case record over the API follows the case access matrix (issue 21 part 1): for every role, sensitivity and
relation, every record endpoint answers what `tests.cases.matrix.expected_status` says — a case the token holder may
not see is a 404 on all of them (never a 403 that would reveal it), a role without `cases.work_case` gets 403 on
every write — and reads of restricted and DA cases are audited."""

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
from tests.api.conftest import assert_problem, bearer
from tests.cases.factories import PartyFactory
from tests.cases.matrix import case_for, expected_status, page_matrix
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


def _calls(case: Case, made: dict[str, Any]) -> list[tuple[str, str, Any, str, int]]:
    """(method, path after the case's address, body, permission, status on success), in the order they run."""
    an_hour_ago = (timezone.now() - dt.timedelta(hours=1)).isoformat()
    plan = {"party_id": made["reporter"].pk, "frequency_days": 7, "method": "visit"}
    return [
        ("get", "/incidents", None, VIEW, 200),
        ("post", "/incidents", {"occurred_at": an_hour_ago, "description": "Shouting", "location_text": "Stairs"},
         WORK, 201),
        ("get", "/notes", None, VIEW, 200),
        ("post", "/notes", {"text": "Spoke to the caretaker"}, WORK, 201),
        ("get", "/actions", None, VIEW, 200),
        ("post", "/actions", {"description": "Check the CCTV"}, WORK, 201),
        ("post", f"/actions/{made['action'].pk}/complete", {"note": "Done"}, WORK, 200),
        ("post", f"/actions/{made['done'].pk}/reopen", {"reason": "Not finished"}, WORK, 200),
        ("post", "/contact-plan", plan, WORK, 201),
        ("get", "/contact-plan", None, VIEW, 200),
        ("put", "/contact-plan", {**plan, "frequency_days": 14}, WORK, 200),
        ("get", "/evidence", None, VIEW, 200),
        ("post", "/evidence", "upload", WORK, 201),
        ("get", f"/evidence/{made['evidence'].pk}/file", None, VIEW, 200),
    ]  # fmt: skip


def _send(client: Client, headers: dict[str, str], method: str, url: str, body: Any) -> Any:
    if body == "upload":
        name, content = SAMPLES["image/jpeg"]
        return client.post(url, {"file": upload(name, content), "description": "Door"}, headers=headers)
    if method == "get":
        return client.get(url, headers=headers)
    return getattr(client, method)(url, body, content_type="application/json", headers=headers)


@pytest.mark.parametrize(("role", "sensitivity", "relation"), page_matrix())
def test_every_record_endpoint_follows_the_case_access_matrix(
    role: str, sensitivity: str, relation: str, make_staff: Callable[..., User], evidence_dir: Path
) -> None:
    user = make_staff(role)
    case = case_for(user, sensitivity=sensitivity, relation=relation, status=Status.OPEN)
    Case.objects.filter(pk=case.pk).update(received_at=timezone.now() - dt.timedelta(days=2))
    made = _record(case)
    _token, raw = token_create(actor=None, user=user, name="tests")
    client, headers = Client(), bearer(raw)
    for method, suffix, body, perm, ok in _calls(case, made):
        if suffix == "/contact-plan" and method == "get" and not ContactPlan.objects.filter(case=case).exists():
            ContactPlan.objects.create(  # the agree call was refused: a plan for the reads and the change
                case=case, party=made["reporter"], frequency_days=7, method="visit", agreed_at=timezone.now(),
                next_due_at=timezone.now() + dt.timedelta(days=7),
            )  # fmt: skip
        response = _send(client, headers, method, f"/api/v1/cases/{case.reference}{suffix}", body)
        want = expected_status(role, sensitivity, relation, perm=perm, ok=ok)
        if want == ok:
            assert response.status_code == ok, (method, suffix, response.content)
        else:
            body_out = assert_problem(response, want)
            assert case.reference not in str(body_out), (method, suffix)


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
