"""POST /intake/inbound-email/: mail providers that post inbound mail (issue 6 part 4).

JSON `{message_id, from, subject, text, attachments: [{filename, content_base64}]}`, authenticated by the shared
secret in `X-Saferhomes-Webhook-Secret` (settings.INTAKE_WEBHOOK_SECRET, compared in constant time); no session, so
no CSRF token. The message becomes a draft report (services.email); the same message_id again is accepted and
ignored. Answers are JSON; errors are problem+json (RFC 9457) like the API's. Off (403) until a secret is set.
"""

from __future__ import annotations

import base64
import binascii
import email.utils
import hmac
import json
from collections.abc import Iterable, Mapping
from http import HTTPStatus

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from saferhomes.intake.services.email import InboundAttachment, InboundMessage, inbound_email_receive

SECRET_HEADER = "X-Saferhomes-Webhook-Secret"  # noqa: S105  # a header name, not a secret
PROBLEM = "application/problem+json"


class InboundAttachmentIn(BaseModel):
    """A file sent with the message."""

    filename: str = Field("attachment", max_length=255)
    content_base64: str


class InboundEmailIn(BaseModel):
    """An inbound message as a provider posts it."""

    model_config = ConfigDict(populate_by_name=True)

    message_id: str = Field(min_length=1, max_length=255)
    from_: str = Field(alias="from", max_length=320)
    subject: str = Field("", max_length=998)
    text: str = ""
    attachments: list[InboundAttachmentIn] = Field(default_factory=list, max_length=50)


def _problem(status: int, detail: str, errors: Iterable[Mapping[str, str]] = ()) -> HttpResponse:
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "errors": [dict(error) for error in errors],
    }
    return HttpResponse(json.dumps(body), status=status, content_type=PROBLEM)


def _size_limit() -> int:
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 2_621_440)


@csrf_exempt  # authenticated by the shared secret, not a session cookie
@require_POST
def inbound_email(request: HttpRequest) -> HttpResponse:
    """Keep a posted message as a draft report: 202 `{message_id, report_reference, duplicate}`."""
    configured = str(getattr(settings, "INTAKE_WEBHOOK_SECRET", "") or "")
    if not configured:
        return _problem(403, "The inbound email webhook is not enabled on this service.")
    given = request.headers.get(SECRET_HEADER, "")
    if not hmac.compare_digest(given.encode(), configured.encode()):
        return _problem(401, f"Send the shared secret in the {SECRET_HEADER} header.")
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > _size_limit():
        return _problem(413, f"The message is too large: the limit is {_size_limit():,} bytes.")
    try:
        payload = InboundEmailIn.model_validate_json(request.body)
    except PydanticValidationError as exc:
        errors = [
            {"field": ".".join(["body", *(str(part) for part in e.get("loc", ()))]), "message": str(e.get("msg", ""))}
            for e in exc.errors()
        ]
        return _problem(422, f"{len(errors)} field(s) not valid. See errors for each one.", errors)
    attachments = []
    for index, item in enumerate(payload.attachments):
        try:
            content = base64.b64decode(item.content_base64, validate=True)
        except (binascii.Error, ValueError):
            field = f"body.attachments.{index}.content_base64"
            return _problem(
                422, "An attachment is not valid base64.", [{"field": field, "message": "Not valid base64"}]
            )
        attachments.append(InboundAttachment(filename=item.filename, content=content))
    name, address = email.utils.parseaddr(payload.from_)
    message = InboundMessage(
        message_id=payload.message_id.strip(),
        from_address=address,
        from_name=name,
        subject=payload.subject,
        text=payload.text,
        attachments=tuple(attachments),
    )
    inbound, created = inbound_email_receive(message=message, source="webhook")
    report = inbound.report
    return JsonResponse(
        {
            "message_id": inbound.message_id,
            "report_reference": report.reference if report is not None else None,
            "duplicate": not created,
        },
        status=202,
    )
