"""Evidence over the API (issue 21 part 1): multipart upload through `evidence_upload` (type by content, size, the
name kept only as a name), listing, and the download through the permission checks, audited, as an attachment."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.accounts.services import token_create
from saferhomes.cases.models import Case, EvidenceFile, Incident
from saferhomes.core.models import AuditEvent
from tests.api.conftest import assert_problem, bearer
from tests.cases.factories import CaseFactory
from tests.cases.record_helpers import (  # noqa: F401
    EXE_BYTES,
    SAMPLES,
    ago,
    case_fixture,
    evidence_dir_fixture,
    officer_fixture,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(officer: User, case: Case, evidence_dir: Path) -> Callable[..., Any]:
    """api("post", "/evidence", data) on the officer's case with the officer's token; data is sent as multipart."""
    _token, raw = token_create(actor=None, user=officer, name="tests")
    client = Client()

    def _call(method: str, suffix: str, data: dict[str, Any] | None = None, reference: str = "", **headers: str) -> Any:
        url = f"/api/v1/cases/{reference or case.reference}{suffix}"
        if method == "get":
            return client.get(url, headers={**bearer(raw), **headers})
        return client.post(url, data or {}, headers={**bearer(raw), **headers})

    return _call


def _fields(response: Any) -> list[str]:
    return [error["field"] for error in assert_problem(response, 422)["errors"]]


def test_a_file_is_uploaded_listed_and_downloaded_byte_for_byte_with_the_read_audited(
    api: Callable[..., Any], case: Case, officer: User
) -> None:
    incident = Incident.objects.create(case=case, occurred_at=ago(hours=3), description="Noise", location_text="Flat")
    name, content = SAMPLES["image/jpeg"]
    response = api("post", "/evidence", {"file": upload(name, content, "text/html"), "description": "Front door",
                                         "incident_id": str(incident.pk)})  # fmt: skip
    assert response.status_code == 201, response.content
    made = response.json()
    assert (made["content_type"], made["size"], made["sha256"]) == (
        "image/jpeg",
        len(content),
        hashlib.sha256(content).hexdigest(),
    )
    assert (made["original_name"], made["description"], made["incident_id"]) == (name, "Front door", incident.pk)
    assert made["download"] == f"/api/v1/cases/{case.reference}/evidence/{made['id']}/file"
    assert [row["id"] for row in api("get", "/evidence").json()] == [made["id"]]
    assert api("get", "/incidents").json()[0]["evidence"] == [made["id"]]
    assert AuditEvent.objects.filter(verb="evidence.uploaded", object_id=str(made["id"])).count() == 1
    downloaded = api("get", f"/evidence/{made['id']}/file")
    assert downloaded.status_code == 200
    assert b"".join(downloaded.streaming_content) == content
    assert downloaded["Content-Type"] == "image/jpeg"
    assert downloaded["Content-Disposition"].startswith("attachment;")
    assert name in downloaded["Content-Disposition"]
    assert (downloaded["X-Content-Type-Options"], downloaded["Cache-Control"]) == ("nosniff", "private, no-store")
    assert AuditEvent.objects.filter(verb="evidencefile.viewed", actor=officer, object_id=str(made["id"])).count() == 1


def test_a_retry_with_the_same_idempotency_key_stores_one_file(api: Callable[..., Any]) -> None:
    name, content = SAMPLES["application/pdf"]
    first = api("post", "/evidence", {"file": upload(name, content)}, **{"Idempotency-Key": "pdf-1"})
    again = api("post", "/evidence", {"file": upload(name, content)}, **{"Idempotency-Key": "pdf-1"})
    assert (first.status_code, again.status_code, again["Idempotent-Replayed"]) == (201, 201, "true")
    assert first.json()["id"] == again.json()["id"]
    assert EvidenceFile.objects.count() == 1


def test_the_type_comes_from_the_content_and_a_program_is_refused(api: Callable[..., Any], evidence_dir: Path) -> None:
    assert _fields(api("post", "/evidence", {"file": upload("photo.jpg", EXE_BYTES, "image/jpeg")})) == ["file"]
    assert _fields(api("post", "/evidence", {"file": upload("empty.txt", b"", "text/plain")})) == ["file"]
    assert not EvidenceFile.objects.exists()
    assert not [path for path in evidence_dir.rglob("*") if path.is_file()] if evidence_dir.exists() else True


def test_a_file_over_the_limit_is_refused_before_it_is_stored(api: Callable[..., Any], settings: Settings) -> None:
    settings.EVIDENCE_MAX_BYTES = 1024
    body = assert_problem(api("post", "/evidence", {"file": upload("long.txt", b"a" * 2048, "text/plain")}), 422)
    assert body["errors"] == [{"field": "file", "message": "The selected file must be smaller than 1 KB"}]
    assert not EvidenceFile.objects.exists()


def test_a_path_in_the_file_name_is_dropped_and_the_download_name_has_the_real_extension(
    api: Callable[..., Any],
) -> None:
    _name, content = SAMPLES["text/plain"]
    made = api("post", "/evidence", {"file": upload("../../etc/notes.html", content, "text/html")}).json()
    assert made["original_name"] == "notes.html"
    downloaded = api("get", f"/evidence/{made['id']}/file")
    assert 'filename="notes.html.txt"' in downloaded["Content-Disposition"]
    assert downloaded["Content-Type"] == "text/plain"


def test_unstorable_text_a_missing_file_or_another_case_s_incident_is_a_422_naming_it(
    api: Callable[..., Any], officer: User
) -> None:
    name, content = SAMPLES["image/png"]
    assert _fields(api("post", "/evidence", {"file": upload(name, content), "description": "bad\x00"})) == [
        "description"
    ]
    assert _fields(api("post", "/evidence", {"description": "No file"})) == ["file"]
    elsewhere = Incident.objects.create(
        case=CaseFactory.create(assigned_officer=officer), occurred_at=ago(hours=1), description="X", location_text="Y"
    )
    assert _fields(api("post", "/evidence", {"file": upload(name, content), "incident_id": str(elsewhere.pk)})) == [
        "incident_id"
    ]
    assert not EvidenceFile.objects.exists()


def test_a_file_of_another_case_is_a_404_even_through_a_case_the_holder_can_see(
    api: Callable[..., Any], make_staff: Callable[..., User], evidence_dir: Path
) -> None:
    name, content = SAMPLES["image/gif"]
    hidden_case = CaseFactory.create()  # another team's: the officer cannot see it
    specialist = make_staff(Role.MANAGER)
    _token, raw = token_create(actor=None, user=specialist, name="tests")
    made = Client().post(
        f"/api/v1/cases/{hidden_case.reference}/evidence", {"file": upload(name, content)}, headers=bearer(raw)
    )
    assert made.status_code == 201, made.content
    evidence_id = made.json()["id"]
    assert_problem(api("get", f"/evidence/{evidence_id}/file"), 404)
    assert_problem(api("get", f"/evidence/{evidence_id}/file", reference=hidden_case.reference), 404)
    assert not AuditEvent.objects.filter(verb="evidencefile.viewed").exists()


def test_a_file_missing_from_storage_is_a_404_not_a_500(api: Callable[..., Any], evidence_dir: Path) -> None:
    name, content = SAMPLES["image/webp"]
    made = api("post", "/evidence", {"file": upload(name, content)}).json()
    for path in evidence_dir.rglob("*"):
        if path.is_file():
            path.unlink()
    assert_problem(api("get", f"/evidence/{made['id']}/file"), 404)


def test_an_empty_file_or_an_incident_that_is_not_a_number_is_refused_on_its_own_field(
    api: Callable[..., Any],
) -> None:
    """Found by the fuzz (issue 21 part 2): multipart has no null and no numbers, so `incident_id` is documented as
    digits; what the schema allows and the rules refuse (an empty file, no file, an id no incident has) is a 422 on
    `file` or `incident_id` in the rules' words, and what the schema refuses is a 422 on `body.incident_id`."""
    empty = api("post", "/evidence", {"file": upload("empty.txt", b"", "text/plain")})
    assert _fields(empty) == ["file"]
    missing = api("post", "/evidence", {"description": "No file"})
    assert assert_problem(missing, 422)["errors"] == [{"field": "file", "message": "Select a file"}]
    jpeg = SAMPLES["image/jpeg"]
    for value in ("", " null "):  # none: multipart has no null, and a client may send its JSON null as the word
        made = api("post", "/evidence", {"file": upload(*jpeg, "image/jpeg"), "incident_id": value})
        assert (made.status_code, made.json()["incident_id"]) == (201, None), value
    for value in ("0", "9" * 12, "424242"):
        refused = api("post", "/evidence", {"file": upload(*jpeg, "image/jpeg"), "incident_id": value})
        assert _fields(refused) == ["incident_id"], value
    for value in ("x", "-1", "9" * 19):
        refused = api("post", "/evidence", {"file": upload(*jpeg, "image/jpeg"), "incident_id": value})
        assert _fields(refused) == ["body.incident_id"], value
    assert EvidenceFile.objects.count() == 2
