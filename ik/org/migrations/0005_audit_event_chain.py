import django.utils.timezone
from django.db import migrations, models

from ik.org.chain import GENESIS, event_digest

# The back-fill rewrites rows the trigger protects; migrations run as the tables' owner,
# which may switch the trigger off for the length of this transaction.
DISABLE = "ALTER TABLE org_auditevent DISABLE TRIGGER org_auditevent_append_only"
ENABLE = "ALTER TABLE org_auditevent ENABLE TRIGGER org_auditevent_append_only"
BATCH = 1000


def link_existing_events(apps, schema_editor):
    """Chain every organisation's existing events in insertion order."""
    event_model = apps.get_model("org", "AuditEvent")
    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:
        schema_editor.execute(DISABLE)
    heads: dict[int, str] = {}
    batch = []
    for event in event_model.objects.order_by("id").iterator(chunk_size=BATCH):
        event.previous_digest = heads.get(event.organisation_id, GENESIS)
        event.digest = event_digest(event, event.previous_digest)
        heads[event.organisation_id] = event.digest
        batch.append(event)
        if len(batch) == BATCH:
            event_model.objects.bulk_update(batch, ["previous_digest", "digest"])
            batch = []
    if batch:
        event_model.objects.bulk_update(batch, ["previous_digest", "digest"])
    if postgresql:
        schema_editor.execute(ENABLE)


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0004_audit_event_system_actor"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="at",
            field=models.DateTimeField(
                db_index=True,
                default=django.utils.timezone.now,
                editable=False,
                verbose_name="tidpunkt",
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="previous_digest",
            field=models.CharField(
                default="", editable=False, max_length=64, verbose_name="föregående länk"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="digest",
            field=models.CharField(
                default="", editable=False, max_length=64, verbose_name="länk"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(link_existing_events, migrations.RunPython.noop),
    ]
