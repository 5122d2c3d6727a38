from django.db import migrations


def sync_roles(apps, schema_editor):
    from ktpku.roles import sync_roles as sync

    sync(apps, schema_editor)


class Migration(migrations.Migration):
    """Administrators see and delete second-factor devices (a lost phone), nothing more."""

    dependencies = [
        ("ktpku", "0002_export_jobs"),
        ("otp_totp", "0003_add_timestamps"),
        ("otp_static", "0003_add_timestamps"),
        ("campaigns", "0402_merge_0301_merge_20261203_1942_0401_coverage_roles"),
        ("audit", "0002_append_only"),
    ]
    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
