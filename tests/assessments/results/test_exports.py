"""Group results as a file (CSV or Excel): the numbers the results page shows and nothing more,
for the same people, and every export recorded in the audit trail."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import Dimension
from tenancy.audit import AuditEvent, EventKind
from tenancy.spreadsheet import XLSX_CONTENT_TYPE
from tenancy.translated import translated
from tests.assessments.results.test_pages import fill_group
from tests.factories import build_round, make_group, make_organisation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_speakers")]

HEADER = ["Selection", "Name", "Dimension", "Today: mean", "Today: spread", "Today: answers",
          "Ambition: mean", "Ambition: spread", "Ambition: answers", "Gap (ambition − today)"]


def export(client, world, round, file_format):
    response = client.get(reverse(f"round_results_{file_format}", kwargs={
        "network_slug": world.network.slug, "round_id": round.pk}))
    assert response.status_code == 200
    if file_format == "xlsx":
        assert response["Content-Type"] == XLSX_CONTENT_TYPE
        sheet = load_workbook(io.BytesIO(response.content)).active
        return [[cell.value for cell in row] for row in sheet]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff")),
                           delimiter=";"))


def vision_rows(rows, round):
    vision = translated(Dimension.objects.get(instrument=round.instrument, code="vision").name)
    return {row[1]: row for row in rows[1:] if row[2] == vision}


@pytest.fixture
def scene(world):
    """A group with k answers and a small group with fewer, in a round still open."""
    round = build_round(world)
    small = make_group(world.network, world.organisation, name="Small group")
    round.cohort.leader_groups.add(small)
    fill_group(round, world.group, 5, {"vision": (2, 4)})
    fill_group(round, small, 2, {"vision": (5, 5)}, start=10)
    return round


def test_the_excel_file_holds_only_released_numbers(client, world, scene):
    client.force_login(world.facilitator)
    page = client.get(reverse("round_results", kwargs={
        "network_slug": world.network.slug, "round_id": scene.pk})).content.decode()
    assert "Download the results (Excel)" in page and "results.xlsx" in page
    rows = export(client, world, scene, "xlsx")
    assert rows[0] == HEADER
    vision = vision_rows(rows, scene)
    assert vision[world.group.name][3:] == [2.0, 0.0, 5, 4.0, 0.0, 5, 2.0]
    # The network is the released block of five, not the mean of all seven answers (2.9).
    assert vision[world.network.name][0] == "Network"
    assert vision[world.network.name][3:] == [2.0, 0.0, 5, 4.0, 0.0, 5, 2.0]
    small = vision["Small group"]
    assert small[3:] == ["not shown", "not shown", None, "not shown", "not shown", None,
                         "not shown"]


def test_the_csv_holds_the_same_numbers_with_the_languages_decimal_mark(client, world, scene):
    client.force_login(world.admin)
    rows = export(client, world, scene, "csv")
    assert rows[0] == HEADER
    vision = vision_rows(rows, scene)
    assert vision[world.group.name][3:] == ["2.0", "0.0", "5", "4.0", "0.0", "5", "2.0"]
    assert vision["Small group"][5] == "" and vision["Small group"][3] == "not shown"


def test_a_coordinator_exports_their_organisations_groups_only(client, world, scene):
    foreign = make_group(world.network, make_organisation(world.network), name="Foreign group")
    scene.cohort.leader_groups.add(foreign)
    fill_group(scene, foreign, 5, {"vision": (4, 4)}, start=20)
    client.force_login(world.coordinator)
    rows = export(client, world, scene, "xlsx")
    names = {row[1] for row in rows[1:]}
    assert {world.group.name, "Small group", world.organisation.name} <= names
    assert "Foreign group" not in names
    assert {row[0] for row in rows[1:]} == {"Network", "Organisation", "Leader group"}


def test_a_group_name_that_looks_like_a_formula_stays_text(client, world, scene):
    world.group.name = "=HYPERLINK(\"http://x\")"
    world.group.save()
    client.force_login(world.facilitator)
    response = client.get(reverse("round_results_xlsx", kwargs={
        "network_slug": world.network.slug, "round_id": scene.pk}))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [row[1] for row in sheet.iter_rows(min_row=2) if row[1].value.startswith("=")]
    assert cells and all(cell.data_type == "s" for cell in cells)
    rows = export(client, world, scene, "csv")
    assert any(row[1] == "'=HYPERLINK(\"http://x\")" for row in rows)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_every_results_export_is_recorded(client, world, scene, file_format):
    client.force_login(world.facilitator)
    rows = export(client, world, scene, file_format)
    [event] = AuditEvent.objects.for_network(world.network).filter(
        kind=EventKind.RESULTS_EXPORTED)
    assert (event.actor_id, event.target_id) == (world.facilitator.pk, scene.pk)
    assert event.details == {"rows": len(rows) - 1, "format": file_format}


def test_a_leader_cannot_export_group_results(client, world, scene):
    client.force_login(world.leader)
    for file_format in ("csv", "xlsx"):
        assert client.get(reverse(f"round_results_{file_format}", kwargs={
            "network_slug": world.network.slug, "round_id": scene.pk})).status_code == 404
