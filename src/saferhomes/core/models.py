"""Core models: the append-only audit trail, the working-time calendar's settings and the worker's schedule state.

Append-only is enforced twice: here, for every ORM path that could change or remove a row (instance save of an
existing row, instance delete, queryset update/delete/bulk_update, upserts), and in the database itself, where
migration 0002 installs a PostgreSQL trigger that rejects UPDATE and DELETE of `core_auditevent` rows.

One exception (issue 19, ADR 0017): an event about a record that the retention schedule anonymises is *redacted*
once, through `AuditEvent.objects.redact(ids, object_label=...)` only: the values it recorded (label, string values of
before/after, reason, a member of the public's IP address) are replaced and `redacted_at` set; who, when, the verb
and the object it was about never change. Migration 0005 narrows the trigger to allow exactly that.
"""

from __future__ import annotations

import uuid
from datetime import time
from typing import Any, NoReturn

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone

from saferhomes.core.calendar import NATION_LABELS, Nation


class VersionedFile(models.Model):
    """One version of a data file the service runs on (a risk instrument, the intervention catalogue, the Case Review
    threshold rules): loaded, validated and kept exactly as loaded, never changed afterwards, so every record made
    under it keeps the version it used. Subclasses add their own fields and the (key, version) unique constraint."""

    key = models.SlugField(max_length=60)
    version = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    definition = models.JSONField(help_text="The validated file as data.")
    source_text = models.TextField(help_text="The file exactly as loaded.")
    source_name = models.CharField(max_length=255, blank=True)
    checksum = models.CharField(max_length=64, help_text="SHA-256 of source_text.")
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["key", "-version"]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version})"


class AuditImmutableError(Exception):
    """Raised when code tries to change or remove an audit event."""


CANNOT_UPDATE = "Audit events are append-only: they cannot be updated."
CANNOT_DELETE = "Audit events are append-only: they cannot be deleted."
REDACTED = "[anonymised]"
PUBLIC_ACTOR_LABEL = "anonymous"  # core.audit's label for a member of the public (an unauthenticated visitor)


def redact_values(value: Any) -> Any:
    """`value` with every string inside it replaced by "[anonymised]" (dict keys, numbers, booleans and nulls kept)."""
    if isinstance(value, str):
        return REDACTED if value else value
    if isinstance(value, dict):
        return {key: redact_values(item) for key, item in value.items()}
    if isinstance(value, list):
        return [redact_values(item) for item in value]
    return value


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Queryset (and, via as_manager, the default and base manager) that refuses to change rows."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditImmutableError(CANNOT_UPDATE)

    def delete(self) -> NoReturn:
        raise AuditImmutableError(CANNOT_DELETE)

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditImmutableError(CANNOT_UPDATE)

    def update_or_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditImmutableError(CANNOT_UPDATE)

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[AuditEvent]:
        if kwargs.get("update_conflicts"):
            raise AuditImmutableError(CANNOT_UPDATE)
        return super().bulk_create(objs, *args, **kwargs)

    def redact(self, ids: Any, *, object_label: str) -> int:
        """Redact the not-yet-redacted events among `ids` (issue 19, ADR 0017), once each: the object label becomes
        `object_label`, every string value in before/after and a non-empty reason become "[anonymised]", the IP
        address of a member of the public is removed, and `redacted_at` is set. Who, when, the verb and the object
        are kept. The only update the audit trail allows; returns how many events were redacted."""
        now = timezone.now()
        rows = self.filter(pk__in=ids, redacted_at__isnull=True).values_list(
            "pk", "before", "after", "reason", "actor_id", "actor_label", "ip_address"
        )
        done = 0
        for pk, before, after, reason, actor_id, actor_label, ip_address in list(rows):
            public = actor_id is None and actor_label == PUBLIC_ACTOR_LABEL
            # The one place the guarded update is bypassed: the base class's update, on this one row.
            done += models.QuerySet.update(
                self.filter(pk=pk, redacted_at__isnull=True),
                object_label=object_label[:200],
                before=redact_values(before),
                after=redact_values(after),
                reason=REDACTED if reason else "",
                ip_address=None if public else ip_address,
                redacted_at=now,
            )
        return done


