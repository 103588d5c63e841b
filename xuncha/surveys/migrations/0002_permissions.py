"""Give the default roles the surveys permissions (only adds; see core.seed.grant_app_defaults) and
load the shared starting templates (surveys/starting.py)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from xuncha.core.seed import grant_app_defaults
    from xuncha.surveys.starting import load_starting_templates

    grant_app_defaults(apps.get_model("accounts", "Role"), "surveys")
    load_starting_templates(apps.get_model("surveys", "SurveyTemplate"))


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0001_initial"),
        ("accounts", "0003_roles"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
