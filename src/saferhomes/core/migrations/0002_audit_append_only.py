# Audit events are append-only (issue 3, part 6). The ORM refuses updates and deletes (core.models); this
# migration also makes the database refuse them, so raw SQL, a psql session or another client cannot rewrite
# history either. PostgreSQL only: SQLite is the single-user demo database, where the ORM guard is the control.
#
# TRUNCATE is deliberately NOT blocked: test-suite flushes use it, and it needs table-owner rights anyway.
# A future retention/anonymisation job that must rewrite audit rows will do so in a migration that replaces
# this trigger with a narrower one, never by switching it off at run time.

from django.db import migrations

TRIGGER_FUNCTION = "saferhomes_audit_append_only"
TRIGGER_NAME = "core_auditevent_append_only"

CREATE_SQL = f"""
CREATE OR REPLACE FUNCTION {TRIGGER_FUNCTION}() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'core_auditevent is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'integrity_constraint_violation',
              HINT = 'Audit events are never changed or removed; record a new event instead.';
END;
$$;
DROP TRIGGER IF EXISTS {TRIGGER_NAME} ON core_auditevent;
CREATE TRIGGER {TRIGGER_NAME}
    BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION {TRIGGER_FUNCTION}();
"""

DROP_SQL = f"""
DROP TRIGGER IF EXISTS {TRIGGER_NAME} ON core_auditevent;
DROP FUNCTION IF EXISTS {TRIGGER_FUNCTION}();
"""


def install_trigger(apps, schema_editor):
    """Create the append-only trigger on PostgreSQL; a no-op on other databases."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_SQL, params=None)


def remove_trigger(apps, schema_editor):
    """Drop the append-only trigger on PostgreSQL; a no-op on other databases."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="auditevent",
            options={
                "base_manager_name": "objects",
                "ordering": ["-at", "-id"],
                "permissions": [("search_auditevent", "Can search the audit trail")],
            },
        ),
        migrations.RunPython(install_trigger, remove_trigger),
    ]
