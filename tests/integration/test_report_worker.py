"""A report end to end with a real Celery worker, Redis and PostgreSQL: asked for on the page,
made by the worker, followed on the status page, downloaded as a PDF with the group's numbers."""

import io
import os

import pytest
from django.urls import reverse
from pypdf import PdfReader

from assessments.anonymity.aggregation import round_results
from assessments.models import Report, ReportStatus
from assessments.reports.tasks import generate_report
from tests.factories import make_report_results, make_world
from tests.integration.conftest import wait_until

pytestmark = [pytest.mark.celery]


def status_of(report):
    def check():
        report.refresh_from_db()
        return report.status == ReportStatus.READY
    check.__doc__ = f"report {report.pk} ready"
    return check


def finished(process, times):
    def check():
        return sum("assessments.tasks.generate_report[" in line and "succeeded" in line
                   for line in process.log.read_text().splitlines()) >= times
    check.__doc__ = f"generate_report ran {times} times"
    return check


def test_a_worker_makes_the_report_the_page_shows_it_and_the_leader_downloads_it(
        workers, client):
    world = make_world()
    world.leader.language = "en"
    world.leader.save(update_fields=["language"])
    world.group.language = "en"
    world.group.save(update_fields=["language"])
    results = make_report_results(world)
    worker = workers.start("reports")
    client.force_login(world.leader)
    slug = world.network.slug

    response = client.post(reverse("group_reports", kwargs={
        "network_slug": slug, "group_id": world.group.pk}), {"cohort": results.round.cohort.pk})
    report = Report.objects.for_network(world.network).get()
    assert response["Location"] == reverse("report_detail", kwargs={
        "network_slug": slug, "report_id": report.pk})
    wait_until(status_of(report), timeout=60)
    try:
        status = client.get(response["Location"], headers={"HX-Request": "true"})
        assert "Download the PDF" in status.content.decode()
        assert "hx-trigger" not in status.content.decode()

        download = client.get(reverse("report_download", kwargs={
            "network_slug": slug, "report_id": report.pk}))
        assert download["Content-Disposition"].startswith("attachment;")
        pdf = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
        text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
        assert f"Report for {world.group.name}" in text
        vision = round_results(results.round).group(world.group.pk).by_code()["vision"]
        assert f"{vision.today.mean:.1f} {vision.ambition.mean:.1f}" in text  # 2.6 4.4
        assert "Smågruppen" not in text  # another group's report is not in this one

        # A second message for the same report (a redelivery) leaves it as it is.
        name = report.file.name
        generate_report.delay(report.pk)
        wait_until(finished(worker, 2))
        report.refresh_from_db()
        assert (report.status, report.file.name, report.attempts) == (
            ReportStatus.READY, name, 1)
        folder, file_name = os.path.split(report.file.path)
        assert [other for other in os.listdir(folder)
                if other.startswith(f"report-{report.pk}-")] == [file_name]
    finally:
        report.file.delete(save=False)
