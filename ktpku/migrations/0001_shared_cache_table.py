"""The database cache table behind the "shared" cache (rate limits across processes)."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # No argument: the tables of the database caches in CACHES (an argument would be taken
    # as a table name, which made a table "shared" instead of ktpku_shared_cache).
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS ktpku_shared_cache")


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
