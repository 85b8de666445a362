"""Case services (issue 5 parts 1, 2 and 7): create, triage, assign, move status, parties, links, break glass.

Every service: keyword-only arguments; `require(actor, perm)`; acts only on a case the actor can see
(`cases_visible_to`, else Http404 — never confirm that a hidden case exists); one transaction with the case row
locked; `check_version` when the caller sends the version its form was drawn from (optimistic locking: two
officers editing the same case never overwrite each other silently); an audit event; the version bumped; side
effects (emails) in `transaction.on_commit`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Q
from django.http import Http404, HttpRequest
from django.utils import timezone

from saferhomes.accounts.models import Team, User
from saferhomes.cases import rules
from saferhomes.cases.models import (
    AccessGrant,
    Case,
    CaseLink,
    CaseType,
    Category,
    HateStrand,
    LinkReason,
    Party,
    PartyRole,
    Priority,
    Sensitivity,
    Stage,
    Status,
    SubType,
)
from saferhomes.cases.references import reference_allocate
from saferhomes.cases.search import refresh_search_documents
from saferhomes.cases.selectors.case import cases_visible_to
from saferhomes.core.audit import audit, snapshot
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.calendar_config import case_response_due
from saferhomes.core.errors import DomainError
from saferhomes.core.models import AuditEvent
from saferhomes.core.permissions import require
from saferhomes.housing.models import Estate, Person, Property

ADD_CASE = "cases.add_case"
TRIAGE_CASE = "cases.triage_case"
WORK_CASE = "cases.work_case"
ASSIGN_CASE = "cases.assign_case"
VIEW_DA = "cases.view_da_cases"
BREAK_GLASS = "cases.break_glass"

VERSION_FIELD = "version"
SUMMARY_MAX = 200
TEXT_MAX = 10_000
REASON_MIN = 10
# A break-glass grant lasts one working day's worth of hours; the manager breaks glass again if they need longer.
BREAK_GLASS_HOURS = 8
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


# Optimistic locking ---------------------------------------------------------------------------------------------


def _last_change(case: Case) -> AuditEvent | None:
    return (
        AuditEvent.objects.filter(object_type=case._meta.label_lower, object_id=str(case.pk))
        .exclude(verb__endswith=".viewed")
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )


def _describe_change(change: AuditEvent) -> str:
    before, after = change.before or {}, change.after or {}
    changed = [
        key
        for key in sorted(set(before) | set(after))
        if key not in {"version", "updated_at"} and before.get(key) != after.get(key)
    ]
    verb = change.verb.split(".", 1)[-1].replace("_", " ")
    if not changed:
        return f"{verb}."
    return f"{verb} ({', '.join(name.removesuffix('_id').replace('_', ' ') for name in changed)})."


def stale_version_message(case: Case) -> str:
    """'This case was changed by X at HH:MM while you were editing…', naming the last change from the audit trail."""
    change = _last_change(case)
    if change is None:
        who, when, what = "someone else", "", ""
    else:
        who = (change.actor.get_full_name() if change.actor else "") or change.actor_label
        when = f" at {timezone.localtime(change.at):%H:%M}"
        what = _describe_change(change)
    message = f"This case was changed by {who}{when} while you were editing. Your changes were not saved"
    return f"{message}; here is what changed: {what}" if what else f"{message}. Check the case and try again."


def check_version(case: Case, version: int | None) -> None:
    """Raise DomainError if the form's `version` is not the case's (someone saved in between); None skips."""
    if version is None:
        return
    if int(version) != case.version:
        raise DomainError(stale_version_message(case))


# Shared steps -----------------------------------------------------------------------------------------------------


def _locked_visible(*, actor: Any, case: Case) -> Case:
    """The case re-read under a row lock if `actor` may see it; Http404 otherwise."""
    if not cases_visible_to(actor=actor).filter(pk=case.pk).exists():
        raise Http404("No such case.")
    return Case.objects.select_for_update().get(pk=case.pk)


def _save(case: Case, fields: Sequence[str]) -> Case:
    """Save `fields` with the version bumped, and return the row as stored."""
    case.version = F("version") + 1
    case.save(update_fields=[*{f.removesuffix("_id") for f in fields}, "version", "updated_at"])
    case.refresh_from_db()
    return case


def _bump(case: Case) -> None:
    """Bump the version of a case whose own row did not change (a party or link was added)."""
    Case.objects.filter(pk=case.pk).update(version=F("version") + 1, updated_at=timezone.now())
    case.refresh_from_db(fields=["version", "updated_at"])


def _case_snapshot(case: Case) -> dict[str, Any]:
    return snapshot(case, CASE_FIELDS)


def _not_future(value: dt.datetime | dt.date | None) -> bool:
    if value is None:
        return True
    if isinstance(value, dt.datetime):
        return value <= timezone.now()
    return value <= timezone.localdate()


def _may_work(user: User) -> bool:
    return bool(user.is_active and user.has_perm(WORK_CASE))


# Create ---------------------------------------------------------------------------------------------------------


@dataclass
class PartyDetails:
    """Who a party is and what staff must know: from the register (`person`) or typed in (ad hoc)."""

    role: str = PartyRole.REPORTER
    person: Person | None = None
    first_name: str = ""
    last_name: str = ""
    date_of_birth: dt.date | None = None
    phone: str = ""
    email: str = ""
    address: str = ""
    organisation: str = ""
    anonymous: bool = False
    safe_contact_notes: str = ""
    vulnerabilities: str = ""
    reasonable_adjustments: str = ""
    notes: str = ""

    def cleaned(self) -> PartyDetails:
        """Stripped copy; raises DomainError with field errors for anything a person must put right."""
        text = {
            name: str(getattr(self, name) or "").strip()
            for name in (
                "first_name",
                "last_name",
                "phone",
                "email",
                "address",
                "organisation",
                "safe_contact_notes",
                "vulnerabilities",
                "reasonable_adjustments",
                "notes",
            )
        }
        errors: dict[str, str] = {}
        if self.role not in PartyRole.values:
            errors["role"] = "Select the person's role on the case"
        if self.anonymous and self.role != PartyRole.REPORTER:
            errors["anonymous"] = "Only a reporter can be anonymous"
        if self.person is None and not self.anonymous and not (text["first_name"] or text["last_name"]):
            errors["last_name"] = "Enter the person's name, choose them from the register, or say they are anonymous"
        if not _not_future(self.date_of_birth):
            errors["date_of_birth"] = "Date of birth must be today or in the past"
        if text["email"]:
            try:
                validate_email(text["email"])
            except ValidationError:
                errors["email"] = "Enter an email address in the correct format, like name@example.com"
        for name, limit in (("first_name", 100), ("last_name", 100), ("phone", 30), ("address", 250)):
            if len(text[name]) > limit:
                errors[name] = f"{name.replace('_', ' ').capitalize()} must be {limit} characters or fewer"
        if errors:
            raise DomainError(field_errors=errors)
        return PartyDetails(
            role=self.role,
            person=self.person,
            date_of_birth=self.date_of_birth,
            anonymous=self.anonymous,
            **text,
        )


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


def case_create(*, actor: Any, details: CaseDetails, request: HttpRequest | None = None) -> Case:
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
            _party_create(actor=actor, case=case, details=reporter, request=request)
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
    actor: Any,
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
        case = _locked_visible(actor=actor, case=case)
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


def case_assign(
    *,
    actor: Any,
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
        case = _locked_visible(actor=actor, case=case)
        check_version(case, version)
        if case.status == Status.CLOSED:
            raise DomainError("This case is closed. Reopen it before assigning it.")
        if officer is not None and not _may_work(officer):
            raise DomainError(field_errors={"officer": f"{officer} cannot work cases: choose another officer"})
        if case.sensitivity == Sensitivity.DA and officer is not None and not officer.has_perm(VIEW_DA):
            raise DomainError(
                field_errors={"officer": f"{officer} is not DA-trained: domestic abuse cases go to DA specialists"}
            )
        if (officer.pk if officer else None, team.pk if team else None) == (case.assigned_officer_id, case.team_id):
            raise DomainError(field_errors={"officer": "The case is already assigned to them"})
        reassigning = case.assigned_officer_id is not None or case.team_id is not None
        if reassigning and not reason:
            raise DomainError(field_errors={"reason": "Enter why the case is being reassigned"})
        before = _case_snapshot(case)
        case.assigned_officer = officer
        case.team = team
        case = _save(case, ["assigned_officer_id", "team_id"])
        audit(
            actor=actor,
            verb=AuditVerb.CASE_REASSIGNED if reassigning else AuditVerb.CASE_ASSIGNED,
            obj=case,
            before=before,
            after=_case_snapshot(case),
            reason=reason,
            request=request,
        )
        if officer is not None and officer.pk != actor.pk and officer.email:
            transaction.on_commit(lambda: _tell_officer(officer=officer, case=case))
    return case


def _tell_officer(*, officer: User, case: Case) -> None:
    """Email an officer that a case is now theirs: the reference only, never the people on it."""
    send_mail(
        subject=f"Case {case.reference} has been assigned to you",
        message=(
            f"Case {case.reference} has been assigned to you.\n\n"
            f"Open it in community safety casework: {settings.PUBLIC_BASE_URL}/staff/cases/{case.reference}/\n"
        ),
        from_email=None,
        recipient_list=[officer.email],
    )


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
    actor: Any,
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
        case = _locked_visible(actor=actor, case=case)
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
    *, actor: Any, case: Case, priority: str, reason: str, request: HttpRequest | None = None
) -> Case:
    """Set the case's priority for a stated reason (e.g. a risk assessment's band); unchanged priority is a no-op."""
    require(actor, WORK_CASE)
    if priority not in Priority.values:
        raise DomainError(field_errors={"priority": "Select the priority"})
    if not reason.strip():
        raise DomainError(field_errors={"reason": "Enter why the priority is changing"})
    with transaction.atomic():
        locked = _locked_visible(actor=actor, case=case)
        if locked.status == Status.CLOSED:
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


# Parties ----------------------------------------------------------------------------------------------------------

PARTY_FIELDS = [
    "role",
    "person_id",
    "first_name",
    "last_name",
    "date_of_birth",
    "phone",
    "email",
    "address",
    "organisation",
    "anonymous",
    "safe_contact_notes",
    "vulnerabilities",
    "reasonable_adjustments",
    "notes",
]


def _party_create(*, actor: Any, case: Case, details: PartyDetails, request: HttpRequest | None) -> Party:
    party = Party(case=case)
    _apply_party(party, details)
    party.save()
    audit(actor=actor, verb=AuditVerb.PARTY_ADDED, obj=party, after=snapshot(party, PARTY_FIELDS), request=request)
    return party


def _apply_party(party: Party, details: PartyDetails) -> None:
    party.role = details.role
    party.person = details.person
    party.anonymous = details.anonymous
    party.date_of_birth = details.date_of_birth
    for name in (
        "first_name",
        "last_name",
        "phone",
        "email",
        "address",
        "organisation",
        "safe_contact_notes",
        "vulnerabilities",
        "reasonable_adjustments",
        "notes",
    ):
        setattr(party, name, getattr(details, name))


def party_add(
    *,
    actor: Any,
    case: Case,
    details: PartyDetails,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> Party:
    """Add a person to the case in a role, from the register or typed in; minors are derived, never stored."""
    require(actor, WORK_CASE)
    cleaned = details.cleaned()
    with transaction.atomic():
        locked = _locked_visible(actor=actor, case=case)
        check_version(locked, version)
        if locked.status == Status.CLOSED:
            raise DomainError("This case is closed. Reopen it before adding anyone to it.")
        if cleaned.person is not None and locked.parties.filter(person=cleaned.person, role=cleaned.role).exists():
            raise DomainError(field_errors={"person": f"{cleaned.person} is already on this case in that role"})
        party = _party_create(actor=actor, case=locked, details=cleaned, request=request)
        refresh_search_documents(case_ids=[locked.pk])
        _bump(locked)
        case.version = locked.version
    return party


def party_update(
    *,
    actor: Any,
    party: Party,
    details: PartyDetails,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> Party:
    """Change what the case records about a party (their role, details, vulnerabilities, safe-contact notes)."""
    require(actor, WORK_CASE)
    cleaned = details.cleaned()
    with transaction.atomic():
        locked = _locked_visible(actor=actor, case=party.case)
        check_version(locked, version)
        party = Party.objects.select_for_update().get(pk=party.pk)
        before = snapshot(party, PARTY_FIELDS)
        _apply_party(party, cleaned)
        party.save()
        after = snapshot(party, PARTY_FIELDS)
        if after != before:
            audit(actor=actor, verb=AuditVerb.PARTY_UPDATED, obj=party, before=before, after=after, request=request)
            refresh_search_documents(case_ids=[locked.pk])
            _bump(locked)
    return party


# Links ------------------------------------------------------------------------------------------------------------


def case_link(
    *,
    actor: Any,
    case: Case,
    other_reference: str,
    reason: str,
    note: str = "",
    version: int | None = None,
    request: HttpRequest | None = None,
) -> CaseLink:
    """Link two cases that belong together (same perpetrator, location or victim); both must be visible to the actor."""
    require(actor, WORK_CASE)
    if reason not in LinkReason.values:
        raise DomainError(field_errors={"reason": "Select why the cases are linked"})
    wanted = other_reference.strip().upper()
    if not wanted:
        raise DomainError(field_errors={"other_reference": "Enter the reference of the case to link"})
    with transaction.atomic():
        locked = _locked_visible(actor=actor, case=case)
        check_version(locked, version)
        other = cases_visible_to(actor=actor).filter(reference=wanted).first()
        if other is None:
            raise DomainError(field_errors={"other_reference": f"No case you can see has the reference {wanted}"})
        if other.pk == locked.pk:
            raise DomainError(field_errors={"other_reference": "A case cannot be linked to itself"})
        if CaseLink.objects.filter(Q(from_case=locked, to_case=other) | Q(from_case=other, to_case=locked)).exists():
            raise DomainError(field_errors={"other_reference": f"This case is already linked to {other.reference}"})
        link = CaseLink.objects.create(
            from_case=locked, to_case=other, reason=reason, note=note.strip()[:250], created_by=actor
        )
        audit(
            actor=actor,
            verb=AuditVerb.CASE_LINKED,
            obj=locked,
            after={"linked_to": other.reference, "reason": reason, "note": link.note},
            request=request,
        )
        _bump(locked)
        case.version = locked.version
    return link


# Break glass ------------------------------------------------------------------------------------------------------


def case_break_glass(*, actor: Any, reference: str, reason: str, request: HttpRequest | None = None) -> AccessGrant:
    """A manager opens a case they are not entitled to see: reason required, time-limited, audited, DPO emailed."""
    require(actor, BREAK_GLASS)
    reason = reason.strip()
    wanted = reference.strip().upper()
    errors: dict[str, str] = {}
    if not wanted:
        errors["reference"] = "Enter the case reference"
    if len(reason) < REASON_MIN:
        errors["reason"] = f"Enter why you need to open this case ({REASON_MIN} characters or more)"
    if errors:
        raise DomainError(field_errors=errors)
    with transaction.atomic():
        case = Case.objects.filter(reference=wanted).first()
        if case is None:
            raise DomainError(field_errors={"reference": f"No case has the reference {wanted}"})
        if cases_visible_to(actor=actor).filter(pk=case.pk).exists():
            raise DomainError(field_errors={"reference": f"You can already open {wanted}: no need to break glass"})
        grant = AccessGrant.objects.create(
            case=case,
            user=actor,
            reason=reason,
            expires_at=timezone.now() + dt.timedelta(hours=BREAK_GLASS_HOURS),
        )
        audit(
            actor=actor,
            verb=AuditVerb.CASE_BREAK_GLASS,
            obj=case,
            after={"expires_at": grant.expires_at, "sensitivity": case.sensitivity},
            reason=reason,
            request=request,
        )
        transaction.on_commit(lambda: _tell_dpo(grant_id=grant.pk))
    return grant


def _tell_dpo(*, grant_id: int) -> None:
    """Email the data protection officer(s) that glass was broken: who, which case, when, why."""
    grant = AccessGrant.objects.select_related("case", "user").get(pk=grant_id)
    recipients = {settings.LANDLORD_CONTACT["dpo_email"]}
    recipients |= set(User.objects.filter(role="dpo", is_active=True).exclude(email="").values_list("email", flat=True))
    granted = timezone.localtime(grant.granted_at)
    send_mail(
        subject=f"Break-glass access to case {grant.case.reference}",
        message=(
            f"{grant.user.get_full_name() or grant.user.get_username()} ({grant.user.get_username()}) broke glass "
            f"to open case {grant.case.reference} on {granted:%d %B %Y at %H:%M}.\n\n"
            f"Reason given: {grant.reason}\n\n"
            f"Access ends {timezone.localtime(grant.expires_at):%d %B %Y at %H:%M}. "
            "Every page they open is in the audit trail.\n"
        ),
        from_email=None,
        recipient_list=sorted(recipients),
    )
