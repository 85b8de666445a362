# The case lifecycle (DESIGN.md §3) is kept by the database as well as by the services (cases/rules.py), so raw
# SQL, bulk updates or another client cannot move a case in a way the services would refuse:
# - a CHECK: every case past new has been triaged (has triaged_at);
# - a trigger: a change of status must be one of the allowed moves. Inserts are free (imports and demo data create
#   cases in any state); only changes of an existing row's status are checked.
# The list below is frozen here on purpose: a migration must not change meaning when rules.py changes. A new move
# needs a new migration that replaces the trigger.

from django.db import migrations, models

ALLOWED_MOVES = [
    ("new", "triaged"),
    ("triaged", "open"),
    ("open", "closing"),
    ("closing", "closed"),
    ("closing", "open"),
    ("closed", "reopened"),
    ("reopened", "closing"),
]
MOVES_SQL = ", ".join(f"'{old}>{new}'" for old, new in ALLOWED_MOVES)
TRIGGER = "cases_case_status_transition"
FUNCTION = "saferhomes_case_status_transition"
MESSAGE = "case status cannot change from % to %: allowed moves are in cases/rules.py"

POSTGRES_CREATE = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status <> OLD.status AND (OLD.status || '>' || NEW.status) NOT IN ({MOVES_SQL}) THEN
        RAISE EXCEPTION '{MESSAGE}', OLD.status, NEW.status USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
DROP TRIGGER IF EXISTS {TRIGGER} ON cases_case;
CREATE TRIGGER {TRIGGER} BEFORE UPDATE OF status ON cases_case FOR EACH ROW EXECUTE FUNCTION {FUNCTION}();
"""
POSTGRES_DROP = f"DROP TRIGGER IF EXISTS {TRIGGER} ON cases_case; DROP FUNCTION IF EXISTS {FUNCTION}();"

SQLITE_CREATE = f"""
CREATE TRIGGER IF NOT EXISTS {TRIGGER} BEFORE UPDATE OF status ON cases_case
FOR EACH ROW WHEN NEW.status <> OLD.status AND (OLD.status || '>' || NEW.status) NOT IN ({MOVES_SQL})
BEGIN
    SELECT RAISE(ABORT, 'case status cannot make that move: allowed moves are in cases/rules.py');
END;
"""  # noqa: S608 - built from the constants above, no input
SQLITE_DROP = f"DROP TRIGGER IF EXISTS {TRIGGER};"


def install_trigger(apps, schema_editor):
    """Create the status-transition trigger (PostgreSQL or SQLite)."""
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_CREATE, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE, params=None)


def remove_trigger(apps, schema_editor):
    """Drop the status-transition trigger."""
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_record_evidence_storage_action_done_by"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="case",
            constraint=models.CheckConstraint(
                condition=models.Q(("status", "new"), ("triaged_at__isnull", False), _connector="OR"),
                name="case_triaged_unless_new",
            ),
        ),
        migrations.RunPython(install_trigger, remove_trigger),
    ]
