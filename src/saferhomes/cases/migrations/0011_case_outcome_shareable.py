# The outcome in words the reporter may read (issue 14 part 4).
#
# SQLite adds a NOT NULL column by rebuilding the table, which drops its triggers: migration 0004's status-transition
# trigger is installed again straight after, as migration 0008 does (tests/cases/test_lifecycle_db.py checks it).

import importlib
from typing import Any

from django.db import migrations, models


def reinstall_lifecycle_trigger(apps: Any, schema_editor: Any) -> None:
    """Migration 0004's trigger again, on SQLite only (PostgreSQL keeps triggers across ADD COLUMN)."""
    if schema_editor.connection.vendor == "sqlite":
        lifecycle = importlib.import_module("saferhomes.cases.migrations.0004_lifecycle_in_database")
        schema_editor.execute(lifecycle.SQLITE_CREATE, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0010_party_contact_preferences"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="outcome_shareable",
            field=models.TextField(
                blank=True,
                help_text="The outcome in the words staff chose for the reporter: shown on their status page once closed.",
            ),
        ),
        migrations.RunPython(reinstall_lifecycle_trigger, migrations.RunPython.noop),
    ]
