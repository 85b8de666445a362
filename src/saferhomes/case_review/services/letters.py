"""Letters to a Case Review applicant (issue 17 part 5; ADR 0014): the threshold decision, the review's outcome and
the appeal's outcome, in plain English, with their reasonable adjustments.

The words are the documents app's templates (documents/template_files/letters.yaml, audience "applicant"), merged in
its sandbox (`documents.merge`) and drawn by its one renderer (`letter_pdf_render`). A template whose key ends "-cy"
is the Welsh translation, used when the applicant's preferred language is Welsh; their preferred format chooses
large print or easy read. The sent letter is kept with the application (`ApplicationLetter`: the words, the PDF and
its SHA-256, the template version). Sending one tells the applicant, so it sets `applicant_told_at` (decision),
`outcome_sent_at` and the status (outcome), or the appeal's `outcome_sent_at` and the status (appeal outcome). The PDF
is emailed after the commit only where the applicant chose email and never asked us not to use it (`email_withheld`).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone, translation
from django.utils.formats import date_format

from saferhomes.accounts.models import User
from saferhomes.case_review.models import (
    Appeal,
    Application,
    ApplicationLetter,
    ApplicationStatus,
    LetterKind,
    Recommendation,
    ReviewPanel,
    Stage,
)
from saferhomes.case_review.selectors.applications import applications_visible_to
from saferhomes.case_review.services.review import DECIDE_CASE_REVIEW
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.mail import templated_email
from saferhomes.core.permissions import require
from saferhomes.documents import merge
from saferhomes.documents.models import Audience, LetterTemplate, Variant
from saferhomes.documents.services.letters import FORMAT_VARIANTS, letter_pdf_render
from saferhomes.housing.models import ContactMethod

logger = logging.getLogger(__name__)

WELSH = "cy"
# What an applicant may write as their preferred language, for each translation we ship.
LANGUAGE_NAMES = {WELSH: frozenset({"welsh", "cymraeg", "cy", "cy-gb"})}
WORDS = {
    "en": {"dear": "Dear", "by": "by", "none": "The panel did not make any recommendations."},
    WELSH: {"dear": "Annwyl", "by": "erbyn", "none": "Ni wnaeth y panel unrhyw argymhellion."},
}

WITHHELD_NO_EMAIL = "No email address given"
WITHHELD_NOT_CHOSEN = "The applicant did not choose email as a way to contact them"
WITHHELD_AVOIDED = "The applicant asked never to be emailed"
WITHHELD_FAILED = "The email could not be sent"


def language_for(application: Application) -> str:
    """'cy' when the applicant's preferred language is Welsh, else 'en'."""
    wanted = application.preferred_language.strip().lower()
    return next((code for code, names in LANGUAGE_NAMES.items() if wanted in names), "en")


def variant_for(application: Application) -> str:
    """Large print or easy read when the applicant (or their register record) asked for it, else standard."""
    preferred = application.preferred_format
    if not preferred and application.person_id is not None and application.person is not None:
        preferred = application.person.preferred_format
    return FORMAT_VARIANTS.get(preferred, Variant.STANDARD)  # type: ignore[call-overload]


def email_withheld(application: Application) -> str:
    """Why the letter may not be emailed ('' when it may): an address, email chosen, and never 'do not email'."""
    if not application.email:
        return WITHHELD_NO_EMAIL
    avoid = list(application.person.contact_avoid or []) if application.person_id and application.person else []
    if ContactMethod.EMAIL in avoid:
        return WITHHELD_AVOIDED
    if ContactMethod.EMAIL not in (application.contact_methods or []):
        return WITHHELD_NOT_CHOSEN
    return ""


def _template_key(application: Application, kind: str) -> str:
    if kind == LetterKind.DECISION:
        return "case-review-decision-met" if application.threshold_met else "case-review-decision-not-met"
    return "case-review-outcome" if kind == LetterKind.OUTCOME else "case-review-appeal-outcome"


def template_for(application: Application, kind: str) -> tuple[LetterTemplate, str]:
    """The template for this letter and the language it is in: the applicant's translation where there is one."""
    key = _template_key(application, kind)
    language = language_for(application)
    candidates = [(f"{key}-{language}", language)] if language != "en" else []
    for candidate, used in [*candidates, (key, "en")]:
        template = LetterTemplate.objects.filter(key=candidate, active=True, audience=Audience.APPLICANT).first()
        if template is not None:
            return template, used
    raise DomainError(f"The letter template {key} is missing or not in use: ask an administrator to restore it")


