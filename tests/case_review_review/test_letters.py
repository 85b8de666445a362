"""Letters to a Case Review applicant (issue 17 part 5): the threshold decision (met and not met) and the review's
outcome, in plain English, through the documents app's templates and renderer; large print and the Welsh translation
when the applicant asked; the PDF emailed only where they chose email; kept with the application; audited."""

from __future__ import annotations

import hashlib
import io
import re

import pytest
from django.core import mail
from django.utils import timezone
from pypdf import PdfReader

from saferhomes.accounts.models import User
from saferhomes.case_review.models import Application, ApplicationStatus, LetterKind
from saferhomes.case_review.services import letters, review
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.models import AuditEvent
from saferhomes.documents import merge
from saferhomes.documents.models import Audience, LetterTemplate, Variant
from saferhomes.documents.selectors import templates_in_use
from saferhomes.housing.models import PreferredFormat
from saferhomes.referrals.models import Agency
from tests.case_review_review.helpers import conclude, outcome_sent
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def _text(letter_pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(letter_pdf))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def _pdf(letter: object) -> bytes:
    with letter.pdf.open("rb") as handle:  # type: ignore[attr-defined]
        return handle.read()


def _body_size(data: bytes) -> float:
    sizes: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            sizes.append(round(size * tm[0] * cm[0], 1))

    PdfReader(io.BytesIO(data)).pages[0].extract_text(visitor_text=visit)
    return max(set(sizes), key=sizes.count)


def test_the_decision_letter_when_the_threshold_is_met_names_the_contact_and_what_happens_next(
    met: Application, cara: User
) -> None:
    with pytest.raises(DomainError, match="Name the single point of contact first"):
        letters.decision_letter_send(actor=cara, application=met)
    review.spoc_assign(actor=cara, application=met, spoc=cara)
    letter = letters.decision_letter_send(actor=cara, application=met)
    data = _pdf(letter)
    assert hashlib.sha256(data).hexdigest() == letter.sha256
    text = _text(data)
    for expected in (
        "Your ASB Case Review: our decision",
        "Dear Priya Shah",
        "4 Elm Court",
        met.reference,
        "meets the threshold for a review",
        "Why we decided this: Three complaints about the same noise",
        "Your single point of contact is Cara Coordinator",
        "What happens next",
    ):
        assert expected in text, expected
    saved = Application.objects.get(pk=met.pk)
    assert saved.applicant_told_at is not None
    assert (letter.kind, letter.language, letter.variant) == (LetterKind.DECISION, "en", Variant.STANDARD)
    assert letter.template.key == "case-review-decision-met"
    event = AuditEvent.objects.get(verb=AuditVerb.CASE_REVIEW_LETTER_SENT)
    assert event.after["withheld"] == letters.WITHHELD_NOT_CHOSEN  # type: ignore[index]


def test_the_decision_letter_when_not_met_gives_the_reasons_and_how_to_ask_again(cara: User) -> None:
    refused = ApplicationFactory.create(not_met=True, first_name="Tom", last_name="Reed")
    letter = letters.decision_letter_send(actor=cara, application=refused)
    text = _text(_pdf(letter))
    for expected in (
        "does not meet the threshold for a review",
        "Why we decided this: Two complaints in the six months before the application",
        "This does not mean that we will stop dealing with the problem",
        "If you think our decision is wrong",
        "within 20 working days",
        "Someone who was not involved in this decision will look at it",
    ):
        assert expected in text, expected
    assert Application.objects.get(pk=refused.pk).status == ApplicationStatus.THRESHOLD_NOT_MET


def test_an_undecided_application_has_no_decision_letter(cara: User) -> None:
    with pytest.raises(DomainError, match="Record the threshold decision"):
        letters.decision_letter_send(actor=cara, application=ApplicationFactory.create())


def test_the_outcome_letter_lists_the_recommendations_in_plain_english_and_how_to_appeal(
    met: Application, cara: User, agencies: list[Agency]
) -> None:
    with pytest.raises(DomainError, match="Conclude the review"):
        letters.outcome_letter_send(actor=cara, application=met)
    concluded = conclude(met, cara, agencies)
    letter = letters.outcome_letter_send(actor=cara, application=concluded)
    text = _text(_pdf(letter))
    for expected in (
        "What the panel decided",
        "More could have been done sooner.",
        "1. Patrol the car park every evening for a month. (Example Police Neighbourhood Team, by",
        "2. Offer mediation between the two households. (Cara Coordinator, by",
        "You can appeal",
        "chaired by someone who did not chair the review panel",
    ):
        assert expected in text, expected
    saved = Application.objects.get(pk=met.pk)
    assert saved.status == ApplicationStatus.OUTCOME_SENT
    assert saved.outcome_sent_at is not None


