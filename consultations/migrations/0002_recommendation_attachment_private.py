"""Attachments of recommendations move to private storage (PRIVATE_MEDIA_ROOT): from now
on they are downloaded only through a view that checks who may see the recommendation.
The files already uploaded are moved, under the same names."""

from django.core.files.storage import default_storage
from django.db import migrations, models

import conect.core.storage
import consultations.models


def _move(apps, source, target):
    Recommendation = apps.get_model("consultations", "Recommendation")
    names = Recommendation.objects.exclude(attachment="").values_list("attachment", flat=True)
    for name in names.iterator():
        if target.exists(name) or not source.exists(name):
            continue
        with source.open(name, "rb") as content:
            target.save(name, content)
        source.delete(name)


def to_private(apps, schema_editor):
    _move(apps, default_storage, conect.core.storage.private_storage())


def to_public(apps, schema_editor):
    _move(apps, conect.core.storage.private_storage(), default_storage)


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="recommendation",
            name="attachment",
            field=models.FileField(
                blank=True,
                max_length=200,
                storage=conect.core.storage.private_storage,
                upload_to=consultations.models._attachment_upload_to,
                verbose_name="attachment",
            ),
        ),
        migrations.RunPython(to_private, to_public),
    ]
