"""Tampering with the audit trail from inside the database (issue 21 part 5; ASVS 16.4.2).

An attacker who can run SQL as the service (an injection, a stolen DATABASE_URL) tries every way to rewrite history:
UPDATE, DELETE, TRUNCATE, switching the append-only trigger off, dropping or replacing it, and replication mode,
which skips ordinary triggers. As a role that does not own the table — how the service should connect
(docs/security.md, docs/operations.md) — every one is refused, while appending still works. The table's owner can
switch the trigger off: that is why the service must not connect as the owner.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from django.db import DatabaseError, connection, transaction

from saferhomes.core.audit import audit
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.models import AuditEvent, AuditImmutableError

pytestmark = pytest.mark.django_db

TRIGGER = "core_auditevent_append_only"
FUNCTION = "saferhomes_audit_append_only"
ROLE = f"saferhomes_tamper_{os.getpid()}"  # one per test process: xdist workers share the cluster

TAMPERING = {
    "update": ("UPDATE core_auditevent SET verb = 'case.forged' WHERE id = %s", "append-only"),
    "delete": ("DELETE FROM core_auditevent WHERE id = %s", "append-only"),
    "truncate": ("TRUNCATE core_auditevent", "permission denied"),
    "disable the trigger": (f"ALTER TABLE core_auditevent DISABLE TRIGGER {TRIGGER}", "must be owner"),
    "disable every trigger": ("ALTER TABLE core_auditevent DISABLE TRIGGER ALL", "must be owner"),
    "drop the trigger": (f"DROP TRIGGER {TRIGGER} ON core_auditevent", "must be owner"),
    "replace the trigger's function": (
        f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END; $$",
        "permission denied for schema public",  # and it must own the function to replace it
    ),
    "replication mode skips triggers": ("SET session_replication_role = replica", "permission denied"),
    "drop the table": ("DROP TABLE core_auditevent", "must be owner"),
}


@pytest.fixture
def event() -> AuditEvent:
    return audit(actor=None, verb=AuditVerb.CASE_CLOSED, object_type="cases.case", object_id=1, reason="Resolved")


@pytest.fixture
def as_service_role() -> Iterator[None]:
    """Run SQL as a role with the service's rights on the audit table but not its ownership (rolled back after)."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {ROLE} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE")
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {ROLE}")
        cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {ROLE}")
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {ROLE}")
        cursor.execute(f"SET ROLE {ROLE}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


def _attempt(sql: str, params: list[int]) -> str:
    """Run one tampering statement in a savepoint; the database's refusal, or '' if it was allowed."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params if "%s" in sql else None)
    except DatabaseError as refused:
        return str(refused)
    return ""


def _verb(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT verb FROM core_auditevent WHERE id = %s", [pk])
        row = cursor.fetchone()
    return str(row[0]) if row else ""


@pytest.mark.postgres_only
def test_every_way_to_rewrite_the_audit_trail_from_sql_is_refused_to_the_service_role(
    event: AuditEvent, request: pytest.FixtureRequest
) -> None:
    if connection.vendor != "postgresql":
        # SQLite (the one-machine demo database) has no roles or triggers: the ORM guard is the control there.
        assert connection.vendor == "sqlite"
        with pytest.raises(AuditImmutableError):
            AuditEvent.objects.filter(pk=event.pk).update(verb="case.forged")
        with pytest.raises(AuditImmutableError):
            AuditEvent.objects.filter(pk=event.pk).delete()
        return
    request.getfixturevalue("as_service_role")
    refusals = {name: _attempt(sql, [event.pk]) for name, (sql, _) in TAMPERING.items()}
    allowed = [name for name, refusal in refusals.items() if not refusal]
    assert allowed == []
    for name, (_, reason) in TAMPERING.items():
        assert reason in refusals[name], (name, refusals[name])
    assert _verb(event.pk) == "case.closed"
    appended = audit(actor=None, verb=AuditVerb.CASE_REOPENED, object_type="cases.case", object_id=1, reason="Back")
    assert _verb(appended.pk) == "case.reopened"  # the control: the role can still append


@pytest.mark.postgres_only
def test_the_tables_owner_could_switch_the_trigger_off_so_the_service_must_not_be_the_owner(event: AuditEvent) -> None:
    if connection.vendor != "postgresql":
        assert connection.vendor == "sqlite"
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableowner FROM pg_tables WHERE tablename = 'core_auditevent'")
        owner = cursor.fetchone()[0]
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == owner  # the test suite connects as the owner, as migrations do
    assert "append-only" in _attempt("UPDATE core_auditevent SET verb = 'case.forged' WHERE id = %s", [event.pk])
    savepoint = transaction.savepoint()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks pending, so the table may be altered
        cursor.execute(f"ALTER TABLE core_auditevent DISABLE TRIGGER {TRIGGER}")
        cursor.execute("UPDATE core_auditevent SET verb = 'case.forged' WHERE id = %s", [event.pk])
    assert _verb(event.pk) == "case.forged"  # the owner rewrote history
    transaction.savepoint_rollback(savepoint)
    assert _verb(event.pk) == "case.closed"
