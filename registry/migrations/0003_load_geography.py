from django.db import migrations


def load(apps, schema_editor):
    from registry.geography import load_reference_geography

    load_reference_geography(apps.get_model("registry", "Region"), apps.get_model("registry", "County"))


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_postgres_search")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
