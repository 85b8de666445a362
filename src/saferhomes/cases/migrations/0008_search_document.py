# One search document per case (cases/search.py): the column, its contents for existing cases, and on PostgreSQL one
# trigram GIN index on it in place of the per-column indexes of migration 0005 that the old UNION search used
# (the housing register's own name and address indexes stay: the register's search uses them).
#
# SQLite adds a NOT NULL column by rebuilding the table, which drops the table's triggers: the status-transition
# trigger of migration 0004 is installed again straight after (any later migration that rebuilds cases_case on
# SQLite must do the same; tests/cases/test_lifecycle_db.py fails if it does not).

import importlib
from typing import Any

from django.db import migrations, models

OLD_CASE_INDEXES = [
    "cases_case_location_trgm",
    "cases_party_first_name_trgm",
    "cases_party_last_name_trgm",
    "cases_party_address_trgm",
]
OLD_INDEX_COLUMNS = [
    ("cases_case_location_trgm", "cases_case", "location_text"),
    ("cases_party_first_name_trgm", "cases_party", "first_name"),
    ("cases_party_last_name_trgm", "cases_party", "last_name"),
    ("cases_party_address_trgm", "cases_party", "address"),
]


def _aggregate(vendor: str, expression: str) -> str:
    return f"string_agg({expression}, ' ')" if vendor == "postgresql" else f"group_concat({expression}, ' ')"


def fill_documents(apps: Any, schema_editor: Any) -> None:
    """Write every case's document (a frozen copy of cases.search.search_document_sql as it was at this migration)."""
    vendor = schema_editor.connection.vendor
    party = (
        "COALESCE(p.first_name, '') || ' ' || COALESCE(p.last_name, '') || ' ' || COALESCE(p.address, '') || ' ' || "
        "COALESCE(hp.first_name, '') || ' ' || COALESCE(hp.preferred_name, '') || ' ' || COALESCE(hp.last_name, '')"
    )
    home = (
        "COALESCE(h.address_line_1, '') || ' ' || COALESCE(h.address_line_2, '') || ' ' || "
        "COALESCE(h.postcode, '') || ' ' || REPLACE(COALESCE(h.postcode, ''), ' ', '')"
    )
    schema_editor.execute(
        "UPDATE cases_case SET search_text = LOWER("  # noqa: S608 - fixed SQL, no user input
        "reference || ' ' || COALESCE(location_text, '') || ' ' || "
        f"COALESCE((SELECT {_aggregate(vendor, party)} FROM cases_party p "
        "LEFT JOIN housing_person hp ON hp.id = p.person_id WHERE p.case_id = cases_case.id), '') || ' ' || "
        f"COALESCE((SELECT {_aggregate(vendor, home)} FROM cases_case_properties cp "
        "JOIN housing_property h ON h.id = cp.property_id WHERE cp.case_id = cases_case.id), '')"
        ")",
        params=None,
    )


def reinstall_lifecycle_trigger(apps: Any, schema_editor: Any) -> None:
    """Migration 0004's trigger again, on SQLite only (PostgreSQL keeps triggers across ADD COLUMN)."""
    if schema_editor.connection.vendor == "sqlite":
        lifecycle = importlib.import_module("saferhomes.cases.migrations.0004_lifecycle_in_database")
        schema_editor.execute(lifecycle.SQLITE_CREATE, params=None)


def create_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm", params=None)
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS cases_case_search_trgm ON cases_case USING gin (search_text gin_trgm_ops)",
        params=None,
    )
    for name in OLD_CASE_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}", params=None)


def drop_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS cases_case_search_trgm", params=None)
    for name, table, column in OLD_INDEX_COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (UPPER({column}) gin_trgm_ops)", params=None
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_list_order_indexes"),
        ("housing", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="search_text",
            field=models.TextField(
                blank=True,
                default="",
                editable=False,
                help_text="What a search matches, lower-cased: written by cases.search, never by hand.",
            ),
        ),
        migrations.RunPython(reinstall_lifecycle_trigger, migrations.RunPython.noop),
        migrations.RunPython(fill_documents, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
