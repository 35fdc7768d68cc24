"""A practice links to citizens' proposals: the placeholder id kept while the proposals
app was built in parallel becomes a many-to-many relation (the ids already given are kept
when the proposal exists)."""

from django.db import migrations, models


def copy_proposal_ids(apps, schema_editor):
    Practice = apps.get_model("guide", "Practice")
    Proposal = apps.get_model("proposals", "Proposal")
    Link = Practice.proposals.through
    rows = Practice.objects.exclude(proposal_id=None).values_list("pk", "proposal_id")
    existing = set(Proposal.objects.filter(pk__in=[p for _, p in rows]).values_list("pk", flat=True))
    Link.objects.bulk_create(
        Link(practice_id=practice, proposal_id=proposal)
        for practice, proposal in rows
        if proposal in existing
    )


class Migration(migrations.Migration):
    dependencies = [
        ("guide", "0003_session_feedback_survey"),
        ("proposals", "0002_list_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="practice",
            name="proposals",
            field=models.ManyToManyField(
                blank=True,
                related_name="practices",
                to="proposals.proposal",
                verbose_name="citizens' proposals",
            ),
        ),
        migrations.RunPython(copy_proposal_ids, migrations.RunPython.noop),
        migrations.RemoveField(model_name="practice", name="proposal_id"),
    ]
