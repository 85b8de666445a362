"""What a partner agency user may read: exactly the parts of the cases actively shared with their agency, and nothing
else (issue 15 item 6; ADR 0010). The partner pages under /staff/partner/ and the API's /shared-cases use these and
only these, so the web and the API cannot disagree.

- A partner is a user holding `referrals.view_shared_cases` with a `PartnerMembership` of an active agency; anyone
  else sees no shared case (a partner without a membership sees nothing, not everything).
- A case is the partner's to read while a share of it with their agency is active (`active_shares_q`: not withdrawn,
  started, today in Europe/London on or before `ends_on`) and their agency may see it (`entitled_q`: a domestic abuse
  or restricted case only for an agency entitled to DA information).
- Anything else — unshared, ended, withdrawn, another agency's, no such case — is Http404 with the same words, never a
  hint that it exists; the refusal is audited (`share.read_refused`, against the case when there is one). Every read
  that succeeds is audited (`share.read`, against the share): the list, each case page, each document.
- `SharedCaseView` holds plain values, only of the parts shared, so a template cannot reach the rest of the case:
  summary (type, category, status, received date, the one-line summary and the description), incidents (when, what
  happened, who told us — never where, who was involved or who saw it), risk (the latest band in force, its
  instrument and date — never the answers, score or reasons), documents (the case's evidence files, downloaded
  through `shared_document_for`, which checks the share again).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.cases.models import Case, EvidenceFile, Incident
from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.referrals.models import Agency, CaseShare, LawfulBasis, PartnerMembership, PartnerUpdate, SharePart
from saferhomes.referrals.selectors.shares import active_shares_q, entitled_q, parts_in_words
from saferhomes.risk.selectors.assessments import band_label, latest_assessment

VIEW_SHARED = "referrals.view_shared_cases"
NOT_SHARED = "No case with that reference is shared with your agency."


def partner_agency(*, actor: User) -> Agency | None:
    """The active agency this partner works for, or None (not a partner, no membership, or the agency is inactive)."""
    if not (getattr(actor, "is_authenticated", False) and actor.is_active and actor.has_perm(VIEW_SHARED)):
        return None
    membership = (
        PartnerMembership.objects.select_related("agency").filter(user_id=actor.pk, agency__active=True).first()
    )
    return membership.agency if membership is not None else None


def partner_shares(*, agency: Agency, now: dt.datetime | None = None) -> QuerySet[CaseShare]:
    """The shares the agency may read now: active, and entitled to their case."""
    return CaseShare.objects.filter(active_shares_q(now=now), entitled_q(), agency=agency)


# The list ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SharedCaseRow:
    """One line of a partner's list: which case, what kind, which parts, until when."""

    reference: str
    case_type: str
    parts: list[str]
    parts_words: str
    ends_on: dt.date


def shared_cases_for(*, actor: User, request: HttpRequest | None = None) -> list[SharedCaseRow]:
    """The cases actively shared with the actor's agency, the soonest to end first; the read is audited."""
    agency = partner_agency(actor=actor)
    if agency is None:
        return []
    shares = (
        partner_shares(agency=agency)
        .select_related("case")
        .only("id", "parts", "ends_on", "case__reference", "case__case_type")
        .order_by("ends_on", "case__reference", "id")
    )
    rows = [
        SharedCaseRow(
            reference=share.case.reference,
            case_type=share.case.get_case_type_display(),
            parts=list(share.parts),
            parts_words=parts_in_words(share.parts),
            ends_on=share.ends_on,
        )
        for share in shares
    ]
    audit(
        actor=actor,
        verb=AuditVerb.SHARED_CASE_READ,
        object_type=CaseShare._meta.label_lower,
        object_label=f"List of cases shared with {agency.name}"[:200],
        after={"agency": agency.code, "cases": [row.reference for row in rows]},
        reason=request.path[:200] if request is not None else "",
        request=request,
    )
    return rows


# One case ---------------------------------------------------------------------------------------------------------


def share_for_partner(*, actor: User, reference: str, request: HttpRequest | None = None) -> CaseShare:
    """The active share of the case with this reference with the actor's agency; Http404 for anything else (the
    refusal audited). Audits nothing when it succeeds: the caller records what was read."""
    normalised = (reference or "").strip().upper()[:40]
    agency = partner_agency(actor=actor)
    share = None
    if agency is not None and normalised:
        share = (
            partner_shares(agency=agency)
            .filter(case__reference=normalised)
            .select_related("case", "agency")
            .order_by("-starts_at", "-id")
            .first()
        )
    if share is None:
        refused = Case.objects.filter(reference=normalised).only("pk", "reference").first() if normalised else None
        audit(
            actor=actor,
            verb=AuditVerb.SHARED_CASE_READ_REFUSED,
            obj=refused,
            object_type=Case._meta.label_lower,
            object_label=(refused.reference if refused is not None else normalised) or "No reference",
            after={"agency": agency.code if agency is not None else None},
            reason=request.path[:200] if request is not None else "",
            request=request,
        )
        raise Http404(NOT_SHARED)
    return share


@dataclass(frozen=True)
class SharedSummary:
    """The summary part: what kind of case, where it stands and what it is about."""

    case_type: str
    category: str
    status: str
    received_on: dt.date
    summary: str
    description: str


@dataclass(frozen=True)
class SharedIncident:
    """The incidents part, one incident: when, what happened, and who told us (no place, no people)."""

    occurred_at: dt.datetime
    occurred_until: dt.datetime | None
    description: str
    source: str


@dataclass(frozen=True)
class SharedRisk:
    """The risk part: the latest band in force, from which instrument, and when it was assessed."""

    band: str
    instrument: str
    assessed_on: dt.date


