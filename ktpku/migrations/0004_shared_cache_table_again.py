"""The shared cache's table where migration 0001 made a table named "shared" instead."""

from django.db import migrations


def create_cache_table(apps, schema_editor):
    from django.core.management import call_command

    # Creates only the database cache tables that are missing.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("ktpku", "0003_second_factor_roles")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
