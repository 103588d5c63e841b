"""Give existing roles the permissions added since 0002 (the export of supervision groups)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from xuncha.core.seed import grant_app_defaults

    grant_app_defaults(apps.get_model("accounts", "Role"), "rectification")


class Migration(migrations.Migration):
    dependencies = [("rectification", "0002_permissions")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
