"""Letters on a case (issue 16 part 4): THE RULE (no reporter's, victim's or witness's details in a letter to an
alleged perpetrator) with every shipped template and hostile incident summaries; the PDF as sent; safe contact."""

from __future__ import annotations

import hashlib
import io
import re

import pytest
from pypdf import PdfReader

from saferhomes.cases.models import Contact
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.models import AuditEvent
from saferhomes.documents.models import Audience, Letter, LetterTemplate, Variant
from saferhomes.documents.protect import party_details
from saferhomes.documents.services.letters import letter_compose, letter_read, letter_send
from saferhomes.housing.models import ContactMethod, PreferredFormat
from tests.documents.helpers import LetterCase

pytestmark = pytest.mark.django_db

SHIPPED = [
    "warning-letter",
    "acceptable-behaviour-contract",
    "invitation-to-interview",
    "closure-letter-reporter",
    "outcome-letter-reporter",
]


def _protected_values(lc: LetterCase) -> list[str]:
    values: list[str] = []
    for party in (lc.reporter, lc.victim, lc.witness):
        values += [detail.value for detail in party_details(party)]
    return values


@pytest.mark.parametrize("key", SHIPPED)
def test_every_shipped_template_merges_without_any_protected_detail_to_a_perpetrator(lc: LetterCase, key: str) -> None:
    template = LetterTemplate.objects.get(key=key)
    if template.audience == Audience.ALLEGED_PERPETRATOR:
        draft = letter_compose(actor=lc.officer, case=lc.case, party=lc.perpetrator, template=template)
        for value in _protected_values(lc):
            if value not in ("Linden Road",):  # the street they share is not one person's address
                assert value not in draft.text, value
        assert "Gary Stone" in draft.text or "Dear Mr Stone" in draft.text
        assert "16 Linden Road" in draft.address
    else:
        # A reporter's letter can never be sent to the alleged perpetrator at all.
        with pytest.raises(DomainError, match="written to the reporter"):
            letter_compose(actor=lc.officer, case=lc.case, party=lc.perpetrator, template=template)
        draft = letter_compose(actor=lc.officer, case=lc.case, party=lc.reporter, template=template)
        assert "ASB-2026-000123" in draft.text


HOSTILE = [
    ("Harriet next door heard it all.", "victim's name (Harriet)"),
    ("Ms Okonkwo complained again.", "reporter's name (Okonkwo)"),
    ("The witness at 3 BIRCH CLOSE saw you.", "witness's address (3 Birch Close)"),
    ("Call 07700900456 if you disagree.", "witness's phone (07700 900456)"),
    ("Reported from ex1 2ad at midnight.", "victim's address (EX1 2AD)"),
    ("Email H.Vale@example.org to apologise.", "victim's email (h.vale@example.org)"),
    ("Tomasz Brennan saw it.", "witness's name (Tomasz Brennan)"),
    ("The neighbour on (077) 00-900-123 rang us.", "reporter's phone (07700 900123)"),
]


@pytest.mark.parametrize(("summary", "named"), HOSTILE)
@pytest.mark.parametrize("key", ["warning-letter"])
def test_a_hostile_incident_summary_is_refused_and_names_the_leak(
    lc: LetterCase, summary: str, named: str, key: str
) -> None:
    lc.incident.description = summary
    lc.incident.save()
    with pytest.raises(DomainError) as refused:
        letter_send(actor=lc.officer, case=lc.case, party=lc.perpetrator, template=LetterTemplate.objects.get(key=key))
    assert named in str(refused.value)
    assert "can never include" in str(refused.value)
    assert not Letter.objects.filter(case=lc.case).exists()
    assert not Contact.objects.filter(case=lc.case).exists()


def test_ordinary_words_matching_no_capitalised_name_are_not_refused(lc: LetterCase) -> None:
    lc.victim.person.first_name = "May"  # type: ignore[union-attr]
    lc.victim.person.save()  # type: ignore[union-attr]
    lc.incident.description = "Music that may have been heard on the stairs."
    lc.incident.save()
    draft = letter_compose(
        actor=lc.officer, case=lc.case, party=lc.perpetrator, template=LetterTemplate.objects.get(key="warning-letter")
    )
    assert "may take further action" in draft.text


