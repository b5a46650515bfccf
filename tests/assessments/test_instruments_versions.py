"""Versions: a (slug, version) is immutable once loaded, a new version is new rows, earlier
rounds keep their items and results (results of two versions are compared on matching codes:
tests/assessments/anonymity/test_aggregation_round.py)."""

import re

import pytest
from django.core.management import CommandError, call_command

from assessments.instruments_io import (
    SHIPPED_DIR,
    InstrumentFileError,
    InstrumentVersionConflict,
    import_instrument,
    parse_instrument,
)
from assessments.models import DimensionScore, Instrument, Item

SIXTH_GENERATION = '''
[[{table}]]
value = 6
[{table}.label]
nb = "Generasjon 6 – {nb}"
nn = "Generasjon 6 – {nn}"
da = "Generation 6 – {da}"
en = "Generation 6 – {en}"
'''


def digital_maturity_v1():
    return (SHIPPED_DIR / "digital_maturity.toml").read_text(encoding="utf-8")


def digital_maturity_v2():
    """Version 2 as FORMAT.md §7 describes it: a sixth generation (transparent, traceable,
    data owned by the citizen) on the scale and on every item; the five dimension codes kept."""
    text = digital_maturity_v1().replace("version = 1", "version = 2", 1)
    text = text.replace("[scale]\nmin = 1\nmax = 5", "[scale]\nmin = 1\nmax = 6", 1)
    text = text.replace("Digital modenhet i fem generasjoner",
                        "Digital modenhet i seks generasjoner")
    text = text.replace("Digital modning i fem generasjonar", "Digital modning i seks generasjonar")

    def add_sixth(table, nb, nn, da, en):
        escaped = re.escape(table)
        pattern = (rf"(\[\[{escaped}\]\]\nvalue = 5\n\[{escaped}\.label\]\n"
                   r"nb = .*\nnn = .*\nda = .*\nen = .*\n)")
        block = SIXTH_GENERATION.format(table=table, nb=nb, nn=nn, da=da, en=en)
        return re.subn(pattern, lambda match: match.group(1) + block, text)

    text, labels = add_sixth("scale.labels", "Gjennomsiktig og sporbar", "Gjennomsiktig og sporbar",
                             "Gennemsigtig og sporbar", "Transparent and traceable")
    assert labels == 1
    text, options = add_sixth("dimensions.items.options", "innbyggeren eier egne data",
                              "innbyggjaren eig eigne data", "borgeren ejer egne data",
                              "the citizen owns their data")
    assert options == 19
    return text


@pytest.fixture
def version_1(db):
    return import_instrument(parse_instrument(digital_maturity_v1())).instrument


def test_importing_the_same_version_again_changes_nothing(version_1):
    items = Item.objects.count()
    result = import_instrument(parse_instrument(digital_maturity_v1()))
    assert result.created is False
    assert result.instrument == version_1
    assert (Instrument.objects.count(), Item.objects.count()) == (1, items)


def test_the_same_version_with_other_content_is_refused(version_1):
    changed = digital_maturity_v1().replace(
        'en = "How citizens apply for services and get in touch with the municipality"',
        'en = "How citizens apply for services"')
    with pytest.raises(InstrumentVersionConflict, match="publish a new version"):
        import_instrument(parse_instrument(changed))
    assert Item.objects.get(code="svc-1").text["en"] == (
        "How citizens apply for services and get in touch with the municipality")


def test_the_import_command_explains_a_version_conflict(version_1, tmp_path):
    path = tmp_path / "digital_maturity.toml"
    path.write_text(digital_maturity_v1().replace("Digital modenhet i fem", "Modenhet i fem"),
                    encoding="utf-8")
    with pytest.raises(CommandError, match="publish a new version"):
        call_command("import_instrument", str(path))


def test_version_2_with_a_sixth_generation_is_new_rows(version_1):
    v1_items = {item.pk: item.options for item in Item.objects.filter(
        dimension__instrument=version_1)}
    version_2 = import_instrument(parse_instrument(digital_maturity_v2())).instrument
    assert version_2.pk != version_1.pk
    assert (version_2.version, version_2.scale_max, version_1.scale_max) == (2, 6, 5)
    assert version_2.scale_labels[6]["en"] == "Generation 6 – Transparent and traceable"
    new_items = Item.objects.filter(dimension__instrument=version_2)
    assert new_items.count() == 19
    assert all([o["value"] for o in item.options] == [1, 2, 3, 4, 5, 6] for item in new_items)
    # Version 1 is untouched: the same rows, still five options per item.
    assert {item.pk: item.options for item in Item.objects.filter(
        dimension__instrument=version_1)} == v1_items
    assert all(len(options) == 5 for options in v1_items.values())


def test_a_sixth_generation_missing_on_one_item_is_refused_with_its_line():
    text = digital_maturity_v2()
    last_sixth = text.rindex("value = 6")
    start = text.rindex("[[dimensions.items.options]]", 0, last_sixth)
    end = text.index("\n\n", last_sixth) if "\n\n" in text[last_sixth:] else len(text)
    broken = text[:start] + text[end:].lstrip("\n")
    with pytest.raises(InstrumentFileError) as caught:
        parse_instrument(broken)
    error = caught.value
    assert error.field.endswith(".options")
    assert "missing: 6" in error.message
    assert broken.splitlines()[error.line - 1] == "[[dimensions.items.options]]"


def test_results_of_an_earlier_round_survive_a_new_version(world, version_1):
    from assessments.taking import services
    from tests.factories import build_round

    round_1 = build_round(world, instrument=version_1)
    response = services.start_response(round_1, world.leader, world.group)
    items = list(Item.objects.filter(dimension__instrument=version_1)
                 .select_related("dimension"))
    services.save_answers(response, [(item, "today", 3) for item in items])
    services.submit_response(response)
    scores = list(DimensionScore.objects.for_network(world.network)
                  .values_list("dimension_id", "kind", "score"))

    import_instrument(parse_instrument(digital_maturity_v2()))

    round_1.refresh_from_db()
    assert round_1.instrument == version_1
    assert list(DimensionScore.objects.for_network(world.network)
                .values_list("dimension_id", "kind", "score")) == scores
    assert response.answers.count() == 19
