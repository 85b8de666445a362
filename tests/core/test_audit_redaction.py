"""Audit redaction (issue 19, ADR 0017): the one change the append-only audit trail allows, once per event, only
through `AuditEvent.objects.redact`; on PostgreSQL the narrowed trigger refuses every other UPDATE, and DELETE."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError, connection, transaction

from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.models import AuditEvent, AuditImmutableError, redact_values

pytestmark = pytest.mark.django_db

redaction_migration = importlib.import_module("saferhomes.core.migrations.0005_audit_redaction")


@pytest.fixture
def event(officer_olivia) -> AuditEvent:
    return audit(
        actor=officer_olivia,
        verb=AuditVerb.CASE_CLOSED,
        object_type="cases.case",
        object_id=7,
        object_label="ASB-7 Noise from Flat 3, Jane Sentinel",
        before={"name": "Jane Sentinel", "count": 2, "flags": [True, "x"]},
        after={"address": {"line": "1 Sentinel Road"}, "empty": ""},
        reason="Jane asked us to close it",
        ip_address="198.51.100.9",
    )


def test_redact_replaces_the_values_and_keeps_who_when_verb_and_object(event: AuditEvent, officer_olivia) -> None:
    assert AuditEvent.objects.redact([event.pk], object_label="ASB-7") == 1

    event.refresh_from_db()
    assert event.object_label == "ASB-7"
    assert event.before == {"name": "[anonymised]", "count": 2, "flags": [True, "[anonymised]"]}
    assert event.after == {"address": {"line": "[anonymised]"}, "empty": ""}
    assert event.reason == "[anonymised]"
    assert event.redacted_at is not None
    assert (event.actor, event.verb, event.object_type, event.object_id) == (
        officer_olivia,
        AuditVerb.CASE_CLOSED,
        "cases.case",
        "7",
    )
    assert event.ip_address == "198.51.100.9"  # a member of staff's address is kept


def test_a_member_of_the_publics_ip_address_is_removed() -> None:
    public = audit(
        actor=AnonymousUser(),
        verb=AuditVerb.CASE_CLOSED,
        object_type="intake.report",
        object_id=3,
        ip_address="203.0.113.5",
    )

    AuditEvent.objects.redact([public.pk], object_label="R-3")

    public.refresh_from_db()
    assert public.ip_address is None
    assert public.actor_label == "anonymous"


def test_an_event_is_redacted_only_once(event: AuditEvent) -> None:
    AuditEvent.objects.redact([event.pk], object_label="ASB-7")
    first = AuditEvent.objects.get(pk=event.pk)

    assert AuditEvent.objects.redact([event.pk], object_label="something else") == 0

    again = AuditEvent.objects.get(pk=event.pk)
    assert (again.object_label, again.redacted_at) == (first.object_label, first.redacted_at)


def test_every_other_orm_update_is_still_refused_after_redaction(event: AuditEvent) -> None:
    AuditEvent.objects.redact([event.pk], object_label="ASB-7")
    event.refresh_from_db()
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).update(verb="case.forged")
    with pytest.raises(AuditImmutableError):
        event.save()
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_redact_values_keeps_keys_numbers_booleans_and_nulls() -> None:
    assert redact_values({"a": "x", "b": [1, None, "y"], "c": {"d": False}}) == {
        "a": "[anonymised]",
        "b": [1, None, "[anonymised]"],
        "c": {"d": False},
    }


def _raw(sql: str, params: list[Any]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.postgres_only
def test_on_postgresql_the_trigger_refuses_a_raw_update_of_the_verb_and_allows_only_one_redaction(
    event: AuditEvent,
) -> None:
    if connection.vendor != "postgresql":
        assert connection.vendor == "sqlite"  # no trigger on SQLite: the ORM guard is the control there
        return
    with pytest.raises(DatabaseError, match="append-only"):
        _raw("UPDATE core_auditevent SET verb = %s WHERE id = %s", ["case.forged", event.pk])
    with pytest.raises(DatabaseError, match="append-only"):
        _raw("UPDATE core_auditevent SET reason = %s WHERE id = %s", ["rewritten", event.pk])
    with pytest.raises(DatabaseError, match="append-only"):  # redacting may not change who or what
        _raw("UPDATE core_auditevent SET redacted_at = now(), actor_label = %s WHERE id = %s", ["someone", event.pk])
    _raw("UPDATE core_auditevent SET redacted_at = now(), reason = %s WHERE id = %s", ["[anonymised]", event.pk])
    with pytest.raises(DatabaseError, match="append-only"):  # once only
        _raw("UPDATE core_auditevent SET redacted_at = now(), reason = %s WHERE id = %s", ["again", event.pk])
    with pytest.raises(DatabaseError, match="append-only"):
        _raw("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).reason == "[anonymised]"


class _RecordingEditor:
    def __init__(self, vendor: str) -> None:
        self.connection = type("FakeConnection", (), {"vendor": vendor})()
        self.executed: list[str] = []

    def execute(self, sql: str, params: object = ()) -> None:
        self.executed.append(sql)


def test_the_redaction_migration_narrows_the_trigger_on_postgresql_only() -> None:
    for vendor in ("sqlite", "mysql"):
        editor = _RecordingEditor(vendor)
        redaction_migration.narrow_trigger(None, editor)
        assert editor.executed == []
    editor = _RecordingEditor("postgresql")
    redaction_migration.narrow_trigger(None, editor)
    redaction_migration.widen_trigger(None, editor)
    narrow, wide = editor.executed
    assert "OLD.redacted_at IS NULL" in narrow
    assert "NEW.verb IS NOT DISTINCT FROM OLD.verb" in narrow
    assert "IF TG_OP" not in wide
