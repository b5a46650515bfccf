"""Instrument files: checking (field and line named), import, export round trip, commands."""

import pytest
from django.core.management import CommandError, call_command

from assessments.instruments_io import (
    SHIPPED_DIR,
    InstrumentFileError,
    import_instrument,
    parse_instrument,
    read_instrument_file,
)
from assessments.models import Area, Dimension, Instrument, Item

MINIMAL = '''format = 1
slug = "example"
version = 1
kind = "profile"
answer_kinds = ["today", "ambition"]
allow_dont_know = true
name = { nb = "Eksempel", da = "Eksempel", en = "Example" }
description = { nb = "Kort.", da = "Kort.", en = "Short." }
dont_know_label = { nb = "Vet ikke", da = "Ved ikke", en = "Don't know" }

[answer_kind_labels.today]
nb = "I dag"
da = "I dag"
en = "Today"

[answer_kind_labels.ambition]
nb = "Om to år"
da = "Om to år"
en = "In two years"

[scale]
min = 1
max = 2

[[scale.labels]]
value = 1
label = { nb = "Uenig", da = "Uenig", en = "Disagree" }

[[scale.labels]]
value = 2
label = { nb = "Enig", da = "Enig", en = "Agree" }

[scoring]
method = "mean"
level = "none"

[[areas]]
code = "strategy"
name = { nb = "Strategi", da = "Strategi", en = "Strategy" }

[[dimensions]]
code = "vision"
area = "strategy"
facet = ""
level = "organisational"
name = { nb = "Visjon", da = "Vision", en = "Vision" }
description = { nb = "Om visjon.", da = "Om vision.", en = "About vision." }
discussion_prompt = { nb = "Hvorfor?", da = "Hvorfor?", en = "Why?" }

[[dimensions.items]]
code = "vis-1"
text = { nb = "Vi har en visjon.", da = "Vi har en vision.", en = "We have a vision." }

[[dimensions.items]]
code = "vis-2"
[dimensions.items.text]
nb = "Visjonen er kjent."
da = "Visionen er kendt."
en = "The vision is known."

[[dimensions]]
code = "customer"
area = "strategy"
facet = ""
level = "personal"
name = { nb = "Kunde", da = "Kunde", en = "Customer" }
description = { nb = "Om kunden.", da = "Om kunden.", en = "About the customer." }
discussion_prompt = { nb = "Hvem?", da = "Hvem?", en = "Who?" }

[[dimensions.items]]
code = "cus-1"
text = { nb = "Vi kjenner kunden.", da = "Vi kender kunden.", en = "We know the customer." }

[[dimensions.items.options]]
value = 1
label = { nb = "Lite", da = "Lidt", en = "Little" }

[[dimensions.items.options]]
value = 2
label = { nb = "Mye", da = "Meget", en = "Much" }
'''


def line_of(text, fragment, occurrence=1):
    """The 1-based line of the n-th line that contains fragment."""
    found = [number for number, line in enumerate(text.splitlines(), start=1) if fragment in line]
    return found[occurrence - 1]


def refused(text):
    with pytest.raises(InstrumentFileError) as caught:
        parse_instrument(text, source_name="bad.toml")
    return caught.value


def test_the_minimal_example_is_accepted():
    parsed = parse_instrument(MINIMAL)
    assert parsed.slug == "example"
    assert [d["code"] for d in parsed.document["dimensions"]] == ["vision", "customer"]


def test_the_shipped_files_are_valid():
    counts = {}
    for name in ("digital_maturity.toml", "capabilities.toml", "competence_wheel.toml"):
        document = read_instrument_file(SHIPPED_DIR / name).document
        counts[document["slug"]] = (len(document["areas"]), len(document["dimensions"]),
                                    sum(len(d["items"]) for d in document["dimensions"]))
    assert counts == {"digital-maturity": (5, 5, 19), "capabilities": (4, 13, 58),
                      "competence-wheel": (4, 12, 36)}


