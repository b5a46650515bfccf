"""The report PDF: the group's numbers exactly as assessments.anonymity.aggregation gives them,
small groups suppressed exactly as on the web, the group's language, and nothing fetched from
outside."""

import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext
from PIL import Image
from pypdf import PdfReader

from assessments.anonymity import presenter
from assessments.anonymity.aggregation import round_results
from assessments.models import Dimension, Report, ReportStatus
from assessments.reports.services import generate
from tests.factories import make_initiative, make_report_results

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


# The means the small group would have (tests/factories.py REPORT_SCORES).
SMALL_MEANS = ("1.7", "4.7", "2.3", "4.2", "3.7", "4.9")


def pdf_text(pdf):
    """The text of every page, with runs of white space made one space."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def pdf_images(pdf):
    return sum(len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages)


def make_report(results, group=None, kind="group", language="en"):
    return Report.objects.create(
        network=results.round.network, cohort=results.round.cohort, leader_group=group,
        kind=kind, language=language)


def made(report):
    """The report made by the service the task calls; its PDF bytes."""
    assert generate(report.pk) == ReportStatus.READY
    report.refresh_from_db()
    with report.file.open("rb") as stored:
        return stored.read()


def png_bytes(colour="red"):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), colour).save(buffer, "PNG")
    return buffer.getvalue()


def formatted(cell, language):
    with translation.override(language):
        return presenter.number_format(cell.mean, 1)


def test_a_group_report_holds_the_group_and_network_numbers_of_the_aggregation(world):
    results = make_report_results(world)
    make_initiative(world, title="Technology radar")
    text = pdf_text(made(make_report(results, world.group)))

    aggregation = round_results(results.round)
    group, network = aggregation.group(world.group.pk), aggregation.network
    assert f"Report for {world.group.name}" in text
    assert world.network.name in text and results.round.cohort.name in text
    for row in [*group.dimensions, *network.dimensions]:
        for cell in (row.today, row.ambition):
            assert cell.shown
            assert formatted(cell, "en") in text, (row.dimension.code, cell.mean)
    # vision: 2.6 -> 4.4 for the group, a gap of +1.8; 3.1 -> 4.5 for the network (+1.4)
    assert "2.6 4.4 +1.8 3.1 4.5 +1.4" in text
    assert "Talk about vision" in text  # the dimension's discussion prompt
    assert "Technology radar" in text  # the group's initiative
    assert "Page 1 of" in text


def test_a_group_below_k_shows_the_message_and_no_number_in_the_pdf_as_on_the_web(
        client, world):
    results = make_report_results(world)
    aggregation = round_results(results.round)
    assert not aggregation.group(results.small.pk).shown

    results.small_leader.language = "en"
    results.small_leader.save(update_fields=["language"])
    client.force_login(results.small_leader)
    page = client.get(reverse("assessment_results", kwargs={
        "network_slug": world.network.slug, "round_id": results.round.pk})).content.decode()
    assert "Your group: not shown: fewer than 5 answered." in page

    text = pdf_text(made(make_report(results, results.small)))
    assert "Smågruppen: not shown: fewer than 5 answered." in text
    # The small group's own means appear nowhere; the network's do (a leader may see them).
    for small_mean in SMALL_MEANS:
        assert small_mean not in text
    assert "3.1 4.5 +1.4" in text


def test_the_network_report_shows_every_group_and_suppresses_the_small_one(world):
    results = make_report_results(world)
    text = pdf_text(made(make_report(results, kind="network")))

    aggregation = round_results(results.round)
    assert f"Network report for {results.round.cohort.name}" in text
    for group in (world.group, results.other, results.small):
        assert group.name in text
    for group in (world.group, results.other):
        for row in aggregation.group(group.pk).dimensions:
            assert formatted(row.today, "en") in text
    # The groups × dimensions table: a group's row starts with its first dimension's cell.
    first = aggregation.group(world.group.pk).dimensions[0]
    assert "Every leader group, dimension by dimension: today → ambition" in text
    assert (f"{world.group.name} {formatted(first.today, 'en')} → "
            f"{formatted(first.ambition, 'en')}") in text
    # The overview row of the small group has no count and no number; its row of the groups ×
    # dimensions table says why, once for all 3 dimensions.
    assert "Smågruppen not shown not shown –" in text
    assert text.count("Smågruppen not shown: fewer than 5 answered") == 1
    for small_mean in SMALL_MEANS:
        assert small_mean not in text


def test_the_pdf_is_in_the_group_language_else_the_network_default(world):
    results = make_report_results(world)
    for dimension in Dimension.objects.filter(instrument=results.round.instrument):
        dimension.name = {code: f"{dimension.code}-{code}" for code in ("nb", "da", "en")}
        dimension.save(update_fields=["name"])
    world.group.language = "da"
    world.group.save(update_fields=["language"])
    from assessments.reports.services import report_language

    danish = make_report(results, world.group, language=report_language(world.network,
                                                                         world.group))
    norwegian = make_report(results, results.other,
                            language=report_language(world.network, results.other))
    assert (danish.language, norwegian.language) == ("da", "nb")

    for report, language in ((danish, "da"), (norwegian, "nb")):
        pdf = made(report)
        text = pdf_text(pdf)
        assert PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"] == language
        assert f"vision-{language}" in text and "vision-en" not in text
        with translation.override(language):
            pages = len(PdfReader(io.BytesIO(pdf)).pages)
            assert gettext("Page %(page)s of %(pages)s") % {"page": 1, "pages": pages} in text
            assert formats.date_format(timezone.localdate(), "DATE_FORMAT") in text
    assert "2,6" in pdf_text(made(make_report(results, world.group, language="da")))


def test_the_network_logo_comes_from_storage_and_appears_in_the_pdf(world):
    results = make_report_results(world)
    world.network.logo.save("logo.png", ContentFile(png_bytes()), save=True)
    report = make_report(results, world.group)
    assert pdf_images(made(report)) >= 1


class Recorder(BaseHTTPRequestHandler):
    """A web server that notes every request it gets."""

    requests = []

    def do_GET(self):  # noqa: N802 (the standard library's name)
        Recorder.requests.append(self.path)
        body = png_bytes("blue")
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def web_server():
    Recorder.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_report_fetches_no_url_only_data_uris_and_its_own_stored_files(web_server,
                                                                         tmp_path):
    import base64

    from weasyprint import HTML

    from assessments.reports.document import storage_url
    from assessments.reports.pdf import html_to_pdf

    secret = tmp_path / "secret.png"
    secret.write_bytes(png_bytes("green"))
    inline = "data:image/png;base64," + base64.b64encode(png_bytes()).decode()
    outside = f"""<html><head>
      <link rel="stylesheet" href="{web_server}/style.css">
      <style>@import url("{web_server}/import.css");
             body {{ background: url("{web_server}/background.png"); }}</style></head>
      <body><p>Hello</p><img src="{web_server}/image.png"><img src="file://{secret}">
      <img src="{storage_url("secret.png")}"><svg xmlns="http://www.w3.org/2000/svg"
      xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">
      <image href="{web_server}/svg.png" width="10" height="10"/></svg></body></html>"""

    pdf = html_to_pdf(outside)
    assert Recorder.requests == []
    assert pdf_images(pdf) == 0  # not the web's image, not the file, not an unnamed stored one
    assert "Hello" in pdf_text(pdf)

    assert pdf_images(html_to_pdf(f'<img src="{inline}">')) == 1
    assert pdf_images(html_to_pdf(f'<img src="{storage_url("secret.png")}">',
                                  storage_names=["secret.png"])) == 1

    HTML(string=outside).write_pdf()  # WeasyPrint's own fetcher would have asked the server
    assert "/image.png" in Recorder.requests


def test_the_change_since_the_cohorts_earlier_round_is_the_aggregations_difference(world):
    from datetime import timedelta

    from assessments.anonymity.aggregation import compare
    from tests.factories import build_round, build_submission

    now = timezone.now()
    earlier = build_round(world, name="Before", opens_at=now - timedelta(days=10),
                          closes_at=now - timedelta(days=5))
    for minute in range(5):
        build_submission(earlier, group=world.group,
                         submitted_at=now - timedelta(days=8, minutes=-minute),
                         scores={"vision": (2, 4), "customer": (3, 4), "data": (1, 3)})
    results = make_report_results(world)
    assert results.round.cohort == earlier.cohort
    text = pdf_text(made(make_report(results, world.group)))

    later_results, earlier_results = round_results(results.round), round_results(earlier)
    group_change = compare(earlier_results.group(world.group.pk),
                           later_results.group(world.group.pk))
    network_change = compare(earlier_results.network, later_results.network)
    assert "Change since “Before”" in text
    for code in ("vision", "customer", "data"):
        cells = [presenter.format_gap(value) for change in (group_change, network_change)
                 for value in (change[code].today, change[code].ambition)]
        assert f"{code} {' '.join(cells)}" in text
    assert "vision +0.6 +0.4" in text  # 2.0 → 2.6 today, 4.0 → 4.4 ambition


def test_a_competence_wheel_round_is_drawn_as_a_wheel(world):
    from tests.factories import build_instrument, build_round, build_submission

    wheel = build_instrument(slug="test-wheel", kind="wheel",
                             areas=(("information", ("info-k", "info-s", "info-a")),))
    round_ = build_round(world, instrument=wheel)
    for _ in range(5):
        build_submission(round_, group=world.group,
                         scores={"info-k": (2, 4), "info-s": (3, 4), "info-a": (4, 5)})
    report = Report.objects.create(network=world.network, cohort=round_.cohort,
                                   leader_group=world.group, kind="group", language="en")
    text = pdf_text(made(report))
    assert "Competence wheel" in text
    assert "info-k 2.0 4.0 +2.0" in text


def structure_tags(node, found=None):
    """Every structure element's type (H1, Table, TH, ...) in a PDF's tag tree."""
    found = set() if found is None else found
    kids = node.get("/K", [])
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(kid, dict) and "/S" in kid:
            found.add(str(kid["/S"]).lstrip("/"))
            structure_tags(kid, found)
    return found


def test_the_report_is_a_tagged_pdf_with_language_title_headings_and_table_structure(world):
    results = make_report_results(world)
    reader = PdfReader(io.BytesIO(made(make_report(results, world.group, language="nb"))))
    catalog = reader.trailer["/Root"]

    assert catalog["/Lang"] == "nb"
    assert catalog["/MarkInfo"]["/Marked"]
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"]  # the title, not the file name
    assert reader.metadata.title == f"Rapport for {world.group.name} · {world.network.name}"
    tags = structure_tags(catalog["/StructTreeRoot"])
    assert {"H1", "H2", "Table", "Caption", "THead", "TR", "TH", "TD", "L", "LI"} <= tags
