"""Triage (issue 6 part 5): a report opens a new case, is added to an open case, or is not taken forward.

A repeat report on an open case is not a new case (DESIGN.md §2; TSM NM01): it becomes an incident on that case.
A case opened from a report keeps the report's received time and response deadline. Criminal ASB and hate crime
prompt a police referral; the same reporter's second report within 6 months, or a third complaint, prompts the
ASB Case Review (DESIGN.md §3). Every decision is audited, with the prompts shown; the report's `version` guards
against two officers triaging it at once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F
from django.http import Http404, HttpRequest
from django.utils import timezone

from saferhomes.accounts.models import User
from saferhomes.cases import rules as case_rules
from saferhomes.cases.models import (
    Case,
    CaseType,
    Category,
    EvidenceFile,
    HateStrand,
    Incident,
    IncidentSource,
    PartyRole,
    Priority,
    Sensitivity,
    Status,
    SubType,
)
from saferhomes.cases.selectors.case import cases_visible_to
from saferhomes.cases.services.case import CaseDetails, case_create, case_triage
from saferhomes.cases.services.party import PartyDetails, party_add
from saferhomes.cases.services.record import incident_record
from saferhomes.core.audit import audit, snapshot
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.calendar_config import case_response_due
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.housing.models import ContactMethod, PreferredFormat
from saferhomes.intake import rules
from saferhomes.intake.models import Report, ReportStatus
from saferhomes.intake.selectors.staff import UNTRIAGED, report_case_review_prompt, reporter_parties, reports_visible_to

TRIAGE_REPORT = "intake.triage_report"
REPORT_AUDIT_FIELDS = [
    "status",
    "case_type",
    "category",
    "sub_types",
    "hate_strands",
    "urgent",
    "response_due_at",
    "urgent_override_reason",
    "case_id",
    "triage_note",
]
REASON_MIN = 5
SUMMARY_MAX = 200
PERPETRATOR_NAME_MAX = 100  # Party.last_name


@dataclass(frozen=True)
class TriageDecision:
    """What the officer confirmed about a report: type, category, urgency (a change needs a reason), sensitivity."""

    case_type: str
    category: str = ""
    sub_types: tuple[str, ...] = ()
    hate_strands: tuple[str, ...] = ()
    urgent: bool = False
    urgent_reason: str = ""
    restricted: bool = False
    criminal: bool = False
    priority: str = ""  # set → the new case is triaged too (new → triaged)
    summary: str = ""
    note: str = ""
    # The alleged perpetrator the report describes, added as a party when the officer ticks it (their name or
    # a description by which staff will know them).
    alleged_perpetrator: str = ""


@dataclass(frozen=True)
class ReportTriageResult:
    """The triaged report, its case (if any), and what the officer should do next."""

    report: Report
    case: Case | None
    case_visible: bool
    prompts: list[case_rules.Prompt] = field(default_factory=list)


def default_summary(report: Report) -> str:
    """A one-line case summary from the report: its first line of description, shortened."""
    first_line = next((line.strip() for line in report.description.splitlines() if line.strip()), "")
    problem = rules.PROBLEMS_BY_KEY.get(report.problem)
    text = first_line or (problem.label if problem else "Report")
    return text if len(text) <= SUMMARY_MAX else text[: SUMMARY_MAX - 1].rstrip() + "…"


def _decision_errors(decision: TriageDecision, report: Report) -> dict[str, str]:
    errors: dict[str, str] = {}
    if decision.case_type not in CaseType.values:
        errors["case_type"] = "Select the type of problem"
    if decision.category and decision.category not in Category.values:
        errors["category"] = "Select a category from the list"
    if any(value not in SubType.values for value in decision.sub_types):
        errors["sub_types"] = "Select what happened from the list"
    if any(value not in HateStrand.values for value in decision.hate_strands):
        errors["hate_strands"] = "Select the hate strand from the list"
    elif decision.case_type == CaseType.HATE and not decision.hate_strands:
        errors["hate_strands"] = "Select at least one hate strand for a hate incident or crime"
    if decision.urgent != report.urgent and len(decision.urgent_reason.strip()) < REASON_MIN:
        errors["urgent_reason"] = "Enter why you are changing the urgency: the response deadline changes with it"
    if decision.priority and decision.priority not in Priority.values:
        errors["priority"] = "Select the priority"
    if len(decision.summary.strip()) > SUMMARY_MAX:
        errors["summary"] = f"Summary must be {SUMMARY_MAX} characters or fewer"
    if len(decision.alleged_perpetrator.strip()) > PERPETRATOR_NAME_MAX:
        errors["alleged_perpetrator"] = (
            f"Name or description must be {PERPETRATOR_NAME_MAX} characters or fewer: the report's own words are "
            "kept on the party's notes"
        )
    if decision.restricted and decision.case_type == CaseType.DA:
        errors["restricted"] = "Domestic abuse cases are restricted to DA-trained staff already"
    return errors


def _locked_report(*, actor: User, report: Report, version: int | None) -> Report:
    """The report under a row lock, if the actor may see it and it still awaits triage."""
    if not reports_visible_to(actor=actor).filter(pk=report.pk).exists():
        raise Http404("No such report.")
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.status not in UNTRIAGED:
        raise DomainError(f"Report {locked.reference} has already been triaged ({locked.get_status_display()}).")
    if version is not None and int(version) != locked.version:
        who = locked.triaged_by or "someone else"
        raise DomainError(
            f"Report {locked.reference} was changed by {who} while you were looking at it. "
            "Your triage was not saved: check the report and try again."
        )
    return locked


def _apply_decision(report: Report, decision: TriageDecision) -> None:
    """The confirmed type, category and urgency on the report (the deadline moves when urgency does)."""
    report.case_type = decision.case_type
    report.category = decision.category
    report.sub_types = list(dict.fromkeys(decision.sub_types))
    report.hate_strands = list(dict.fromkeys(decision.hate_strands)) if decision.case_type == CaseType.HATE else []
    if decision.urgent != report.urgent:
        report.urgent = decision.urgent
        report.urgent_override_reason = decision.urgent_reason.strip()
        report.response_due_at = case_response_due(report.received_at, urgent=report.urgent)


def _finish(
    *,
    actor: User,
    report: Report,
    before: dict[str, Any],
    status: str,
    case: Case | None,
    note: str,
    prompts: list[case_rules.Prompt],
    request: HttpRequest | None,
    reason: str = "",
) -> Report:
    """Record the triage decision on the report and audit it (the reason: given, or why urgency was overridden)."""
    if not reason and before["urgent"] != report.urgent:
        reason = report.urgent_override_reason
    report.status = status
    report.case = case
    report.triaged_by = actor
    report.triaged_at = timezone.now()
    report.triage_note = note.strip()
    report.version = F("version") + 1
    report.save()
    report.refresh_from_db()
    audit(
        actor=actor,
        verb=AuditVerb.REPORT_TRIAGED,
        obj=report,
        object_label=report.reference,
        before=before,
        after=snapshot(report, REPORT_AUDIT_FIELDS) | {"prompts": [prompt.code for prompt in prompts]},
        reason=reason,
        request=request,
    )
    if case is not None and prompts:
        # The prompts are part of the record: the time from report to police referral is measured from here.
        audit(
            actor=actor,
            verb=AuditVerb.CASE_PROMPTED,
            obj=case,
            after={"report": report.reference, "prompts": [prompt.code for prompt in prompts]},
            request=request,
        )
    return report


def _urgent_reason(report: Report, decision: TriageDecision) -> str:
    if decision.urgent_reason.strip():
        return decision.urgent_reason.strip()
    words = rules.urgency_in_words(report.urgent_reasons)
    return words if words != "Standard" else f"Marked urgent when report {report.reference} was taken"


def _reporter_party(report: Report) -> PartyDetails:
    """The reporter as the case's party, with everything they told us about contacting them safely: notes, safe times,
    the ways they chose, language and format (an anonymous reporter is never contacted, so only the notes)."""
    if report.anonymous:
        return PartyDetails(role=PartyRole.REPORTER, anonymous=True, safe_contact_notes=report.safe_contact_notes)
    return PartyDetails(
        role=PartyRole.REPORTER,
        person=report.person,
        first_name=report.first_name,
        last_name=report.last_name or ("" if report.first_name or report.person else "Not given"),
        phone=report.phone,
        email=report.email,
        address=", ".join(part for part in (report.address, report.postcode) if part)[:250],
        safe_contact_notes=report.safe_contact_notes,
        safe_times=report.safe_times[:250],
        contact_methods=tuple(method for method in report.contact_methods or [] if method in ContactMethod.values),
        preferred_language=report.preferred_language[:60],
        preferred_format=report.preferred_format if report.preferred_format in PreferredFormat.values else "",
        reasonable_adjustments="\n".join(
            part for part in (report.accessibility_needs, report.reasonable_adjustments) if part
        ),
    )


def _alleged_perpetrator(
    *, actor: User, report: Report, case: Case, decision: TriageDecision, request: HttpRequest | None
) -> None:
    """The alleged perpetrator the report describes, as a party, when the officer asked for it at triage."""
    name = decision.alleged_perpetrator.strip()
    if not name:
        return
    words = report.people_involved.strip()
    party_add(
        actor=actor,
        case=case,
        details=PartyDetails(
            role=PartyRole.ALLEGED_PERPETRATOR,
            last_name=name,
            notes=f"As described in report {report.reference}: {words}" if words else f"From report {report.reference}",
        ),
        request=request,
    )


def _incident_place(report: Report) -> str:
    return report.location_text or ("" if report.home_id else f"As described in report {report.reference}")


def _attach_files(*, actor: User, report: Report, case: Case, incident: Incident | None) -> int:
    """The report's files as evidence on the case: new rows pointing at the same stored file (no copy)."""
    attached = 0
    for attachment in report.attachments.filter(evidence__isnull=True):
        evidence = EvidenceFile.objects.create(
            case=case,
            incident=incident,
            file=attachment.file.name,
            original_name=attachment.original_name,
            content_type=attachment.content_type,
            size=attachment.size,
            sha256=attachment.sha256,
            description=f"Sent with report {report.reference}",
            # The reporter's file, not the triaging officer's: no uploader (who attached it is in the audit).
            uploaded_by=None,
            uploaded_at=attachment.uploaded_at,
        )
        attachment.evidence = evidence
        attachment.save(update_fields=["evidence"])
        audit(
            actor=actor,
            verb=AuditVerb.EVIDENCE_ATTACHED_FROM_REPORT,
            obj=evidence,
            object_label=f"{case.reference}: {attachment.original_name}"[:200],
            after={"report": report.reference, "sha256": attachment.sha256, "file": attachment.file.name},
        )
        attached += 1
    return attached


