"""The shipped instruments' descriptions no longer say how long the test takes: Bro states one
figure from the items (taking.selectors.minutes_to_answer) on the module page and in the
introduction (issue 15). Version 1 of each is changed in place, file and rows alike, so loading
the shipped files again finds the same content; nothing a leader answered depends on it."""

from django.db import migrations

SENTENCES = {
    "digital-maturity": {
        "nb": " Det tar om lag 10–15 minutter.",
        "nn": " Det tek om lag 10–15 minutt.",
        "da": " Det tager omkring 10–15 minutter.",
        "en": " It takes about 10–15 minutes.",
    },
    "capabilities": {
        "nb": " Det tar om lag 10–15 minutter.",
        "nn": " Det tek om lag 10–15 minutt.",
        "da": " Det tager omkring 10–15 minutter.",
        "en": " It takes about 10–15 minutes.",
    },
    "competence-wheel": {
        "nb": " Det tar om lag 10 minutter.",
        "nn": " Det tek om lag 10 minutt.",
        "da": " Det tager omkring 10 minutter.",
        "en": " It takes about 10 minutes.",
    },
}


def without_duration(apps, schema_editor):
    Instrument = apps.get_model("assessments", "Instrument")
    for instrument in Instrument.objects.filter(slug__in=SENTENCES, version=1):
        sentences = SENTENCES[instrument.slug]
        description = dict(instrument.description)
        for language, sentence in sentences.items():
            text = description.get(language, "")
            if text.endswith(sentence):
                description[language] = text.removesuffix(sentence)
                instrument.source = instrument.source.replace(f'{sentence}"\n', '"\n', 1)
        instrument.description = description
        instrument.definition = {**instrument.definition, "description": description}
        instrument.save(update_fields=["description", "definition", "source"])


class Migration(migrations.Migration):
    dependencies = [("assessments", "0011_personal_rounds")]

    operations = [migrations.RunPython(without_duration, migrations.RunPython.noop)]
