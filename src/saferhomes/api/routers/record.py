"""The investigation record over the API (issue 21 part 1): incidents, notes, actions and the contact plan.

Thin, like the staff website's record tabs (`cases/views/record.py`): `case_of` first (404 for a case the token holder
may not see, never 403; restricted and DA reads audited), the same selectors to read, the same services
(`cases.services.record`) to write — each needs `cases.work_case`, refuses a case that cannot be worked on, is
audited and bumps the case's version. Evidence files are in `api/routers/evidence.py`.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Schema
from ninja.responses import Status as HttpStatus

from saferhomes.accounts.http import actor_of
from saferhomes.accounts.models import User
from saferhomes.accounts.selectors import staff_member_by_username
from saferhomes.api import idempotency
from saferhomes.api.routers.record_shapes import (
    ActionCompleteIn,
    ActionIn,
    ActionOut,
    ActionReopenIn,
    ContactPlanAgreeIn,
    ContactPlanIn,
    ContactPlanOut,
    ContactPlanUpdateIn,
    IncidentIn,
    IncidentOut,
    NoteIn,
    NoteOut,
)
from saferhomes.api.schemas import COMMON_ERRORS, DbInt, ProblemOut, RecordReference
from saferhomes.cases.http import case_of
from saferhomes.cases.models import ActionItem, Case, ContactPlan, Incident, Note, Party
from saferhomes.cases.permissions import WORK_CASE
from saferhomes.cases.selectors.case import case_parties
from saferhomes.cases.selectors.record import (
    case_actions,
    case_contact_plan,
    case_incidents,
    case_notes,
    contact_plan_is_missed,
)
from saferhomes.cases.services import record
from saferhomes.core.errors import DomainError
from saferhomes.core.idempotency import create_once
from saferhomes.core.permissions import require

router = Router(tags=["Case record"])

READ_ERRORS: dict[int, type[Schema]] = {**COMMON_ERRORS, 403: ProblemOut, 404: ProblemOut}
WRITE_ERRORS: dict[int, type[Schema]] = {**READ_ERRORS, 422: ProblemOut}
NO_PLAN = "No contact plan is agreed for this case yet"


def _name(user: User | None) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _username(user: User | None) -> str | None:
    return user.get_username() if user is not None else None


def _parties_named(case: Case, ids: list[int], field: str) -> list[Party]:
    """The case's parties with these ids, or a 422 naming the field."""
    parties = {party.pk: party for party in case_parties(case=case)}
    missing = [pk for pk in ids if pk not in parties]
    if missing:
        raise DomainError(field_errors={field: f"No party on this case has the id {missing[0]}"})
    return [parties[pk] for pk in dict.fromkeys(ids)]


# Incidents --------------------------------------------------------------------------------------------------------


def _incident_out(incident: Incident) -> IncidentOut:
    return IncidentOut(
        id=incident.pk,
        occurred_at=incident.occurred_at,
        occurred_until=incident.occurred_until,
        property_reference=incident.property.reference if incident.property is not None else None,
        location_text=incident.location_text,
        description=incident.description,
        source=incident.source,
        parties_involved=[party.pk for party in incident.parties_involved.all()],
        witnesses=[party.pk for party in incident.witnesses.all()],
        evidence=[evidence.pk for evidence in incident.evidence.all()],
        recorded_by=_name(incident.created_by),
        recorded_at=incident.created_at,
    )


@router.get(
    "/cases/{reference}/incidents",
    response={200: list[IncidentOut], **READ_ERRORS},
    summary="A case's incidents",
    operation_id="cases_incidents",
    url_name="cases-incidents",
)
def incidents(request: HttpRequest, reference: RecordReference) -> list[IncidentOut]:
    """Every incident on the case, newest first, with who was involved, who saw it and the evidence attached."""
    return [_incident_out(incident) for incident in case_incidents(case=case_of(request, reference))]


