from django.db import migrations


def sync_roles(apps, schema_editor):
    from ktpku.roles import sync_roles as sync

    sync(apps, schema_editor)


class Migration(migrations.Migration):
    """Give staff the campaigns, teams and visits; team members and coordinators the visits."""

    dependencies = [("campaigns", "0003_campaigns_teams_visits")]
    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