def test_a_syntax_error_names_its_line():
    text = MINIMAL.replace('code = "vis-2"', 'code = "vis-2')
    error = refused(text)
    assert error.line == line_of(text, 'code = "vis-2')
    assert error.field == "(syntax)"
    assert str(error).startswith(f"bad.toml:{error.line}: (syntax): not valid TOML")


def test_a_missing_field_names_the_field_and_the_line_of_its_table():
    text = MINIMAL.replace('discussion_prompt = { nb = "Hvem?", da = "Hvem?", en = "Who?" }\n', "")
    error = refused(text)
    assert error.field == "dimensions[customer]"
    assert "'discussion_prompt' is missing" in error.message
    assert error.line == line_of(text, "[[dimensions]]", occurrence=2)


def test_a_missing_language_is_named():
    text = MINIMAL.replace('da = "Visionen er kendt."\n', "")
    error = refused(text)
    assert error.field == "dimensions[vision].items[vis-2].text"
    assert "'da' is missing" in error.message
    assert error.line == line_of(text, "[dimensions.items.text]")


def test_an_empty_text_is_refused():
    text = MINIMAL.replace('en = "The vision is known."', 'en = "  "')
    error = refused(text)
    assert error.field == "dimensions[vision].items[vis-2].text.en"
    assert error.line == line_of(text, 'en = "  "')


def test_an_unknown_area_names_the_dimension_and_line():
    text = MINIMAL.replace('area = "strategy"\nfacet = ""\nlevel = "personal"',
                           'area = "strategi"\nfacet = ""\nlevel = "personal"')
    error = refused(text)
    assert error.field == "dimensions[customer].area"
    assert "'strategi' is not the code of an [[areas]] entry" in error.message
    assert error.line == line_of(text, 'area = "strategi"')


def test_a_duplicate_item_code_names_both_lines():
    text = MINIMAL.replace('code = "cus-1"', 'code = "vis-1"')
    error = refused(text)
    assert error.field == "dimensions[customer].items[vis-1].code"
    assert error.line == line_of(text, 'code = "vis-1"', occurrence=2)
    assert f"first on line {line_of(text, 'code = \"vis-1\"')}" in error.message


def test_a_duplicate_dimension_code_is_refused():
    text = MINIMAL.replace('code = "customer"', 'code = "vision"')
    error = refused(text)
    assert error.field == "dimensions[vision].code"
    assert error.line == line_of(text, 'code = "vision"', occurrence=2)


def test_options_must_cover_the_scale():
    text = MINIMAL.replace(
        '\n[[dimensions.items.options]]\nvalue = 2\nlabel = { nb = "Mye", da = "Meget", '
        'en = "Much" }\n', "")
    error = refused(text)
    assert error.field == "dimensions[customer].items[cus-1].options"
    assert "missing: 2" in error.message
    assert error.line == line_of(text, "[[dimensions.items.options]]")


def test_an_option_outside_the_scale_is_refused():
    text = MINIMAL.replace('value = 2\nlabel = { nb = "Mye"', 'value = 3\nlabel = { nb = "Mye"')
    error = refused(text)
    assert error.field == "dimensions[customer].items[cus-1].options[value=3].value"
    assert "outside the scale 1..2" in error.message
    assert error.line == line_of(text, "value = 3")


def test_scale_labels_must_cover_the_scale():
    text = MINIMAL.replace("max = 2", "max = 3")
    error = refused(text)
    assert error.field == "scale.labels"
    assert "missing: 3" in error.message


def test_kind_rules_for_facet_level_and_scoring():
    assert refused(MINIMAL.replace('level = "personal"', 'level = ""')).field == \
        "dimensions[customer].level"
    assert refused(MINIMAL.replace('level = "none"', 'level = "floor"')).field == "scoring.level"
    error = refused(MINIMAL.replace('kind = "profile"', 'kind = "wheel"'))
    assert error.field == "dimensions[vision].facet"


