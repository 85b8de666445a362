"""Audit events are append-only: no ORM path changes or removes one, and PostgreSQL refuses raw SQL too."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.models import AuditEvent, AuditImmutableError

pytestmark = pytest.mark.django_db

trigger_migration = importlib.import_module("saferhomes.core.migrations.0002_audit_append_only")


@pytest.fixture
def event(officer_olivia) -> AuditEvent:
    return audit(
        actor=officer_olivia, verb=AuditVerb.CASE_CLOSED, object_type="cases.case", object_id=1, reason="Resolved"
    )


def _verb_in_db(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT verb FROM core_auditevent WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_saving_an_existing_event_is_refused(event) -> None:
    event.verb = "case.reopened"
    with pytest.raises(AuditImmutableError):
        event.save()
    assert _verb_in_db(event.pk) == "case.closed"


def test_saving_with_update_fields_or_force_update_is_refused(event) -> None:
    with pytest.raises(AuditImmutableError):
        event.save(update_fields=["verb"])
    with pytest.raises(AuditImmutableError):
        event.save(force_update=True)


def test_a_hand_built_event_reusing_an_existing_id_cannot_overwrite_it(event) -> None:
    forged = AuditEvent(pk=event.pk, verb="case.forged", actor_label="mallory")
    with pytest.raises(IntegrityError), transaction.atomic():
        forged.save()
    assert _verb_in_db(event.pk) == "case.closed"


def test_deleting_an_event_instance_is_refused(event) -> None:
    with pytest.raises(AuditImmutableError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_queryset_update_is_refused(event) -> None:
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="rewritten")
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.update(reason="rewritten")


def test_queryset_delete_is_refused(event) -> None:
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == 1


def test_bulk_update_is_refused(event) -> None:
    event.reason = "rewritten"
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.bulk_update([event], ["reason"])
    assert AuditEvent.objects.get(pk=event.pk).reason == "Resolved"


def test_update_or_create_and_upserting_bulk_create_are_refused(event) -> None:
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.update_or_create(pk=event.pk, defaults={"reason": "rewritten"})
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.bulk_create(
            [AuditEvent(pk=event.pk, verb="x")], update_conflicts=True, update_fields=["verb"], unique_fields=["id"]
        )


def test_plain_bulk_create_still_appends(event) -> None:
    AuditEvent.objects.bulk_create([AuditEvent(verb="import.row", actor_label="system")])
    assert AuditEvent.objects.count() == 2


def test_related_and_base_managers_are_guarded_too(event, officer_olivia) -> None:
    with pytest.raises(AuditImmutableError):
        officer_olivia.audit_events.update(reason="rewritten")
    with pytest.raises(AuditImmutableError):
        officer_olivia.audit_events.all().delete()
    with pytest.raises(AuditImmutableError):
        AuditEvent._base_manager.filter(pk=event.pk).update(reason="rewritten")


def _trigger_events() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT event_manipulation, action_timing, action_orientation FROM information_schema.triggers "
            "WHERE event_object_table = 'core_auditevent' AND trigger_name = %s",
            [trigger_migration.TRIGGER_NAME],
        )
        rows = cursor.fetchall()
    assert all(timing == "BEFORE" and orientation == "ROW" for _, timing, orientation in rows)
    return {manipulation for manipulation, _, _ in rows}


def _sqlite_triggers() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'core_auditevent'")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.postgres_only
def test_database_refuses_raw_sql_update_on_postgresql_and_sqlite_has_no_trigger(event) -> None:
    if connection.vendor == "postgresql":
        assert _trigger_events() == {"UPDATE", "DELETE"}  # not TRUNCATE: test flushes rely on it
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE core_auditevent SET verb = %s WHERE id = %s", ["case.forged", event.pk])
        assert _verb_in_db(event.pk) == "case.closed"
    else:
        # The trigger migration is a no-op on SQLite: the ORM guard above is the control there.
        assert connection.vendor == "sqlite"
        assert _sqlite_triggers() == []


@pytest.mark.postgres_only
def test_database_refuses_raw_sql_delete_on_postgresql_and_sqlite_has_no_trigger(event) -> None:
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
        assert AuditEvent.objects.filter(pk=event.pk).exists()
    else:
        assert connection.vendor == "sqlite"
        assert _sqlite_triggers() == []


@pytest.mark.postgres_only
def test_trigger_migration_reverses_and_reapplies_cleanly(event) -> None:
    """Reverse drops the trigger (raw UPDATE then works); forward restores it. Both are no-ops off PostgreSQL."""
    # SQLite's real schema editor cannot open inside the test transaction; this one runs SQL the same way.
    editor = _LiveEditor()
    trigger_migration.remove_trigger(None, editor)
    if connection.vendor == "postgresql":
        assert _trigger_events() == set()
        with connection.cursor() as cursor:
            cursor.execute("UPDATE core_auditevent SET reason = %s WHERE id = %s", ["unguarded", event.pk])
    else:
        assert _sqlite_triggers() == []
    trigger_migration.install_trigger(None, editor)
    if connection.vendor == "postgresql":
        assert _trigger_events() == {"UPDATE", "DELETE"}
    else:
        assert _sqlite_triggers() == []


class _LiveEditor:
    connection = connection

    def execute(self, sql: str, params: Any = ()) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


class _RecordingEditor:
    def __init__(self, vendor: str) -> None:
        self.connection = type("FakeConnection", (), {"vendor": vendor})()
        self.executed: list[str] = []

    def execute(self, sql: str, params: object = ()) -> None:
        self.executed.append(sql)


@pytest.mark.parametrize("vendor", ["sqlite", "mysql", "oracle"])
def test_trigger_migration_does_nothing_on_databases_other_than_postgresql(vendor) -> None:
    editor = _RecordingEditor(vendor)
    trigger_migration.install_trigger(None, editor)
    trigger_migration.remove_trigger(None, editor)
    assert editor.executed == []


def test_trigger_migration_on_postgresql_blocks_update_and_delete_but_not_truncate() -> None:
    editor = _RecordingEditor("postgresql")
    trigger_migration.install_trigger(None, editor)
    trigger_migration.remove_trigger(None, editor)
    create_sql, drop_sql = editor.executed
    assert "BEFORE UPDATE OR DELETE ON core_auditevent" in create_sql
    assert "FOR EACH ROW" in create_sql
    assert "TRUNCATE" not in create_sql.upper()
    assert "DROP TRIGGER IF EXISTS core_auditevent_append_only" in drop_sql