@dataclass(frozen=True)
class SharedDocument:
    """The documents part, one evidence file (downloaded through the partner's own download address)."""

    id: int
    name: str
    content_type: str
    size: int
    description: str
    added_on: dt.date


@dataclass(frozen=True)
class SharedUpdate:
    """An update the partner's own agency sent about the case."""

    at: dt.datetime
    text: str
    author: str
    file_name: str


@dataclass(frozen=True)
class SharedCaseView:
    """Exactly what a partner may read of one shared case: the share's terms and the parts it names (a part not
    shared is None)."""

    reference: str
    case_type: str
    agency: str
    parts: list[str]
    parts_words: str
    ends_on: dt.date
    lawful_basis: str
    reason: str
    summary: SharedSummary | None = None
    incidents: list[SharedIncident] | None = None
    risk_shared: bool = False
    risk: SharedRisk | None = None
    documents: list[SharedDocument] | None = None
    updates: list[SharedUpdate] = field(default_factory=list)

    def shows(self, part: str) -> bool:
        """Whether this part of the case is shared."""
        return part in self.parts


def _summary(case: Case) -> SharedSummary:
    return SharedSummary(
        case_type=case.get_case_type_display(),
        category=case.get_category_display() if case.category else "",
        status=case.get_status_display(),
        received_on=timezone.localdate(case.received_at),
        summary=case.summary,
        description=case.description,
    )


def _incidents(case: Case) -> list[SharedIncident]:
    rows = (
        Incident.objects.filter(case=case)
        .only("occurred_at", "occurred_until", "description", "source")
        .order_by("-occurred_at", "-id")
    )
    return [
        SharedIncident(
            occurred_at=row.occurred_at,
            occurred_until=row.occurred_until,
            description=row.description,
            source=row.get_source_display(),
        )
        for row in rows
    ]


def _risk(case: Case) -> SharedRisk | None:
    assessment = latest_assessment(case=case)
    if assessment is None:
        return None
    return SharedRisk(
        band=band_label(assessment.instrument, assessment.band) or "No band",
        instrument=assessment.instrument.name,
        assessed_on=timezone.localdate(assessment.assessed_at),
    )


def _documents(case: Case) -> list[SharedDocument]:
    rows = (
        EvidenceFile.objects.filter(case=case)
        .only("id", "original_name", "content_type", "size", "description", "uploaded_at")
        .order_by("-uploaded_at", "-id")
    )
    return [
        SharedDocument(
            id=row.pk,
            name=row.original_name,
            content_type=row.content_type,
            size=row.size,
            description=row.description,
            added_on=timezone.localdate(row.uploaded_at),
        )
        for row in rows
    ]


def _updates(share: CaseShare) -> list[SharedUpdate]:
    rows = (
        PartnerUpdate.objects.filter(case_id=share.case_id, agency_id=share.agency_id)
        .select_related("created_by")
        .order_by("-created_at", "-id")
    )
    return [
        SharedUpdate(
            at=row.created_at,
            text=row.text,
            author=(row.created_by.get_full_name() or row.created_by.get_username()),
            file_name=row.original_name if row.file else "",
        )
        for row in rows
    ]


def shared_case_view(share: CaseShare) -> SharedCaseView:
    """The parts of the share's case it names, as plain values (no audit: see `shared_case_for`)."""
    case, parts = share.case, list(share.parts)
    risk_shared = SharePart.RISK in parts
    return SharedCaseView(
        reference=case.reference,
        case_type=case.get_case_type_display(),
        agency=share.agency.name,
        parts=parts,
        parts_words=parts_in_words(parts),
        ends_on=share.ends_on,
        lawful_basis=str(LawfulBasis(share.lawful_basis).label),
        reason=share.reason,
        summary=_summary(case) if SharePart.SUMMARY in parts else None,
        incidents=_incidents(case) if SharePart.INCIDENTS in parts else None,
        risk_shared=risk_shared,
        risk=_risk(case) if risk_shared else None,
        documents=_documents(case) if SharePart.DOCUMENTS in parts else None,
        updates=_updates(share),
    )


def _read(actor: User, share: CaseShare, what: str, request: HttpRequest | None, **after: object) -> None:
    audit(
        actor=actor,
        verb=AuditVerb.SHARED_CASE_READ,
        obj=share,
        object_label=f"{share.case.reference}: {what} read by {share.agency.name}"[:200],
        after={"case": share.case.reference, "agency": share.agency.code, **after},
        reason=request.path[:200] if request is not None else "",
        request=request,
    )


def shared_case_for(*, actor: User, reference: str, request: HttpRequest | None = None) -> SharedCaseView:
    """The shared parts of this case for this partner (Http404 unless actively shared with their agency); audited."""
    share = share_for_partner(actor=actor, reference=reference, request=request)
    view = shared_case_view(share)
    _read(actor, share, "shared parts", request, parts=view.parts)
    return view


def shared_document_for(
    *, actor: User, reference: str, document_id: int, request: HttpRequest | None = None
) -> EvidenceFile:
    """An evidence file of a case whose documents are actively shared with the partner's agency (Http404 otherwise,
    with the same words as for a case not shared); the download is audited."""
    share = share_for_partner(actor=actor, reference=reference, request=request)
    document = (
        EvidenceFile.objects.filter(case_id=share.case_id, pk=document_id).first()
        if SharePart.DOCUMENTS in share.parts
        else None
    )
    if document is None:
        raise Http404(NOT_SHARED)
    _read(actor, share, f"document {document.original_name}", request, document=document.pk)
    return document
