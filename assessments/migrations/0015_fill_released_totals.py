"""Existing released blocks get their totals (ReleasedTotal): the round's, each leader
group's and each organisation's sums, written by the same statements a release runs
(assessments/anonymity/blocks.py), here over every round at once. The blocks are unchanged."""

from django.db import migrations


def fill_totals(apps, schema_editor):
    from assessments.anonymity.blocks import TOTAL_SELECTIONS, totals_sql

    with schema_editor.connection.cursor() as cursor:
        for scope, key, where in TOTAL_SELECTIONS:
            cursor.execute(totals_sql(scope, key, where), [scope])


def remove_totals(apps, schema_editor):
    apps.get_model("assessments", "ReleasedTotal").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0014_released_totals")]

    operations = [migrations.RunPython(fill_totals, remove_totals)]
