"""The investigation record (issue 5 parts 3 and 4): incidents, contacts, notes, actions, contact plans.

Every service here: needs `cases.work_case`; acts only on a case the actor can see (`cases_visible_to`, else
404 — an officer cannot learn that a hidden case exists); refuses to add to a case `rules.case_workable` refuses;
runs in one transaction with the case row locked (`services.locking.case_locked_workable`); writes an audit event;
bumps `case.version` (optimistic locking). Evidence files, part of the record too, are in `services.evidence`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format

from saferhomes.accounts.models import User
from saferhomes.cases import extensions, rules
from saferhomes.cases.models import (
    ActionItem,
    ActionKind,
    Case,
    Contact,
    ContactPlan,
    ContactPurpose,
    Direction,
    Incident,
    IncidentSource,
    Note,
    Party,
    PartyRole,
)
from saferhomes.cases.permissions import WORK_CASE
from saferhomes.cases.selectors.case import cases_visible_to, contact_conflict
from saferhomes.cases.services.locking import case_locked_workable, case_touch
from saferhomes.core.audit import audit, snapshot
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.housing.models import ContactMethod, Property

# Contacts with these purposes stop the response clock (DESIGN.md §4.1: the first response to the reporter, or
# for an anonymous report the recorded initial assessment). Acknowledgements do not count.
CLOCK_STOPPING_PURPOSES = frozenset({ContactPurpose.FIRST_RESPONSE, ContactPurpose.INITIAL_ASSESSMENT})
# Who a contact plan may be agreed with: the reporter, or the victim when someone else reported for them.
PLAN_PARTY_ROLES = frozenset({PartyRole.REPORTER, PartyRole.VICTIM})
MAX_PLAN_FREQUENCY_DAYS = 365
OVERRIDE_REASON_MAX = 2_000


# Shared steps ---------------------------------------------------------------------------------------------------


def _when(value: dt.datetime) -> str:
    local = timezone.localtime(value)
    return f"{date_format(local, 'j F Y')} at {local:%H:%M}"


def _recorded(
    *,
    actor: User,
    verb: AuditVerb,
    obj: Any,
    locked: Case,
    case: Case,
    label: str,
    before: dict[str, Any] | None = None,
    fields: list[str] | None = None,
    reason: str = "",
    request: HttpRequest | None = None,
) -> None:
    """The last steps of every change to the record: audit it against the case's reference, then bump the case."""
    audit(
        actor=actor,
        verb=verb,
        obj=obj,
        object_label=f"{locked.reference}: {label}"[:200],
        before=before,
        after=snapshot(obj, fields),
        reason=reason,
        request=request,
    )
    case_touch(locked=locked, case=case)


def _refuse_future(errors: dict[str, str], field: str, value: dt.datetime | None, message: str) -> None:
    if field not in errors and rules.is_future(value, now=timezone.now()):
        errors[field] = message


# Incidents ------------------------------------------------------------------------------------------------------


def incident_record(
    *,
    actor: User,
    case: Case,
    occurred_at: dt.datetime,
    description: str,
    occurred_until: dt.datetime | None = None,
    property: Property | None = None,
    location_text: str = "",
    source: str = IncidentSource.OFFICER,
    parties_involved: Sequence[Party] = (),
    witnesses: Sequence[Party] = (),
    request: HttpRequest | None = None,
) -> Incident:
    """Record an incident on a case: when (and until), where, what happened, who was involved and who saw it."""
    description, location_text = description.strip(), location_text.strip()
    errors: dict[str, str] = {}
    if not description:
        errors["description"] = "Enter what happened"
    _refuse_future(errors, "occurred_at", occurred_at, "The date the incident started must be today or in the past")
    if occurred_until is not None:
        if occurred_until < occurred_at:
            errors["occurred_until"] = "The date the incident ended must be the same as or after the start"
        _refuse_future(
            errors, "occurred_until", occurred_until, "The date the incident ended must be today or in the past"
        )
    if property is None and not location_text:
        errors["location_text"] = "Enter where the incident happened, or choose one of the homes on the case"
    if len(location_text) > 250:
        errors["location_text"] = "Where it happened must be 250 characters or fewer"
    if source not in IncidentSource.values:
        errors["source"] = "Select who told us about the incident"
    involved = list(parties_involved)
    seen_by = list(witnesses)
    if any(party.case_id != case.pk for party in involved):
        errors["parties_involved"] = "Select people who are on this case"
    if any(party.case_id != case.pk for party in seen_by):
        errors["witnesses"] = "Select witnesses who are on this case"
    if errors:
        raise DomainError(field_errors=errors)
    with transaction.atomic():
        locked = case_locked_workable(actor=actor, case=case)
        incident = Incident.objects.create(
            case=locked,
            occurred_at=occurred_at,
            occurred_until=occurred_until,
            property=property,
            location_text=location_text,
            description=description,
            source=source,
            created_by=actor,
        )
        incident.parties_involved.set(involved)
        incident.witnesses.set(seen_by)
        after = snapshot(incident) | {
            "parties_involved": sorted(p.pk for p in involved),
            "witnesses": sorted(p.pk for p in seen_by),
        }
        audit(
            actor=actor,
            verb=AuditVerb.INCIDENT_RECORDED,
            obj=incident,
            object_label=f"{locked.reference}: incident on {_when(occurred_at)}",
            after=after,
            request=request,
        )
        case_touch(locked=locked, case=case)
    return incident


