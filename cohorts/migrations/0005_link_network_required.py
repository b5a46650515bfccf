"""The through tables' network becomes required. Rows added between 0004 and this one by
code that did not know the column yet (a rolling deploy) are filled first.

On PostgreSQL foreign keys are checked at commit (DEFERRABLE INITIALLY DEFERRED), so the
update leaves trigger events pending, and PostgreSQL alters no table with those pending
("cannot ALTER TABLE … because it has pending trigger events"). Django's AlterField happens
to set the network key's constraint IMMEDIATE as it drops and re-creates it; this does not
rely on that and checks all constraints at once before the tables are altered."""

from importlib import import_module

from django.db import migrations

links = import_module("cohorts.migrations.0004_through_tables_are_scoped")


def check_constraints_now(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):

    dependencies = [("cohorts", "0004_through_tables_are_scoped")]

    operations = [
        migrations.RunPython(links.fill_networks, migrations.RunPython.noop),
        migrations.RunPython(check_constraints_now, migrations.RunPython.noop),
        *[migrations.AlterField(model_name=name.lower(), name="network",
                                field=links.network_field(False))
          for name, *_rest in links.LINKS],
    ]
