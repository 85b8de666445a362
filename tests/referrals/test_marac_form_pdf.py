"""The MARAC referral form as produced (issue 15 item 3, "a test opens it and checks its text"): the stored PDF names
the victim, the ways never to contact her, the children, the grounds and the consent position, carries the protective
marking and page numbers. With SAFERHOMES_SCREENSHOTS=1 (`make screenshots`) its first page is written to
docs/screenshots/marac-form-page-1.png with pdftoppm (scripts/pdf_screenshot.py), from this synthetic example."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import time_machine
from pypdf import PdfReader
from pytest_django.fixtures import Settings

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.referrals.models import LawfulBasis, MaracForm
from saferhomes.referrals.services.marac import marac_form_produce
from tests.referrals.marac_helpers import NOW, marac_agency, marac_example

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]
SCREENSHOT = REPO / "docs" / "screenshots" / "marac-form-page-1.png"


@pytest.fixture
def produced(make_staff: Callable[..., User], settings: Settings, tmp_path: Path) -> MaracForm:
    settings.VAR_DIR = tmp_path
    settings.LANDLORD_NAME = "Calico Homes"
    specialist = make_staff(
        Role.DA_SPECIALIST,
        first_name="Dev",
        last_name="Sharma",
        job_title="Domestic abuse specialist",
        phone="03069 990456",
    )
    with time_machine.travel(NOW, tick=False):
        agency = marac_agency(secure_email="marac.referrals@secure.example.org")
        example = marac_example(specialist, reference="DA-2026-000042")
        return marac_form_produce(
            actor=specialist,
            case=example.case,
            decision=example.decision,
            agency=agency,
            reason="Visible high risk on the DA checklist; she fears he will come back when his bail ends.",
            victim_wants="To stay in her home with the children and for him to have no contact.",
            safety_actions="Locks changed the same day; sanctuary scheme referral; police told of the address.",
            lawful_basis=LawfulBasis.VITAL_INTERESTS,
            consent_note="Asking would put her at risk: he reads her messages.",
        )


def _text(form: MaracForm) -> tuple[int, str]:
    with form.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_the_produced_pdf_says_what_the_coordinator_needs(produced: MaracForm) -> None:
    pages, text = _text(produced)
    flat = " ".join(text.split())

    assert "MARAC referral form" in flat
    assert "Amira Example" in flat
    assert "20 May 1990 (aged 35)" in flat
    assert "12 Example Court, Exampleton, EX1 2AB" in flat
    assert "Never contact Amira Example by: home visit, email, letter." in flat
    assert "Mark Example" in flat
    for child in ("Zara Example", "Rami Example", "Leo Example"):
        assert child in flat
    assert "Sami Example" not in flat  # 18 on the day
    assert "14 or more 'yes' answers (visible high risk)" in flat
    assert "1 in the last 12 months" in flat
    assert "Refused consent" in flat
    assert "Asking would put her at risk: he reads her messages." in flat
    assert "Vital interests" in flat
    assert "Locks changed the same day" in flat
    assert "Exampleton MARAC coordinator (marac.referrals@secure.example.org)" in flat
    assert "Dev Sharma, Domestic abuse specialist" in flat
    assert text.count("OFFICIAL-SENSITIVE") == 2 * pages
    assert "Mental health. Anxiety since the assault" in flat
    assert "Calico Homes" in flat
    assert "Page 1 of" in flat
    assert f"Page {pages} of {pages}" in flat


def test_pdf_screenshot_of_the_marac_form(produced: MaracForm, tmp_path: Path) -> None:
    """Page 1 of the form as a PNG (poppler's pdftoppm, installed by `make test`); with SAFERHOMES_SCREENSHOTS=1
    (`make screenshots`) it becomes docs/screenshots/marac-form-page-1.png."""
    pdf = tmp_path / "marac-form.pdf"
    with produced.file.open("rb") as handle:
        pdf.write_bytes(handle.read())
    png = tmp_path / "marac-form-page-1.png"
    script = REPO / "scripts" / "pdf_screenshot.py"
    subprocess.run([sys.executable, str(script), str(pdf), str(png)], check=True, timeout=120)  # noqa: S603
    image = png.read_bytes()
    assert image.startswith(b"\x89PNG")
    width, height = int.from_bytes(image[16:20], "big"), int.from_bytes(image[20:24], "big")
    assert (width, height) == (497, 702)  # A4 (210 x 297 mm) at 60 dots per inch, rounded up: one page, portrait
    if os.environ.get("SAFERHOMES_SCREENSHOTS") == "1":
        shutil.copyfile(png, SCREENSHOT)
