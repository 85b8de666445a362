"""Evidence files over the API (issue 21 part 1): list, upload (multipart) and download, through the same checks as
the staff website's Incidents tab (`cases/views/record.py`).

`case_of` first (404 for a case the token holder may not see; restricted and DA reads audited); the upload goes
through `cases.services.evidence.evidence_upload` (needs `cases.work_case`; type sniffed from the bytes, size limit,
stored privately, audited); every download is audited (`evidencefile.viewed`) and served as an attachment that no
browser will sniff, cache or embed elsewhere.
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from ninja import File, Form, Router, Schema, UploadedFile
from ninja.responses import Status as HttpStatus

from saferhomes.accounts.http import actor_of
from saferhomes.api import idempotency
from saferhomes.api.routers.record_shapes import EvidenceOut
from saferhomes.api.schemas import COMMON_ERRORS, DbInt, ProblemOut, RecordReference
from saferhomes.cases.http import case_of, private_file_response
from saferhomes.cases.models import Case, EvidenceFile
from saferhomes.cases.permissions import WORK_CASE
from saferhomes.cases.selectors.record import case_evidence, case_incidents
from saferhomes.cases.services.evidence import evidence_max_bytes, evidence_size_label, evidence_upload
from saferhomes.cases.storage import EVIDENCE_TYPES
from saferhomes.core.edge import MAX_INTEGER, text_problem
from saferhomes.core.errors import DomainError
from saferhomes.core.idempotency import create_once
from saferhomes.core.permissions import require

router = Router(tags=["Case record"])

READ_ERRORS: dict[int, type[Schema]] = {**COMMON_ERRORS, 403: ProblemOut, 404: ProblemOut}
WRITE_ERRORS: dict[int, type[Schema]] = {**READ_ERRORS, 422: ProblemOut}
DESCRIPTION_MAX = 250

# The download's body: the file's bytes, as the content type detected when it was uploaded.
_FILE_RESPONSE: dict[int, Any] = {
    200: {
        "description": "The file, as an attachment (`Content-Disposition`), in the type detected from its content",
        "content": {
            content_type: {"schema": {"type": "string", "format": "binary"}} for content_type in EVIDENCE_TYPES
        },
    }
}


def _evidence_out(case: Case, evidence: EvidenceFile) -> EvidenceOut:
    uploader = evidence.uploaded_by
    return EvidenceOut(
        id=evidence.pk,
        original_name=evidence.original_name,
        content_type=evidence.content_type,
        size=evidence.size,
        sha256=evidence.sha256,
        description=evidence.description,
        incident_id=evidence.incident_id,
        uploaded_by=(uploader.get_full_name() or uploader.get_username()) if uploader is not None else "",
        uploaded_at=evidence.uploaded_at,
        download=f"/api/v1/cases/{case.reference}/evidence/{evidence.pk}/file",
    )


def _evidence_of(case: Case, evidence_id: int) -> EvidenceFile:
    evidence = case_evidence(case=case).filter(pk=evidence_id).first()
    if evidence is None:
        raise Http404("No such file on this case")
    return evidence


@router.get(
    "/cases/{reference}/evidence",
    response={200: list[EvidenceOut], **READ_ERRORS},
    summary="A case's evidence files",
    operation_id="cases_evidence",
    url_name="cases-evidence",
)
def evidence_list(request: HttpRequest, reference: RecordReference) -> list[EvidenceOut]:
    """Every file on the case, newest first: what it is (by content), its size and SHA-256, the incident it belongs
    to, and where to download it."""
    case = case_of(request, reference)
    return [_evidence_out(case, evidence) for evidence in case_evidence(case=case)]


# Multipart has no numbers and no null: an incident's id is digits, and nothing (or the word null, as a client
# serialises a JSON null into a form) is none. Checked here, so a value the schema allows and the rules refuse is a
# 422 on `incident_id` in the rules' own words.
INCIDENT_ID_PATTERN = r"^\s*([0-9]{0,18}|null)\s*$"


def _incident_id(raw: str | None) -> str:
    """The id's digits, or "" for none."""
    value = (raw or "").strip()
    return "" if value == "null" else value