def _report_incident(*, actor: User, report: Report, case: Case, request: HttpRequest | None) -> Incident:
    """The report as an incident on the case (source: report), when it happened or else when it reached us."""
    occurred = report.occurred_at or report.received_at
    return incident_record(
        actor=actor,
        case=case,
        occurred_at=min(occurred, timezone.now()),
        description=f"Report {report.reference} ({report.get_channel_display().lower()}): {report.description}",
        property=report.home,
        location_text=_incident_place(report),
        source=IncidentSource.REPORT,
        request=request,
    )


def _diary_incidents(*, actor: User, report: Report, case: Case, request: HttpRequest | None) -> None:
    """Diary entries the reporter added before triage become incidents on the case (source: reporter's diary)."""
    for entry in report.diary_entries.filter(incident__isnull=True).order_by("occurred_at", "id"):
        incident = incident_record(
            actor=actor,
            case=case,
            occurred_at=min(entry.occurred_at, timezone.now()),
            description=entry.description,
            property=report.home,
            location_text=_incident_place(report),
            source=IncidentSource.REPORTER_DIARY,
            request=request,
        )
        entry.incident = incident
        entry.save(update_fields=["incident"])


def _prompts(*, report: Report, case: Case | None, criminal: bool) -> list[case_rules.Prompt]:
    prompts = case_rules.triage_prompts(case_type=report.case_type, criminal=criminal)
    review = report_case_review_prompt(report=report, case=case)
    if review is not None:
        prompts.append(review)
    return prompts


