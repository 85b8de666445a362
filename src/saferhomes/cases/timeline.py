"""One chronological timeline of everything on a case (issue 5 part 3), filterable by kind.

Incidents (when they happened), contacts, notes, actions (added and completed), evidence, and the case's own
changes — status, assignment, triage, the response clock — from the audit trail. A fixed number of queries
whatever the size of the case: one per kind, plus at most two to name the officers and teams in the changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format

from saferhomes.accounts.models import Team, User
from saferhomes.cases import rules
from saferhomes.cases.extensions import TIMELINE_SOURCES
from saferhomes.cases.models import (
    ActionItem,
    Case,
    Contact,
    EvidenceFile,
    Incident,
    Note,
    Priority,
    Sensitivity,
    Stage,
    Status,
)
from saferhomes.core.models import AuditEvent


class TimelineKind(models.TextChoices):
    INCIDENT = "incident", "Incidents"
    CONTACT = "contact", "Contacts"
    NOTE = "note", "Notes"
    ACTION = "action", "Actions"
    EVIDENCE = "evidence", "Evidence"
    CASE = "case", "Status, assignment and other case changes"


# The tag each entry carries.
KIND_LABELS: dict[str, str] = {
    TimelineKind.INCIDENT.value: "Incident",
    TimelineKind.CONTACT.value: "Contact",
    TimelineKind.NOTE.value: "Note",
    TimelineKind.ACTION.value: "Action",
    TimelineKind.EVIDENCE.value: "Evidence",
    TimelineKind.CASE.value: "Case",
}


@dataclass(frozen=True)
class TimelineEntry:
    """One line of the timeline: what kind, when, a title, detail lines and who did it."""

    kind: str
    at: dt.datetime
    title: str
    details: list[str] = field(default_factory=list)
    actor: str = ""
    obj: Any = None

    @property
    def kind_label(self) -> str:
        extra = TIMELINE_SOURCES.get(self.kind)
        return extra.tag if extra else KIND_LABELS.get(self.kind, self.kind)


# Titles for the case's own audit events; any other verb is shown in words ("case.link_added" -> "Link added").
CASE_VERB_TITLES: dict[str, str] = {
    "case.created": "Case opened",
    "case.triaged": "Triaged",
    "case.assigned": "Assigned",
    "case.reassigned": "Reassigned",
    "case.transitioned": "Status changed",
    "case.status_changed": "Status changed",
    "case.responded": "Response clock stopped",
    "case.closure_requested": "Closure requested",
    "case.closure_approved": "Closure approved",
    "case.closed": "Case closed",
    "case.reopened": "Case reopened",
    "case.updated": "Case details changed",
    "case.linked": "Linked to another case",
    "case.break_glass": "Opened with break-glass access",
}
# Fields of a case whose changes the timeline spells out, with the words for them.
CASE_FIELD_LABELS: dict[str, str] = {
    "status": "Status",
    "stage": "Stage",
    "assigned_officer": "Officer",
    "assigned_officer_id": "Officer",
    "team": "Team",
    "team_id": "Team",
    "priority": "Priority",
    "sensitivity": "Sensitivity",
    "urgent": "Urgent",
    "responded_at": "Responded",
    "response_due_at": "Response due",
    "outcome": "Outcome",
}
_CHOICE_LABELS: dict[str, dict[str, str]] = {
    "status": dict(Status.choices),
    "stage": dict(Stage.choices),
    "priority": dict(Priority.choices),
    "sensitivity": dict(Sensitivity.choices),
}
_USER_FIELDS = {"assigned_officer", "assigned_officer_id"}
_TEAM_FIELDS = {"team", "team_id"}


def _person(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _moment(value: dt.datetime) -> str:
    local = timezone.localtime(value)
    return f"{date_format(local, 'j F Y')} at {local:%H:%M}"


def _incidents(case: Case) -> Iterable[TimelineEntry]:
    for incident in Incident.objects.filter(case=case).select_related("property", "created_by"):
        where = ", ".join(part for part in (str(incident.property or ""), incident.location_text) if part)
        details = [incident.description]
        if where:
            details.insert(0, f"Where: {where}")
        if incident.occurred_until:
            details.insert(0, f"Until {_moment(incident.occurred_until)}")
        yield TimelineEntry(
            kind=TimelineKind.INCIDENT,
            at=incident.occurred_at,
            title=f"Incident ({incident.get_source_display()})",
            details=details,
            actor=rules.told_by(source=incident.source, recorded_by=_person(incident.created_by)),
            obj=incident,
        )


def _contacts(case: Case) -> Iterable[TimelineEntry]:
    for contact in Contact.objects.filter(case=case).select_related("party", "party__person", "created_by"):
        who = contact.party.display_name if contact.party else "no named person"
        outcome = "" if contact.successful else " (not reached)"
        yield TimelineEntry(
            kind=TimelineKind.CONTACT,
            at=contact.occurred_at,
            title=f"{contact.get_method_display()}, {contact.get_direction_display().lower()}: {who}{outcome}",
            details=[contact.get_purpose_display(), contact.summary],
            actor=_person(contact.created_by),
            obj=contact,
        )


def _notes(case: Case) -> Iterable[TimelineEntry]:
    for note in Note.objects.filter(case=case).select_related("created_by"):
        yield TimelineEntry(
            kind=TimelineKind.NOTE,
            at=note.created_at,
            title="Note (may be shared with the reporter)" if note.shareable else "Note",
            details=[note.text],
            actor=_person(note.created_by),
            obj=note,
        )


def _actions(case: Case) -> Iterable[TimelineEntry]:
    for action in ActionItem.objects.filter(case=case).select_related("owner", "created_by", "done_by"):
        due = f", due {date_format(action.due_date, 'j F Y')}" if action.due_date else ""
        yield TimelineEntry(
            kind=TimelineKind.ACTION,
            at=action.created_at,
            title=f"{action.get_kind_display()} added",
            details=[action.description, f"Owner: {_person(action.owner) or 'nobody'}{due}"],
            actor=_person(action.created_by),
            obj=action,
        )
        if action.done_at is not None:
            yield TimelineEntry(
                kind=TimelineKind.ACTION,
                at=action.done_at,
                title=f"{action.get_kind_display()} completed",
                details=[detail for detail in (action.description, action.done_note) if detail],
                actor=_person(action.done_by),
                obj=action,
            )


def _evidence(case: Case) -> Iterable[TimelineEntry]:
    for evidence in EvidenceFile.objects.filter(case=case).select_related("uploaded_by"):
        yield TimelineEntry(
            kind=TimelineKind.EVIDENCE,
            at=evidence.uploaded_at,
            title=f"Evidence added: {evidence.original_name}",
            details=[evidence.description] if evidence.description else [],
            actor=rules.evidence_from(uploaded_by=_person(evidence.uploaded_by)),
            obj=evidence,
        )


def _case_events(case: Case) -> Iterable[TimelineEntry]:
    events = list(
        AuditEvent.objects.filter(object_type=case._meta.label_lower, object_id=str(case.pk))
        .exclude(verb__endswith=".viewed")
        .select_related("actor")
        .order_by("at", "pk")
    )
    user_ids: set[int] = set()
    team_ids: set[int] = set()
    for event in events:
        for side in (event.before or {}, event.after or {}):
            if isinstance(side, dict):
                user_ids.update(v for k, v in side.items() if k in _USER_FIELDS and isinstance(v, int))
                team_ids.update(v for k, v in side.items() if k in _TEAM_FIELDS and isinstance(v, int))
    users = {u.pk: _person(u) for u in User.objects.filter(pk__in=user_ids)} if user_ids else {}
    teams = {t.pk: t.name for t in Team.objects.filter(pk__in=team_ids)} if team_ids else {}

    def shown(name: str, value: Any) -> str:
        if value in (None, ""):
            return "none"
        if name in _USER_FIELDS:
            return users.get(value, f"staff member {value}")
        if name in _TEAM_FIELDS:
            return teams.get(value, f"team {value}")
        if name in _CHOICE_LABELS:
            return str(_CHOICE_LABELS[name].get(value, value))
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, str) and (moment := parse_datetime(value)) is not None:
            return _moment(moment)
        return str(value)

    for event in events:
        before = event.before if isinstance(event.before, dict) else {}
        after = event.after if isinstance(event.after, dict) else {}
        details = [
            f"{label}: {shown(name, before.get(name))} to {shown(name, after.get(name))}"
            if before.get(name) not in (None, "")
            else f"{label}: {shown(name, after.get(name))}"
            for name, label in CASE_FIELD_LABELS.items()
            if name in after and before.get(name) != after.get(name)
        ]
        if event.reason:
            details.append(f"Reason: {event.reason}")
        title = CASE_VERB_TITLES.get(event.verb) or event.verb.partition(".")[2].replace("_", " ").capitalize()
        yield TimelineEntry(
            kind=TimelineKind.CASE,
            at=event.at,
            title=title or event.verb,
            details=details,
            actor=_person(event.actor) or event.actor_label or "system",
            obj=event,
        )


_SOURCES = {
    TimelineKind.INCIDENT: _incidents,
    TimelineKind.CONTACT: _contacts,
    TimelineKind.NOTE: _notes,
    TimelineKind.ACTION: _actions,
    TimelineKind.EVIDENCE: _evidence,
    TimelineKind.CASE: _case_events,
}


def timeline_kinds() -> list[tuple[str, str]]:
    """Every kind of entry the timeline can show, as (value, label): the case's own, then other apps' sources."""
    return [*TimelineKind.choices, *((source.kind, source.label) for source in TIMELINE_SOURCES.values())]


def _entries_of(kind: str, case: Case) -> Iterable[TimelineEntry]:
    if kind in TimelineKind.values:
        return _SOURCES[TimelineKind(kind)](case)
    return TIMELINE_SOURCES[kind].entries(case)


def case_timeline(
    *, case: Case, kinds: Collection[str] | None = None, newest_first: bool = True
) -> list[TimelineEntry]:
    """Everything on `case` (or only `kinds`) in time order, newest first unless asked otherwise."""
    all_kinds = [value for value, _label in timeline_kinds()]
    wanted = [kind for kind in all_kinds if not kinds or kind in kinds]
    entries = [entry for kind in wanted for entry in _entries_of(kind, case)]
    order = {kind: index for index, kind in enumerate(all_kinds)}
    entries.sort(key=lambda entry: (entry.at, order[entry.kind]), reverse=newest_first)
    return entries