def _person(user: User | None) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _recommendations(items: list[Recommendation], language: str) -> str:
    if not items:
        return WORDS[language]["none"]
    lines = []
    for number, item in enumerate(items, start=1):
        owner = item.owner_in_words
        due = date_format(item.due_on, "j F Y")
        lines.append(f"{number}. {item.text.strip()} ({owner}, {WORDS[language]['by']} {due})")
    return "\n".join(lines)


def letter_values(*, application: Application, kind: str, actor: User, language: str) -> dict[str, str]:
    """The value of every applicant merge field for this letter, dates in the letter's language."""
    panel = ReviewPanel.objects.filter(application=application).first()
    appeal = Appeal.objects.filter(application=application).first()
    stage = Stage.APPEAL if kind == LetterKind.APPEAL_OUTCOME else Stage.REVIEW
    items = list(application.recommendations.filter(stage=stage).select_related("owner_agency", "owner_user"))
    spoc = application.spoc or actor
    with translation.override(language):
        return {
            "recipient.name": application.applicant_name,
            "recipient.address": "\n".join(line for line in (application.address, application.postcode) if line),
            "recipient.salutation": f"{WORDS[language]['dear']} {application.applicant_name}",
            "officer.name": _person(actor),
            "officer.email": actor.email,
            "landlord.name": settings.LANDLORD_NAME,
            "today": date_format(timezone.localdate(), "j F Y"),
            "application.reference": application.reference,
            "application.received": date_format(timezone.localtime(application.received_at), "j F Y"),
            "decision.reasons": application.decision_reasons.strip(),
            "spoc.name": _person(spoc),
            "spoc.email": spoc.email,
            "review.date": date_format(panel.held_on, "j F Y") if panel else "",
            "review.outcome": panel.outcome.strip() if panel else "",
            "review.recommendations": _recommendations(items, language),
            "appeal.date": date_format(appeal.held_on, "j F Y") if appeal and appeal.held_on else "",
            "appeal.result": appeal.get_result_display() if appeal and appeal.result else "",
            "appeal.outcome": appeal.outcome.strip() if appeal else "",
        }


@dataclass(frozen=True)
class ApplicationLetterDraft:
    application: Application
    kind: str
    template: LetterTemplate
    language: str
    variant: str
    text: str
    address: list[str]

    @property
    def variant_label(self) -> str:
        return str(Variant(self.variant).label)


def _ready_problem(application: Application, kind: str) -> str:
    """Why this letter cannot be sent now ('' when it can)."""
    if kind == LetterKind.DECISION:
        if application.threshold_met is None or application.decided_at is None:
            return "Record the threshold decision before its letter"
        if application.threshold_met and application.spoc_id is None:
            return "Name the single point of contact first: the letter tells the applicant who it is"
        return ""
    if kind == LetterKind.OUTCOME:
        if application.review_held_at is None or application.status not in (
            ApplicationStatus.REVIEW,
            ApplicationStatus.OUTCOME_SENT,
        ):
            return "Conclude the review before its outcome letter"
        return ""
    appeal = Appeal.objects.filter(application=application).first()
    if appeal is None or appeal.concluded_at is None:
        return "Conclude the appeal before its outcome letter"
    return ""


def letter_compose(*, actor: User, application: Application, kind: str) -> ApplicationLetterDraft:
    """Merge the right template for this applicant; refused (with the reason) when the letter is not due."""
    require(actor, DECIDE_CASE_REVIEW)
    if kind not in LetterKind.values:
        raise Http404("No such letter")
    if not applications_visible_to(actor=actor).filter(pk=application.pk).exists():
        raise Http404("No such Case Review application")
    problem = _ready_problem(application, kind)
    if problem:
        raise DomainError(problem)
    template, language = template_for(application, kind)
    merge.validate(template.body, template.audience)  # the sandbox again at merge time
    values = letter_values(application=application, kind=kind, actor=actor, language=language)
    text = merge.render(template.body, values).strip()
    address = [line for line in (application.address, application.postcode) if line]
    return ApplicationLetterDraft(
        application=application,
        kind=kind,
        template=template,
        language=language,
        variant=variant_for(application),
        text=text,
        address=address,
    )


def letter_pdf(draft: ApplicationLetterDraft) -> bytes:
    """The letter drawn by the documents app's renderer, its date in the letter's language."""
    with translation.override(draft.language):
        return _render(draft)


def _render(draft: ApplicationLetterDraft) -> bytes:
    return letter_pdf_render(
        recipient_name=draft.application.applicant_name,
        address=draft.address,
        heading=draft.template.name,
        text=draft.text,
        variant=draft.variant,
        title=f"{draft.template.name}: {draft.application.reference}",
    )


