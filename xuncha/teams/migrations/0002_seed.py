"""Data: the teams dictionaries (evaluation grades, pool sources, honour levels), and the app's
default permissions added to the existing roles."""

from django.db import migrations


def forwards(apps, schema_editor):
    from xuncha.core.seed import grant_app_defaults, load_dictionaries
    from xuncha.teams.choices import DICTIONARIES

    load_dictionaries(apps.get_model("core", "DictType"), apps.get_model("core", "DictItem"), DICTIONARIES)
    grant_app_defaults(apps.get_model("accounts", "Role"), "teams")


class Migration(migrations.Migration):
    dependencies = [
        ("teams", "0001_initial"),
        ("core", "0002_dictionaries"),
        ("accounts", "0003_roles"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
