"""programmes/loader.py: the standard programme loads, loading twice changes nothing, an edited
file updates texts, and a bad file is refused with a message naming the place."""

import pytest
from django.core.management import CommandError, call_command

from programmes.loader import DEFAULT_PATH, ProgrammeFileError, load_programme
from programmes.models import Activity, ActivityKind, Module, Programme
from resources.models import Resource

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        list(Programme.objects.values().order_by("pk")),
        list(Module.objects.values().order_by("pk")),
        list(Activity.objects.values().order_by("pk")),
        list(Resource.objects.shared().values().order_by("pk")),
    )


def test_the_standard_programme_loads_with_its_shared_resources():
    result = load_programme()
    programme = result.programme
    assert [m.theme for m in programme.modules.all()] == [
        "organisation", "leadership", "strategy", "technology"]
    for module in programme.modules.all():
        assert [p.kind for p in module.phases.all()] == ["prework", "gathering", "postwork"]
    film = Activity.objects.get(phase__module__slug="organisation", slug="film-fem-generasjoner")
    assert film.resource.network is None
    assert film.resource.title["da"] == "Fem generationer af digital modenhed"
    assessment = Activity.objects.filter(kind=ActivityKind.ASSESSMENT).first()
    assert assessment.instrument_slug == "digital-maturity"
    reflection = Activity.objects.filter(kind=ActivityKind.REFLECTION).first()
    assert len(reflection.questions["nb"]) == len(reflection.questions["en"]) > 0
    assert Resource.objects.shared().count() == 16


def test_loading_twice_changes_nothing():
    load_programme()
    before = _snapshot()
    result = load_programme()
    assert result.changed == 0
    assert _snapshot() == before


def test_an_edited_file_updates_the_texts_in_place(tmp_path):
    load_programme()
    film_id = Activity.objects.get(phase__module__slug="organisation",
                                   slug="film-fem-generasjoner").pk
    text = DEFAULT_PATH.read_text(encoding="utf-8").replace(
        'en = "Watch the film: Five generations of digital maturity"',
        'en = "Watch the lecture: Five generations of digital maturity"')
    edited = tmp_path / "edited.toml"
    edited.write_text(text, encoding="utf-8")

    result = load_programme(edited)

    assert result.updated["activity"] == 1 and not result.created
    film = Activity.objects.get(pk=film_id)
    assert film.title["en"] == "Watch the lecture: Five generations of digital maturity"


@pytest.mark.parametrize(("change", "named"), [
    (('kind = "reflection"', 'kind = "refection"', 1), "modules[0].phases[0].activities[4].kind"),
    (('en = "Organisation"\n', "", 1), "modules[0].title.en: missing text"),
    (('resource = "film-fem-generasjoner"', 'resource = "no-such-film"', 1),
     "modules[0].phases[0].activities[1].resource"),
    (('duration_minutes = 35', 'duration_minutes = "long"', 1), "resources[0].duration_minutes"),
    (('slug = "kompetanseloft"', 'slug = "kompetanseloft"\ncolour = "blue"', 1),
     "unknown key 'colour'"),
    (('[name]', '[name', 1), "not a valid TOML file"),
])
def test_a_bad_file_is_refused_naming_the_place_and_changes_nothing(tmp_path, change, named):
    load_programme()
    before = _snapshot()
    old, new, count = change
    text = DEFAULT_PATH.read_text(encoding="utf-8").replace(
        'en = "Watch the film: Five generations of digital maturity"', 'en = "Changed"')
    assert old in text
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace(old, new, count), encoding="utf-8")

    with pytest.raises(ProgrammeFileError, match=named.replace("[", r"\[").replace("]", r"\]")):
        load_programme(bad)
    assert _snapshot() == before


def test_the_command_reports_and_refuses_clearly(tmp_path, capsys):
    call_command("load_programme")
    call_command("load_programme")
    assert "nothing changed" in capsys.readouterr().out
    bad = tmp_path / "bad.toml"
    bad.write_text('slug = "x"\n[name]\nnb = "X"\n', encoding="utf-8")
    with pytest.raises(CommandError, match=r"nothing was changed.*name\.da: missing text"):
        call_command("load_programme", str(bad))
