from importlib import import_module

from django.db import migrations

links = import_module("cohorts.migrations.0004_through_tables_are_scoped")


class Migration(migrations.Migration):

    dependencies = [("cohorts", "0004_through_tables_are_scoped")]

    operations = [
        migrations.AlterField(model_name=name.lower(), name="network",
                              field=links.network_field(False))
        for name, *_rest in links.LINKS
    ]