class AuditEvent(models.Model):
    """One thing someone did (or read), kept for ever: who, what, to which object, before/after, why, when."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
        help_text="Empty for the system itself (scheduled jobs, imports run without a named user).",
    )
    actor_label = models.CharField(max_length=150, blank=True, help_text="Username at the time, kept verbatim.")
    verb = models.CharField(max_length=80, db_index=True, help_text="Dotted name, e.g. 'case.closed'.")
    object_type = models.CharField(max_length=80, blank=True, db_index=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    object_label = models.CharField(max_length=200, blank=True)
    before = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    reason = models.TextField(blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    redacted_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the retention schedule redacted the values this event recorded (ADR 0017); set once.",
    )

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "at"], name="audit_object_idx"),
            # DPO oversight (issue 19 part 5): reads of restricted cases by verb over a period, newest first.
            models.Index(fields=["verb", "at"], name="audit_verb_at_idx"),
        ]
        permissions = [("search_auditevent", "Can search the audit trail")]
        # Related managers and Model internals use the base manager: make it the guarded one too.
        base_manager_name = "objects"

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.actor_label or 'system'} {self.verb} {self.object_type}:{self.object_id}"
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert a new event; never update one (an explicit pk that already exists fails as a duplicate)."""
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields") is not None:
            raise AuditImmutableError(CANNOT_UPDATE)
        # Without force_insert, Django would try an UPDATE first whenever a pk has been set by hand.
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditImmutableError(CANNOT_DELETE)


class CalendarSettings(models.Model):
    """The landlord's working-time calendar (one row): nation, office hours and the due-soon threshold.

    `revision` changes on every change to these settings or to the closure days, so that every process (web and
    worker) can tell cheaply whether its cached calendar is still current.
    """

    SINGLETON_ID = 1

    nation = models.CharField(
        max_length=20,
        choices=[(nation.value, label) for nation, label in NATION_LABELS.items()],
        default=Nation.ENGLAND_AND_WALES.value,
        help_text="Whose bank holidays are not working days.",
    )
    office_hours_enabled = models.BooleanField(
        default=False, help_text="Off: working days run 00:00 to 24:00. On: only between opening and closing time."
    )
    office_opens = models.TimeField(default=time(9, 0))
    office_closes = models.TimeField(default=time(17, 0))
    due_soon_hours = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="A response is 'due soon' with less than this many working hours left. Empty: one working day.",
    )
    revision = models.UUIDField(default=uuid.uuid4, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "calendar settings"
        verbose_name_plural = "calendar settings"
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="calendar_settings_single_row"),
            models.CheckConstraint(condition=Q(office_opens__lt=models.F("office_closes")), name="office_hours_order"),
            models.CheckConstraint(
                condition=Q(due_soon_hours__isnull=True) | Q(due_soon_hours__gt=0), name="due_soon_hours_positive"
            ),
        ]

    def __str__(self) -> str:
        return "Calendar settings"


class ClosureDay(models.Model):
    """A day the landlord is closed (e.g. a Christmas shutdown): not a working day for response deadlines."""

    day = models.DateField(unique=True)
    reason = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.reason}"


class ScheduledJob(models.Model):
    """When the worker's schedule loop last enqueued a periodic job, so that restarts and other workers don't
    enqueue it again before it is due."""

    name = models.CharField(max_length=100, unique=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)
    last_task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class IdempotencyRecord(models.Model):
    """What a client's `Idempotency-Key` made: a repeat of (actor, scope, key) finds it instead of making another.

    `scope` names the operation (and the record it works on, e.g. "cases.party_add:42"); `object_id` is the primary
    key of what it made. Core imports no app, so the object is found by the caller that knows its model."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=100)
    key = models.CharField(max_length=200)
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["actor", "scope", "key"], name="idempotency_record_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key} → {self.object_id}"


class WorkerHeartbeat(models.Model):
    """A running `saferhomes worker` says it is alive (every few seconds): `/readyz` reports a deployment whose
    workers have all stopped, since then no reminder, alert or anonymisation runs. One row per worker process."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return f"worker {self.worker_id[:8]} on {self.hostname} (pid {self.pid})"
