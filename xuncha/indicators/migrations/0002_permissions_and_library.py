"""Give the default roles the indicators permissions (only adds; see core.seed.grant_app_defaults) and
load the starting library and decision checklist shipped in indicators/data as the platform's
built-in published version (平台内置), which every office reads and copies into its own drafts."""

from django.db import migrations


def forwards(apps, schema_editor):
    from xuncha.core.seed import grant_app_defaults
    from xuncha.indicators.library import load_shipped

    grant_app_defaults(apps.get_model("accounts", "Role"), "indicators")
    load_shipped((apps.get_model("indicators", "IndicatorSet"), apps.get_model("indicators", "Indicator"),
                  apps.get_model("indicators", "IndicatorTemplate")),
                 decisions_model=apps.get_model("indicators", "DecisionItem"))


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0001_initial"),
        ("accounts", "0003_roles"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
