"""The landlord's working-time calendar as configured in the database, and the services that change it.

Call `calendar_config_current()` (or `calendar_current()`) once per request or job and pass the calendar on: each
call costs one small query, which is how every process notices a change made in another (the settings row's
`revision` changes with every change to the settings or the closure days).

Changing the calendar never moves deadlines already set; `saferhomes.cases.services.deadlines` offers the explicit
recalculation of open deadlines.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from saferhomes.core import calendar as rules
from saferhomes.core.audit import Actor, audit, snapshot
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.models import CalendarSettings, ClosureDay
from saferhomes.core.permissions import require

CHANGE_PERMISSION = "core.change_calendarsettings"
SETTINGS_AUDIT_FIELDS = ["nation", "office_hours_enabled", "office_opens", "office_closes", "due_soon_hours"]
MAX_DUE_SOON_HOURS = 120


@dataclass(frozen=True)
class CalendarConfig:
    """The calendar in force, its due-soon threshold (None: one working day) and the settings revision."""

    calendar: rules.WorkingCalendar
    due_soon: timedelta | None
    revision: str


_cache_lock = threading.Lock()
_cached: CalendarConfig | None = None


def calendar_settings_current() -> CalendarSettings:
    """The settings row, or an unsaved row holding the defaults when nobody has changed them yet."""
    return CalendarSettings.objects.filter(pk=CalendarSettings.SINGLETON_ID).first() or CalendarSettings(
        pk=CalendarSettings.SINGLETON_ID, revision=uuid.UUID(int=0)
    )


def _config_from(row: CalendarSettings) -> CalendarConfig:
    closures = frozenset(ClosureDay.objects.values_list("day", flat=True))
    office_hours = (row.office_opens, row.office_closes) if row.office_hours_enabled else None
    return CalendarConfig(
        calendar=rules.WorkingCalendar(nation=rules.Nation(row.nation), closures=closures, office_hours=office_hours),
        due_soon=None if row.due_soon_hours is None else timedelta(hours=row.due_soon_hours),
        revision=str(row.revision),
    )


def calendar_config_current() -> CalendarConfig:
    """The configured calendar and due-soon threshold, rebuilt only when the settings revision has changed."""
    global _cached
    revision = (
        CalendarSettings.objects.filter(pk=CalendarSettings.SINGLETON_ID).values_list("revision", flat=True).first()
    )
    key = str(revision or uuid.UUID(int=0))
    cached = _cached
    if cached is not None and cached.revision == key:
        return cached
    config = _config_from(calendar_settings_current())
    with _cache_lock:
        _cached = config
    return config


def calendar_current() -> rules.WorkingCalendar:
    """The landlord's working calendar as configured now."""
    return calendar_config_current().calendar


def case_response_due(received_at: datetime, *, urgent: bool) -> datetime:
    """When the response to a report received at `received_at` is due under the calendar in force now."""
    return rules.response_deadline(received_at, urgent=urgent, calendar=calendar_current())


def case_response_explanation(received_at: datetime, *, urgent: bool, config: CalendarConfig | None = None) -> str:
    """The rule behind that deadline in words, e.g. '5 working days from Wed 24 Dec 2025 — bank holidays … excluded'."""
    calendar = config.calendar if config is not None else calendar_current()
    return rules.explain_deadline(received_at, urgent=urgent, calendar=calendar)


def due_soon_cutoff(*, now: datetime, config: CalendarConfig) -> datetime:
    """The earliest deadline that is on track at `now`: unanswered deadlines from `now` up to (not including) this
    instant are due soon, because less than the due-soon threshold of working time is left before them."""
    threshold = config.due_soon if config.due_soon is not None else config.calendar.working_day_length
    return rules.working_time_after(now, threshold, config.calendar)