# Contacts and the contact plan ------------------------------------------------------------------------------------


def _plan_next_due(plan: ContactPlan) -> dt.datetime:
    """Next contact due: `frequency_days` after the later of agreeing the plan and the last successful contact."""
    last = (
        Contact.objects.filter(case_id=plan.case_id, party_id=plan.party_id, successful=True)
        .aggregate(last=Max("occurred_at"))
        .get("last")
    )
    base = max(plan.agreed_at, last) if last is not None else plan.agreed_at
    return base + dt.timedelta(days=plan.frequency_days)


def contact_record(
    *,
    actor: User,
    case: Case,
    method: str,
    occurred_at: dt.datetime,
    summary: str,
    party: Party | None = None,
    direction: str = Direction.OUTBOUND,
    purpose: str = ContactPurpose.GENERAL,
    successful: bool = True,
    override_reason: str = "",
    request: HttpRequest | None = None,
) -> Contact:
    """Record a contact (or an attempt) with a party; a first response stops the response clock once.

    A contact we made in a way the party's safe-contact instructions rule out ("never by phone", or not one of the
    ways they chose as safe) needs `override_reason`: it is kept on the contact and audited on its own (ADR 0009).
    """
    summary = summary.strip()
    override_reason = override_reason.strip()
    errors: dict[str, str] = {}
    if party is not None and party.case_id != case.pk:
        errors["party"] = "Select someone who is on this case"
    if method not in ContactMethod.values:
        errors["method"] = "Select how the contact was made"
    if direction not in Direction.values:
        errors["direction"] = "Select who contacted whom"
    if purpose not in ContactPurpose.values:
        errors["purpose"] = "Select what the contact was for"
    elif purpose == ContactPurpose.FIRST_RESPONSE and (party is None or party.role != PartyRole.REPORTER):
        errors["party"] = (
            "A first response is a contact with the reporter: select the reporter, "
            "or record an initial assessment if the report was anonymous"
        )
    if not summary:
        errors["summary"] = "Enter a summary of the contact"
    conflict = "" if "party" in errors else contact_conflict(party=party, method=method, direction=direction)
    if conflict and not override_reason:
        errors["override_reason"] = f"{conflict}: enter why you contacted them this way"
    elif len(override_reason) > OVERRIDE_REASON_MAX:
        errors["override_reason"] = f"The reason must be {OVERRIDE_REASON_MAX:,} characters or fewer"
    _refuse_future(errors, "occurred_at", occurred_at, "The date of the contact must be today or in the past")
    if "occurred_at" not in errors and occurred_at < case.received_at:
        errors["occurred_at"] = (
            f"The date of the contact must be on or after the report was received ({_when(case.received_at)})"
        )
    if errors:
        raise DomainError(field_errors=errors)
    with transaction.atomic():
        locked = case_locked_workable(actor=actor, case=case)
        if occurred_at < locked.received_at:  # received_at may have moved since the caller read the case
            raise DomainError(
                field_errors={
                    "occurred_at": "The date of the contact must be on or after the report was received "
                    f"({_when(locked.received_at)})"
                }
            )
        contact = Contact.objects.create(
            case=locked,
            party=party,
            method=method,
            direction=direction,
            purpose=purpose,
            successful=successful,
            occurred_at=occurred_at,
            summary=summary,
            override_reason=override_reason if conflict else "",
            created_by=actor,
        )
        label = f"{locked.reference}: {contact.get_method_display()} on {_when(occurred_at)}"
        audit(
            actor=actor,
            verb=AuditVerb.CONTACT_RECORDED,
            obj=contact,
            object_label=label,
            after=snapshot(contact),
            request=request,
        )
        if conflict:
            audit(
                actor=actor,
                verb=AuditVerb.CONTACT_AGAINST_INSTRUCTIONS,
                obj=contact,
                object_label=label,
                after={"instruction": conflict},
                reason=override_reason,
                request=request,
            )
        changes: dict[str, Any] = {}
        if purpose in CLOCK_STOPPING_PURPOSES and successful and locked.responded_at is None:
            changes["responded_at"] = occurred_at
            audit(
                actor=actor,
                verb=AuditVerb.CASE_RESPONDED,
                obj=locked,
                before={"responded_at": None},
                after={"responded_at": snapshot(contact, ["occurred_at"])["occurred_at"]},
                reason=f"{contact.get_purpose_display()} recorded",
                request=request,
            )
        plan = ContactPlan.objects.filter(case=locked).first()
        if plan is not None and party is not None and plan.party_id == party.pk and successful:
            next_due = _plan_next_due(plan)
            if next_due != plan.next_due_at:
                before = snapshot(plan, ["next_due_at"])
                plan.next_due_at = next_due
                plan.save(update_fields=["next_due_at", "updated_at"])
                audit(
                    actor=actor,
                    verb=AuditVerb.CONTACT_PLAN_NEXT_DUE_MOVED,
                    obj=plan,
                    object_label=f"{locked.reference}: contact plan",
                    before=before,
                    after=snapshot(plan, ["next_due_at"]),
                    request=request,
                )
        case_touch(locked=locked, case=case, **changes)
    return contact


