# PostgreSQL estimates how many cases a search word matches (`search_text LIKE '%bell%'`) from a sample of the
# column. With the default sample (statistics target 100) it guessed 94 cases for "bell", which is in 17,481 of
# 1,000,000 documents (Bell, Campbell, Isabella...): it then fetched and sorted all of them (180 ms) instead of
# walking the newest-first index until 25 matched (4 ms). A larger sample makes the guess good enough to choose.
# SQLite has no such statistics; nothing to do there.

from typing import Any

from django.db import migrations


def set_statistics(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE cases_case ALTER COLUMN search_text SET STATISTICS 1000", params=None)


def reset_statistics(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE cases_case ALTER COLUMN search_text SET STATISTICS -1", params=None)


class Migration(migrations.Migration):
    dependencies = [("cases", "0008_search_document")]

    operations = [migrations.RunPython(set_statistics, reset_statistics)]
