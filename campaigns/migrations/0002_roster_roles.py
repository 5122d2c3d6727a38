from django.db import migrations


def sync_roles(apps, schema_editor):
    from ktpku.roles import sync_roles as sync

    sync(apps, schema_editor)


class Migration(migrations.Migration):
    """Give coordinators and staff the roster upload, and staff the school-move decision."""

    dependencies = [
        ("campaigns", "0001_roles"),
        ("students", "0002_roster_imports"),
    ]
    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
