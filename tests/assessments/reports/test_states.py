"""A report's life: queued, being made, ready (or failed, and tried again), shown while it is
made (htmx every 2 s, a refresh link without JavaScript), made again idempotently."""

import os
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Report, ReportStatus
from assessments.reports import document as reports
from assessments.reports import services as report_services
from assessments.reports.services import generate, request_report, retry_countdown
from assessments.reports.tasks import generate_report
from tests.factories import build_submission, make_group, make_report_results

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def results(world):
    world.leader.language = "en"
    world.leader.save(update_fields=["language"])
    return make_report_results(world)


def detail(client, world, report, **headers):
    return client.get(reverse("report_detail", kwargs={
        "network_slug": world.network.slug, "report_id": report.pk}), headers=headers)


def ask(world, results, capture, person=None):
    with capture(execute=True):
        report = request_report(world.network, person or world.leader, results.round.cohort,
                                world.group)
    report.refresh_from_db()
    return report


def test_a_report_is_queued_then_made_after_commit(world, results,
                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = request_report(world.network, world.leader, results.round.cohort, world.group)
    assert report.status == ReportStatus.QUEUED and not report.file
    assert len(callbacks) == 1  # published only once the transaction commits
    callbacks[0]()
    report.refresh_from_db()
    assert report.status == ReportStatus.READY
    assert (report.attempts, report.error) == (1, "")
    assert report.started_at <= report.finished_at
    assert report.file.name.startswith(f"reports/{world.network.pk}/report-{report.pk}-")
    assert report.file.storage.exists(report.file.name)


def test_the_page_polls_while_the_report_is_on_its_way_and_offers_the_download_when_ready(
        client, world, results, django_capture_on_commit_callbacks):
    client.force_login(world.leader)
    report = Report.objects.create(network=world.network, cohort=results.round.cohort,
                                   leader_group=world.group, kind="group", language="en")
    page = detail(client, world, report).content.decode()
    assert 'hx-trigger="every 2s"' in page and 'role="status"' in page
    assert ">Refresh</a>" in page  # without JavaScript
    assert "Download the PDF" not in page and "Try again" not in page

    partial = detail(client, world, report, HX_Request="true").content.decode()
    assert "<html" not in partial and 'id="report-status"' in partial
    assert 'hx-trigger="every 2s"' in partial

    Report.objects.for_network(world.network).filter(pk=report.pk).update(
        status=ReportStatus.WORKING, started_at=timezone.now())
    assert "being made" in detail(client, world, report, HX_Request="true").content.decode()

    Report.objects.for_network(world.network).filter(pk=report.pk).update(
        status=ReportStatus.QUEUED)
    generate(report.pk)
    ready = detail(client, world, report, HX_Request="true").content.decode()
    assert "hx-trigger" not in ready  # the poll stops
    assert "Download the PDF" in ready and "Refresh" not in ready
    assert reverse("report_download", kwargs={"network_slug": world.network.slug,
                                              "report_id": report.pk}) in ready


def test_a_failing_report_is_retried_with_backoff_then_failed_and_can_be_tried_again(
        client, world, results, monkeypatch, django_capture_on_commit_callbacks, caplog):
    def broken(report, now=None):
        raise RuntimeError("the storage is away")

    monkeypatch.setattr(reports, "render_pdf", broken)
    report = ask(world, results, django_capture_on_commit_callbacks)
    assert report.status == ReportStatus.FAILED
    assert report.attempts == 1 + report_services.conf("REPORT_MAX_RETRIES")
    assert report.error == "RuntimeError: the storage is away"
    assert not report.file
    assert "failed after 4 attempts" in caplog.text

    client.force_login(world.leader)
    page = detail(client, world, report).content.decode()
    assert "The report could not be made" in page and "Try again" in page
    assert "hx-trigger" not in page
    assert "the storage is away" not in page  # the cause is for staff, not for leaders

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("report_retry", kwargs={
            "network_slug": world.network.slug, "report_id": report.pk}))
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.error) == (ReportStatus.READY, "")
    assert "Download the PDF" in detail(client, world, report).content.decode()


def test_a_report_that_fails_once_is_made_on_the_retry(world, results, monkeypatch,
                                                       django_capture_on_commit_callbacks):
    real = reports.render_pdf
    calls = []

    def flaky(report, now=None):
        calls.append(report.status)
        if len(calls) == 1:
            raise OSError("connection reset")
        return real(report, now)

    monkeypatch.setattr(reports, "render_pdf", flaky)
    report = ask(world, results, django_capture_on_commit_callbacks)
    assert (report.status, report.attempts) == (ReportStatus.READY, 2)
    assert calls == [ReportStatus.WORKING, ReportStatus.WORKING]


def test_the_backoff_doubles_and_is_bounded(settings):
    settings.REPORT_RETRY_BASE_SECONDS = 30
    settings.REPORT_RETRY_MAX_SECONDS = 600
    for retries, low in ((0, 30), (1, 60), (2, 120), (3, 240), (4, 480), (5, 600), (12, 600)):
        assert low <= retry_countdown(retries) <= low * 1.25
    assert generate_report.acks_late and generate_report.reject_on_worker_lost


