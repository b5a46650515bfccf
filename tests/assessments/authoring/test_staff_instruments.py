"""Staff publish an instrument version on a page: upload, check with line numbers, preview in
every language, publish as a new version; old rounds keep theirs."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.anonymity.aggregation import round_results
from assessments.instruments_io import InstrumentFileError, import_instrument, parse_instrument
from assessments.models import Instrument, Round
from tenancy.audit import AuditEvent, EventKind
from tenancy.scoping import platform_wide
from tests.assessments.test_instruments_io import MINIMAL, line_of
from tests.assessments.test_instruments_versions import digital_maturity_v1, digital_maturity_v2
from tests.factories import build_round, build_submission, make_person, with_mfa

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    person = with_mfa(make_person(is_staff=True, language="en"))
    client.force_login(person)
    return client


def upload(client, text, name="instrument.toml"):
    return client.post(
        reverse("staff_instruments"),
        {"action": "check", "file": SimpleUploadedFile(name, text.encode())},
    )


def publish(client, text):
    return client.post(reverse("staff_instruments"), {"action": "publish", "source": text})


@pytest.fixture
def version_1_with_results(world):
    instrument = import_instrument(parse_instrument(digital_maturity_v1())).instrument
    world.network.anonymity_threshold = 3
    world.network.save()
    round_ = build_round(world, instrument=instrument)
    codes = [d.code for d in instrument.dimensions.all()]
    for value in (2, 3, 4):
        build_submission(
            round_, group=world.group, scores={code: (value, value + 1) for code in codes}
        )
    return round_


def numbers(round_):
    return [(row.today, row.ambition) for row in round_results(round_).network.dimensions]


@pytest.mark.parametrize("role", ["leader", "coordinator", "facilitator", "admin"])
def test_nobody_but_staff_reaches_the_pages(client, world, role):
    client.force_login(with_mfa(world.person(role)))
    instrument = Instrument.objects.create(
        slug="x", version=1, kind="profile", name={}, definition={}
    )
    assert client.get(reverse("staff_instruments")).status_code == 404
    assert client.get(reverse("staff_instrument", args=[instrument.pk])).status_code == 404
    assert publish(client, MINIMAL).status_code == 404
    assert not Instrument.objects.filter(slug="example").exists()


def test_signed_out_people_get_404_too(client):
    assert client.get(reverse("staff_instruments")).status_code == 404


def test_a_sixth_generation_is_previewed_then_published_as_a_new_version(
    staff, world, version_1_with_results
):
    round_ = version_1_with_results
    version_1 = round_.instrument
    before = numbers(round_)
    text = digital_maturity_v2()
    page = upload(staff, text).content.decode()
    assert "Check before publishing: digital-maturity, version 2" in page
    assert "The newest published version is 1." in page
    for code, _name in settings.LANGUAGES:
        assert f'lang="{code}"' in page
    assert "Generation 6 – Transparent and traceable" in page
    assert "Generasjon 6 – Gjennomsiktig og sporbar" in page
    assert "Generation 6 – Gennemsigtig og sporbar" in page
    assert Instrument.objects.filter(slug="digital-maturity").count() == 1  # not yet
    published = publish(staff, text)
    version_2 = Instrument.objects.get(slug="digital-maturity", version=2)
    assert published.url == reverse("staff_instrument", args=[version_2.pk])
    assert version_2.scale_max == 6 and version_2.pk != version_1.pk
    with platform_wide():
        event = AuditEvent.objects.get(kind=EventKind.INSTRUMENT_PUBLISHED)
    assert (event.target_id, event.details["version"], event.network_id) == (version_2.pk, 2, None)
    round_ = Round.objects.for_network(world.network).get(pk=round_.pk)
    assert round_.instrument_id == version_1.pk  # old rounds keep their version
    assert Instrument.objects.get(pk=version_1.pk).scale_max == 5
    assert numbers(round_) == before
    detail = staff.get(published.url).content.decode()
    assert "version 2" in detail and "Gjennomsiktig og sporbar" in detail


def test_a_bad_file_is_refused_with_its_line_and_nothing_is_published(staff):
    text = MINIMAL.replace(
        'name = { nb = "Visjon", da = "Vision", en = "Vision" }',
        'name = { nb = "Visjon", en = "Vision" }',
    )
    page = upload(staff, text).content.decode()
    assert "The file cannot be published." in page
    assert f"Line {line_of(text, 'Visjon')}" in page
    assert "dimensions[vision].name" in page and "&#x27;da&#x27; is missing" in page
    assert publish(staff, text).status_code == 200
    assert not Instrument.objects.filter(slug="example").exists()


def test_a_published_version_with_other_content_is_refused(staff):
    publish(staff, MINIMAL)
    changed = MINIMAL.replace("Kort.", "Lang.")
    assert "is published already" in upload(staff, changed).content.decode()
    page = publish(staff, changed).content.decode()
    assert "higher version number" in page
    assert Instrument.objects.get(slug="example").description["nb"] == "Kort."
    with platform_wide():
        assert AuditEvent.objects.filter(kind=EventKind.INSTRUMENT_PUBLISHED).count() == 1


def test_texts_may_hold_a_language_bro_does_not_offer_yet():
    text = MINIMAL.replace(
        'name = { nb = "Eksempel", da = "Eksempel", en = "Example" }',
        'name = { nb = "Eksempel", da = "Eksempel", en = "Example", nn = "Døme" }',
    )
    assert parse_instrument(text).document["name"]["nn"] == "Døme"


def test_every_language_bro_offers_is_required(settings):
    settings.LANGUAGES = [*settings.LANGUAGES, ("sv", "Swedish")]
    with pytest.raises(InstrumentFileError, match="'sv' is missing"):
        parse_instrument(MINIMAL)
