from django.db import migrations


def sync_roles(apps, schema_editor):
    from ktpku.roles import sync_roles as sync

    sync(apps, schema_editor)


class Migration(migrations.Migration):
    """Staff enter the regency's coverage figures."""

    dependencies = [("campaigns", "0400_figures")]
    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
