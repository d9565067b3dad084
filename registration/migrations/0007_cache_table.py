"""The database cache's table (settings.CACHE_TABLE), made by `migrate` so that a production deploy without
Redis needs no separate `createcachetable` step. Created whatever the cache setting, so that switching to it
later needs nothing either; an existing table is left alone."""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "mvt_cache"  # settings.CACHE_TABLE, frozen here as migrations must be


def create(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("registration", "0006_admin_labels")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
