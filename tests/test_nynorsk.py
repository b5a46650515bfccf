"""Nynorsk (nn), the fourth language: a person who chose it reads pages, emails and the PDF
report in Nynorsk, the standard programme and the instruments carry Nynorsk texts, and a text
without Nynorsk (a custom instrument) is shown in Bokmål."""

import io
import re
import tomllib
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from assessments.instruments_io import (
    SHIPPED_DIR,
    SHIPPED_FILES,
    InstrumentVersionConflict,
    import_instrument,
    load_shipped_instruments,
    parse_instrument,
)
from assessments.models import Instrument, Item, Report
from assessments.reports.services import generate, report_language
from programmes.loader import DEFAULT_PATH, ProgrammeFileError, load_programme, read_programme_file
from programmes.models import Module
from reminders import services as reminder_services
from reminders.models import ReminderKind
from tenancy.models import RoleKind
from tenancy.services import create_invitation
from tenancy.translated import translated
from tests.assessments.test_instruments_io import MINIMAL
from tests.factories import build_round, build_submission, make_report_results
from tests.reminders.world import local, make_cohort_world, set_clock

pytestmark = pytest.mark.django_db

LANGUAGES = {"nb", "nn", "da", "en"}


def lang_of(html):
    return re.search(r'<html lang="([a-z]+)">', html).group(1)


@pytest.fixture
def nynorsk_leader(client, world):
    world.leader.language = "nn"
    world.leader.save(update_fields=["language"])
    client.force_login(world.leader)
    return client


def step_url(name, round_, **kwargs):
    return reverse(name, kwargs={"network_slug": round_.network.slug, "round_id": round_.pk,
                                 **kwargs})


# --- pages -----------------------------------------------------------------------------------


def test_whats_next_speaks_nynorsk_to_a_person_who_chose_it(nynorsk_leader, world):
    response = nynorsk_leader.get(reverse("leader_home", args=[world.network.slug]))
    html = response.content.decode()
    assert lang_of(html) == "nn" and response.headers["Content-Language"] == "nn"
    assert "Programmet ditt har ikkje starta enno" in html
    assert "Leiargruppa di er ikkje med i eit forløp enno." in html
    assert ('<button type="submit" name="language" value="nn" lang="nn" aria-current="true">'
            'Norsk nynorsk</button>') in html


def test_the_assessment_part_page_shows_the_shipped_instrument_in_nynorsk(nynorsk_leader, world):
    load_shipped_instruments()
    round_ = build_round(world, instrument=Instrument.objects.get(slug="capabilities"))
    nynorsk_leader.post(step_url("assessment_take", round_))
    html = nynorsk_leader.get(step_url("assessment_take_step", round_, step=1)).content.decode()
    assert lang_of(html) == "nn"
    assert "Vi har eit tydeleg bilete av korleis digital teknologi vil endre tenestene våre" in html
    assert "Heilt einig" in html and "Veit ikkje" in html  # the scale, in the instrument's nn
    assert re.search(r"Del 1 av \d+", html)  # Bro's own words, from the nn catalogue
    assert "Vi har et tydelig bilde" not in html


def test_a_custom_instrument_without_nynorsk_is_shown_in_bokmaal(nynorsk_leader, world):
    instrument = import_instrument(parse_instrument(MINIMAL)).instrument
    round_ = build_round(world, instrument=instrument)
    nynorsk_leader.post(step_url("assessment_take", round_))
    html = nynorsk_leader.get(step_url("assessment_take_step", round_, step=1)).content.decode()
    assert "Vi har en visjon." in html and "We have a vision." not in html
    assert re.search(r"Del 1 av \d+", html)


def test_the_results_page_is_in_nynorsk(nynorsk_leader, world):
    round_ = build_round(world)
    build_submission(round_, person=world.leader, group=world.group,
                     scores={"vision": (2.5, 4.25), "customer": (3, 3), "data": (1, 5)})
    html = nynorsk_leader.get(step_url("assessment_results", round_)).content.decode()
    assert lang_of(html) == "nn"
    assert "Kapabilitetsprofilen din" in html
    assert "Gruppa di: blir ikkje vist: færre enn 5 har svart." in html


@pytest.mark.parametrize(("accept_language", "language"), [
    ("nn-NO,nn;q=0.9,nb;q=0.8", "nn"), ("nb-NO", "nb"), ("no", "nb")])
