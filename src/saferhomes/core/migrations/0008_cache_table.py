# The database cache's table (issue 20 part 3), made whatever CACHES says today so that a deployment can move between
# Redis and the database without a step by hand. `createcachetable` skips a table that exists already.

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "saferhomes_cache"


def create_cache_table(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("core", "0007_worker_heartbeat")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table, elidable=False)]
