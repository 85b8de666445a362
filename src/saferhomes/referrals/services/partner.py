"""What a partner agency user may write: an update (text, and optionally one document) on a case actively shared with
their agency. It lands on the case's timeline marked as from the agency (the "partner" timeline kind,
`referrals.extensions`) and in the Partnership tab. A case not actively shared with their agency is Http404, as for a
read (`referrals.selectors.partner`)."""

from __future__ import annotations

from typing import Any

from django.core.files import File
from django.db import transaction
from django.http import Http404, HttpRequest

from saferhomes.accounts.models import User
from saferhomes.cases.services.evidence import inspect_upload
from saferhomes.cases.storage import EVIDENCE_TYPES, evidence_storage
from saferhomes.core.audit import audit, snapshot
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.core.uploads import safe_upload_name
from saferhomes.referrals.models import CaseShare, PartnerUpdate
from saferhomes.referrals.selectors.partner import NOT_SHARED, VIEW_SHARED, partner_agency, partner_shares

UPDATE_TEXT_MAX = 10_000
UPDATE_AUDIT_FIELDS = ["share_id", "case_id", "agency_id", "text", "original_name", "content_type"]


def partner_update_add(
    *,
    actor: User,
    share: CaseShare,
    text: str,
    file: File[Any] | None = None,
    request: HttpRequest | None = None,
) -> PartnerUpdate:
    """Add an update from the partner's agency to a case shared with it; the share is checked again under a lock (it
    may have ended or been withdrawn since the page was drawn), the file by its content (`inspect_upload`)."""
    require(actor, VIEW_SHARED)
    text = (text or "").strip()
    if not text:
        raise DomainError(field_errors={"text": "Enter your update"})
    if len(text) > UPDATE_TEXT_MAX:
        raise DomainError(field_errors={"text": f"Your update must be {UPDATE_TEXT_MAX:,} characters or fewer"})
    storage = evidence_storage()
    stored_name = ""
    try:
        with transaction.atomic():
            agency = partner_agency(actor=actor)
            if agency is None:
                raise Http404(NOT_SHARED)
            locked = (
                partner_shares(agency=agency)
                .select_for_update(of=("self",))
                .select_related("case")
                .filter(pk=share.pk)
                .first()
            )
            if locked is None:
                raise Http404(NOT_SHARED)
            update = PartnerUpdate(share=locked, case=locked.case, agency=agency, text=text, created_by=actor)
            if file is not None:
                content_type, _sha256, _size = inspect_upload(file)
                update.original_name = safe_upload_name(getattr(file, "name", ""), "document")
                update.content_type = content_type
                file.seek(0)
                update.file.save(f"partner.{EVIDENCE_TYPES[content_type].extension}", file, save=False)
                stored_name = update.file.name or ""
            update.save()
            audit(
                actor=actor,
                verb=AuditVerb.PARTNER_UPDATE_ADDED,
                obj=update,
                object_label=f"{locked.case.reference}: update from {agency.name}"[:200],
                after=snapshot(update, UPDATE_AUDIT_FIELDS) | {"file": update.file.name or ""},
                request=request,
            )
    except BaseException:
        if stored_name:  # the row was never committed: do not leave its file behind
            storage.delete(stored_name)
        raise
    return update
