"""Case conferences (issue 15 item 6): a multi-agency meeting about a case — when, which agencies, who attended, what
was decided, and the actions agreed, each owned by an agency (or by the landlord) and a named person, with a due date.

Policy: "partnership working brings the best results through integrated working". Recorded by staff who work the
case, on a case that takes new work; audited (`conference.recorded`, `conference.action_done`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format

from saferhomes.accounts.models import User
from saferhomes.cases.models import Case
from saferhomes.cases.permissions import WORK_CASE
from saferhomes.cases.services.locking import case_locked_workable
from saferhomes.core.audit import audit, snapshot
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.permissions import require
from saferhomes.referrals.models import Agency, CaseConference, ConferenceAction
from saferhomes.referrals.selectors.shares import london_today

ActionRow = tuple[str, Agency | None, str, dt.date | None]
"""(description, owner agency or None for the landlord, owner's name, due date or None)."""

MAX_ACTIONS = 20
TEXT_MAX = 10_000
DESCRIPTION_MAX = 300
OWNER_NAME_MAX = 150


def _day(value: dt.date) -> str:
    return date_format(value, "j F Y")


def conference_action_problems(actions: Sequence[ActionRow], held_on: dt.date | None) -> dict[str, str]:
    """What is wrong with the actions of a conference held on `held_on` (`actions.<index>.<field>` -> message)."""
    errors: dict[str, str] = {}
    if len(actions) > MAX_ACTIONS:
        errors["actions"] = f"Record at most {MAX_ACTIONS} actions at a time"
        return errors
    for index, (description, _agency, owner_name, due_on) in enumerate(actions):
        number = index + 1
        if not description.strip():
            errors[f"actions.{index}.description"] = f"Enter what action {number} is"
        elif len(description.strip()) > DESCRIPTION_MAX:
            errors[f"actions.{index}.description"] = f"Action {number} must be {DESCRIPTION_MAX} characters or fewer"
        if not owner_name.strip():
            errors[f"actions.{index}.owner_name"] = f"Enter who will do action {number}"
        elif len(owner_name.strip()) > OWNER_NAME_MAX:
            errors[f"actions.{index}.owner_name"] = (
                f"Who will do action {number} must be {OWNER_NAME_MAX} characters or fewer"
            )
        if due_on is not None and held_on is not None and due_on < held_on:
            errors[f"actions.{index}.due_on"] = f"Action {number} must be due on or after the day of the conference"
    return errors


def conference_record(
    *,
    actor: User,
    case: Case,
    held_on: dt.date | None,
    agencies: Sequence[Agency],
    attendees: str,
    decisions: str,
    actions: Sequence[ActionRow] = (),
    request: HttpRequest | None = None,
) -> CaseConference:
    """Record a case conference and the actions it agreed."""
    require(actor, WORK_CASE)
    attendees, decisions = (attendees or "").strip(), (decisions or "").strip()
    errors: dict[str, str] = {}
    today = london_today()
    received_on = timezone.localdate(case.received_at)
    if held_on is None:
        errors["held_on"] = "Enter the date the conference was held"
    elif held_on > today:
        errors["held_on"] = "The date the conference was held must be today or in the past"
    elif held_on < received_on:
        errors["held_on"] = (
            f"The date the conference was held must be on or after {_day(received_on)}, when the case was received"
        )
    if not attendees:
        errors["attendees"] = "Enter who attended"
    elif len(attendees) > TEXT_MAX:
        errors["attendees"] = f"Who attended must be {TEXT_MAX:,} characters or fewer"
    if not decisions:
        errors["decisions"] = "Enter what was decided"
    elif len(decisions) > TEXT_MAX:
        errors["decisions"] = f"What was decided must be {TEXT_MAX:,} characters or fewer"
    errors |= conference_action_problems(actions, held_on)
    if errors:
        raise DomainError(field_errors=errors)
    assert held_on is not None  # refused above
    chosen = list(dict.fromkeys(agencies))
    with transaction.atomic():
        locked = case_locked_workable(actor=actor, case=case)
        conference = CaseConference.objects.create(
            case=locked, held_on=held_on, attendees=attendees, decisions=decisions, created_by=actor
        )
        conference.agencies.set(chosen)
        made = ConferenceAction.objects.bulk_create(
            ConferenceAction(
                conference=conference,
                description=description.strip(),
                owner_agency=owner_agency,
                owner_name=owner_name.strip(),
                due_on=due_on,
            )
            for description, owner_agency, owner_name, due_on in actions
        )
        audit(
            actor=actor,
            verb=AuditVerb.CONFERENCE_RECORDED,
            obj=conference,
            object_label=f"{locked.reference}: case conference on {_day(held_on)}"[:200],
            after=snapshot(conference, ["case_id", "held_on", "attendees", "decisions"])
            | {
                "agencies": sorted(agency.code for agency in chosen),
                "actions": [
                    {
                        "description": action.description,
                        "owner_agency": action.owner_agency.code if action.owner_agency else None,
                        "owner_name": action.owner_name,
                        "due_on": action.due_on.isoformat() if action.due_on else None,
                    }
                    for action in made
                ],
            },
            request=request,
        )
    return conference


def conference_action_done(
    *, actor: User, action: ConferenceAction, request: HttpRequest | None = None
) -> ConferenceAction:
    """Mark a case conference action done (once)."""
    with transaction.atomic():
        locked_case = case_locked_workable(actor=actor, case=action.conference.case)
        locked = ConferenceAction.objects.select_for_update().get(pk=action.pk)
        if locked.done_at is not None:
            raise DomainError("This action is already done")
        locked.done_at = timezone.now()
        locked.save(update_fields=["done_at"])
        audit(
            actor=actor,
            verb=AuditVerb.CONFERENCE_ACTION_DONE,
            obj=locked,
            object_label=f"{locked_case.reference}: {locked.description}"[:200],
            before={"done_at": None},
            after=snapshot(locked, ["done_at"]),
            request=request,
        )
    action.done_at = locked.done_at
    return action
