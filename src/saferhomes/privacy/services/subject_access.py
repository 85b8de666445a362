"""Subject access (issue 19 part 4; ADR 0019): the reviewer's choices (records left out, extra words to redact) and
the export: a ZIP of `records.json` (every included record, dates ISO 8601, other people redacted), `summary.pdf` (a
covering letter, what we hold, where it came from, whom we shared it with, how long we keep it, their rights, then
each record) and copies of the subject's own files (letters to them, files they sent with their own reports).

Other files are listed as held and withheld because they show other people. The export is kept in private storage,
audited (`SUBJECT_ACCESS_EXPORTED`) and is itself the record of the disclosure to the data subject, which the DPO's
disclosure log lists."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.pdf import render_pdf
from saferhomes.core.permissions import require
from saferhomes.core.redaction import THIRD_PARTY, TermRedactor
from saferhomes.privacy.models_rights import RightsKind, RightsRequest, SubjectAccessExport
from saferhomes.privacy.selectors.subject_access import SearchResult, subject_access_search
from saferhomes.privacy.selectors.subject_access_records import HANDLE, KIND_LABELS, FoundRecord
from saferhomes.privacy.services.rights import rights_request_start

MAX_EXTRA_REDACTIONS = 100
_SAFE = str.maketrans({c: "-" for c in '/\\:*?"<>| '})


def redactor_for(result: SearchResult) -> TermRedactor:
    """Other people's names, contact details and addresses, and the reviewer's extra words, as `[third party]`."""
    extra = [w for w in result.request.extra_redactions or [] if w.strip()]
    return TermRedactor(
        phrases=[*result.third_party_phrases, *extra],
        names=list(result.third_party_names),
        phones=list(result.third_party_phones),
        replacement=THIRD_PARTY,
    )


def redact_value(value: Any, redact: TermRedactor) -> Any:
    """Strings redacted, lists and dicts walked, times in Europe/London, anything else as it is."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value)
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list | tuple):
        return [redact_value(item, redact) for item in value]
    if isinstance(value, dict):
        return {key: redact_value(item, redact) for key, item in value.items()}
    return value


def subject_access_review_save(
    *,
    actor: User,
    rights_request: RightsRequest,
    shown_keys: list[str],
    included_keys: list[str],
    extra_redactions: list[str],
    request: HttpRequest | None = None,
) -> RightsRequest:
    """Keep the reviewer's choices: records shown but not ticked are left out (false matches); extra words to redact."""
    require(actor, HANDLE)
    extra = [w.strip() for w in extra_redactions if w.strip()]
    if len(extra) > MAX_EXTRA_REDACTIONS:
        raise DomainError(field_errors={"extra_redactions": f"Enter {MAX_EXTRA_REDACTIONS} words or fewer"})
    if any(len(w) < 2 for w in extra):
        raise DomainError(field_errors={"extra_redactions": "Each word to redact must be 2 characters or more"})
    with transaction.atomic():
        locked = RightsRequest.objects.select_for_update().get(pk=rights_request.pk)
        if not locked.is_open:
            raise DomainError("A request that has been decided cannot be changed")
        shown, included = set(shown_keys), set(included_keys)
        kept = [key for key in locked.excluded_keys or [] if key not in shown]
        locked.excluded_keys = sorted(set(kept) | (shown - included))
        locked.extra_redactions = extra
        locked.save(update_fields=["excluded_keys", "extra_redactions"])
        audit(
            actor=actor,
            verb=AuditVerb.SUBJECT_ACCESS_SEARCHED,
            obj=locked,
            after={"excluded": locked.excluded_keys, "extra_redactions": len(extra)},
            reason="Review of the records found",
            request=request,
        )
    rights_request_start(actor=actor, rights_request=locked)
    return locked


@dataclass
class ExportContent:
    """What goes in the ZIP, before it is written."""

    records: list[dict[str, Any]]
    included: list[tuple[str, bytes]]
    withheld: list[dict[str, str]]
    counts: dict[str, int]
    display: list[list[tuple[str, str]]]


def _text(value: Any) -> str:
    """A value as words for the PDF: dates in Europe/London, yes/no, lists joined."""
    if isinstance(value, dt.datetime):
        return f"{timezone.localtime(value):%-d %B %Y, %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%-d %B %Y}"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list | tuple):
        return "; ".join(_text(item) for item in value if item not in ("", None))
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_text(item)}" for key, item in value.items())
    return "" if value is None else str(value)


def _display_rows(fields: dict[str, Any]) -> list[tuple[str, str]]:
    rows = [(name.replace("_", " ").capitalize(), _text(value)) for name, value in fields.items()]
    return [(label, text) for label, text in rows if text.strip()]