def report_open_case(
    *,
    actor: User,
    report: Report,
    decision: TriageDecision,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> ReportTriageResult:
    """Open a new case from a report: the report's received time and deadline, its reporter as the first party
    (register person, typed details or anonymous), the home or place, the report as the first incident, its files as
    evidence; triaged too when a priority is given."""
    require(actor, TRIAGE_REPORT)
    errors = _decision_errors(decision, report)
    if errors:
        raise DomainError(field_errors=errors)
    with transaction.atomic():
        locked = _locked_report(actor=actor, report=report, version=version)
        before = snapshot(locked, REPORT_AUDIT_FIELDS)
        _apply_decision(locked, decision)
        sensitivity = (
            Sensitivity.DA
            if decision.case_type == CaseType.DA
            else (Sensitivity.RESTRICTED if decision.restricted else Sensitivity.NORMAL)
        )
        try:
            case = case_create(
                actor=actor,
                details=CaseDetails(
                    case_type=decision.case_type,
                    summary=decision.summary.strip() or default_summary(locked),
                    received_at=locked.received_at,
                    category=decision.category,
                    sub_types=list(decision.sub_types),
                    hate_strands=list(decision.hate_strands),
                    description=locked.description,
                    urgent=locked.urgent,
                    urgent_reason=_urgent_reason(locked, decision) if locked.urgent else "",
                    sensitivity=sensitivity,
                    properties=[locked.home] if locked.home is not None else [],
                    location_text=locked.location_text,
                    reporter=_reporter_party(locked),
                ),
                request=request,
            )
        except DomainError as error:
            raise DomainError(
                error.messages,
                field_errors={k.removeprefix("reporter_"): v for k, v in error.field_errors.items()},
            ) from None
        # The case keeps the report's clock (the calendar may have changed since the report was taken).
        if case.response_due_at != locked.response_due_at:
            Case.objects.filter(pk=case.pk).update(response_due_at=locked.response_due_at)
            case.refresh_from_db()
        visible = cases_visible_to(actor=actor).filter(pk=case.pk).exists()
        incident = None
        if visible:
            if locked.on_behalf_name and not locked.anonymous:
                party_add(
                    actor=actor,
                    case=case,
                    details=PartyDetails(role=PartyRole.VICTIM, first_name=locked.on_behalf_name[:100]),
                    request=request,
                )
            _alleged_perpetrator(actor=actor, report=locked, case=case, decision=decision, request=request)
            incident = _report_incident(actor=actor, report=locked, case=case, request=request)
            _diary_incidents(actor=actor, report=locked, case=case, request=request)
            if decision.priority:
                case = case_triage(
                    actor=actor,
                    case=case,
                    priority=decision.priority,
                    urgent=case.urgent,
                    criminal=decision.criminal,
                    request=request,
                ).case
        elif decision.criminal:
            Case.objects.filter(pk=case.pk).update(criminal=True)
        _attach_files(actor=actor, report=locked, case=case, incident=incident)
        prompts = _prompts(report=locked, case=case, criminal=decision.criminal)
        locked = _finish(
            actor=actor,
            report=locked,
            before=before,
            status=ReportStatus.CASE_OPENED,
            case=case,
            note=decision.note,
            prompts=prompts,
            request=request,
        )
        case.refresh_from_db()
    return ReportTriageResult(report=locked, case=case, case_visible=visible, prompts=prompts)


def report_add_to_case(
    *,
    actor: User,
    report: Report,
    case_reference: str,
    decision: TriageDecision,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> ReportTriageResult:
    """Add a repeat report to an open case the actor may see: an incident (source: report) with its files as
    evidence; no new case. The reporter is added to the case if they are not on it yet."""
    require(actor, TRIAGE_REPORT)
    errors = _decision_errors(decision, report)
    wanted = case_reference.strip().upper()
    if not wanted:
        errors["case_reference"] = "Choose the open case to add the report to"
    if errors:
        raise DomainError(field_errors=errors)
    with transaction.atomic():
        locked = _locked_report(actor=actor, report=report, version=version)
        case = cases_visible_to(actor=actor).filter(reference=wanted).first()
        if case is None:
            raise DomainError(field_errors={"case_reference": f"No case you can see has the reference {wanted}"})
        if case.status == Status.CLOSED:
            raise DomainError(
                field_errors={"case_reference": f"{case.reference} is closed: open a new case, or reopen it first"}
            )
        if locked.case_type == CaseType.DA and case.sensitivity != Sensitivity.DA:
            raise DomainError(
                field_errors={
                    "case_reference": "A domestic abuse report can only be added to a domestic abuse case, so that "
                    "only DA-trained staff see it"
                }
            )
        before = snapshot(locked, REPORT_AUDIT_FIELDS)
        _apply_decision(locked, decision)
        incident = _report_incident(actor=actor, report=locked, case=case, request=request)
        _diary_incidents(actor=actor, report=locked, case=case, request=request)
        if not locked.anonymous and not _reporter_on_case(locked, case):
            # Already there in that role under other details: the incident still records the report.
            with contextlib.suppress(DomainError):
                party_add(actor=actor, case=case, details=_reporter_party(locked), request=request)
        _alleged_perpetrator(actor=actor, report=locked, case=case, decision=decision, request=request)
        if decision.criminal and not case.criminal:
            Case.objects.filter(pk=case.pk).update(criminal=True)
        _attach_files(actor=actor, report=locked, case=case, incident=incident)
        prompts = _prompts(report=locked, case=case, criminal=decision.criminal or case.criminal)
        locked = _finish(
            actor=actor,
            report=locked,
            before=before,
            status=ReportStatus.ADDED_TO_CASE,
            case=case,
            note=decision.note,
            prompts=prompts,
            request=request,
        )
        case.refresh_from_db()
    return ReportTriageResult(report=locked, case=case, case_visible=True, prompts=prompts)


def _reporter_on_case(report: Report, case: Case) -> bool:
    return bool(reporter_parties(report, case))


def report_not_proceeded(
    *, actor: User, report: Report, reason: str, version: int | None = None, request: HttpRequest | None = None
) -> Report:
    """Close a report without a case (e.g. not about our homes, or a duplicate already triaged): reason needed."""
    require(actor, TRIAGE_REPORT)
    reason = reason.strip()
    if len(reason) < REASON_MIN:
        raise DomainError(field_errors={"reason": "Enter why the report is not being taken forward"})
    if len(reason) > rules.DESCRIPTION_MAX:
        raise DomainError(field_errors={"reason": f"Reason must be {rules.DESCRIPTION_MAX:,} characters or fewer"})
    with transaction.atomic():
        locked = _locked_report(actor=actor, report=report, version=version)
        before = snapshot(locked, REPORT_AUDIT_FIELDS)
        return _finish(
            actor=actor,
            report=locked,
            before=before,
            status=ReportStatus.NOT_PROCEEDED,
            case=None,
            note=reason,
            prompts=[],
            request=request,
            reason=reason,
        )


def report_received_local(report: Report) -> dt.datetime:
    """When the report reached us, on the landlord's clock."""
    return timezone.localtime(report.received_at)
