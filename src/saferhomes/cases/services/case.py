"""Case services (issue 5 parts 1 and 7; issue 14 item 20): create, triage, assign one or reassign many, move status,
set priority.

Every service: keyword-only arguments; `require(actor, perm)`; acts only on a case the actor can see
(`cases_visible_to`, else Http404 — never confirm that a hidden case exists); one transaction with the case row
locked; `check_version` when the caller sends the version its form was drawn from (optimistic locking, in
`services.locking`); an audit event; the version bumped; side effects (emails) in `transaction.on_commit`.
Parties, links and break glass follow the same steps in `services.party`, `services.link` and `services.break_glass`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from saferhomes.accounts.models import Team, User
from saferhomes.cases import rules
from saferhomes.cases.models import (
    Case,
    CaseType,
    Category,
    HateStrand,
    Priority,
    Sensitivity,
    Stage,
    Status,
    SubType,
)
from saferhomes.cases.permissions import ADD_CASE, ASSIGN_CASE, TRIAGE_CASE, VIEW_DA, WORK_CASE
from saferhomes.cases.references import reference_allocate
from saferhomes.cases.search import refresh_search_documents
from saferhomes.cases.services.locking import case_locked_for, check_version
from saferhomes.cases.services.party import PartyDetails, party_insert
from saferhomes.core.audit import audit, snapshot
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.calendar_config import case_response_due
from saferhomes.core.errors import DomainError
from saferhomes.core.links import staff_url
from saferhomes.core.permissions import require
from saferhomes.housing.models import Estate, Property

VERSION_FIELD = "version"
SUMMARY_MAX = 200
TEXT_MAX = 10_000
# DA cases reported by staff who may not see them go to this team (DESIGN.md §1: DA cases for DA-trained staff).
DA_TEAM_NAME = getattr(settings, "DA_TEAM_NAME", "Domestic abuse team")

CASE_FIELDS = [
    "case_type",
    "category",
    "sub_types",
    "hate_strands",
    "summary",
    "status",
    "stage",
    "priority",
    "sensitivity",
    "urgent",
    "urgent_reason",
    "criminal",
    "assigned_officer_id",
    "team_id",
    "estate_id",
    "location_text",
    "received_at",
    "response_due_at",
    "triaged_at",
]

# Shared steps -----------------------------------------------------------------------------------------------------


def _save(case: Case, fields: Sequence[str]) -> Case:
    """Save `fields` with the version bumped, and return the row as stored."""
    case.version = F("version") + 1
    case.save(update_fields=[*{f.removesuffix("_id") for f in fields}, "version", "updated_at"])
    case.refresh_from_db()
    return case


def _case_snapshot(case: Case) -> dict[str, Any]:
    return snapshot(case, CASE_FIELDS)


def _may_work(user: User) -> bool:
    return bool(user.is_active and user.has_perm(WORK_CASE))


# Create ---------------------------------------------------------------------------------------------------------


@dataclass
class CaseDetails:
    """What a new case needs; validated by `case_create`."""

    case_type: str
    summary: str
    received_at: dt.datetime | None
    category: str = ""
    sub_types: list[str] = field(default_factory=list)
    hate_strands: list[str] = field(default_factory=list)
    description: str = ""
    urgent: bool = False
    urgent_reason: str = ""
    sensitivity: str = Sensitivity.NORMAL
    properties: list[Property] = field(default_factory=list)
    estate: Estate | None = None
    location_text: str = ""
    reporter: PartyDetails | None = None


def _case_errors(details: CaseDetails) -> dict[str, str]:
    errors: dict[str, str] = {}
    if details.case_type not in CaseType.values:
        errors["case_type"] = "Select the type of case"
    if not details.summary.strip():
        errors["summary"] = "Enter a one-line summary of the case"
    elif len(details.summary.strip()) > SUMMARY_MAX:
        errors["summary"] = f"Summary must be {SUMMARY_MAX} characters or fewer"
    if len(details.description) > TEXT_MAX:
        errors["description"] = f"Description must be {TEXT_MAX:,} characters or fewer"
    if details.received_at is None:
        errors["received_at"] = "Enter when the report was received"
    elif details.received_at > timezone.now():
        errors["received_at"] = "The date the report was received must be today or in the past"
    if details.category and details.category not in Category.values:
        errors["category"] = "Select a category from the list"
    if any(value not in SubType.values for value in details.sub_types):
        errors["sub_types"] = "Select what happened from the list"
    if any(value not in HateStrand.values for value in details.hate_strands):
        errors["hate_strands"] = "Select the hate strand from the list"
    elif details.case_type == CaseType.HATE and not details.hate_strands:
        errors["hate_strands"] = "Select at least one hate strand for a hate incident or crime"
    if details.urgent and not details.urgent_reason.strip():
        errors["urgent_reason"] = "Enter why the case is urgent"
    if details.sensitivity not in Sensitivity.values:
        errors["sensitivity"] = "Select who may see the case"
    elif details.case_type != CaseType.DA and details.sensitivity == Sensitivity.DA:
        errors["sensitivity"] = "Only domestic abuse cases are DA-sensitive: choose normal or restricted"
    if len(details.location_text) > 250:
        errors["location_text"] = "Location must be 250 characters or fewer"
    return errors


def _da_team() -> Team | None:
    return Team.objects.filter(name__iexact=DA_TEAM_NAME).first()


def case_create(*, actor: User, details: CaseDetails, request: HttpRequest | None = None) -> Case:
    """Open a case from a report: reference, response deadline, the reporter as first party; DA cases are DA-sensitive.

    The creator is assigned (with their team) when they may see the case; a DA case reported by someone who may not
    see DA cases goes, unassigned, to the domestic abuse team.
    """
    require(actor, ADD_CASE)
    errors = _case_errors(details)
    reporter: PartyDetails | None = None
    if details.reporter is not None:
        try:
            reporter = details.reporter.cleaned()
        except DomainError as error:
            errors.update({f"reporter_{k}": v[0] for k, v in error.field_errors.items()})
    if errors:
        raise DomainError(field_errors=errors)
    assert details.received_at is not None
    sensitivity = Sensitivity.DA if details.case_type == CaseType.DA else details.sensitivity
    officer: User | None = actor
    team: Team | None = actor.team
    if sensitivity == Sensitivity.DA and not actor.has_perm(VIEW_DA):
        officer, team = None, _da_team()
    with transaction.atomic():
        case = Case(
            reference=reference_allocate(case_type=details.case_type, received_at=details.received_at),
            case_type=details.case_type,
            category=details.category,
            sub_types=list(dict.fromkeys(details.sub_types)),
            hate_strands=list(dict.fromkeys(details.hate_strands)) if details.case_type == CaseType.HATE else [],
            summary=details.summary.strip(),
            description=details.description.strip(),
            sensitivity=sensitivity,
            urgent=details.urgent,
            urgent_reason=details.urgent_reason.strip(),
            received_at=details.received_at,
            response_due_at=case_response_due(details.received_at, urgent=details.urgent),
            assigned_officer=officer,
            team=team,
            estate=details.estate or next((p.estate for p in details.properties if p.estate_id), None),
            location_text=details.location_text.strip(),
            created_by=actor,
        )
        case.save()
        if details.properties:
            case.properties.set(details.properties)
        if sensitivity == Sensitivity.RESTRICTED:
            case.restricted_to.add(actor)
        audit(actor=actor, verb=AuditVerb.CASE_CREATED, obj=case, after=_case_snapshot(case), request=request)
        if reporter is not None:
            party_insert(actor=actor, case=case, details=reporter, request=request)
        refresh_search_documents(case_ids=[case.pk])
    return case


# Triage -----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TriageResult:
    """The triaged case and what the officer should do next (e.g. refer to the police)."""

    case: Case
    prompts: list[rules.Prompt]


def case_triage(
    *,
    actor: User,
    case: Case,
    priority: str,
    urgent: bool,
    urgent_reason: str = "",
    criminal: bool = False,
    category: str | None = None,
    sub_types: Sequence[str] | None = None,
    hate_strands: Sequence[str] | None = None,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> TriageResult:
    """Triage a new case: priority, urgency (an override needs a reason), criminal flag, category; new → triaged."""
    require(actor, TRIAGE_CASE)
    errors: dict[str, str] = {}
    if priority not in Priority.values:
        errors["priority"] = "Select the priority"
    if category is not None and category and category not in Category.values:
        errors["category"] = "Select a category from the list"
    if sub_types is not None and any(v not in SubType.values for v in sub_types):
        errors["sub_types"] = "Select what happened from the list"
    if hate_strands is not None and any(v not in HateStrand.values for v in hate_strands):
        errors["hate_strands"] = "Select the hate strand from the list"
    if errors:
        raise DomainError(field_errors=errors)
    with transaction.atomic():
        case = case_locked_for(actor=actor, case=case)
        check_version(case, version)
        problem = rules.transition_problem(case.status, Status.TRIAGED)
        if problem:
            raise DomainError(problem)
        strands = list(hate_strands) if hate_strands is not None else list(case.hate_strands)
        if case.case_type == CaseType.HATE and not strands:
            raise DomainError(field_errors={"hate_strands": "Select at least one hate strand for a hate case"})
        urgent_changed = bool(urgent) != case.urgent
        if urgent_changed and not urgent_reason.strip():
            raise DomainError(
                field_errors={
                    "urgent_reason": "Enter why you are changing the urgency: the response deadline changes with it"
                }
            )
        before = _case_snapshot(case)
        case.priority = priority
        case.criminal = bool(criminal)
        if category is not None:
            case.category = category
        if sub_types is not None:
            case.sub_types = list(dict.fromkeys(sub_types))
        case.hate_strands = list(dict.fromkeys(strands)) if case.case_type == CaseType.HATE else []
        if urgent_changed:
            case.urgent = bool(urgent)
            case.urgent_reason = urgent_reason.strip()
            case.response_due_at = case_response_due(case.received_at, urgent=case.urgent)
        case.status = Status.TRIAGED
        case.triaged_at = timezone.now()
        case = _save(case, CASE_FIELDS)
        audit(
            actor=actor,
            verb=AuditVerb.CASE_TRIAGED,
            obj=case,
            before=before,
            after=_case_snapshot(case),
            reason=urgent_reason.strip() if urgent_changed else "",
            request=request,
        )
    return TriageResult(case=case, prompts=rules.triage_prompts(case_type=case.case_type, criminal=case.criminal))


# Assign -----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssignProblem:
    """Why a case cannot go to an officer: `message` for the case's own form (on `field`), `why` after its reference
    in a list of several ("DA-2026-000004 cannot be reassigned: <why>")."""

    field: str | None
    message: str
    why: str

    def error(self) -> DomainError:
        return DomainError(field_errors={self.field: self.message}) if self.field else DomainError(self.message)


def assignment_problem(*, case: Case, officer: User | None, team: Team | None, reason: str) -> AssignProblem | None:
    """The one check of every assignment, single or many (`case` locked): the case is not closed, the officer can work
    cases, DA cases go only to DA-trained staff, it is a change, and a reassignment has a reason; None if it may go."""
    if not rules.case_workable(case):
        return AssignProblem(None, "This case is closed. Reopen it before assigning it.", "it is closed")
    if officer is not None and not _may_work(officer):
        return AssignProblem(
            "officer", f"{officer} cannot work cases: choose another officer", f"{officer} cannot work cases"
        )
    if case.sensitivity == Sensitivity.DA and officer is not None and not officer.has_perm(VIEW_DA):
        return AssignProblem(
            "officer",
            f"{officer} is not DA-trained: domestic abuse cases go to DA specialists",
            f"it is a domestic abuse case and {officer} is not DA-trained",
        )
    if (officer.pk if officer else None, team.pk if team else None) == (case.assigned_officer_id, case.team_id):
        return AssignProblem("officer", "The case is already assigned to them", "it is already assigned to them")
    if _reassigning(case) and not reason:
        return AssignProblem("reason", "Enter why the case is being reassigned", "a reason is needed")
    return None


def _reassigning(case: Case) -> bool:
    return case.assigned_officer_id is not None or case.team_id is not None


def _assign_locked(
    *, actor: User, case: Case, officer: User | None, team: Team | None, reason: str, request: HttpRequest | None
) -> Case:
    """Give a locked case (already checked by `assignment_problem`) to the officer and team, audited."""
    verb = AuditVerb.CASE_REASSIGNED if _reassigning(case) else AuditVerb.CASE_ASSIGNED
    before = _case_snapshot(case)
    case.assigned_officer = officer
    case.team = team
    case = _save(case, ["assigned_officer_id", "team_id"])
    audit(actor=actor, verb=verb, obj=case, before=before, after=_case_snapshot(case), reason=reason, request=request)
    return case


def case_assign(
    *,
    actor: User,
    case: Case,
    officer: User | None,
    team: Team | None = None,
    reason: str = "",
    version: int | None = None,
    request: HttpRequest | None = None,
) -> Case:
    """Give the case to an officer and team; a reassignment needs a reason. DA cases only go to DA-trained staff."""
    require(actor, ASSIGN_CASE)
    reason = reason.strip()
    if officer is not None and team is None:
        team = officer.team
    if officer is None and team is None:
        raise DomainError(field_errors={"officer": "Select an officer or a team"})
    with transaction.atomic():
        case = case_locked_for(actor=actor, case=case)
        check_version(case, version)
        problem = assignment_problem(case=case, officer=officer, team=team, reason=reason)
        if problem is not None:
            raise problem.error()
        case = _assign_locked(actor=actor, case=case, officer=officer, team=team, reason=reason, request=request)
        if officer is not None and officer.pk != actor.pk and officer.email:
            transaction.on_commit(lambda: _tell_officer(officer=officer, cases=[case]))
    return case


REASSIGN_MAX = 200  # cases in one reassignment (a page of an officer's cases, or one API request)


def cases_reassign(
    *, actor: User, cases: Sequence[Case], officer: User, reason: str, request: HttpRequest | None = None
) -> list[Case]:
    """Give several cases to one officer (and their team) for one reason, all or nothing: each through the checks of
    `case_assign`; if any cannot go, none moves and the DomainError names each such case and why. Each case is
    audited with the reason; the officer is emailed once, after the commit, with the references and links."""
    require(actor, ASSIGN_CASE)
    reason = reason.strip()
    errors: dict[str, str] = {}
    if not cases:
        errors["cases"] = "Select the cases to reassign"
    elif len(cases) > REASSIGN_MAX:
        errors["cases"] = f"Select {REASSIGN_MAX} cases or fewer at a time"
    if not reason:
        errors["reason"] = "Enter why the cases are being reassigned"
    if errors:
        raise DomainError(field_errors=errors)
    team = officer.team
    with transaction.atomic():
        # Locked in id order, so two reassignments of overlapping cases cannot deadlock.
        ordered = sorted({case.pk: case for case in cases}.values(), key=lambda case: case.pk)
        locked = [case_locked_for(actor=actor, case=case) for case in ordered]
        problems = [
            f"{case.reference} cannot be reassigned: {problem.why}"
            for case in sorted(locked, key=lambda case: case.reference)
            if (problem := assignment_problem(case=case, officer=officer, team=team, reason=reason)) is not None
        ]
        if problems:
            raise DomainError(field_errors={"cases": problems})
        moved = [
            _assign_locked(actor=actor, case=case, officer=officer, team=team, reason=reason, request=request)
            for case in locked
        ]
        if officer.pk != actor.pk and officer.email:
            transaction.on_commit(lambda: _tell_officer(officer=officer, cases=moved))
    return sorted(moved, key=lambda case: case.reference)


def _tell_officer(*, officer: User, cases: Sequence[Case]) -> None:
    """Email an officer that cases are now theirs: one email with the references and links, never the people on them."""
    references = sorted(case.reference for case in cases)
    urls = {ref: staff_url(reverse("cases:detail", args=[ref])) for ref in references}
    links = "\n".join(f"{ref}: {url}" for ref, url in urls.items())
    if len(references) == 1:
        (ref,) = references
        subject = f"Case {ref} has been assigned to you"
        body = f"Case {ref} has been assigned to you.\n\nOpen it in community safety casework: {urls[ref]}\n"
    else:
        subject = f"{len(references)} cases have been assigned to you"
        body = (
            f"{len(references)} cases have been assigned to you. Open each in community safety casework:\n\n{links}\n"
        )
    send_mail(subject=subject, message=body, from_email=None, recipient_list=[officer.email])


# Status -----------------------------------------------------------------------------------------------------------

# Moves that need more than a click have their own services; case_transition points to them.
_HAS_OWN_SERVICE = {
    Status.TRIAGED: "Use the triage form to triage a case",
    Status.CLOSING: "Use the closure tab to put a case forward for closure, with its outcome",
    Status.CLOSED: "Use the closure tab to close a case",
    Status.REOPENED: "Use the closure tab to reopen a case, with a reason",
}


def case_transition(
    *,
    actor: User,
    case: Case,
    to_status: str,
    reason: str = "",
    version: int | None = None,
    request: HttpRequest | None = None,
) -> Case:
    """Move a case along its lifecycle (rules.TRANSITIONS); an illegal move raises DomainError saying why.

    Here: triaged → open (start the investigation) and closing → open (withdraw the closure, reason required).
    """
    require(actor, WORK_CASE)
    with transaction.atomic():
        case = case_locked_for(actor=actor, case=case)
        check_version(case, version)
        problem = rules.transition_problem(case.status, to_status)
        if problem:
            raise DomainError(problem)
        if to_status in _HAS_OWN_SERVICE:
            raise DomainError(_HAS_OWN_SERVICE[Status(to_status)])
        withdrawing = case.status == Status.CLOSING
        if withdrawing and not reason.strip():
            raise DomainError(field_errors={"reason": "Enter why the case is no longer ready to close"})
        before = _case_snapshot(case)
        case.status = to_status
        fields = ["status"]
        if to_status == Status.OPEN and not case.stage:
            case.stage = Stage.INVESTIGATING
            fields.append("stage")
        if withdrawing:
            case.closure_requested_by = None
            case.closure_requested_at = None
            case.closure_approved_by = None
            case.closure_approved_at = None
            fields += ["closure_requested_by", "closure_requested_at", "closure_approved_by", "closure_approved_at"]
        case = _save(case, fields)
        audit(
            actor=actor,
            verb=AuditVerb(f"case.{to_status}"),
            obj=case,
            before=before,
            after=_case_snapshot(case),
            reason=reason.strip(),
            request=request,
        )
    return case


# Priority ---------------------------------------------------------------------------------------------------------


def case_set_priority(
    *, actor: User, case: Case, priority: str, reason: str, request: HttpRequest | None = None
) -> Case:
    """Set the case's priority for a stated reason (e.g. a risk assessment's band); unchanged priority is a no-op."""
    require(actor, WORK_CASE)
    if priority not in Priority.values:
        raise DomainError(field_errors={"priority": "Select the priority"})
    if not reason.strip():
        raise DomainError(field_errors={"reason": "Enter why the priority is changing"})
    with transaction.atomic():
        locked = case_locked_for(actor=actor, case=case)
        if not rules.case_workable(locked):
            raise DomainError("This case is closed. Reopen it before changing its priority.")
        if locked.priority == priority:
            return locked
        before = _case_snapshot(locked)
        locked.priority = priority
        locked = _save(locked, ["priority"])
        audit(
            actor=actor,
            verb=AuditVerb.CASE_PRIORITY_CHANGED,
            obj=locked,
            before=before,
            after=_case_snapshot(locked),
            reason=reason.strip(),
            request=request,
        )
    case.priority, case.version = locked.priority, locked.version
    return locked
