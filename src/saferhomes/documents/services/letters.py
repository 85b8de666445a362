"""Letters on a case: merge a template for a party, preview it, send it (issue 16 part 4).

`letter_compose` merges a template's current version with the case's values in the sandbox (`documents.merge`) and,
for a letter to an alleged perpetrator, refuses text that holds any reporter's, victim's or witness's details
(`documents.protect`). `letter_send` composes, draws the PDF in the landlord's name in the chosen variant, records the
contact through `contact_record` (so the party's safe-contact instructions apply: someone who asked never to be
written to needs an override reason, ADR 0009), keeps the PDF in private storage with its SHA-256 and audits it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.formats import date_format

from saferhomes.accounts.models import User
from saferhomes.cases.models import Case, Party, PartyRole
from saferhomes.cases.permissions import WORK_CASE
from saferhomes.cases.selectors.case import cases_visible_to
from saferhomes.cases.services.record import contact_record
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.pdf import render_pdf
from saferhomes.core.permissions import require
from saferhomes.documents import merge
from saferhomes.documents.models import Audience, Letter, LetterTemplate, SentBy, Variant
from saferhomes.documents.protect import party_address_lines, perpetrator_leaks
from saferhomes.housing.models import ContactMethod, PreferredFormat

LETTER_PDF_TEMPLATE = "documents/pdf/letter.html"
# Which template audience may be sent to which party role.
AUDIENCE_ROLES: dict[str, frozenset[str]] = {
    Audience.REPORTER: frozenset({PartyRole.REPORTER}),
    Audience.VICTIM: frozenset({PartyRole.VICTIM}),
    Audience.WITNESS: frozenset({PartyRole.WITNESS}),
    Audience.ALLEGED_PERPETRATOR: frozenset({PartyRole.ALLEGED_PERPETRATOR}),
    Audience.OTHER: frozenset({PartyRole.HOUSEHOLD_MEMBER, PartyRole.PROFESSIONAL}),
}
FORMAT_VARIANTS = {PreferredFormat.LARGE_PRINT: Variant.LARGE_PRINT, PreferredFormat.EASY_READ: Variant.EASY_READ}


@dataclass(frozen=True)
class LetterDraft:
    """A merged letter, ready to preview or send."""

    case: Case
    party: Party
    template: LetterTemplate
    variant: str
    text: str
    address: list[str]

    @property
    def variant_label(self) -> str:
        return str(Variant(self.variant).label)


def default_variant(party: Party) -> str:
    """The variant the party's preferred format chooses (large print, easy read), else standard."""
    preferred = party.person.preferred_format if party.person_id is not None and party.person else ""
    preferred = party.preferred_format or preferred
    return FORMAT_VARIANTS.get(preferred, Variant.STANDARD)  # type: ignore[call-overload]


def letter_values(*, case: Case, party: Party, actor: User) -> dict[str, str]:
    """The value of every merge field for a letter on `case` to `party` from `actor`."""
    latest = case.incidents.order_by("-occurred_at").first()
    reporter = case.parties.select_related("person").filter(role=PartyRole.REPORTER, anonymous=False).first()
    person = party.person if party.person_id is not None else None
    salutation = f"Dear {person.title} {person.last_name}" if person and person.title else f"Dear {party.display_name}"
    return {
        "recipient.name": party.display_name,
        "recipient.address": "\n".join(party_address_lines(party)),
        "recipient.salutation": salutation,
        "case.reference": case.reference,
        "case.type": case.get_case_type_display().lower(),
        "case.outcome": case.outcome_shareable or (case.get_outcome_display() if case.outcome else ""),
        "officer.name": actor.get_full_name() or actor.get_username(),
        "officer.email": actor.email,
        "landlord.name": settings.LANDLORD_NAME,
        "today": date_format(timezone.localdate(), "j F Y"),
        "incident.date": date_format(timezone.localtime(latest.occurred_at), "j F Y") if latest else "",
        "incident.summary": latest.description.strip() if latest else "",
        "incident.location": (latest.location_text or (str(latest.property) if latest.property else ""))
        if latest
        else "",
        "reporter.name": reporter.display_name if reporter else "",
        "interview.when": "[date, time and place]",
    }


def _visible_case(actor: User, case: Case) -> Case:
    require(actor, WORK_CASE)
    if not cases_visible_to(actor=actor).filter(pk=case.pk).exists():
        raise Http404("No case found")
    return case