@router.post(
    "/cases/{reference}/incidents",
    response={201: IncidentOut, **WRITE_ERRORS},
    summary="Record an incident",
    operation_id="cases_incident_record",
    url_name="cases-incident-record",
)
def incident_add(
    request: HttpRequest,
    response: HttpResponse,
    reference: RecordReference,
    payload: IncidentIn,
    idempotency_key: str = idempotency.key_header(),
) -> HttpStatus[IncidentOut]:
    """When (and until), where (one of the case's homes, or `location_text`), what happened, and who was involved
    or saw it (ids of the case's parties). Send an `Idempotency-Key` to retry safely."""
    actor, case = actor_of(request), case_of(request, reference)
    require(actor, WORK_CASE)
    key = idempotency.key_of(idempotency_key)

    def create() -> int:
        home = None
        wanted = payload.property_reference.strip().upper()
        if wanted:
            home = next((each for each in case.properties.all() if each.reference.upper() == wanted), None)
            if home is None:
                raise DomainError(field_errors={"property_reference": "Select one of the homes on this case"})
        return record.incident_record(
            actor=actor,
            case=case,
            occurred_at=payload.occurred_at,
            occurred_until=payload.occurred_until,
            property=home,
            location_text=payload.location_text,
            description=payload.description,
            source=payload.source,
            parties_involved=_parties_named(case, payload.parties_involved, "parties_involved"),
            witnesses=_parties_named(case, payload.witnesses, "witnesses"),
            request=request,
        ).pk

    created = create_once(actor=actor, scope=f"cases.incident_record:{case.pk}", key=key, create=create)
    idempotency.mark_replayed(response, created)
    incident = case_incidents(case=case).filter(pk=created.object_id).first()
    if incident is None:
        raise Http404("The incident this key recorded is no longer on the case")
    return HttpStatus(201, _incident_out(incident))


# Notes ------------------------------------------------------------------------------------------------------------


def _note_out(note: Note) -> NoteOut:
    return NoteOut(
        id=note.pk,
        text=note.text,
        shareable=note.shareable,
        written_by=_name(note.created_by),
        written_at=note.created_at,
    )


@router.get(
    "/cases/{reference}/notes",
    response={200: list[NoteOut], **READ_ERRORS},
    summary="A case's notes",
    operation_id="cases_notes",
    url_name="cases-notes",
)
def notes(request: HttpRequest, reference: RecordReference) -> list[NoteOut]:
    """Every note on the case, newest first."""
    return [_note_out(note) for note in case_notes(case=case_of(request, reference))]


@router.post(
    "/cases/{reference}/notes",
    response={201: NoteOut, **WRITE_ERRORS},
    summary="Add a note",
    operation_id="cases_note_add",
    url_name="cases-note-add",
)
def note_add(
    request: HttpRequest,
    response: HttpResponse,
    reference: RecordReference,
    payload: NoteIn,
    idempotency_key: str = idempotency.key_header(),
) -> HttpStatus[NoteOut]:
    """A note; a `shareable` one is shown to the reporter on their status page, and they are told (when it is safe
    to). Send an `Idempotency-Key` to retry safely."""
    actor, case = actor_of(request), case_of(request, reference)
    require(actor, WORK_CASE)
    key = idempotency.key_of(idempotency_key)

    def create() -> int:
        return record.note_add(
            actor=actor, case=case, text=payload.text, shareable=payload.shareable, request=request
        ).pk

    created = create_once(actor=actor, scope=f"cases.note_add:{case.pk}", key=key, create=create)
    idempotency.mark_replayed(response, created)
    note = case_notes(case=case).filter(pk=created.object_id).first()
    if note is None:
        raise Http404("The note this key added is no longer on the case")
    return HttpStatus(201, _note_out(note))


# Actions ----------------------------------------------------------------------------------------------------------


def _action_out(action: ActionItem) -> ActionOut:
    overdue = action.done_at is None and action.due_date is not None and action.due_date < timezone.localdate()
    return ActionOut(
        id=action.pk,
        kind=action.kind,
        description=action.description,
        owner=_username(action.owner),
        due_date=action.due_date,
        overdue=overdue,
        done_at=action.done_at,
        done_by=_username(action.done_by),
        done_note=action.done_note,
        created_at=action.created_at,
    )


