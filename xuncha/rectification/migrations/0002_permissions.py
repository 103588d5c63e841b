"""Give the default roles rectification's permissions (only adds; see core.seed.grant_app_defaults)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from xuncha.core.seed import grant_app_defaults

    grant_app_defaults(apps.get_model("accounts", "Role"), "rectification")


class Migration(migrations.Migration):
    dependencies = [
        ("rectification", "0001_initial"),
        ("accounts", "0003_roles"),
        ("findings", "0002_permissions"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
