"""The evidence bundle (issue 16 part 5): one paginated PDF whose index gives each section's page, a chronology,
contacts, risk assessments, sections other apps register, exhibits with their SHA-256; contact details and addresses
of reporters, victims and witnesses redacted; creating it audited; the `saferhomes bundle` command."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from pypdf import PdfReader

from saferhomes.accounts.models import User
from saferhomes.cases.models import Contact, Note, PartyRole
from saferhomes.cases.services.evidence import evidence_upload
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.models import AuditEvent
from saferhomes.documents import bundle as bundle_module
from saferhomes.documents.bundle import BundleSection, Redactor, register_bundle_section
from saferhomes.documents.services.bundle import bundle_build
from tests.cases.record_helpers import SAMPLES, upload
from tests.documents.helpers import LetterCase, _tenant

pytestmark = pytest.mark.django_db


def _pages(data: bytes) -> list[str]:
    return [re.sub(r"[ \t]+", " ", page.extract_text()) for page in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture(name="full_case")
def full_case_fixture(lc: LetterCase) -> LetterCase:
    lc.incident.description = "Shouting outside 14 Linden Road; Harriet rang from 07700 900123 afterwards."
    lc.incident.save()
    Note.objects.create(case=lc.case, text="Diary: spoke to the caretaker about the CCTV.", created_by=lc.officer)
    Contact.objects.create(
        case=lc.case,
        party=lc.reporter,
        method="phone",
        occurred_at=timezone.now() - dt.timedelta(days=2),
        summary="Priya said it started again; email her at h.vale@example.org too.",
        created_by=lc.officer,
    )
    name, content = SAMPLES["text/plain"]
    evidence_upload(actor=lc.officer, case=lc.case, file=upload(name, content, "text/plain"), description="Diary")
    return lc


@pytest.fixture(name="registered")
def registered_fixture() -> Iterator[None]:
    def interventions(*, case: object, redactor: Redactor) -> BundleSection:
        rows = [{"name": "Warning letter", "size": 1, "sha256": "x", "number": "I1", "uploaded": "", "description": ""}]
        return BundleSection(
            "registered", "A section another app registered", "documents/pdf/bundle/exhibits.html", {"rows": rows}
        )

    register_bundle_section(interventions)
    yield
    bundle_module.BUNDLE_SECTIONS.remove(interventions)


def test_the_bundle_has_an_index_with_page_numbers_and_every_section(full_case: LetterCase, registered: None) -> None:
    built = bundle_build(actor=full_case.officer, case=full_case.case)
    pages = _pages(built.pdf)
    index = pages[0]
    expected = [
        "Parties",
        "Chronology of incidents and diary entries",
        "Contacts",
        "Risk assessments",
        "Interventions and legal action",  # registered by the interventions app
        "A section another app registered",
        "Exhibits",
    ]
    assert built.sections == expected
    for number, title in enumerate(expected, start=1):
        found = re.search(rf"{number}\. {re.escape(title)}\s*(\d+)", index)
        assert found, title
        page = int(found.group(1))
        # The index's page number is the page the section's heading is on.
        assert f"{number}. {title}" in pages[page - 1]
    assert f"Page 1 of {len(pages)}" in index
    assert "Evidence bundle: ASB-2026-000123" in index
    assert "Calico Homes" in index


def test_the_exhibits_list_gives_each_file_its_checksum(full_case: LetterCase) -> None:
    built = bundle_build(actor=full_case.officer, case=full_case.case)
    text = "".join(_pages(built.pdf)).replace("\n", "").replace(" ", "")
    evidence = full_case.case.evidence.get()
    assert evidence.sha256 in text
    assert f"EX1{evidence.original_name}" in text


def test_contact_details_and_addresses_are_redacted_names_kept(full_case: LetterCase) -> None:
    text = re.sub(r"\s+", " ", " ".join(_pages(bundle_build(actor=full_case.officer, case=full_case.case).pdf)))
    for hidden in (
        "14 Linden Road",
        "12 Linden Road",
        "EX1 2AB",
        "07700 900123",
        "h.vale@example.org",
        "3 Birch Close",
    ):
        assert hidden not in text, hidden
    assert "[redacted]" in text
    assert "Shouting outside [redacted]" in text
    for shown in (
        "Ms Priya Okonkwo",
        "Harriet Vale",
        "Tomasz Brennan",
        "16 Linden Road",
        "Diary: spoke to the caretaker",
    ):
        assert shown in text, shown


def test_creating_a_bundle_is_audited(full_case: LetterCase) -> None:
    built = bundle_build(actor=full_case.officer, case=full_case.case)
    event = AuditEvent.objects.get(verb=AuditVerb.BUNDLE_CREATED)
    assert event.actor == full_case.officer
    assert event.after is not None
    assert event.after["sha256"] == built.sha256


def test_the_command_writes_the_bundle_and_reports_its_time(full_case: LetterCase, tmp_path: Path) -> None:
    out = tmp_path / "bundle.pdf"
    stdout = io.StringIO()
    call_command("bundle", "asb-2026-000123", "--out", str(out), "--user", full_case.officer.username, stdout=stdout)
    assert out.read_bytes().startswith(b"%PDF")
    assert re.search(r"with 6 sections in \d+\.\d\d seconds", stdout.getvalue())  # interventions' included
    with pytest.raises(CommandError, match="no case ASB-1"):
        call_command("bundle", "ASB-1")


def test_the_command_refuses_someone_who_cannot_see_the_case(
    full_case: LetterCase, make_staff: Callable[..., User]
) -> None:
    stranger = make_staff("officer", username="other_officer")
    with pytest.raises(CommandError, match="cannot see or work"):
        call_command("bundle", "ASB-2026-000123", "--user", stranger.username)


def test_the_sections_read_a_fixed_number_of_queries_whatever_the_number_of_parties(
    lc: LetterCase, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    with django_assert_max_num_queries(40) as few:
        bundle_module.bundle_sections(lc.case)
    for number in range(12):
        _tenant(lc.case, PartyRole.WITNESS, f"Wendy{number}", f"Witness{number}", f"{number + 1} Elm Close", "EX2 2EE")
    with django_assert_max_num_queries(len(few.captured_queries)):
        sections = bundle_module.bundle_sections(lc.case)
    parties = next(s for s in sections if s.key == "parties")
    assert len(parties.context["rows"]) == 4 + 12
    assert all(row["address"] == "[redacted]" for row in parties.context["rows"] if row["role"] == "Witness")