def test_a_review_without_recommendations_says_so(met: Application, cara: User, agencies: list[Agency]) -> None:
    concluded = conclude(met, cara, agencies, recommend=False)
    text = _text(_pdf(letters.outcome_letter_send(actor=cara, application=concluded)))
    assert "The panel did not make any recommendations." in text


def test_a_welsh_speaker_who_asked_for_large_print_gets_both(
    met: Application, cara: User, agencies: list[Agency]
) -> None:
    met.preferred_language = "Cymraeg"
    met.preferred_format = PreferredFormat.LARGE_PRINT
    met.save()
    review.spoc_assign(actor=cara, application=met, spoc=cara)
    decision = letters.decision_letter_send(actor=cara, application=met)
    assert (decision.language, decision.variant) == ("cy", Variant.LARGE_PRINT)
    assert decision.template.key == "case-review-decision-met-cy"
    data = _pdf(decision)
    text = _text(data)
    assert "Annwyl Priya Shah" in text
    welsh_months = ("Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf", "Awst", "Medi", "Hydref")
    assert any(month in text for month in (*welsh_months, "Tachwedd", "Rhagfyr"))
    assert "Rydym wedi penderfynu bod eich cais yn cyrraedd y trothwy" in text
    assert "Eich un pwynt cyswllt yw Cara Coordinator" in text
    assert _body_size(data) >= 16.0
    outcome = letters.outcome_letter_send(actor=cara, application=conclude(met, cara, agencies))
    assert "erbyn" in _text(_pdf(outcome))


def test_a_language_without_a_translation_falls_back_to_english(met: Application, cara: User) -> None:
    met.preferred_language = "Polish"
    met.save()
    review.spoc_assign(actor=cara, application=met, spoc=cara)
    letter = letters.decision_letter_send(actor=cara, application=met)
    assert (letter.language, letter.template.key) == ("en", "case-review-decision-met")


def test_the_pdf_is_emailed_only_to_an_applicant_who_chose_email(
    met: Application, cara: User, django_capture_on_commit_callbacks: object
) -> None:
    review.spoc_assign(actor=cara, application=met, spoc=cara)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        letter = letters.decision_letter_send(actor=cara, application=met)
    assert mail.outbox == []
    assert letter.email_withheld_reason == letters.WITHHELD_NOT_CHOSEN
    Application.objects.filter(pk=met.pk).update(contact_methods=["email", "letter"])
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        letter = letters.decision_letter_send(actor=cara, application=met)
    assert letter.emailed_to == met.email
    (message,) = mail.outbox
    assert message.to == [met.email]
    assert met.reference in message.subject
    (_name, content, mimetype) = message.attachments[0]
    assert mimetype == "application/pdf"
    assert hashlib.sha256(content).hexdigest() == letter.sha256
    assert "Loud music" not in message.body  # the email says there is a letter, nothing about the behaviour


def test_the_pdf_is_downloaded_by_staff_only_and_each_download_is_audited(
    met: Application, cara: User, make_staff: object
) -> None:
    refused = ApplicationFactory.create(not_met=True)
    letter = letters.decision_letter_send(actor=cara, application=refused)
    assert letters.application_letter_read(actor=cara, letter=letter).startswith(b"%PDF")
    assert AuditEvent.objects.filter(verb=AuditVerb.CASE_REVIEW_LETTER_DOWNLOADED).count() == 1
    dpo = make_staff("dpo")  # type: ignore[operator]
    with pytest.raises(Exception, match="No letter found"):
        letters.application_letter_read(actor=dpo, letter=letter)


def test_appeal_outcome_letter_concludes_the_appeal(
    met: Application, cara: User, maya: User, agencies: list[Agency]
) -> None:
    told = outcome_sent(met, cara, agencies)
    assert told.outcome_sent_at is not None
    told_on = timezone.localtime(told.outcome_sent_at).date()
    review.appeal_request(actor=cara, application=told, requested_on=told_on, grounds="Why", chair=maya)
    review.appeal_conclude(
        actor=maya,
        application=told,
        held_on=told_on,
        information_considered="The record",
        result="not_upheld",
        outcome="The review's outcome stands.",
    )
    letter = letters.appeal_outcome_letter_send(actor=maya, application=told)
    text = _text(_pdf(letter))
    assert "Not upheld: the review's outcome stands" in text
    assert "The review's outcome stands." in text
    assert Application.objects.get(pk=met.pk).status == ApplicationStatus.APPEAL_CONCLUDED


def test_applicant_templates_use_only_applicant_fields_and_stay_off_case_letters() -> None:
    for template in LetterTemplate.objects.filter(audience=Audience.APPLICANT):
        assert merge.problems(template.body, template.audience) == [], template.key
    assert "{{ case.reference }} is about a case" in merge.problems("{{ case.reference }}", Audience.APPLICANT)[0]
    assert "is for Case Review letters" in merge.problems("{{ review.outcome }}", Audience.REPORTER)[0]
    assert all(t.audience != Audience.APPLICANT for t in templates_in_use())
