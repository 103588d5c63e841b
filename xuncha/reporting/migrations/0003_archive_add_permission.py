"""The archive checklist is opened with `reporting:archive:add` (office, group leader): add it to the
default roles (only adds; see core.seed.grant_app_defaults)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from xuncha.core.seed import grant_app_defaults

    grant_app_defaults(apps.get_model("accounts", "Role"), "reporting")


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0002_permissions"),
        ("accounts", "0003_roles"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
