"""How long the test takes is one figure, stated in the introduction and on the module page,
and the shipped descriptions no longer state another (issue 15)."""

import importlib

import pytest
from django.apps import apps

from assessments.instruments_io import (
    SHIPPED_DIR,
    import_instrument,
    load_shipped_instruments,
    parse_instrument,
)
from assessments.models import Instrument
from assessments.taking.selectors import minutes_to_answer

FILES = {
    "digital-maturity": "digital_maturity.toml",
    "capabilities": "capabilities.toml",
    "competence-wheel": "competence_wheel.toml",
}


@pytest.fixture
def shipped(db):
    return {result.instrument.slug: result.instrument for result in load_shipped_instruments()}


def test_the_time_follows_the_items(shipped):
    # 19 items with their own generation descriptions; 58 and 36 statements on a shared scale
    assert {slug: minutes_to_answer(instrument) for slug, instrument in shipped.items()} == {
        "digital-maturity": 15,
        "capabilities": 20,
        "competence-wheel": 15,
    }


def test_no_shipped_description_states_another_time(shipped):
    for instrument in shipped.values():
        for text in instrument.description.values():
            assert "minut" not in text


def with_the_earlier_description(text, sentences):
    """The shipped file as it was loaded before: each description ending with its time."""
    lines = text.split("\n")
    start = lines.index("[description]")
    for number in range(start + 1, start + 1 + len(sentences)):
        language = lines[number].split(" = ")[0]
        lines[number] = lines[number].removesuffix('"') + sentences[language] + '"'
    return "\n".join(lines)


def test_a_database_with_the_earlier_descriptions_is_brought_in_line(db):
    migration = importlib.import_module("assessments.migrations.0012_descriptions_without_duration")
    for slug, name in FILES.items():
        earlier = with_the_earlier_description(
            (SHIPPED_DIR / name).read_text(), migration.SENTENCES[slug]
        )
        import_instrument(parse_instrument(earlier))
        assert "minutes" in Instrument.objects.get(slug=slug, version=1).description["en"]

    migration.without_duration(apps, None)

    assert not any(result.created for result in load_shipped_instruments())
    for instrument in Instrument.objects.filter(version=1):
        assert "minut" not in str(instrument.description)
        assert instrument.source == (SHIPPED_DIR / FILES[instrument.slug]).read_text()


def test_the_module_page_and_the_introduction_state_the_same_time(client, world, shipped):
    from django.urls import reverse

    from tests.factories import build_round, make_journey

    world.leader.language = "en"
    world.leader.save(update_fields=["language"])
    cohort_module = make_journey(world)  # its assessment activity is digital maturity
    round_ = build_round(world, instrument=shipped["digital-maturity"], cohort=cohort_module.cohort)
    client.force_login(world.leader)
    module_page = client.get(
        reverse(
            "module_detail",
            kwargs={"network_slug": world.network.slug, "cohort_module_id": cohort_module.pk},
        )
    ).content.decode()
    intro = client.get(
        reverse(
            "assessment_take", kwargs={"network_slug": world.network.slug, "round_id": round_.pk}
        )
    ).content.decode()
    assert "<span>15 min</span>" in module_page  # not the activity's own 20
    assert "It takes about 15 minutes." in intro
