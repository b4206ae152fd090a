import uuid

import django.db.models.deletion
from django.db import migrations, models


def fill_public_ids(apps, schema_editor):
    # Existing units and people each get their own id; a column default would give every
    # row the same one.
    for name in ("Unit", "Person"):
        model = apps.get_model("org", name)
        for pk in model.objects.values_list("pk", flat=True):
            model.objects.filter(pk=pk).update(public_id=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0007_organisation_session_idle_minutes"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="committee",
            options={
                "ordering": ["-is_executive_board", "position", "name"],
                "verbose_name": "nämnd",
                "verbose_name_plural": "nämnder",
            },
        ),
        migrations.AddField(
            model_name="committee",
            name="is_active",
            field=models.BooleanField(
                default=True,
                help_text="En nämnd som inte längre finns inaktiveras i stället för att tas "
                "bort, så att dess planer och uppföljningar finns kvar.",
                verbose_name="aktiv",
            ),
        ),
        migrations.AddField(
            model_name="committee",
            name="position",
            field=models.PositiveIntegerField(
                default=0,
                help_text="Lägre tal visas först; lika tal i bokstavsordning.",
                verbose_name="ordning",
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="is_active",
            field=models.BooleanField(default=True, verbose_name="aktiv"),
        ),
        migrations.AddField(
            model_name="person",
            name="unit",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="people",
                to="org.unit",
                verbose_name="enhet",
            ),
        ),
        migrations.AddField(
            model_name="unit",
            name="is_active",
            field=models.BooleanField(default=True, verbose_name="aktiv"),
        ),
        migrations.AddField(
            model_name="person",
            name="public_id",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="unit",
            name="public_id",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="person",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="unit",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
