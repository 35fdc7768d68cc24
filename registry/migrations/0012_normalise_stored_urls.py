"""Normalise the web addresses already stored, as `SafeURLField` now does on every write:
what must be quoted is percent-encoded; an address that is not an http(s) page of a real
host, or too long once quoted, is emptied (it could not be saved today)."""

from django.core.exceptions import ValidationError
from django.db import migrations

from conect.core.validators import normalize_url, validate_url

FIELDS = {"Organisation": ["website"], "Institution": ["website"], "Meeting": ["online_link"]}


def safe_url(value: str, max_length: int) -> str:
    url = normalize_url(value)
    try:
        validate_url(url)
    except ValidationError:
        return ""
    return url if len(url) <= max_length else ""


def normalise_urls(apps, schema_editor):
    for model_name, names in FIELDS.items():
        model = apps.get_model("registry", model_name)
        for name in names:
            max_length = model._meta.get_field(name).max_length
            rows = model.objects.exclude(**{name: ""}).values_list("pk", name)
            for pk, value in rows.iterator():
                url = safe_url(value, max_length)
                if url != value:
                    model.objects.filter(pk=pk).update(**{name: url})


class Migration(migrations.Migration):
    dependencies = [("registry", "0011_text_limits_and_safe_urls")]

    operations = [migrations.RunPython(normalise_urls, migrations.RunPython.noop)]
