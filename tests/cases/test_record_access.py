"""Who may open the record tabs and download evidence: every role, sensitivity and relation (tests/cases/matrix.py).

An invisible case is a 404 (never a hint that it exists); evidence is served only through the permission-checked
download view, as an attachment that browsers must not sniff, and every download is audited.
"""

from __future__ import annotations

from collections.abc import Callable
from hashlib import sha256
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Case, EvidenceFile, Note
from saferhomes.cases.services import evidence as evidence_services
from saferhomes.cases.services import record
from saferhomes.core.models import AuditEvent
from tests.access.surfaces import CaseSurface
from tests.cases.factories import PartyFactory
from tests.cases.matrix import RELATIONS, case_for, page_matrix
from tests.cases.record_helpers import (  # noqa: F401
    SAMPLES,
    ago,
    case_fixture,
    evidence_dir_fixture,
    officer_fixture,
    reporter_fixture,
    upload,
)
from tests.conftest import client_verified_as

pytestmark = pytest.mark.django_db

AREA = "Case record"
VIEW, WORK = "cases.view_case", "cases.work_case"
# The record's tabs and forms (docs/access-matrix.md is generated from these rows).
TABS = [
    CaseSurface(AREA, "Incidents tab", "GET", "/staff/cases/{ref}/incidents/", VIEW),
    CaseSurface(AREA, "Contacts tab", "GET", "/staff/cases/{ref}/contacts/", VIEW),
    CaseSurface(AREA, "Actions tab", "GET", "/staff/cases/{ref}/actions/", VIEW),
    CaseSurface(AREA, "Timeline tab", "GET", "/staff/cases/{ref}/timeline/", VIEW),
]
FORMS = [
    CaseSurface(AREA, "Record an incident", "GET", "/staff/cases/{ref}/incidents/new/", WORK),
    CaseSurface(AREA, "Record a contact", "GET", "/staff/cases/{ref}/contacts/new/", WORK),
    CaseSurface(AREA, "Contact plan", "GET", "/staff/cases/{ref}/contacts/plan/", WORK),
    CaseSurface(AREA, "Add an action", "GET", "/staff/cases/{ref}/actions/new/", WORK),
    CaseSurface(AREA, "Add a note", "GET", "/staff/cases/{ref}/notes/new/", WORK),
]
NOTE_POST = CaseSurface(AREA, "Add a note (post)", "POST", "/staff/cases/{ref}/notes/new/", WORK, ok=302)
EVIDENCE = CaseSurface(
    AREA, "Download evidence (audited)", "GET", "/staff/cases/{ref}/evidence/{pk}/", VIEW, relations=tuple(RELATIONS)
)


def _url(name: str, case: Case, **kwargs: object) -> str:
    return reverse(f"cases:{name}", kwargs={"reference": case.reference, **kwargs})


def _evidence(case: Case, content_type: str = "application/pdf") -> EvidenceFile:
    """A stored evidence file on the case (written directly: the case's officer may not be able to see it)."""
    name, content = SAMPLES[content_type]
    evidence = EvidenceFile(
        case=case, original_name=name, content_type=content_type, size=len(content), sha256=sha256(content).hexdigest()
    )
    evidence.file.save(name, ContentFile(content), save=True)
    return evidence


@pytest.mark.parametrize(("role", "sensitivity", "relation"), page_matrix())
def test_record_tabs_and_forms_follow_the_access_matrix(
    role: str, sensitivity: str, relation: str, make_staff: Callable[..., User]
) -> None:
    user = make_staff(role)
    case = case_for(user, sensitivity=sensitivity, relation=relation)
    client = client_verified_as(user)
    for surface in [*TABS, *FORMS]:
        expected = surface.expected(role, sensitivity, relation)
        assert client.get(surface.url(ref=case.reference)).status_code == expected, surface.name


@pytest.mark.parametrize(("role", "sensitivity", "relation"), page_matrix())
def test_posting_to_a_case_follows_the_access_matrix_and_writes_nothing_when_refused(
    role: str, sensitivity: str, relation: str, make_staff: Callable[..., User]
) -> None:
    user = make_staff(role)
    case = case_for(user, sensitivity=sensitivity, relation=relation)
    response = client_verified_as(user).post(NOTE_POST.url(ref=case.reference), {"text": "A note"})
    expected = NOTE_POST.expected(role, sensitivity, relation)
    assert response.status_code == expected
    assert Note.objects.filter(case=case).exists() == (expected == 302)