def _action_of(case: Case, action_id: int) -> ActionItem:
    action = case_actions(case=case).filter(pk=action_id).first()
    if action is None:
        raise Http404("No such action on this case")
    return action


@router.get(
    "/cases/{reference}/actions",
    response={200: list[ActionOut], **READ_ERRORS},
    summary="A case's actions",
    operation_id="cases_actions",
    url_name="cases-actions",
)
def actions(request: HttpRequest, reference: RecordReference) -> list[ActionOut]:
    """The action plan and tasks: open ones first by due date (`overdue` flagged), then completed ones."""
    return [_action_out(action) for action in case_actions(case=case_of(request, reference))]


@router.post(
    "/cases/{reference}/actions",
    response={201: ActionOut, **WRITE_ERRORS},
    summary="Add an action",
    operation_id="cases_action_add",
    url_name="cases-action-add",
)
def action_add(
    request: HttpRequest,
    response: HttpResponse,
    reference: RecordReference,
    payload: ActionIn,
    idempotency_key: str = idempotency.key_header(),
) -> HttpStatus[ActionOut]:
    """An action plan item or a task, owned by you or by `owner` (someone who can work on this case), optionally
    due on a date. Send an `Idempotency-Key` to retry safely."""
    actor, case = actor_of(request), case_of(request, reference)
    require(actor, WORK_CASE)
    key = idempotency.key_of(idempotency_key)

    def create() -> int:
        owner = None
        if payload.owner.strip():
            try:
                owner = staff_member_by_username(username=payload.owner.strip())
            except DomainError as error:
                raise DomainError(field_errors={"owner": error.messages}) from None
        return record.action_add(
            actor=actor,
            case=case,
            description=payload.description,
            kind=payload.kind,
            owner=owner,
            due_date=payload.due_date,
            request=request,
        ).pk

    created = create_once(actor=actor, scope=f"cases.action_add:{case.pk}", key=key, create=create)
    idempotency.mark_replayed(response, created)
    return HttpStatus(201, _action_out(_action_of(case, created.object_id)))


@router.post(
    "/cases/{reference}/actions/{action_id}/complete",
    response={200: ActionOut, **WRITE_ERRORS},
    summary="Complete an action",
    operation_id="cases_action_complete",
    url_name="cases-action-complete",
)
def action_complete(
    request: HttpRequest, reference: RecordReference, action_id: DbInt, payload: ActionCompleteIn
) -> ActionOut:
    """Mark an open action done, with what was done; an action already done is refused (422)."""
    actor, case = actor_of(request), case_of(request, reference)
    require(actor, WORK_CASE)
    done = record.action_complete(actor=actor, action=_action_of(case, action_id), note=payload.note, request=request)
    return _action_out(_action_of(case, done.pk))


@router.post(
    "/cases/{reference}/actions/{action_id}/reopen",
    response={200: ActionOut, **WRITE_ERRORS},
    summary="Reopen an action",
    operation_id="cases_action_reopen",
    url_name="cases-action-reopen",
)
def action_reopen(
    request: HttpRequest, reference: RecordReference, action_id: DbInt, payload: ActionReopenIn
) -> ActionOut:
    """Reopen a completed action, saying why; an open action is refused (422)."""
    actor, case = actor_of(request), case_of(request, reference)
    require(actor, WORK_CASE)
    reopened = record.action_reopen(
        actor=actor, action=_action_of(case, action_id), reason=payload.reason, request=request
    )
    return _action_out(_action_of(case, reopened.pk))


# The contact plan -------------------------------------------------------------------------------------------------


def _plan_out(plan: ContactPlan) -> ContactPlanOut:
    return ContactPlanOut(
        party_id=plan.party_id,
        party_name=plan.party.display_name,
        frequency_days=plan.frequency_days,
        method=plan.method,
        safe_times=plan.safe_times,
        language=plan.language,
        format=plan.format,
        agreed_at=plan.agreed_at,
        next_due_at=plan.next_due_at,
        missed=contact_plan_is_missed(plan, now=timezone.now()),
        updated_at=plan.updated_at,
    )


