from django.db import migrations


def load_regions(apps, schema_editor):
    from schools import regions

    regions.load(apps.get_model("schools", "Region"))


class Migration(migrations.Migration):
    dependencies = [("schools", "0001_initial")]
    operations = [migrations.RunPython(load_regions, migrations.RunPython.noop)]
