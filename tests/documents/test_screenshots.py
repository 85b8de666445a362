"""PNG renders of a letter and a bundle page (issue 16, "PNG renders ... by pdftoppm in docs/screenshots/"): always
rendered and checked; copied to docs/screenshots/ only with SAFERHOMES_SCREENSHOTS=1 (`make screenshots`). Synthetic
people and places only (tests/documents/helpers.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from saferhomes.documents.models import LetterTemplate
from saferhomes.documents.services.bundle import bundle_build
from saferhomes.documents.services.letters import letter_send
from tests.documents.helpers import LetterCase

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "pdf_screenshot.py"


def _png(pdf_bytes: bytes, tmp_path: Path, name: str, page: int = 1) -> Path:
    pdf = tmp_path / f"{name}.pdf"
    pdf.write_bytes(pdf_bytes)
    png = tmp_path / f"{name}.png"
    command = [sys.executable, str(SCRIPT), str(pdf), str(png), "--page", str(page)]
    subprocess.run(command, check=True, timeout=120)  # noqa: S603
    image = png.read_bytes()
    assert image.startswith(b"\x89PNG")
    width, height = int.from_bytes(image[16:20], "big"), int.from_bytes(image[20:24], "big")
    assert (width, height) == (497, 702)  # A4 portrait at 60 dots per inch
    if os.environ.get("SAFERHOMES_SCREENSHOTS") == "1":
        shutil.copyfile(png, REPO / "docs" / "screenshots" / f"{name}.png")
    return png


def test_png_of_a_warning_letter(lc: LetterCase, tmp_path: Path) -> None:
    letter = letter_send(
        actor=lc.officer, case=lc.case, party=lc.perpetrator, template=LetterTemplate.objects.get(key="warning-letter")
    )
    with letter.pdf.open("rb") as handle:
        _png(handle.read(), tmp_path, "letter-warning-page-1")


def test_png_of_a_bundle_index_and_chronology(lc: LetterCase, tmp_path: Path) -> None:
    built = bundle_build(actor=lc.officer, case=lc.case)
    _png(built.pdf, tmp_path, "bundle-page-1")
    _png(built.pdf, tmp_path, "bundle-page-3", page=3)