def test_making_a_report_again_replaces_its_one_file(world, results,
                                                     django_capture_on_commit_callbacks):
    report = ask(world, results, django_capture_on_commit_callbacks)
    first_name = report.file.name
    folder = report.file.storage.path(first_name).rsplit("/", 1)[0]
    # A message redelivered after the report was made does nothing.
    assert generate(report.pk) == "skipped"
    # A worker that died mid-way leaves the row "working": the redelivered message makes it.
    Report.objects.for_network(world.network).filter(pk=report.pk).update(
        status=ReportStatus.WORKING)
    assert generate(report.pk) == ReportStatus.READY
    report.refresh_from_db()
    assert report.file.name == first_name
    assert os.listdir(folder) == [first_name.rsplit("/", 1)[1]]


def test_asking_twice_while_it_is_made_gives_the_same_report_unless_it_is_stuck(
        client, world, results, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        first = request_report(world.network, world.leader, results.round.cohort, world.group)
        second = request_report(world.network, world.admin, results.round.cohort, world.group)
    assert first.pk == second.pk
    assert not report_services.can_retry(first)

    long_ago = timezone.now() - timedelta(minutes=11)
    Report.objects.for_network(world.network).filter(pk=first.pk).update(queued_at=long_ago)
    first.refresh_from_db()
    assert report_services.is_stale(first) and report_services.can_retry(first)
    client.force_login(world.leader)
    page = detail(client, world, first).content.decode()
    assert "taking longer than it should" in page and "Try again" in page
    assert "in the queue again by itself" in page
    assert "This page updates by itself" not in page
    with django_capture_on_commit_callbacks(execute=False):
        third = request_report(world.network, world.leader, results.round.cohort, world.group)
    assert third.pk != first.pk


def test_a_report_asked_for_while_redis_is_down_is_made_once_it_is_back(
        client, world, results, redis_down, django_capture_on_commit_callbacks):
    from config.celery_app import app
    from reminders import services as dispatcher

    client.force_login(world.leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("group_reports", kwargs={"network_slug": world.network.slug,
                                             "group_id": world.group.pk}),
            {"cohort": results.round.cohort.pk}, follow=True)
    assert response.status_code == 200
    assert "waiting to be made" in response.content.decode()
    report = Report.objects.for_network(world.network).get()
    assert report.status == ReportStatus.QUEUED and report.attempts == 0

    app.conf.task_always_eager, app.conf.broker_url = True, "memory://"  # Redis is back
    with django_capture_on_commit_callbacks(execute=True):
        dispatcher.dispatch(now=timezone.now() + timedelta(minutes=4))
    report.refresh_from_db()
    assert report.status == ReportStatus.QUEUED  # not yet: its message may still be on its way
    with django_capture_on_commit_callbacks(execute=True):
        summary = dispatcher.dispatch(now=timezone.now() + timedelta(minutes=11))
    assert summary["reports"] == 1
    report.refresh_from_db()
    assert report.status == ReportStatus.READY and report.file  # nobody pressed "Try again"
    assert "Download the PDF" in detail(client, world, report).content.decode()


def test_a_report_a_worker_dies_on_is_queued_again_then_given_up(
        world, results, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        report = request_report(world.network, world.leader, results.round.cohort, world.group)
    later = timezone.now() + timedelta(minutes=11)
    reports_of_network = Report.objects.for_network(world.network).filter(pk=report.pk)
    reports_of_network.update(status=ReportStatus.WORKING, started_at=timezone.now(), attempts=1)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert report_services.requeue_lost_reports(later) == 1
    assert len(queued) == 1
    report.refresh_from_db()
    assert (report.status, report.queued_at) == (ReportStatus.QUEUED, later)

    reports_of_network.update(status=ReportStatus.WORKING, started_at=timezone.now(),
                              attempts=report_services.conf("REPORT_MAX_STARTS"))
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert report_services.requeue_lost_reports(later) == 0
    assert not queued
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and report_services.can_retry(report)


def count_queries(function):
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured.captured_queries)


def test_the_reports_page_of_a_group_reads_a_fixed_number_of_queries(
        client, world, results, django_assert_num_queries):
    client.force_login(world.admin)
    page = reverse("group_reports", kwargs={"network_slug": world.network.slug,
                                            "group_id": world.group.pk})

    def add_reports(count):
        Report.objects.bulk_create(
            Report(network=world.network, cohort=results.round.cohort, leader_group=world.group,
                   kind="group", language="nb", requested_by=world.leader)
            for _ in range(count))

    add_reports(3)
    client.get(page)
    queries = count_queries(lambda: client.get(page))
    add_reports(6)
    with django_assert_num_queries(queries):
        client.get(page)


def test_building_a_network_report_reads_a_fixed_number_of_queries(
        world, results, django_assert_num_queries):
    report = Report.objects.create(network=world.network, cohort=results.round.cohort,
                                   kind="network", language="en")

    def add_groups(count):
        for _ in range(count):
            group = make_group(world.network, world.organisation)
            results.round.cohort.leader_groups.add(group)
            for _person in range(5):
                build_submission(results.round, group=group,
                                 scores={"vision": (3, 4), "customer": (2, 4), "data": (3, 3)})

    add_groups(3)
    reports.report_html(report)  # the instrument's dimensions are read once per process
    queries = count_queries(lambda: reports.report_html(report))
    add_groups(6)
    with django_assert_num_queries(queries):
        html = reports.report_html(report)
    assert html.count("Ledergruppe") >= 9
