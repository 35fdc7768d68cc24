"""The synthesis PDFs kept before one file per language existed were kept in the language
of their first visitor: drop them, so that each language's file is made again (on the
next request in that language)."""

from django.db import migrations


def drop_kept_pdfs(apps, schema_editor):
    Consultation = apps.get_model("consultations", "Consultation")
    for consultation in Consultation.objects.exclude(synthesis_pdf="").iterator():
        consultation.synthesis_pdf.delete(save=False)
        Consultation.objects.filter(pk=consultation.pk).update(synthesis_pdf="")


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0005_scheduled_state"),
    ]

    operations = [
        migrations.RunPython(drop_kept_pdfs, migrations.RunPython.noop),
    ]