def letter_compose(
    *, actor: User, case: Case, party: Party, template: LetterTemplate, variant: str = ""
) -> LetterDraft:
    """Merge `template` for `party`; refused when the template is not for them or the text would leak."""
    _visible_case(actor, case)
    errors: dict[str, str] = {}
    if party.case_id != case.pk:
        errors["party"] = "Select someone who is on this case"
    elif party.anonymous and party.person_id is None:
        errors["party"] = "We cannot write to an anonymous reporter"
    elif party.role not in AUDIENCE_ROLES.get(template.audience, frozenset()):
        errors["template"] = (
            f"{template.name} is written to the {template.get_audience_display().lower()}: "
            f"choose a template for the {party.get_role_display().lower()}"
        )
    if not template.active:
        errors["template"] = "That template is no longer in use: choose another"
    variant = variant or default_variant(party)
    if variant not in Variant.values:
        errors["variant"] = "Select the letter's format"
    if errors:
        raise DomainError(field_errors=errors)
    # The sandbox again at merge time: a template saved before a rule changed is still checked.
    merge.validate(template.body, template.audience)
    text = merge.render(template.body, letter_values(case=case, party=party, actor=actor)).strip()
    if party.role == PartyRole.ALLEGED_PERPETRATOR:
        leaks = perpetrator_leaks(text, case=case, recipient=party)
        if leaks:
            raise DomainError(
                "A letter to an alleged perpetrator can never include a reporter's, victim's or witness's name, "
                f"address or contact details, and this one includes {', '.join(leaks)}. Change the incident "
                "summary or the template, then try again."
            )
    return LetterDraft(
        case=case, party=party, template=template, variant=variant, text=text, address=party_address_lines(party)
    )


def letter_pdf_render(
    *, recipient_name: str, address: list[str], heading: str, text: str, variant: str, title: str
) -> bytes:
    """Any merged letter drawn in the landlord's name, in its variant: the one letter renderer (case letters here,
    Case Review letters in case_review.services.letters)."""
    paragraphs = [block.strip() for block in text.split("\n\n") if block.strip()]
    return render_pdf(
        LETTER_PDF_TEMPLATE,
        {
            "recipient_name": recipient_name,
            "address": address,
            "heading": heading,
            "paragraphs": paragraphs,
            "variant": variant,
            "landlord_contact": getattr(settings, "LANDLORD_CONTACT", {}),
            "today": timezone.localdate(),
        },
        title=title,
        marking="OFFICIAL",
    )


def letter_pdf(draft: LetterDraft) -> bytes:
    """The letter drawn in the landlord's name, in its variant."""
    return letter_pdf_render(
        recipient_name=draft.party.display_name,
        address=draft.address,
        heading=draft.template.name,
        text=draft.text,
        variant=draft.variant,
        title=f"{draft.template.name}: {draft.case.reference}",
    )


def letter_send(
    *,
    actor: User,
    case: Case,
    party: Party,
    template: LetterTemplate,
    variant: str = "",
    sent_how: str = SentBy.POST,
    override_reason: str = "",
    sent_at: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> Letter:
    """Send a letter: merged, checked, drawn, recorded as a contact, kept on the case and audited. `sent_at` (default
    now) is for the demo seed, which writes its letters in a past working day's office hours."""
    sent_at = sent_at or timezone.now()
    if sent_how not in SentBy.values:
        raise DomainError(field_errors={"sent_how": "Select how the letter is sent"})
    draft = letter_compose(actor=actor, case=case, party=party, template=template, variant=variant)
    pdf = letter_pdf(draft)  # outside the transaction: drawing takes a moment
    digest = hashlib.sha256(pdf).hexdigest()
    method = ContactMethod.EMAIL if sent_how == SentBy.EMAIL else ContactMethod.LETTER
    with transaction.atomic():
        contact_record(
            actor=actor,
            case=case,
            party=party,
            method=method,
            occurred_at=sent_at,
            summary=f"{template.name} sent ({SentBy(sent_how).label.lower()}).",
            override_reason=override_reason,
            request=request,
        )
        version = template.versions.get(version=template.version)
        letter = Letter(
            case=case,
            party=party,
            recipient_name=party.display_name[:250],
            template=template,
            template_version=version,
            variant=draft.variant,
            text=draft.text,
            sha256=digest,
            sent_by=actor,
            sent_how=sent_how,
            sent_at=sent_at,
        )
        letter.pdf.save(f"{digest[:32]}.pdf", ContentFile(pdf), save=False)
        try:
            letter.save()
            audit(
                actor=actor,
                verb=AuditVerb.LETTER_SENT,
                obj=letter,
                object_label=f"{case.reference}: {template.name} to {party.display_name}"[:200],
                after={
                    "template": template.key,
                    "version": template.version,
                    "party": party.pk,
                    "variant": draft.variant,
                    "sent_how": sent_how,
                    "sha256": digest,
                },
                request=request,
            )
        except Exception:
            letter.pdf.delete(save=False)
            raise
    return letter


def letter_read(*, actor: User, letter: Letter, request: HttpRequest | None = None) -> bytes:
    """The sent PDF, for someone who can see the case; every read is audited."""
    if not cases_visible_to(actor=actor).filter(pk=letter.case_id).exists():
        raise Http404("No letter found")
    with letter.pdf.open("rb") as handle:
        data = handle.read()
    audit(
        actor=actor,
        verb=AuditVerb.LETTER_DOWNLOADED,
        obj=letter,
        object_label=f"{letter.case.reference}: {letter.template.name} to {letter.recipient_name}"[:200],
        request=request,
    )
    return data