def _file_bytes(field: Any) -> bytes | None:
    try:
        with field.open("rb") as handle:
            data: bytes = handle.read()
            return data
    except (OSError, ValueError):
        return None


def _content(result: SearchResult, records: list[FoundRecord]) -> ExportContent:
    redact = redactor_for(result)
    rows: list[dict[str, Any]] = []
    included: list[tuple[str, bytes]] = []
    withheld: list[dict[str, str]] = []
    counts: dict[str, int] = {}
    display: list[list[tuple[str, str]]] = []
    for record in records:
        counts[record.kind] = counts.get(record.kind, 0) + 1
        files = []
        for held in record.files:
            data = _file_bytes(held.file) if held.own else None
            if held.own and data is not None:
                name = f"files/{record.kind}-{record.key.rpartition(':')[2]}-{held.name.translate(_SAFE)}"
                included.append((name, data))
                files.append({"name": held.name, "in_this_export": name})
            else:
                withheld.append({"kind": record.kind_label})
                files.append({"name": "withheld", "in_this_export": "", "why": "it shows other people"})
        rows.append(
            {
                "kind": record.kind,
                "kind_label": record.kind_label,
                "key": record.key,
                "title": redact(record.title),
                "why_found": record.reason,
                "when": redact_value(record.when, redact),
                "fields": redact_value(record.fields, redact),
                "files": files,
            }
        )
        display.append(_display_rows(rows[-1]["fields"]))
    return ExportContent(records=rows, included=included, withheld=withheld, counts=counts, display=display)


def _disclosures(result: SearchResult) -> list[dict[str, Any]]:
    return [
        {
            "to": d.agency.name,
            "when": d.disclosed_at,
            "how": d.get_source_display(),
            "case": d.case.reference if d.case else "",
            "lawful_basis": d.get_lawful_basis_display(),
        }
        for d in result.disclosures
    ]


def _zip(rights_request: RightsRequest, content: ExportContent, disclosures: list[dict[str, Any]]) -> bytes:
    produced_at = timezone.localtime()
    document = {
        "request": {
            "reference": rights_request.reference,
            "received_on": rights_request.received_on,
            "due_on": rights_request.current_due_on,
            "for": rights_request.requester_name,
        },
        "produced_at": produced_at,
        "controller": settings.LANDLORD_NAME,
        "counts": content.counts,
        "records": content.records,
        "shared_with": disclosures,
        "files_withheld": len(content.withheld),
    }
    pdf = render_pdf(
        "privacy/rights/pdf/summary.html",
        {
            "rights_request": rights_request,
            "records": [{**row, "display": shown} for row, shown in zip(content.records, content.display, strict=True)],
            "counts": [(KIND_LABELS[k], n) for k, n in content.counts.items()],
            "disclosures": disclosures,
            "files_included": len(content.included),
            "files_withheld": len(content.withheld),
            "landlord": settings.LANDLORD_NAME,
            "produced_at": produced_at,
        },
        title=f"Your personal data: {rights_request.reference}",
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("records.json", json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False))
        archive.writestr("summary.pdf", pdf)
        for name, data in content.included:
            archive.writestr(name, data)
    return buffer.getvalue()


def subject_access_export(
    *, actor: User, rights_request: RightsRequest, request: HttpRequest | None = None
) -> SubjectAccessExport:
    """Produce the ZIP for a subject access (or portability) request whose requester's identity has been checked."""
    require(actor, HANDLE)
    if rights_request.kind not in (RightsKind.ACCESS, RightsKind.PORTABILITY):
        raise DomainError("Only a subject access or portability request has an export")
    if not rights_request.is_open:
        raise DomainError("This request has been decided: record a new request to produce another export")
    if rights_request.identity_verified_at is None:
        raise DomainError("Check the requester's identity before producing the export")
    result = subject_access_search(actor=actor, rights_request=rights_request, audited=False)
    records = result.included()
    content = _content(result, records)
    data = _zip(rights_request, content, _disclosures(result))
    with transaction.atomic():
        made = SubjectAccessExport(
            request=rights_request,
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            record_counts=content.counts,
            files_included=len(content.included),
            files_withheld=len(content.withheld),
            disclosed_to=rights_request.requester_name,
            produced_by=actor,
        )
        made.file.save(f"{rights_request.reference}.zip", ContentFile(data), save=False)
        made.save()
        audit(
            actor=actor,
            verb=AuditVerb.SUBJECT_ACCESS_EXPORTED,
            obj=rights_request,
            after={
                "export": made.pk,
                "records": content.counts,
                "files_included": made.files_included,
                "files_withheld": made.files_withheld,
                "left_out": len(rights_request.excluded_keys or []),
                "sha256": made.sha256,
            },
            request=request,
        )
    rights_request_start(actor=actor, rights_request=rights_request)
    return made
