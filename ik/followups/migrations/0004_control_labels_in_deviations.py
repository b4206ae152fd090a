from django.db import migrations

from ik.followups.control_names import relabel_automatic_deviations


def name_to_label(apps, schema_editor):
    relabel_automatic_deviations(apps.get_model("followups", "Deviation"))


class Migration(migrations.Migration):
    dependencies = [("followups", "0003_document_date_case_number")]

    operations = [migrations.RunPython(name_to_label, migrations.RunPython.noop)]
