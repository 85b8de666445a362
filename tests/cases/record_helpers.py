"""Shared pieces for the investigation-record tests: a private evidence folder, sample files, an officer's case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pytest_django.fixtures import Settings

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import Case, Party, PartyRole
from tests.cases.factories import CaseFactory, PartyFactory

# The first bytes of each format staff may upload (enough for content sniffing), as a camera or phone writes them.
SAMPLES: dict[str, tuple[str, bytes]] = {
    "image/jpeg": ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64),
    "image/png": ("screenshot.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64),
    "image/gif": ("animation.gif", b"GIF89a" + b"\x00" * 64),
    "image/webp": ("picture.webp", b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 64),
    "image/heic": ("IMG_0001.HEIC", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64),
    "application/pdf": ("letter.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + b"1 0 obj\n" * 8),
    "audio/mpeg": ("recording.mp3", b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\x00" * 64),
    "audio/mp4": (
        "voice-memo.m4a",
        b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00M4A mp42isom\x00\x00\x00\x00" + b"\x00" * 64,
    ),
    "audio/x-wav": ("noise.wav", b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 64),
    "video/mp4": ("video.mp4", b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isommp41" + b"\x00" * 64),
    "video/quicktime": ("IMG_0002.MOV", b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  " + b"\x00" * 64),
    "text/plain": ("diary.txt", "3 March: music until 3am again. Bass through the wall — ✓ noted.\n".encode()),
}
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    """A file as the browser sends it; the declared content type is whatever the client claims."""
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(name="evidence_dir")
def evidence_dir_fixture(settings: Settings, tmp_path: Path) -> Path:
    """Evidence is written under a throwaway VAR_DIR for the test."""
    settings.VAR_DIR = tmp_path
    return tmp_path / "evidence"


@pytest.fixture(name="officer")
def officer_fixture(make_staff: Callable[..., User]) -> User:
    """officer_olivia, a housing officer."""
    return make_staff(Role.OFFICER)


@pytest.fixture(name="case")
def case_fixture(officer: User) -> Case:
    """A normal ASB case received two days ago, assigned to officer_olivia and her team."""
    return CaseFactory.create(
        assigned_officer=officer, team=officer.team, received_at=timezone.now() - dt.timedelta(days=2)
    )


@pytest.fixture(name="reporter")
def reporter_fixture(case: Case) -> Party:
    """The case's reporter."""
    return PartyFactory.create(case=case, role=PartyRole.REPORTER, first_name="Priya", last_name="Example")


def ago(**kwargs: float) -> dt.datetime:
    """A moment in the past: ago(hours=3)."""
    return timezone.now() - dt.timedelta(**kwargs)