def _incident_id_problem(raw: str | None) -> str | None:
    value = _incident_id(raw)
    if not value:
        return None
    if not value.isdigit() or not 1 <= int(value) <= MAX_INTEGER:
        return "Select an incident on this case"
    return None


@router.post(
    "/cases/{reference}/evidence",
    response={201: EvidenceOut, **WRITE_ERRORS},
    summary="Upload an evidence file",
    operation_id="cases_evidence_upload",
    url_name="cases-evidence-upload",
)
def evidence_add(
    request: HttpRequest,
    response: HttpResponse,
    reference: RecordReference,
    file: UploadedFile | None = File(None, description="The file (required)"),  # noqa: B008 - ninja's parameter
    description: str = Form("", max_length=DESCRIPTION_MAX, description="What the file shows"),
    incident_id: str = Form(
        "", pattern=INCIDENT_ID_PATTERN, max_length=24, description="The id of an incident on this case (optional)"
    ),
    idempotency_key: str = idempotency.key_header(),
) -> HttpStatus[EvidenceOut]:
    """Attach a file as `multipart/form-data` (`file`, and optionally `description` and `incident_id`). Its type is
    worked out from its content, never its name or declared type: photos (JPG, PNG, GIF, WebP, HEIC), PDF, audio,
    video or plain text, up to the size limit (20 MB unless configured); anything else is refused (422 on `file`).
    Send an `Idempotency-Key` to retry safely."""
    actor, case = actor_of(request), case_of(request, reference)
    require(actor, WORK_CASE)
    key = idempotency.key_of(idempotency_key)
    if file is None:  # a missing file is a rule of this operation, worded as the staff form words it
        raise DomainError(field_errors={"file": "Select a file"})
    problems = {
        field: problem
        for field, problem in (
            ("description", text_problem(description, "The description")),
            ("file", text_problem(file.name or "", "The file's name")),
            ("incident_id", _incident_id_problem(incident_id)),
        )
        if problem
    }
    if problems:
        raise DomainError(field_errors=problems)
    if (file.size or 0) > evidence_max_bytes():  # before the transaction: nothing to lock for a file we refuse
        raise DomainError(
            field_errors={"file": f"The selected file must be smaller than {evidence_size_label(evidence_max_bytes())}"}
        )

    def create() -> int:
        incident = None
        if _incident_id(incident_id):
            incident = case_incidents(case=case).filter(pk=int(_incident_id(incident_id))).first()
            if incident is None:
                raise DomainError(field_errors={"incident_id": "Select an incident on this case"})
        return evidence_upload(
            actor=actor, case=case, file=file, description=description, incident=incident, request=request
        ).pk

    created = create_once(actor=actor, scope=f"cases.evidence_upload:{case.pk}", key=key, create=create)
    idempotency.mark_replayed(response, created)
    return HttpStatus(201, _evidence_out(case, _evidence_of(case, created.object_id)))


@router.get(
    "/cases/{reference}/evidence/{evidence_id}/file",
    response=READ_ERRORS,
    openapi_extra={"responses": _FILE_RESPONSE},
    summary="Download an evidence file",
    operation_id="cases_evidence_download",
    url_name="cases-evidence-download",
)
def evidence_download(request: HttpRequest, reference: RecordReference, evidence_id: DbInt) -> FileResponse:
    """The file's bytes, as an attachment named as uploaded (with the extension its content really has). Every
    download is recorded in the audit trail; 404 for a file on another case or one you may not see."""
    case = case_of(request, reference)
    evidence = _evidence_of(case, evidence_id)
    return private_file_response(evidence, actor=actor_of(request), request=request)