def test_a_browser_asking_for_nynorsk_gets_it_and_bokmaal_stays_bokmaal(accept_language,
                                                                         language):
    html = Client(headers={"accept-language": accept_language}).get("/").content.decode()
    assert lang_of(html) == language
    assert ("Du deltek etter invitasjon" in html) == (language == "nn")


# --- emails ----------------------------------------------------------------------------------


def test_the_sign_in_code_comes_in_nynorsk(world):
    world.leader.language = "nn"
    world.leader.save(update_fields=["language"])
    Client().post(reverse("account_request_login_code"), {"email": world.leader.email})
    message = mail.outbox[-1]
    assert message.subject == "Bro: Innloggingskoden din"
    assert "Skriv han inn på sida der du bad om han. Han verkar éin gong" in message.body
    assert lang_of(message.alternatives[0][0]) == "nn"


def test_an_invitation_in_nynorsk_makes_a_nynorsk_reader(client, world,
                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _invitation, token = create_invitation(
            world.network, email="ny@test.example", kind=RoleKind.FACILITATOR,
            invited_by=world.admin, language="nn")
    message = mail.outbox[-1]
    assert "Godta invitasjonen her (lenkja verkar éin gong):" in message.body
    assert lang_of(message.alternatives[0][0]) == "nn"
    client.post(reverse("accept_invitation", args=[token]))
    from tenancy.models import Person

    assert Person.objects.get(email="ny@test.example").language == "nn"


def test_a_reminder_comes_in_nynorsk(world, django_capture_on_commit_callbacks, monkeypatch):
    cohort_world = make_cohort_world(world)
    world.leader.language = "nn"
    world.leader.save(update_fields=["language"])
    set_clock(monkeypatch, local(2026, 5, 17, 9))  # the pre-work is due before the gathering
    with django_capture_on_commit_callbacks(execute=True):
        reminder_services.dispatch()
    message = next(m for m in mail.outbox if m.to == [world.leader.email]
                   and m.extra_headers["X-Bro-Reminder"] == ReminderKind.PREWORK_DUE)
    assert message.extra_headers["Content-Language"] == "nn"
    assert "Du har enno ikkje fullført alle aktivitetane i førearbeidet" in message.body
    assert "20. mai 2026" in message.body
    # The factory's module has no nn title: the Bokmål one stands in.
    assert translated(cohort_world.cohort_module.module.title, "nb") in message.body
    assert lang_of(message.alternatives[0][0]) == "nn"


def test_the_personal_data_download_reads_in_nynorsk(nynorsk_leader, world,
                                                     django_capture_on_commit_callbacks):
    import zipfile

    from gdpr.models import DataExport

    with django_capture_on_commit_callbacks(execute=True):
        nynorsk_leader.post(reverse("request_my_data"))
    data_export = DataExport.objects.get(person=world.leader)
    assert data_export.language == "nn"
    response = nynorsk_leader.get(reverse("download_my_data", args=[data_export.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    html = archive.read("bro-data.html").decode()
    assert lang_of(html) == "nn" and "Opplysningane dine i Bro" in html


# --- the PDF report --------------------------------------------------------------------------


def test_a_nynorsk_groups_report_is_a_nynorsk_pdf(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    results = make_report_results(world)
    world.group.language = "nn"
    world.group.save(update_fields=["language"])
    report = Report.objects.create(
        network=world.network, cohort=results.round.cohort, leader_group=world.group,
        kind="group", language=report_language(world.network, world.group))
    assert report.language == "nn"
    generate(report.pk)
    report.refresh_from_db()
    with report.file.open("rb") as stored:
        reader = PdfReader(io.BytesIO(stored.read()))
    assert reader.trailer["/Root"]["/Lang"] == "nn"
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Ambisjonar og tiltak" in text and "Innhald" in text
    assert "Ambisjoner og tiltak" not in text


# --- content ---------------------------------------------------------------------------------


def text_tables(value, path=""):
    """Every {nb, da, en, …} table of a loaded TOML file, with where it is."""
    if isinstance(value, dict):
        if value and set(value) <= LANGUAGES and "nb" in value:
            yield path, value
        for key, item in value.items():
            yield from text_tables(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from text_tables(item, f"{path}[{index}]")


@pytest.mark.parametrize("path", [DEFAULT_PATH, *(SHIPPED_DIR / name for name in SHIPPED_FILES)],
                         ids=lambda path: Path(path).name)
def test_every_shipped_text_has_nynorsk(path):
    tables = list(text_tables(tomllib.loads(Path(path).read_text("utf-8"))))
    assert tables
    for where, table in tables:
        assert set(table) == LANGUAGES, where
        if isinstance(table["nb"], list):
            assert len(table["nn"]) == len(table["nb"]), where
    # A few short texts read the same in both (“Strategi”); the rest is written in Nynorsk.
    same = [where for where, table in tables if table["nn"] == table["nb"]]
    assert len(same) < len(tables) / 5, same


def test_the_standard_programme_loads_its_nynorsk(client):
    load_programme()
    module = Module.objects.get(slug="leadership")
    assert module.title["nn"] == "Leiing"
    assert "toppleiargruppa" in module.introduction["nn"]


def test_a_programme_file_without_nynorsk_loads_and_an_empty_nynorsk_is_refused(tmp_path):
    text = DEFAULT_PATH.read_text("utf-8")
    without = tmp_path / "without.toml"
    without.write_text(re.sub(r'^nn = (""".*?"""|\[.*?\]|".*?")\n', "", text,
                              flags=re.S | re.M), "utf-8")
    spec = read_programme_file(without)
    assert "nn" not in spec["name"] and spec["name"]["nb"]
    empty = tmp_path / "empty.toml"
    empty.write_text(text.replace('nn = "Kompetanseløft i digital transformasjon"', 'nn = ""'),
                     "utf-8")
    with pytest.raises(ProgrammeFileError, match=r"name\.nn: missing text"):
        read_programme_file(empty)


NN_NAME = 'name = { nb = "Eksempel", nn = "Døme", da = "Eksempel", en = "Example" }'


def test_a_loaded_version_takes_a_new_nynorsk_text_and_keeps_every_other(db):
    instrument = import_instrument(parse_instrument(MINIMAL)).instrument
    item_text = ('text = { nb = "Vi har en visjon.", da = "Vi har en vision.", '
                 'en = "We have a vision." }')
    with_nn = MINIMAL.replace(
        'name = { nb = "Eksempel", da = "Eksempel", en = "Example" }', NN_NAME).replace(
        item_text, item_text.replace('nb = "Vi har en visjon.",',
                                     'nb = "Vi har en visjon.", nn = "Vi har ein visjon.",'))
    result = import_instrument(parse_instrument(with_nn))
    assert not result.created and result.instrument.pk == instrument.pk
    instrument.refresh_from_db()
    assert instrument.name == {"nb": "Eksempel", "nn": "Døme", "da": "Eksempel", "en": "Example"}
    item = Item.objects.get(dimension__instrument=instrument, code="vis-1")
    assert item.text["nn"] == "Vi har ein visjon." and item.text["nb"] == "Vi har en visjon."
    assert instrument.source == with_nn

    more = with_nn.replace('description = { nb = "Kort.",',
                           'description = { nb = "Kort.", nn = "Kort.",')
    assert not import_instrument(parse_instrument(more)).created
    instrument.refresh_from_db()
    assert instrument.description["nn"] == "Kort." and instrument.name["nn"] == "Døme"

    reworded = more.replace('nb = "Vi har en visjon."', 'nb = "Vi har en ny visjon."')
    renamed = more.replace('nn = "Døme"', 'nn = "Eit døme"')
    for changed in (reworded, renamed):
        with pytest.raises(InstrumentVersionConflict):
            import_instrument(parse_instrument(changed))


def test_shipped_instruments_loaded_before_nynorsk_get_it_when_loaded_again(db):
    for name in SHIPPED_FILES:
        text = (SHIPPED_DIR / name).read_text("utf-8")
        import_instrument(parse_instrument(re.sub(r'^nn = ".*"\n', "", text, flags=re.M)))
    assert "nn" not in Instrument.objects.get(slug="digital-maturity").name
    assert not any(result.created for result in load_shipped_instruments())
    instrument = Instrument.objects.get(slug="digital-maturity")
    assert instrument.name["nn"] == "Digital modning i fem generasjonar"
    assert Instrument.objects.count() == len(SHIPPED_FILES)
