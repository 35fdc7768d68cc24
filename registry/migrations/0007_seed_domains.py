from django.db import migrations


def seed(apps, schema_editor):
    from registry.services.domains import seed_default_domains

    seed_default_domains(apps.get_model("registry", "Domain"))


class Migration(migrations.Migration):
    dependencies = [("registry", "0006_organisation_claims_invitations")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