def _email_after_commit(letter_id: int, pdf: bytes) -> None:
    letter = ApplicationLetter.objects.select_related("application").get(pk=letter_id)
    application = letter.application
    message = templated_email(
        "case_review/email/letter",
        {
            "first_name": application.first_name,
            "reference": application.reference,
            "heading": letter.template.name,
            "landlord_name": settings.LANDLORD_NAME,
        },
        to=[application.email],
    )
    message.attach(f"{application.reference}-{letter.kind}.pdf", pdf, "application/pdf")
    try:
        message.send()
    except OSError:  # smtplib errors are OSErrors: the letter is kept; staff see it was not emailed
        logger.exception("Case Review letter %s could not be emailed", letter_id)
        ApplicationLetter.objects.filter(pk=letter_id).update(emailed_to="", email_withheld_reason=WITHHELD_FAILED)


def _send(*, actor: User, application: Application, kind: str, request: HttpRequest | None = None) -> ApplicationLetter:
    require(actor, DECIDE_CASE_REVIEW)
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",)).select_related("person", "spoc").get(pk=application.pk)
        )
        draft = letter_compose(actor=actor, application=locked, kind=kind)
        pdf = letter_pdf(draft)
        digest = hashlib.sha256(pdf).hexdigest()
        withheld = email_withheld(locked)
        letter = ApplicationLetter(
            application=locked,
            kind=kind,
            recipient_name=locked.applicant_name[:250],
            template=draft.template,
            template_version=draft.template.versions.get(version=draft.template.version),
            variant=draft.variant,
            language=draft.language,
            text=draft.text,
            sha256=digest,
            emailed_to="" if withheld else locked.email,
            email_withheld_reason=withheld,
            sent_by=actor,
        )
        letter.pdf.save(f"{digest[:32]}.pdf", ContentFile(pdf), save=False)
        try:
            letter.save()
            before = {"status": locked.status}
            now = timezone.now()
            if kind == LetterKind.DECISION:
                locked.applicant_told_at = locked.applicant_told_at or now
            elif kind == LetterKind.OUTCOME:
                locked.outcome_sent_at = locked.outcome_sent_at or now
                if locked.status == ApplicationStatus.REVIEW:
                    locked.status = ApplicationStatus.OUTCOME_SENT
            else:
                Appeal.objects.filter(application=locked, outcome_sent_at__isnull=True).update(outcome_sent_at=now)
                locked.status = ApplicationStatus.APPEAL_CONCLUDED
            locked.version += 1
            locked.save(update_fields=["applicant_told_at", "outcome_sent_at", "status", "updated_at", "version"])
            audit(
                actor=actor,
                verb=AuditVerb.CASE_REVIEW_LETTER_SENT,
                obj=letter,
                object_label=f"{locked.reference}: {letter.get_kind_display()}"[:200],
                before=before,
                after={
                    "status": locked.status,
                    "template": draft.template.key,
                    "version": draft.template.version,
                    "variant": draft.variant,
                    "language": draft.language,
                    "emailed": not withheld,
                    "withheld": withheld,
                    "sha256": digest,
                },
                request=request,
            )
        except Exception:
            letter.pdf.delete(save=False)
            raise
        if not withheld:
            letter_id = letter.pk
            transaction.on_commit(lambda: _email_after_commit(letter_id, pdf))
    return letter


def decision_letter_send(
    *, actor: User, application: Application, request: HttpRequest | None = None
) -> ApplicationLetter:
    """Tell the applicant the threshold decision (met or not met, why, what next, how to ask again)."""
    return _send(actor=actor, application=application, kind=LetterKind.DECISION, request=request)


def outcome_letter_send(
    *, actor: User, application: Application, request: HttpRequest | None = None
) -> ApplicationLetter:
    """Tell the applicant the review's outcome and its recommendations; the status becomes 'outcome sent'."""
    return _send(actor=actor, application=application, kind=LetterKind.OUTCOME, request=request)


def appeal_outcome_letter_send(
    *, actor: User, application: Application, request: HttpRequest | None = None
) -> ApplicationLetter:
    """Tell the applicant the appeal's outcome; the status becomes 'appeal concluded'."""
    return _send(actor=actor, application=application, kind=LetterKind.APPEAL_OUTCOME, request=request)


def application_letter_read(*, actor: User, letter: ApplicationLetter, request: HttpRequest | None = None) -> bytes:
    """The sent PDF for staff who may see the application; every read is audited."""
    if not applications_visible_to(actor=actor).filter(pk=letter.application_id).exists():
        raise Http404("No letter found")
    with letter.pdf.open("rb") as handle:
        data = handle.read()
    audit(
        actor=actor,
        verb=AuditVerb.CASE_REVIEW_LETTER_DOWNLOADED,
        obj=letter,
        object_label=f"{letter.application.reference}: {letter.get_kind_display()}"[:200],
        request=request,
    )
    return data
