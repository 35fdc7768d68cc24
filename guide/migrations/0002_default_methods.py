"""The participation methods a good practice can be tagged with."""

from django.db import migrations

METHODS = [
    ("public-debate", "Dezbatere publică", "Public debate"),
    ("online-consultation", "Consultare online", "Online consultation"),
    ("survey", "Chestionar", "Survey"),
    ("workshop", "Atelier de lucru", "Workshop"),
    ("advisory-council", "Consiliu consultativ", "Advisory council"),
    ("participatory-budget", "Buget participativ", "Participatory budgeting"),
    ("co-creation", "Co-creare cu cetățenii", "Co-creation with citizens"),
    ("service-redesign", "Reproiectarea unui serviciu", "Service redesign"),
]


def add_methods(apps, schema_editor):
    Method = apps.get_model("guide", "Method")
    for slug, name_ro, name_en in METHODS:
        Method.objects.get_or_create(slug=slug, defaults={"name_ro": name_ro, "name_en": name_en})


class Migration(migrations.Migration):
    dependencies = [("guide", "0001_initial")]

    operations = [migrations.RunPython(add_methods, migrations.RunPython.noop)]