def test_an_unknown_key_is_refused_as_a_likely_typing_error():
    text = MINIMAL.replace('[[dimensions.items.options]]\nvalue = 1',
                           '[[dimensions.items.optons]]\nvalue = 1')
    error = refused(text)
    assert error.field == "dimensions[customer].items[cus-1].optons"
    assert error.line == line_of(text, "optons")


def test_format_and_version_are_checked():
    assert refused(MINIMAL.replace("format = 1", "format = 2")).field == "format"
    assert refused(MINIMAL.replace("version = 1", "version = 0")).field == "version"
    assert refused(MINIMAL.replace('slug = "example"', 'slug = "Example"')).field == "slug"


def _rows(instrument):
    """Everything an import stores, without ids or timestamps."""
    return {
        "instrument": {field: getattr(instrument, field) for field in (
            "slug", "version", "kind", "name", "description", "definition", "scale_min",
            "scale_max", "allow_dont_know")},
        "areas": list(Area.objects.filter(instrument=instrument)
                      .values_list("code", "position", "name")),
        "dimensions": list(Dimension.objects.filter(instrument=instrument)
                           .values_list("code", "area__code", "position", "facet", "level",
                                        "name", "description", "discussion_prompt")),
        "items": list(Item.objects.filter(dimension__instrument=instrument)
                      .values_list("dimension__code", "code", "position", "text", "options")),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["digital_maturity.toml", "capabilities.toml",
                                  "competence_wheel.toml"])
def test_import_export_import_gives_identical_rows(tmp_path, name):
    call_command("import_instrument", str(SHIPPED_DIR / name))
    instrument = Instrument.objects.get()
    before = _rows(instrument)
    assert len(before["items"]) == sum(
        len(d["items"]) for d in instrument.definition["dimensions"])
    exported = tmp_path / "exported.toml"
    call_command("export_instrument", instrument.slug, "--version", "1", "-o", str(exported))
    assert exported.read_text(encoding="utf-8") == (SHIPPED_DIR / name).read_text(
        encoding="utf-8")
    instrument.delete()
    call_command("import_instrument", str(exported))
    assert _rows(Instrument.objects.get()) == before


@pytest.mark.django_db
def test_the_import_keeps_order_options_and_positions():
    instrument = import_instrument(parse_instrument(MINIMAL)).instrument
    rows = _rows(instrument)
    assert [code for code, *_rest in rows["dimensions"]] == ["vision", "customer"]
    assert [(dim, code, position) for dim, code, position, _t, _o in rows["items"]] == [
        ("vision", "vis-1", 1), ("vision", "vis-2", 2), ("customer", "cus-1", 1)]
    assert rows["items"][0][4] == []
    assert [option["value"] for option in rows["items"][2][4]] == [1, 2]
    assert instrument.scale_labels[2] == {"nb": "Enig", "da": "Enig", "en": "Agree"}
    assert instrument.answer_kinds == ["today", "ambition"]
    assert not instrument.has_levels


@pytest.mark.django_db
def test_load_instruments_is_idempotent():
    call_command("load_instruments")
    counts = (Instrument.objects.count(), Item.objects.count())
    call_command("load_instruments")
    assert (Instrument.objects.count(), Item.objects.count()) == counts == (3, 19 + 58 + 36)


@pytest.mark.django_db
def test_import_command_refuses_a_bad_file_with_its_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(MINIMAL.replace('area = "strategy"\nfacet = ""\nlevel = "personal"',
                                   'area = "nope"\nfacet = ""\nlevel = "personal"'),
                   encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("import_instrument", str(bad))
    line = line_of(bad.read_text(encoding="utf-8"), 'area = "nope"')
    assert str(caught.value).startswith(f"bad.toml:{line}: dimensions[customer].area:")
    assert not Instrument.objects.exists()


@pytest.mark.django_db
def test_export_command_writes_the_latest_version_to_the_console(capsys):
    import_instrument(parse_instrument(MINIMAL))
    import_instrument(parse_instrument(MINIMAL.replace("version = 1", "version = 2")))
    call_command("export_instrument", "example")
    assert "version = 2" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("export_instrument", "example", "--version", "7")