def _plan_party(case: Case, payload: ContactPlanIn) -> Party:
    party = next((each for each in case_parties(case=case) if each.pk == payload.party_id), None)
    if party is None:
        raise DomainError(field_errors={"party_id": "Select the reporter or victim the plan was agreed with"})
    return party


def _as_read(sent: dt.datetime | None, current: dt.datetime) -> dt.datetime | None:
    """The `updated_at` a client sent back, as the service compares it: JSON carries times to the millisecond, so a
    time that matches the plan's to the millisecond is the plan's own (the service still compares it, under the lock,
    with the plan as it is then)."""
    if sent is None:
        return None
    return current if _to_milliseconds(sent) == _to_milliseconds(current) else sent


def _to_milliseconds(moment: dt.datetime) -> dt.datetime:
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def _current_plan(case: Case) -> ContactPlan:
    plan = case_contact_plan(case=case)
    if plan is None:
        raise Http404(NO_PLAN)
    return plan


@router.get(
    "/cases/{reference}/contact-plan",
    response={200: ContactPlanOut, **READ_ERRORS},
    summary="A case's contact plan",
    operation_id="cases_contact_plan",
    url_name="cases-contact-plan",
)
def contact_plan(request: HttpRequest, reference: RecordReference) -> ContactPlanOut:
    """The plan agreed with the reporter: how often, how, when it is safe; when the next contact is due and whether
    it was missed. 404 when no plan is agreed yet."""
    return _plan_out(_current_plan(case_of(request, reference)))


@router.post(
    "/cases/{reference}/contact-plan",
    response={201: ContactPlanOut, **WRITE_ERRORS},
    summary="Agree the contact plan",
    operation_id="cases_contact_plan_agree",
    url_name="cases-contact-plan-agree",
)
def contact_plan_agree(
    request: HttpRequest, reference: RecordReference, payload: ContactPlanAgreeIn
) -> HttpStatus[ContactPlanOut]:
    """Record the plan agreed with the reporter (or the victim); the first contact is due `frequency_days` later.
    A case has one plan: when one is agreed already this is refused (422) — change it with PUT. A way of contact
    their safe-contact instructions rule out is refused (422 on `method`)."""
    actor, case = actor_of(request), case_of(request, reference)
    require(actor, WORK_CASE)
    record.contact_plan_agree(
        actor=actor,
        case=case,
        party=_plan_party(case, payload),
        frequency_days=payload.frequency_days,
        method=payload.method,
        safe_times=payload.safe_times,
        language=payload.language,
        format=payload.format,
        agreed_at=payload.agreed_at,
        request=request,
    )
    return HttpStatus(201, _plan_out(_current_plan(case)))


@router.put(
    "/cases/{reference}/contact-plan",
    response={200: ContactPlanOut, **WRITE_ERRORS},
    summary="Change the contact plan",
    operation_id="cases_contact_plan_update",
    url_name="cases-contact-plan-update",
)
def contact_plan_update(
    request: HttpRequest, reference: RecordReference, payload: ContactPlanUpdateIn
) -> ContactPlanOut:
    """Change the agreed plan (every field, as on the staff website); the next contact is worked out again from the
    last successful one. Send the `updated_at` you read: if someone changed the plan since, this is refused (422).
    404 when no plan is agreed yet."""
    actor, case = actor_of(request), case_of(request, reference)
    require(actor, WORK_CASE)
    plan = _current_plan(case)
    record.contact_plan_update(
        actor=actor,
        plan=plan,
        party=_plan_party(case, payload),
        frequency_days=payload.frequency_days,
        method=payload.method,
        safe_times=payload.safe_times,
        language=payload.language,
        format=payload.format,
        expected_updated_at=_as_read(payload.updated_at, plan.updated_at),
        request=request,
    )
    return _plan_out(_current_plan(case))