def case_response_status(
    *,
    due_at: datetime,
    responded_at: datetime | None,
    now: datetime | None = None,
    config: CalendarConfig | None = None,
) -> rules.ResponseStatus:
    """On track, due soon, overdue, met or met late, with the configured due-soon threshold."""
    config = config or calendar_config_current()
    return rules.response_status(
        due_at, responded_at, now or timezone.now(), calendar=config.calendar, due_soon=config.due_soon
    )


def _settings_for_update() -> CalendarSettings:
    row, _ = CalendarSettings.objects.select_for_update().get_or_create(pk=CalendarSettings.SINGLETON_ID)
    return row


def _new_revision(row: CalendarSettings) -> None:
    row.revision = uuid.uuid4()
    row.save()


@transaction.atomic
def calendar_settings_update(
    *,
    actor: Actor,
    nation: str,
    office_hours_enabled: bool,
    office_opens: time,
    office_closes: time,
    due_soon_hours: int | None,
    request: HttpRequest | None = None,
) -> CalendarSettings:
    """Change the nation, office hours or due-soon threshold (administrators only); deadlines already set stay."""
    require(actor, CHANGE_PERMISSION)
    errors: dict[str, str] = {}
    if nation not in rules.Nation.__members__.values():
        errors["nation"] = "Select the nation whose bank holidays apply."
    if not office_opens < office_closes:
        errors["office_closes"] = "Closing time must be later than opening time."
    if due_soon_hours is not None and not 1 <= due_soon_hours <= MAX_DUE_SOON_HOURS:
        errors["due_soon_hours"] = f"Due-soon threshold must be between 1 and {MAX_DUE_SOON_HOURS} working hours."
    if errors:
        raise DomainError(field_errors=errors)
    row = _settings_for_update()
    before = snapshot(row, SETTINGS_AUDIT_FIELDS)
    row.nation = nation
    row.office_hours_enabled = office_hours_enabled
    row.office_opens = office_opens
    row.office_closes = office_closes
    row.due_soon_hours = due_soon_hours
    after = snapshot(row, SETTINGS_AUDIT_FIELDS)
    if after != before:
        _new_revision(row)
        audit(
            actor=actor, verb=AuditVerb.CALENDAR_SETTINGS_CHANGED, obj=row, before=before, after=after, request=request
        )
    return row


@transaction.atomic
def closure_day_add(*, actor: Actor, day: date, reason: str, request: HttpRequest | None = None) -> ClosureDay:
    """Make `day` a closure day (administrators only): it stops being a working day for new deadlines."""
    require(actor, CHANGE_PERMISSION)
    reason = reason.strip()
    errors: dict[str, str] = {}
    if ClosureDay.objects.filter(day=day).exists():
        errors["day"] = f"{rules.day_in_words(day)} is already a closure day."
    elif not rules.MIN_YEAR <= day.year <= rules.MAX_YEAR:
        errors["day"] = f"Closure day must be in the years {rules.MIN_YEAR} to {rules.MAX_YEAR}."
    if not reason:
        errors["reason"] = "Enter why the office is closed, for example Christmas shutdown."
    elif len(reason) > 200:
        errors["reason"] = "Reason must be 200 characters or fewer."
    if errors:
        raise DomainError(field_errors=errors)
    row = _settings_for_update()
    closure = ClosureDay.objects.create(day=day, reason=reason)
    _new_revision(row)
    audit(
        actor=actor,
        verb=AuditVerb.CALENDAR_CLOSURE_DAY_ADDED,
        obj=closure,
        after=snapshot(closure, ["day", "reason"]),
        request=request,
    )
    return closure


@transaction.atomic
def closure_day_remove(*, actor: Actor, closure: ClosureDay, request: HttpRequest | None = None) -> None:
    """Make a closure day a working day again (administrators only)."""
    require(actor, CHANGE_PERMISSION)
    row = _settings_for_update()
    before = snapshot(closure, ["day", "reason"])
    audit(actor=actor, verb=AuditVerb.CALENDAR_CLOSURE_DAY_REMOVED, obj=closure, before=before, request=request)
    closure.delete()
    _new_revision(row)
