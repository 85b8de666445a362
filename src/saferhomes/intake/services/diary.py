"""The reporter's diary on their status page (issue 6 part 2, DESIGN.md §6).

A diary entry is the reporter's own record of a new incident: kept on the report and, once the report is on a case
that is not closed, added to the case as an incident from the reporter's diary, with a copy of its file as evidence.
After the case has closed, nobody works it any more: the entry becomes a new report (channel web, the reporter's
details copied, the file with it) in the triage queue, marked as following the closed case so triage considers
reopening it, and the reporter is told its reference (issue 14 part 2). Every entry is audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import fields
from typing import Any

from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from saferhomes.cases.models import Case, EvidenceFile, Incident, IncidentSource, Status
from saferhomes.cases.storage import EVIDENCE_TYPES, evidence_storage
from saferhomes.core.audit import audit, snapshot
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.intake import rules
from saferhomes.intake.models import Channel, DiaryEntry, Report, ReportAttachment, StatusLink
from saferhomes.intake.services.public_form import attachment_store
from saferhomes.intake.services.report import ReportDetails, clean_text, report_submit

DIARY_LOCATION_UNKNOWN = "Not given (from the reporter's diary)"


def diary_entry_add(
    *,
    link: StatusLink,
    occurred_at: dt.datetime,
    description: str,
    file: File[Any] | None = None,
    request: HttpRequest | None = None,
) -> DiaryEntry:
    """Add the reporter's diary entry; when the report is on an open case it becomes an incident there too."""
    description = clean_text(description)
    errors: dict[str, str] = {}
    if not description:
        errors["description"] = "Enter what happened"
    elif len(description) > rules.DESCRIPTION_MAX:
        errors["description"] = f"What happened must be {rules.DESCRIPTION_MAX:,} characters or fewer"
    if occurred_at > timezone.now():
        errors["occurred_at"] = "The date it happened must be today or in the past"
    if errors:
        raise DomainError(field_errors=errors)
    with transaction.atomic():
        current = StatusLink.objects.select_for_update().filter(pk=link.pk, revoked_at__isnull=True).first()
        if current is None:
            raise DomainError("This link no longer works. Ask for a new one.")
        report = Report.objects.select_related("case").get(pk=current.report_id)
        entry = DiaryEntry.objects.create(report=report, occurred_at=occurred_at, description=description)
        if report.case is not None and report.case.status == Status.CLOSED:
            entry.new_report = _report_after_closure(report=report, case=report.case, entry=entry, request=request)
            entry.save(update_fields=["new_report"])
        # After closure the file goes with the new report, so that triage puts it on whichever case it lands on.
        attachment = (
            attachment_store(file=file, report=entry.new_report or report, diary_entry=entry)
            if file is not None
            else None
        )
        if report.case is not None and report.case.status != Status.CLOSED:
            entry.incident = _incident_from_diary(report=report, case=report.case, entry=entry, request=request)
            entry.save(update_fields=["incident"])
            if attachment is not None:
                _evidence_from_diary(attachment=attachment, incident=entry.incident, request=request)
        actor = getattr(request, "user", None) if request is not None else None
        audit(
            actor=actor,
            verb=AuditVerb.REPORT_DIARY_ENTRY_ADDED,
            obj=report,
            object_label=report.reference,
            after=snapshot(entry, ["occurred_at", "incident_id", "new_report_id"]) | {"file": file is not None},
            request=request,
        )
    return entry


def diary_added_message(entry: DiaryEntry) -> str:
    """What the reporter is told once their entry is kept: exactly where it went."""
    if entry.new_report is not None:
        return (
            f"We have added this to your diary. We have sent this to our team as a new report, reference "
            f"{entry.new_report.reference}, because your case was closed. They will look at it and decide whether "
            "to reopen your case."
        )
    if entry.incident_id is not None:
        return "We have added this to your diary and to your case, so your officer can see it"
    return "We have added this to your diary. Our team will see it when they look at your report"


def _report_after_closure(*, report: Report, case: Case, entry: DiaryEntry, request: HttpRequest | None) -> Report:
    """A new report for triage from a diary entry added after the case closed: the reporter's details as they gave
    them, what happened in the entry, the closed case's type (a DA case stays with DA-trained staff)."""
    copied = {
        item.name: getattr(report, item.name)
        for item in fields(ReportDetails)
        if item.name not in ("description", "occurred_at", "occurred_text", "frequency", "impact", "danger_now")
        and item.name != "urgency_answers"
    }
    copied = {name: tuple(value) if isinstance(value, list) else value for name, value in copied.items()}
    details = ReportDetails(
        **copied
        | {
            "case_type": case.case_type,
            "description": entry.description,
            "occurred_at": entry.occurred_at,
        }
    )
    new = report_submit(details=details, channel=Channel.WEB, request=request)
    Report.objects.filter(pk=new.pk).update(follows_closed_case=case)
    new.follows_closed_case = case
    audit(
        actor=None,
        verb=AuditVerb.REPORT_DIARY_AFTER_CLOSURE,
        obj=new,
        object_label=new.reference,
        after={"from_report": report.reference, "closed_case": case.reference, "diary_entry": entry.pk},
        request=request,
    )
    return new


def _incident_from_diary(*, report: Report, case: Case, entry: DiaryEntry, request: HttpRequest | None) -> Incident:
    locked = Case.objects.select_for_update().get(pk=case.pk)
    incident = Incident.objects.create(
        case=locked,
        occurred_at=entry.occurred_at,
        property=report.home,
        location_text=report.location_text or DIARY_LOCATION_UNKNOWN,
        description=entry.description,
        source=IncidentSource.REPORTER_DIARY,
        created_by=None,
    )
    audit(
        actor=None,
        verb=AuditVerb.INCIDENT_RECORDED,
        obj=incident,
        object_label=f"{locked.reference}: incident from the reporter's diary",
        after=snapshot(incident),
        request=request,
    )
    Case.objects.filter(pk=locked.pk).update(version=F("version") + 1, updated_at=timezone.now())
    return incident


def _evidence_from_diary(*, attachment: ReportAttachment, incident: Incident, request: HttpRequest | None) -> None:
    """A copy of the diary's file as evidence on the incident (the case keeps its own copy under its own retention)."""
    evidence = EvidenceFile(
        case_id=incident.case_id,
        incident=incident,
        original_name=attachment.original_name,
        content_type=attachment.content_type,
        size=attachment.size,
        sha256=attachment.sha256,
        description="From the reporter's diary",
        uploaded_by=None,
    )
    storage = evidence_storage()
    with storage.open(attachment.file.name or "", "rb") as source:
        evidence.file.save(f"evidence.{EVIDENCE_TYPES[attachment.content_type].extension}", File(source), save=False)
    try:
        evidence.save()
    except BaseException:
        storage.delete(evidence.file.name or "")
        raise
    attachment.evidence = evidence
    attachment.save(update_fields=["evidence"])
    audit(
        actor=None,
        verb=AuditVerb.EVIDENCE_UPLOADED,
        obj=evidence,
        object_label=f"Incident {incident.pk}: {attachment.original_name} (reporter's diary)"[:200],
        after=snapshot(evidence, ["case_id", "incident_id", "original_name", "content_type", "size", "sha256"]),
        request=request,
    )