def _plan_errors(
    *, case: Case, party: Party | None, frequency_days: int | None, method: str, fields: dict[str, str]
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if party is None or party.case_id != case.pk or party.role not in PLAN_PARTY_ROLES:
        errors["party"] = "Select the reporter or victim the plan was agreed with"
    if frequency_days is None or not 1 <= frequency_days <= MAX_PLAN_FREQUENCY_DAYS:
        errors["frequency_days"] = f"How often must be a whole number of days from 1 to {MAX_PLAN_FREQUENCY_DAYS}"
    if method not in ContactMethod.values:
        errors["method"] = "Select how to contact them"
    elif "party" not in errors and (conflict := contact_conflict(party=party, method=method)):
        errors["method"] = f"{conflict}: agree another way with them, or change their safe-contact instructions first"
    limits = {"safe_times": 250, "language": 60, "format": 60}
    names = {"safe_times": "Safe times", "language": "Language", "format": "Format"}
    for name, value in fields.items():
        if len(value) > limits[name]:
            errors[name] = f"{names[name]} must be {limits[name]} characters or fewer"
    return errors


def contact_plan_agree(
    *,
    actor: User,
    case: Case,
    party: Party,
    frequency_days: int,
    method: str,
    safe_times: str = "",
    language: str = "",
    format: str = "",
    agreed_at: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> ContactPlan:
    """Record the contact plan agreed with the reporter; the first contact is due `frequency_days` later."""
    fields = {"safe_times": safe_times.strip(), "language": language.strip(), "format": format.strip()}
    errors = _plan_errors(case=case, party=party, frequency_days=frequency_days, method=method, fields=fields)
    agreed_at = agreed_at or timezone.now()
    _refuse_future(errors, "agreed_at", agreed_at, "The date the plan was agreed must be today or in the past")
    if errors:
        raise DomainError(field_errors=errors)
    with transaction.atomic():
        locked = case_locked_workable(actor=actor, case=case)
        if ContactPlan.objects.filter(case=locked).exists():
            raise DomainError("A contact plan is already agreed for this case. Change that plan instead.")
        plan = ContactPlan(
            case=locked,
            party=party,
            frequency_days=frequency_days,
            method=method,
            agreed_at=agreed_at,
            next_due_at=agreed_at,
            **fields,
        )
        plan.next_due_at = _plan_next_due(plan)
        plan.save()
        _recorded(
            actor=actor,
            verb=AuditVerb.CONTACT_PLAN_AGREED,
            obj=plan,
            locked=locked,
            case=case,
            label="contact plan",
            request=request,
        )
    return plan


def contact_plan_update(
    *,
    actor: User,
    plan: ContactPlan,
    party: Party,
    frequency_days: int,
    method: str,
    safe_times: str = "",
    language: str = "",
    format: str = "",
    expected_updated_at: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> ContactPlan:
    """Change an agreed contact plan; the next contact is recomputed from the last successful one."""
    case = plan.case
    fields = {"safe_times": safe_times.strip(), "language": language.strip(), "format": format.strip()}
    errors = _plan_errors(case=case, party=party, frequency_days=frequency_days, method=method, fields=fields)
    if errors:
        raise DomainError(field_errors=errors)
    with transaction.atomic():
        locked = case_locked_workable(actor=actor, case=case)
        current = ContactPlan.objects.select_for_update().get(pk=plan.pk)
        if expected_updated_at is not None and current.updated_at != expected_updated_at:
            raise DomainError(
                "Someone else changed this contact plan while you were editing it. "
                "Check the plan as it is now and make your change again."
            )
        before = snapshot(current)
        current.party, current.frequency_days, current.method = party, frequency_days, method
        for name, value in fields.items():
            setattr(current, name, value)
        current.next_due_at = _plan_next_due(current)
        current.save()
        _recorded(
            actor=actor,
            verb=AuditVerb.CONTACT_PLAN_UPDATED,
            obj=current,
            locked=locked,
            case=case,
            label="contact plan",
            before=before,
            request=request,
        )
    return current


# Notes ----------------------------------------------------------------------------------------------------------


def note_add(
    *, actor: User, case: Case, text: str, shareable: bool = False, request: HttpRequest | None = None
) -> Note:
    """Add a note; `shareable` notes may be shown to the reporter on their status page."""
    text = text.strip()
    if not text:
        raise DomainError(field_errors={"text": "Enter the note"})
    with transaction.atomic():
        locked = case_locked_workable(actor=actor, case=case)
        note = Note.objects.create(case=locked, text=text, shareable=shareable, created_by=actor)
        _recorded(
            actor=actor, verb=AuditVerb.NOTE_ADDED, obj=note, locked=locked, case=case, label="note", request=request
        )
        if shareable:
            transaction.on_commit(partial(extensions.note_shared, locked, note.pk), robust=True)
    return note


# Actions --------------------------------------------------------------------------------------------------------


def action_owner_allowed(*, owner: User, case: Case) -> bool:
    """Whether `owner` may own an action on `case`: active staff who may work cases and can see this one."""
    return owner.is_active and owner.has_perm(WORK_CASE) and cases_visible_to(actor=owner).filter(pk=case.pk).exists()


def action_add(
    *,
    actor: User,
    case: Case,
    description: str,
    kind: str = ActionKind.TASK,
    owner: User | None = None,
    due_date: dt.date | None = None,
    request: HttpRequest | None = None,
) -> ActionItem:
    """Add an action plan item or task with an owner (the actor unless named) and an optional due date."""
    description = description.strip()
    owner = owner or actor
    errors: dict[str, str] = {}
    if not description:
        errors["description"] = "Enter what needs to be done"
    elif len(description) > 300:
        errors["description"] = "What needs to be done must be 300 characters or fewer"
    if kind not in ActionKind.values:
        errors["kind"] = "Select whether this is an action plan item or a task"
    if due_date is not None and due_date < timezone.localdate():
        errors["due_date"] = "The due date must be today or in the future"
    if errors:
        raise DomainError(field_errors=errors)
    with transaction.atomic():
        locked = case_locked_workable(actor=actor, case=case)
        if not action_owner_allowed(owner=owner, case=locked):
            raise DomainError(field_errors={"owner": "Select an owner who can work on this case"})
        action = ActionItem.objects.create(
            case=locked, kind=kind, description=description, owner=owner, due_date=due_date, created_by=actor
        )
        _recorded(
            actor=actor,
            verb=AuditVerb.ACTION_ADDED,
            obj=action,
            locked=locked,
            case=case,
            label=description,
            request=request,
        )
    return action


ACTION_DONE_FIELDS = ["done_at", "done_by_id", "done_note"]


def action_complete(
    *, actor: User, action: ActionItem, note: str = "", request: HttpRequest | None = None
) -> ActionItem:
    """Mark an action done, with an optional note of what was done."""
    note = note.strip()
    if len(note) > 300:
        raise DomainError(field_errors={"note": "What was done must be 300 characters or fewer"})
    return _action_set_done(actor=actor, action=action, done=True, note=note, request=request)


def action_reopen(*, actor: User, action: ActionItem, reason: str, request: HttpRequest | None = None) -> ActionItem:
    """Reopen a completed action, saying why."""
    reason = reason.strip()
    if not reason:
        raise DomainError(field_errors={"reason": "Enter why the action is being reopened"})
    return _action_set_done(actor=actor, action=action, done=False, reason=reason, request=request)


def _action_set_done(
    *, actor: User, action: ActionItem, done: bool, note: str = "", reason: str = "", request: HttpRequest | None
) -> ActionItem:
    with transaction.atomic():
        locked = case_locked_workable(actor=actor, case=action.case)
        current = ActionItem.objects.select_for_update().get(pk=action.pk, case=locked)
        if done and current.done_at is not None:
            raise DomainError(f"This action was already completed on {_when(current.done_at)}.")
        if not done and current.done_at is None:
            raise DomainError("This action is not complete, so it cannot be reopened.")
        before = snapshot(current, ACTION_DONE_FIELDS)
        current.done_at, current.done_by, current.done_note = (
            (timezone.now(), actor, note) if done else (None, None, "")
        )
        current.save(update_fields=ACTION_DONE_FIELDS)
        _recorded(
            actor=actor,
            verb=AuditVerb.ACTION_COMPLETED if done else AuditVerb.ACTION_REOPENED,
            obj=current,
            locked=locked,
            case=action.case,
            label=current.description,
            before=before,
            fields=ACTION_DONE_FIELDS,
            reason=reason,
            request=request,
        )
    return current
