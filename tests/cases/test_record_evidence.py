"""Evidence uploads (DESIGN.md §6): type checked by content, size-limited, stored privately with its sha256."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.http import Http404
from pytest_django.fixtures import Settings

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Case, EvidenceFile
from saferhomes.cases.services import evidence as evidence_services
from saferhomes.cases.services import record
from saferhomes.cases.storage import EVIDENCE_TYPES, evidence_download_name, evidence_storage
from saferhomes.core.errors import DomainError
from saferhomes.core.models import AuditEvent
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
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

TYPE_MESSAGE = "The selected file must be a JPG, PNG, GIF, WebP, HEIC, PDF, MP3, M4A, WAV, MP4, MOV or TXT"


def _stored_files(evidence_dir: Path) -> list[Path]:
    return [path for path in evidence_dir.rglob("*") if path.is_file()] if evidence_dir.exists() else []


def _refusal(officer: User, case: Case, name: str, content: bytes, content_type: str = "application/pdf") -> str:
    with pytest.raises(DomainError) as excinfo:
        evidence_services.evidence_upload(actor=officer, case=case, file=upload(name, content, content_type))
    return " ".join(excinfo.value.field_errors["file"])


@pytest.mark.parametrize("content_type", list(SAMPLES))
def test_each_allowed_format_is_accepted_and_recorded_by_its_content(
    officer: User, case: Case, evidence_dir: Path, content_type: str
) -> None:
    name, content = SAMPLES[content_type]
    evidence = evidence_services.evidence_upload(
        actor=officer, case=case, file=upload(name, content, "application/octet-stream"), description="From the diary"
    )
    assert evidence.content_type == content_type
    assert evidence.size == len(content)
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert evidence.original_name == name
    assert evidence.uploaded_by == officer
    stored = evidence_dir / str(evidence.file.name)
    assert stored.read_bytes() == content
    assert stored.suffix == f".{EVIDENCE_TYPES[content_type].extension}"
    assert name not in str(evidence.file.name)  # names on disk are random, not the uploader's
    assert AuditEvent.objects.filter(verb="evidence.uploaded", object_id=str(evidence.pk)).count() == 1


def test_evidence_is_stored_outside_static_and_media_and_has_no_url(
    officer: User, case: Case, evidence_dir: Path
) -> None:
    evidence = evidence_services.evidence_upload(actor=officer, case=case, file=upload(*SAMPLES["image/jpeg"]))
    path = Path(evidence.file.path).resolve()
    assert path.is_relative_to(evidence_dir.resolve())
    for public in (Path(settings.STATIC_ROOT), *map(Path, settings.STATICFILES_DIRS), Path(settings.VAR_DIR) / "media"):
        assert not path.is_relative_to(public.resolve())
    with pytest.raises(ValueError, match="no URL"):
        evidence_storage().url(evidence.file.name)


def test_stored_files_are_readable_by_the_application_only(officer: User, case: Case, evidence_dir: Path) -> None:
    evidence = evidence_services.evidence_upload(actor=officer, case=case, file=upload(*SAMPLES["application/pdf"]))
    assert Path(evidence.file.path).stat().st_mode & 0o077 == 0


def test_an_exe_renamed_pdf_is_refused_by_its_content(officer: User, case: Case, evidence_dir: Path) -> None:
    assert _refusal(officer, case, "statement.pdf", EXE_BYTES, "application/pdf") == TYPE_MESSAGE
    assert not EvidenceFile.objects.exists()
    assert _stored_files(evidence_dir) == []


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("archive.zip", b"PK\x03\x04" + b"\x00" * 64),
        ("photo.jpg", bytes(range(256)) * 4),  # random binary, no known signature
        ("notes.txt", "café, naïve".encode("latin-1")),  # not UTF-8
        ("notes.txt", b"looks like text\x00\x01\x02 but is not"),  # control characters only binaries contain
        ("page.svg", b"\x89SVG?" + b"\xff" * 20),
    ],
)
def test_disguised_and_unknown_formats_are_refused(
    officer: User, case: Case, evidence_dir: Path, name: str, content: bytes
) -> None:
    assert _refusal(officer, case, name, content) == TYPE_MESSAGE


def test_an_empty_file_is_refused(officer: User, case: Case, evidence_dir: Path) -> None:
    assert _refusal(officer, case, "empty.pdf", b"") == "The selected file is empty"


def test_a_file_over_the_limit_is_refused_and_the_message_says_the_limit(
    officer: User, case: Case, evidence_dir: Path, settings: Settings
) -> None:
    assert settings.EVIDENCE_MAX_BYTES == 20 * 1024 * 1024  # the default
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    name, head = SAMPLES["application/pdf"]
    content = head + b"0" * (1024 * 1024 + 1 - len(head))
    assert _refusal(officer, case, name, content) == "The selected file must be smaller than 1 MB"
    assert _stored_files(evidence_dir) == []


def test_a_file_exactly_at_the_limit_is_accepted(
    officer: User, case: Case, evidence_dir: Path, settings: Settings
) -> None:
    settings.EVIDENCE_MAX_BYTES = 4096
    name, head = SAMPLES["application/pdf"]
    evidence = evidence_services.evidence_upload(
        actor=officer, case=case, file=upload(name, head + b"0" * (4096 - len(head)))
    )
    assert evidence.size == 4096


def test_default_limit_message_says_20_mb(officer: User, case: Case, evidence_dir: Path) -> None:
    name, head = SAMPLES["video/mp4"]
    content = head + b"\x00" * (20 * 1024 * 1024 + 1 - len(head))
    assert _refusal(officer, case, name, content) == "The selected file must be smaller than 20 MB"


def test_evidence_can_belong_to_an_incident_on_the_same_case_only(
    officer: User, case: Case, evidence_dir: Path
) -> None:
    incident = record.incident_record(
        actor=officer, case=case, occurred_at=ago(hours=3), description="Graffiti", location_text="Garages"
    )
    evidence = evidence_services.evidence_upload(
        actor=officer, case=case, file=upload(*SAMPLES["image/png"]), incident=incident
    )
    assert evidence.incident == incident
    other = CaseFactory.create(assigned_officer=officer, team=officer.team)
    with pytest.raises(DomainError) as excinfo:
        evidence_services.evidence_upload(
            actor=officer, case=other, file=upload(*SAMPLES["image/png"]), incident=incident
        )
    assert "incident" in excinfo.value.field_errors


def test_an_officer_who_cannot_see_the_case_cannot_upload_and_nothing_is_stored(
    case: Case, evidence_dir: Path, make_staff: Callable[..., User]
) -> None:
    outsider = make_staff(Role.OFFICER, username="officer_out", team=TeamFactory.create(name="Out"))
    with pytest.raises(Http404):
        evidence_services.evidence_upload(actor=outsider, case=case, file=upload(*SAMPLES["image/png"]))
    assert _stored_files(evidence_dir) == []


def test_a_failure_after_storing_removes_the_file(
    officer: User, case: Case, evidence_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_audit(**kwargs: object) -> None:
        raise RuntimeError("audit trail unavailable")

    monkeypatch.setattr("saferhomes.cases.services.evidence.audit", broken_audit)
    with pytest.raises(RuntimeError):
        evidence_services.evidence_upload(actor=officer, case=case, file=upload(*SAMPLES["image/png"]))
    assert _stored_files(evidence_dir) == []
    assert not EvidenceFile.objects.exists()


@pytest.mark.parametrize(
    ("original", "content_type", "download"),
    [
        ("photo.JPG", "image/jpeg", "photo.JPG"),
        ("photo.jpeg", "image/jpeg", "photo.jpeg"),
        ("notes.html", "text/plain", "notes.html.txt"),  # text never downloads as something a browser would run
        ("statement.pdf", "image/png", "statement.pdf.png"),
        ("C:\\Users\\me\\diary.txt", "text/plain", "diary.txt"),
        ("../../etc/passwd", "text/plain", "passwd.txt"),
        ("noextension", "application/pdf", "noextension.pdf"),
    ],
)
def test_download_names_carry_the_extension_of_the_real_content(
    original: str, content_type: str, download: str
) -> None:
    assert evidence_download_name(original, content_type) == download


def test_evidence_types_label_lists_every_format() -> None:
    assert f"The selected file must be a {evidence_services.evidence_types_label()}" == TYPE_MESSAGE
