"""The case a staff URL names, for the member of staff asking: the one "this case for this actor or 404"; and a
private file (evidence, a report's attachment) sent as a download."""

from __future__ import annotations

from typing import Protocol, cast

from django.db.models import Model
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest

from saferhomes.accounts.http import actor_of
from saferhomes.accounts.models import User
from saferhomes.cases.models import Case
from saferhomes.cases.selectors.case import case_get_for_actor
from saferhomes.cases.storage import evidence_download_name
from saferhomes.core.audit import audit_read


def case_of(request: HttpRequest, reference: str) -> Case:
    """The case with this reference if the signed-in user may see it (Http404 otherwise; restricted and DA reads
    are audited with the page's path as the reason)."""
    return case_get_for_actor(actor=actor_of(request), reference=reference, request=request)


class PrivateFile(Protocol):
    """A record holding an uploaded file: case evidence, a report's attachment."""

    file: FieldFile
    original_name: str
    content_type: str


def private_file_response(record: Model, *, actor: User, request: HttpRequest) -> FileResponse:
    """The record's file as an attachment (its type as checked at upload, sniffing off, never cached, not for other
    sites), the read audited; 404 when the file is missing from storage. For the staff pages and the API alike."""
    upload = cast(PrivateFile, record)
    try:
        handle = upload.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing from storage.") from None
    audit_read(actor=actor, obj=record, request=request)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence_download_name(upload.original_name, upload.content_type),
        content_type=upload.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
