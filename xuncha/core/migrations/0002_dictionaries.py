from django.db import migrations


def forwards(apps, schema_editor):
    from xuncha.core.seed import load_dictionaries

    load_dictionaries(apps.get_model("core", "DictType"), apps.get_model("core", "DictItem"))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
