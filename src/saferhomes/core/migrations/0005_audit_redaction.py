# Audit redaction (issue 19, ADR 0017). Events about a record the retention schedule anonymises are redacted once:
# the values they recorded are replaced and `redacted_at` is set. This migration adds the column and replaces the
# append-only trigger of 0002 with a narrower one: DELETE is still refused; UPDATE is allowed only when it sets
# redacted_at on a row not yet redacted and leaves who (actor, actor label), when (at), the verb and the object
# (type and id) exactly as they were. Everything else is refused, as before. PostgreSQL only (see 0002).

from django.db import migrations, models

TRIGGER_FUNCTION = "saferhomes_audit_append_only"
TRIGGER_NAME = "core_auditevent_append_only"

NARROW_SQL = f"""
CREATE OR REPLACE FUNCTION {TRIGGER_FUNCTION}() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND OLD.redacted_at IS NULL
       AND NEW.redacted_at IS NOT NULL
       AND NEW.id = OLD.id
       AND NEW.at IS NOT DISTINCT FROM OLD.at
       AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
       AND NEW.actor_label IS NOT DISTINCT FROM OLD.actor_label
       AND NEW.verb IS NOT DISTINCT FROM OLD.verb
       AND NEW.object_type IS NOT DISTINCT FROM OLD.object_type
       AND NEW.object_id IS NOT DISTINCT FROM OLD.object_id
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'core_auditevent is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'integrity_constraint_violation',
              HINT = 'Audit events are never changed or removed, only redacted once under the retention schedule.';
END;
$$;
"""

# 0002's function, for reversing this migration.
WIDE_SQL = f"""
CREATE OR REPLACE FUNCTION {TRIGGER_FUNCTION}() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'core_auditevent is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'integrity_constraint_violation',
              HINT = 'Audit events are never changed or removed; record a new event instead.';
END;
$$;
"""


def narrow_trigger(apps, schema_editor):
    """Allow the one-time redaction UPDATE on PostgreSQL (the trigger itself, from 0002, stays in place)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(NARROW_SQL, params=None)


def widen_trigger(apps, schema_editor):
    """Back to 0002: every UPDATE refused."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(WIDE_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_idempotency_record"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="redacted_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text=("When the retention schedule redacted the values this event recorded (ADR 0017); set once."),
                null=True,
            ),
        ),
        migrations.RunPython(narrow_trigger, widen_trigger),
    ]
