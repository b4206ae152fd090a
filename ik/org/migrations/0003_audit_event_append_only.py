from django.conf import settings
from django.db import migrations, models

# On PostgreSQL the database itself refuses to change or remove a recorded event, so not
# even raw SQL or another program with the same credentials can rewrite the trail.
# TRUNCATE (used only when a test database is reset) is not a row-level change and passes.
CREATE_TRIGGER = """
CREATE OR REPLACE FUNCTION org_auditevent_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Händelseloggen kan inte ändras eller raderas.';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER org_auditevent_append_only
    BEFORE UPDATE OR DELETE ON org_auditevent
    FOR EACH ROW EXECUTE FUNCTION org_auditevent_refuse_change();
"""
DROP_TRIGGER = """
DROP TRIGGER IF EXISTS org_auditevent_append_only ON org_auditevent;
DROP FUNCTION IF EXISTS org_auditevent_refuse_change();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_TRIGGER)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0002_organisation_word_template"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["organisation", "-at"], name="audit_event_org_at"),
        ),
        migrations.RunPython(create_trigger, drop_trigger),
    ]
