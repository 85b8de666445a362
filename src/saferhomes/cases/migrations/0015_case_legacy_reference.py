# The reference an imported case had in the landlord's spreadsheet (issue 20 part 8: case-log import), unique when
# given so that importing the same file again creates nothing.
#
# SQLite adds a NOT NULL column by rebuilding the table, which drops its triggers: migration 0004's status-transition
# trigger is installed again straight after, as migrations 0008 and 0011 do.

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
        ("cases", "0014_case_anonymised_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="legacy_reference",
            field=models.CharField(
                blank=True,
                default="",
                help_text="The case's reference in the spreadsheet or system it was imported from (issue 20: case-log "
                "import); empty for cases opened here.",
                max_length=60,
            ),
        ),
        migrations.AddConstraint(
            model_name="case",
            constraint=models.UniqueConstraint(
                condition=models.Q(("legacy_reference", ""), _negated=True),
                fields=("legacy_reference",),
                name="case_legacy_reference_unique",
            ),
        ),
        migrations.RunPython(reinstall_lifecycle_trigger, migrations.RunPython.noop),
    ]