def test_a_detail_the_recipient_shares_is_not_a_leak(lc: LetterCase) -> None:
    # A household: the victim has the perpetrator's surname. His own name in his letter is no leak.
    lc.victim.person.last_name = "Stone"  # type: ignore[union-attr]
    lc.victim.person.save()  # type: ignore[union-attr]
    draft = letter_compose(
        actor=lc.officer, case=lc.case, party=lc.perpetrator, template=LetterTemplate.objects.get(key="warning-letter")
    )
    assert "Dear Mr Stone" in draft.text


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_a_sent_letter_keeps_its_pdf_text_checksum_contact_and_audit(lc: LetterCase) -> None:
    template = LetterTemplate.objects.get(key="warning-letter")
    letter = letter_send(actor=lc.officer, case=lc.case, party=lc.perpetrator, template=template)
    data = letter_read(actor=lc.officer, letter=letter)
    assert hashlib.sha256(data).hexdigest() == letter.sha256
    text = _pdf_text(data)
    for expected in (
        "Calico Homes",
        "Mr Gary Stone",
        "16 Linden Road",
        "Warning letter",
        "Case reference: ASB-2026-000123",
        "Loud music and shouting",
        "Olivia Officer",
        "Page 1 of 1",
    ):
        assert expected in text, expected
    for protected in ("Okonkwo", "Harriet", "Brennan", "12 Linden Road", "EX1 2AB"):
        assert protected not in text
    assert letter.template_version.version == template.version
    contact = Contact.objects.get(case=lc.case)
    assert (contact.party, contact.method) == (lc.perpetrator, ContactMethod.LETTER)
    verbs = set(AuditEvent.objects.filter(object_id=str(letter.pk)).values_list("verb", flat=True))
    assert {AuditVerb.LETTER_SENT, AuditVerb.LETTER_DOWNLOADED} <= verbs


def _body_font_sizes(data: bytes) -> list[float]:
    """The font size of every line of text on the first page, in points (font size times the text matrix scale)."""
    sizes: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            sizes.append(round(size * tm[0] * cm[0], 1))

    PdfReader(io.BytesIO(data)).pages[0].extract_text(visitor_text=visit)
    return sizes


@pytest.mark.parametrize(
    ("preferred", "variant", "smallest_body"),
    [
        (PreferredFormat.STANDARD, Variant.STANDARD, 10.0),
        (PreferredFormat.LARGE_PRINT, Variant.LARGE_PRINT, 16.0),
        (PreferredFormat.EASY_READ, Variant.EASY_READ, 14.0),
    ],
)
def test_the_preferred_format_chooses_the_variant_and_its_type_size(
    lc: LetterCase, preferred: str, variant: str, smallest_body: float
) -> None:
    lc.reporter.person.preferred_format = preferred  # type: ignore[union-attr]
    lc.reporter.person.save()  # type: ignore[union-attr]
    template = LetterTemplate.objects.get(key="outcome-letter-reporter")
    letter = letter_send(actor=lc.officer, case=lc.case, party=lc.reporter, template=template)
    assert letter.variant == variant
    with letter.pdf.open("rb") as handle:
        sizes = _body_font_sizes(handle.read())
    # The commonest size is the body text's (the marking and page numbers are smaller, the heading larger).
    body = max(set(sizes), key=sizes.count)
    assert body >= smallest_body
    assert body < 12 or variant != Variant.STANDARD


def test_someone_who_asked_never_to_be_written_to_needs_an_override_reason(lc: LetterCase) -> None:
    person = lc.reporter.person
    person.contact_avoid = [ContactMethod.LETTER]  # type: ignore[union-attr]
    person.save()  # type: ignore[union-attr]
    template = LetterTemplate.objects.get(key="outcome-letter-reporter")
    with pytest.raises(DomainError) as refused:
        letter_send(actor=lc.officer, case=lc.case, party=lc.reporter, template=template)
    assert "override_reason" in refused.value.field_errors
    assert not Letter.objects.filter(case=lc.case).exists()
    letter = letter_send(
        actor=lc.officer,
        case=lc.case,
        party=lc.reporter,
        template=template,
        override_reason="She asked for the outcome in writing at the meeting.",
    )
    assert Contact.objects.get(case=lc.case).override_reason.startswith("She asked")
    assert letter.party == lc.reporter
    assert letter.recipient_name == "Ms Priya Okonkwo"