@pytest.mark.parametrize(("role", "sensitivity", "relation"), EVIDENCE.params())
def test_evidence_download_follows_the_access_matrix_and_is_audited(
    role: str, sensitivity: str, relation: str, make_staff: Callable[..., User], evidence_dir: Path
) -> None:
    user = make_staff(role)
    case = case_for(user, sensitivity=sensitivity, relation=relation)
    evidence = _evidence(case)
    response = client_verified_as(user).get(EVIDENCE.url(ref=case.reference, pk=evidence.pk))
    expected = EVIDENCE.expected(role, sensitivity, relation)
    assert response.status_code == expected
    reads = AuditEvent.objects.filter(verb="evidencefile.viewed", object_id=str(evidence.pk), actor=user)
    assert reads.count() == (1 if expected == 200 else 0)


def test_evidence_download_is_an_attachment_with_its_checked_type_and_nosniff(
    officer: User, case: Case, evidence_dir: Path
) -> None:
    _, content = SAMPLES["text/plain"]
    evidence = evidence_services.evidence_upload(
        actor=officer, case=case, file=upload("notes.html", content, "text/html")
    )
    response = client_verified_as(officer).get(_url("evidence-download", case, pk=evidence.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content  # type: ignore[attr-defined]
    assert response["Content-Type"] == "text/plain"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="notes.html.txt"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_evidence_of_another_case_is_404_through_this_case(
    officer: User, case: Case, evidence_dir: Path, make_staff: Callable[..., User]
) -> None:
    other = case_for(officer, sensitivity="normal", relation="assigned")
    evidence = _evidence(other)
    client = client_verified_as(officer)
    assert client.get(_url("evidence-download", case, pk=evidence.pk)).status_code == 404
    assert client.get(_url("evidence-download", other, pk=evidence.pk)).status_code == 200


def test_evidence_is_never_served_from_media_or_static(officer: User, case: Case, evidence_dir: Path) -> None:
    evidence = _evidence(case, "image/jpeg")
    client = client_verified_as(officer)
    for prefix in ("/media/", "/static/", "/media/evidence/", "/static/evidence/"):
        assert client.get(f"{prefix}{evidence.file.name}").status_code == 404


def test_a_file_missing_from_storage_is_a_404_not_a_crash(officer: User, case: Case, evidence_dir: Path) -> None:
    evidence = _evidence(case)
    Path(evidence.file.path).unlink()
    assert client_verified_as(officer).get(_url("evidence-download", case, pk=evidence.pk)).status_code == 404


@pytest.mark.parametrize("role", [Role.PARTNER, Role.DPO, Role.ADMIN])
def test_roles_without_case_access_cannot_download_even_with_the_link(
    role: str, officer: User, case: Case, evidence_dir: Path, make_staff: Callable[..., User]
) -> None:
    evidence = _evidence(case)
    client = client_verified_as(make_staff(role))
    assert client.get(_url("evidence-download", case, pk=evidence.pk)).status_code == 404


# Bounded queries -----------------------------------------------------------------------------------------------


def _grow(case: Case, officer: User, copies: int) -> None:
    reporter = case.parties.first() or PartyFactory.create(case=case)
    for n in range(copies):
        incident = record.incident_record(
            actor=officer,
            case=case,
            occurred_at=ago(hours=10 + n),
            description=f"Incident {n}",
            location_text="Block A",
            parties_involved=[reporter],
            witnesses=[reporter],
        )
        evidence_services.evidence_upload(
            actor=officer, case=case, file=upload(*SAMPLES["image/png"]), incident=incident
        )
        record.contact_record(
            actor=officer, case=case, party=reporter, method="phone", occurred_at=ago(hours=5 + n), summary="Call"
        )
        record.action_add(actor=officer, case=case, description=f"Action {n}")
        record.note_add(actor=officer, case=case, text=f"Note {n}")


@pytest.mark.parametrize("name", ["incidents", "contacts", "actions", "timeline"])
def test_record_tabs_run_the_same_number_of_queries_however_full_the_case(
    name: str, officer: User, case: Case, evidence_dir: Path
) -> None:
    client = client_verified_as(officer)
    _grow(case, officer, 1)
    client.get(_url(name, case))  # warm caches (session, permissions)
    with CaptureQueriesContext(connection) as small:
        assert client.get(_url(name, case)).status_code == 200
    _grow(case, officer, 6)
    with CaptureQueriesContext(connection) as large:
        assert client.get(_url(name, case)).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(large.captured_queries) <= 30
