"""A round's name is said in each reader's language (issue 15): a round keeps a name only when
someone gave it one; the names Bro filled in by purpose, in the network's language, are
emptied, so the name that says when is shown in whoever reads it's language."""

from django.db import migrations, models

FILLED_IN = {
    "start": {"Assessment at the start", "Kartlegging ved oppstart", "Kortlægning ved opstart"},
    "gathering": {
        "Assessment at the gathering",
        "Kartlegging på samlingen",
        "Kortlægning på netværksdagen",
    },
    "end": {"Assessment at the end", "Kartlegging ved avslutning", "Kortlægning ved afslutning"},
}


def forget_filled_in_names(apps, schema_editor):
    Round = apps.get_model("assessments", "Round")
    for purpose, names in FILLED_IN.items():
        Round.objects.filter(purpose=purpose, custom_name__in=names).update(custom_name="")


class Migration(migrations.Migration):
    dependencies = [("assessments", "0012_descriptions_without_duration")]

    operations = [
        # The column stays "name": only the model's field is renamed.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RenameField("round", "name", "custom_name"),
                migrations.AlterField(
                    model_name="round",
                    name="custom_name",
                    field=models.CharField(
                        blank=True, db_column="name", max_length=160, verbose_name="name"
                    ),
                ),
            ]
        ),
        migrations.RunPython(forget_filled_in_names, migrations.RunPython.noop),
    ]
