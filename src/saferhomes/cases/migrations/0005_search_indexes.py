# Indexes for the case list and search at national scale (measured by `saferhomes bench`, see bench/README.md).
#
# - Every list is ordered newest first (received_at DESC, id DESC): one B-tree lets a page be read in order and
#   stop after 25 rows instead of sorting every matching case. Both databases.
# - Search (cases.selectors.case_search_q) matches names, addresses and free locations with Django's icontains,
#   which PostgreSQL runs as UPPER(column::text) LIKE UPPER('%text%'): trigram GIN indexes (pg_trgm) on exactly
#   those expressions answer it without reading every row. A partial reference (startswith) and a postcode prefix
#   (istartswith) use B-trees with pattern operator classes (LIKE 'ASB-2026-00%' is a range scan).
#   PostgreSQL only: SQLite (the single-user demo database) has no pg_trgm and scans, which is fine at demo sizes.
#   Two of the tables are the housing register's (people, homes); their indexes live here because case search is
#   what needs them, and they are not part of any model's state (RunPython), so no app's migrations drift.

from typing import Any

from django.db import migrations, models

# (index name, table, indexed expression): trigram GIN on UPPER(column).
TRIGRAM_INDEXES = [
    ("cases_case_location_trgm", "cases_case", "location_text"),
    ("cases_party_first_name_trgm", "cases_party", "first_name"),
    ("cases_party_last_name_trgm", "cases_party", "last_name"),
    ("cases_party_address_trgm", "cases_party", "address"),
    ("housing_person_first_name_trgm", "housing_person", "first_name"),
    ("housing_person_last_name_trgm", "housing_person", "last_name"),
    ("housing_property_line_1_trgm", "housing_property", "address_line_1"),
    ("housing_property_line_2_trgm", "housing_property", "address_line_2"),
]
# (index name, table, indexed expression with operator class): B-trees for prefix LIKE.
PATTERN_INDEXES = [
    ("cases_case_reference_prefix", "cases_case", "reference varchar_pattern_ops"),
    ("housing_property_postcode_prefix", "housing_property", "UPPER(postcode) text_pattern_ops"),
]


def create_search_indexes(apps: Any, schema_editor: Any) -> None:
    """pg_trgm and the search indexes, on PostgreSQL only."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm", params=None)
    for name, table, column in TRIGRAM_INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (UPPER({column}) gin_trgm_ops)", params=None
        )
    for name, table, expression in PATTERN_INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({expression})", params=None)


def drop_search_indexes(apps: Any, schema_editor: Any) -> None:
    """Drop the search indexes (pg_trgm stays: other things may use it)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in [*TRIGRAM_INDEXES, *PATTERN_INDEXES]:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}", params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_lifecycle_in_database"),
        ("housing", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["-received_at", "-id"], name="case_received_idx"),
        ),
        migrations.RunPython(create_search_indexes, drop_search_indexes),
    ]
