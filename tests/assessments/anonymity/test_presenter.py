"""One wording for aggregate values (assessments/anonymity/presenter.py): the results page and
the PDF report write hidden values, counts, spreads and group labels the same way."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from assessments.anonymity import presenter
from assessments.anonymity.aggregation import CellStats, Suppressed, round_results
from assessments.models import Report, ReportKind, ReportStatus
from assessments.reports.document import report_data
from assessments.reports.services import generate
from assessments.templatetags import results_format
from tests.factories import make_group, make_organisation, make_report_results

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def results(world, english_speakers):
    """make_report_results, plus a second "Smågruppen" in another organisation (so labels
    need the organisation) that nobody answered for."""
    results = make_report_results(world)
    namesake = make_group(world.network, make_organisation(world.network, "Arendal kommune"),
                          name="Smågruppen")
    results.round.cohort.leader_groups.add(namesake)
    return results


def network_report(results):
    return Report.objects.create(
        network=results.round.network, cohort=results.round.cohort, kind=ReportKind.NETWORK,
        language="en")


def web_page(client, world, results, query=""):
    client.force_login(world.facilitator)
    return client.get(reverse("round_results", kwargs={
        "network_slug": world.network.slug, "round_id": results.round.pk}) + query)


def test_the_page_and_the_report_write_every_comparison_row_alike(client, world, results):
    web = {}
    for position in (1, 2, 3):  # the page compares the groups one dimension at a time
        sections = web_page(client, world, results, f"?d={position}").context["sections"]
        [section] = [section for section in sections if section["comparison"]]
        web[position - 1] = dict(section["comparison"].rows)
    with translation.override("en"):
        matrix = report_data(network_report(results)).rounds[0].matrix
    pdf = dict(matrix.rows)
    for index, rows in web.items():
        # label -> [today, ambition, gap, answers]: the same selections in the same words, the
        # report's cell "today → ambition"; a row with nothing to show gives the reason instead
        assert rows.keys() == pdf.keys()
        for label, cells in rows.items():
            if pdf[label] is None:
                assert cells == ["not shown", "not shown", "–", ""]
            elif cells[:2] == ["not shown", "not shown"]:
                assert pdf[label][index] == "not shown"
            else:
                assert pdf[label][index] == f"{cells[0]} → {cells[1]}"
    assert matrix.hidden == "not shown: fewer than 5 answered"
    labels = set(web[0])
    assert {"Ledergruppe Helse", f"{world.organisation.name}: Smågruppen",
            "Arendal kommune: Smågruppen"} <= labels
    hidden = web[0][f"{world.organisation.name}: Smågruppen"]
    assert hidden == ["not shown", "not shown", "–", ""]  # no number, no count


def test_the_page_and_the_pdf_round_spreads_and_word_the_reason_alike(client, world, results):
    page = web_page(client, world, results).content.decode()
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(
        made(network_report(results)))).pages)
    with translation.override("en"):
        reason = presenter.hidden_reason(5)
        spreads = [presenter.format_spread(row.today)
                   for row in round_results(results.round).network.dimensions]
    assert reason == "not shown: fewer than 5 answered"
    assert reason in page and f"Smågruppen {reason}" in text
    for spread in spreads:
        assert f"<strong>{spread}</strong>" in page
    # the network table's rows end in the spread: "Vision 2.9 4.4 +1.5 0.7"
    for row, spread in zip(round_results(results.round).network.dimensions, spreads,
                           strict=True):
        with translation.override("en"):
            today = presenter.format_value(row.today)
        assert f"{today} " in text and f" {spread} " in f" {text} "
    assert "Arendal kommune: Smågruppen" in text


def made(report):
    assert generate(report.pk) == ReportStatus.READY
    report.refresh_from_db()
    with report.file.open("rb") as stored:
        return stored.read()


def test_values_read_one_way():
    shown = CellStats(respondents=7, mean=2.75, spread=0.25, distribution=())
    hidden = Suppressed(Suppressed.TOO_FEW)
    with translation.override("en"):
        assert presenter.format_value(shown) == "2.8"  # half up
        assert presenter.format_spread(shown) == "0.3"
        assert presenter.format_count(shown) == "7"
        assert presenter.format_value(hidden) == str(hidden) == "not shown"
        assert presenter.format_spread(hidden) == "not shown"
        assert presenter.format_count(hidden) == ""
        assert presenter.format_gap(hidden) == presenter.format_value(None) == "–"
        assert presenter.hidden_note("Smågruppen", 5) == (
            "Smågruppen: not shown: fewer than 5 answered.")
    with translation.override("nb"):
        assert presenter.format_spread(shown) == "0,3"


def test_the_generation_filter_reads_the_one_generation_rule():
    with translation.override("en"):
        assert results_format.generation(2.75) == "generation 2"
        assert results_format.generation(
            CellStats(respondents=5, mean=3.999, spread=0, distribution=())) == "generation 3"
        assert results_format.generation(Suppressed(Suppressed.TOO_FEW)) == "–"
        assert results_format.generation(None) == "–"
