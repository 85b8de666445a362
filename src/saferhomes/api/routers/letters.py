"""Letters and the evidence bundle over the API (issue 16 items 4 and 5): the letter templates in use, a case's sent
letters, previewing and sending one, downloading a sent letter's PDF, and building the case's evidence bundle.

Thin: `case_of` (404 for a case the token holder cannot see), then the documents services — the same sandboxed merge,
the same perpetrator rule (a letter to an alleged perpetrator that would carry a reporter's, victim's or witness's
details is a 422), the same safe-contact check on sending (someone who asked never to be written to needs an
`override_reason`, ADR 0009), the same audited reads.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema
from ninja.responses import Status as HttpStatus

from saferhomes.accounts.http import actor_of
from saferhomes.api import idempotency
from saferhomes.api.schemas import COMMON_ERRORS, LONG_TEXT_MAX, ApiIn, DbInt, ProblemOut, RecordReference
from saferhomes.cases.http import case_of
from saferhomes.cases.models import Case, Party
from saferhomes.cases.permissions import WORK_CASE
from saferhomes.core.errors import DomainError
from saferhomes.core.idempotency import create_once
from saferhomes.core.pdf import pdf_response
from saferhomes.core.permissions import require
from saferhomes.documents.models import Letter, SentBy, Variant
from saferhomes.documents.selectors import case_letters, letter_for_case, templates_in_use
from saferhomes.documents.services.bundle import bundle_build
from saferhomes.documents.services.letters import letter_compose, letter_read, letter_send

router = Router(tags=["Letters and bundles"])

READ_ERRORS: dict[int, type[Schema]] = {**COMMON_ERRORS, 403: ProblemOut, 404: ProblemOut}
WRITE_ERRORS: dict[int, type[Schema]] = {**READ_ERRORS, 422: ProblemOut}
PDF = {
    "200": {
        "description": "The PDF",
        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
    }
}


class LetterTemplateOut(Schema):
    key: str
    name: str
    audience: str = Field(description="Who it is written to: reporter, victim, witness, alleged_perpetrator, other")
    version: int


class LetterIn(ApiIn):
    """Which template, to whom on the case, in which format (empty: the one the person's preferred format chooses)."""

    template: str = Field(min_length=1, max_length=60, description="A template key from GET /letter-templates")
    party: DbInt = Field(description="The id of a person on the case")
    variant: Literal[tuple(Variant.values)] | None = Field(None, description="standard, large_print or easy_read")  # type: ignore[valid-type]

    columns: ClassVar[dict[str, str]] = {"template": "documents.LetterTemplate.key"}


class LetterSendIn(LetterIn):
    sent_how: Literal[tuple(SentBy.values)] = Field(SentBy.POST, description="How it goes: post, hand or email")  # type: ignore[valid-type]
    override_reason: str = Field(
        "",
        max_length=LONG_TEXT_MAX,
        description="Why you write although the person asked never to be contacted by letter (or email)",
    )


class LetterPreviewOut(Schema):
    template: str
    party: int
    variant: str
    address: list[str]
    text: str


class LetterOut(Schema):
    id: int
    template: str
    template_version: int
    party: int | None
    recipient_name: str
    variant: str
    sent_how: str
    sent_at: dt.datetime
    sent_by: str
    sha256: str


def _arguments(case: Case, payload: LetterIn) -> dict[str, Any]:
    """The template in use and the person on this case the payload names (422 naming the field otherwise)."""
    template = next((t for t in templates_in_use() if t.key == payload.template), None)
    if template is None:
        raise DomainError(field_errors={"template": "Select a letter template that is in use"})
    party = Party.objects.select_related("person").filter(case=case, pk=payload.party).first()
    if party is None:
        raise DomainError(field_errors={"party": "Select someone who is on this case"})
    return {"template": template, "party": party, "variant": payload.variant or ""}


def _out(letter: Letter) -> LetterOut:
    return LetterOut(
        id=letter.pk,
        template=letter.template.key,
        template_version=letter.template_version.version,
        party=letter.party_id,
        recipient_name=letter.recipient_name,
        variant=letter.variant,
        sent_how=letter.sent_how,
        sent_at=letter.sent_at,
        sent_by=letter.sent_by.get_full_name() or letter.sent_by.get_username(),
        sha256=letter.sha256,
    )


@router.get(
    "/letter-templates",
    response={200: list[LetterTemplateOut], **READ_ERRORS},
    summary="Letter templates in use",
    operation_id="letter_templates_list",
    url_name="letter-templates",
)
def templates(request: HttpRequest) -> list[LetterTemplateOut]:
    """The templates staff may write from, by name."""
    require(actor_of(request), WORK_CASE)
    return [
        LetterTemplateOut(key=t.key, name=t.name, audience=t.audience, version=t.version) for t in templates_in_use()
    ]


@router.get(
    "/cases/{reference}/letters",
    response={200: list[LetterOut], **READ_ERRORS},
    summary="A case's sent letters",
    operation_id="cases_letters_list",
    url_name="cases-letters",
)
def letters(request: HttpRequest, reference: RecordReference) -> list[LetterOut]:
    """Every letter sent on the case, newest first."""
    case = case_of(request, reference)
    items = case_letters(case=case).select_related("template_version").order_by("-sent_at", "-pk")
    return [_out(letter) for letter in items]


@router.post(
    "/cases/{reference}/letters/preview",
    response={200: LetterPreviewOut, **WRITE_ERRORS},
    summary="Preview a letter",
    operation_id="cases_letter_preview",
    url_name="cases-letter-preview",
)
def preview(request: HttpRequest, reference: RecordReference, payload: LetterIn) -> LetterPreviewOut:
    """The merged words and address, checked as sending checks them; nothing is stored or sent."""
    actor, case = actor_of(request), case_of(request, reference)
    require(actor, WORK_CASE)
    draft = letter_compose(actor=actor, case=case, **_arguments(case, payload))
    return LetterPreviewOut(
        template=draft.template.key, party=draft.party.pk, variant=draft.variant, address=draft.address, text=draft.text
    )


@router.post(
    "/cases/{reference}/letters",
    response={201: LetterOut, **WRITE_ERRORS},
    summary="Send a letter",
    operation_id="cases_letter_send",
    url_name="cases-letter-send",
)
def send(
    request: HttpRequest,
    response: HttpResponse,
    reference: RecordReference,
    payload: LetterSendIn,
    idempotency_key: str = idempotency.key_header(),
) -> HttpStatus[LetterOut]:
    """Send a letter: merged, checked, drawn as a PDF in the landlord's name, recorded as a contact, kept on the case,
    audited. Send an `Idempotency-Key` to retry safely."""
    actor, case = actor_of(request), case_of(request, reference)
    require(actor, WORK_CASE)
    arguments = _arguments(case, payload)
    key = idempotency.key_of(idempotency_key)

    def create() -> int:
        return letter_send(
            actor=actor,
            case=case,
            sent_how=payload.sent_how,
            override_reason=payload.override_reason,
            request=request,
            **arguments,
        ).pk

    created = create_once(actor=actor, scope=f"documents.letter:{case.pk}", key=key, create=create)
    idempotency.mark_replayed(response, created)
    letter = case_letters(case=case).select_related("template_version").get(pk=created.object_id)
    return HttpStatus(201, _out(letter))


@router.get(
    "/cases/{reference}/letters/{letter_id}/pdf",
    response=READ_ERRORS,
    summary="A sent letter's PDF",
    operation_id="cases_letter_pdf",
    url_name="cases-letter-pdf",
    openapi_extra={"responses": PDF},
)
def letter_pdf(request: HttpRequest, reference: RecordReference, letter_id: DbInt) -> HttpResponse:
    """The PDF as sent (every download is audited)."""
    case = case_of(request, reference)
    letter = letter_for_case(case=case, pk=letter_id)
    data = letter_read(actor=actor_of(request), letter=letter, request=request)
    return pdf_response(data, f"{case.reference}-{letter.template.key}-{letter.sent_at:%Y%m%d}.pdf")


@router.post(
    "/cases/{reference}/bundle",
    response=READ_ERRORS,
    summary="Build the evidence bundle",
    operation_id="cases_bundle_build",
    url_name="cases-bundle",
    openapi_extra={"responses": PDF},
)
def bundle(request: HttpRequest, reference: RecordReference) -> HttpResponse:
    """One paginated, indexed PDF for a court or a panel, contact details of reporters, victims and witnesses
    redacted (ADR 0012); building it is audited with its SHA-256."""
    actor, case = actor_of(request), case_of(request, reference)
    require(actor, WORK_CASE)
    built = bundle_build(actor=actor, case=case, request=request)
    return pdf_response(built.pdf, f"bundle-{case.reference}.pdf")
