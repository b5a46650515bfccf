"""Writes for reports: asking for one, making its PDF (from the Celery task), failing, retrying.

Making a report is idempotent: it renders the PDF again from the database and stores it under
the report's one file name, replacing what an interrupted attempt left. So the task may
acknowledge late, and a message redelivered after a worker died just makes the same file.
"""

import random
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from assessments.models import Report, ReportKind, ReportStatus, report_file_name
from assessments.reports import document as reports
from config.tasks import enqueue_on_commit
from tenancy import audit
from tenancy.scoping import in_network_of_row, network_scope, platform_wide

DEFAULTS = {
    # Attempts after the first when making a report raises (storage or database away).
    "REPORT_MAX_RETRIES": 3,
    # The wait before the first retry; it doubles each time, at most REPORT_RETRY_MAX_SECONDS.
    "REPORT_RETRY_BASE_SECONDS": 30,
    "REPORT_RETRY_MAX_SECONDS": 600,
    # A report queued or being made for longer than this may be asked for again, and the
    # dispatcher queues it again by itself (its message was lost).
    "REPORT_STALE_MINUTES": 10,
    # How many times a report may be started before the dispatcher stops queueing it again
    # and marks it failed (a worker that dies on it every time).
    "REPORT_MAX_STARTS": 5,
}


def conf(name):
    return getattr(settings, name, DEFAULTS[name])


def report_language(network, group=None):
    """The group's working language, else the network's default."""
    return (group.language if group is not None and group.language
            else network.default_language)


def is_stale(report, now=None):
    """Queued or being made for so long that the task was probably lost (broker down, a
    worker gone for good): the person may ask for it again."""
    now = now or timezone.now()
    since = report.started_at if report.status == ReportStatus.WORKING else report.queued_at
    return report.in_progress and since < now - timedelta(minutes=conf("REPORT_STALE_MINUTES"))


def _stale_filter(now):
    """is_stale as a query."""
    before = now - timedelta(minutes=conf("REPORT_STALE_MINUTES"))
    return (Q(status=ReportStatus.QUEUED, queued_at__lt=before)
            | Q(status=ReportStatus.WORKING, started_at__lt=before))


def can_retry(report, now=None):
    return report.status == ReportStatus.FAILED or is_stale(report, now)


@transaction.atomic
def request_report(network, person, cohort, group=None):
    """Queue a group report (with `group`) or a network report of the cohort. While one for
    the same group and cohort is still on its way, that one is returned instead of a second."""
    from assessments.reports.tasks import generate_report

    pending = (Report.objects.for_network(network)
               .filter(cohort=cohort, leader_group=group,
                       status__in=[ReportStatus.QUEUED, ReportStatus.WORKING])
               .order_by("-requested_at").first())
    if pending is not None and not is_stale(pending):
        return pending
    report = Report.objects.create(
        network=network, cohort=cohort, leader_group=group, requested_by=person,
        kind=ReportKind.GROUP if group is not None else ReportKind.NETWORK,
        language=report_language(network, group))
    audit.record(audit.EventKind.REPORT_REQUESTED, network=network, actor=person, target=report,
                 target_label=_report_label(report))
    enqueue_on_commit(generate_report, report.pk)
    return report


def _report_label(report):
    return f"{report.get_kind_display()}: {report.leader_group or report.cohort}"


def record_download(report, person):
    """A report's file leaves Bro: who took which one."""
    audit.record(audit.EventKind.REPORT_DOWNLOADED, network=report.network_id, actor=person,
                 target=report, target_label=_report_label(report))


def retry_report(report):
    """Queue a failed (or stale) report again; anything else is left alone."""
    from assessments.reports.tasks import generate_report

    if not can_retry(report):
        return False
    now = timezone.now()
    Report.objects.for_network(report.network).filter(pk=report.pk).update(
        status=ReportStatus.QUEUED, requested_at=now, queued_at=now, started_at=None, error="",
        attempts=0)
    enqueue_on_commit(generate_report, report.pk)
    return True


def requeue_lost_reports(now=None):
    """The dispatcher's part for reports (reminders.services.dispatch, every five minutes):
    a report queued or being made for longer than REPORT_STALE_MINUTES lost its message (Redis
    was down when it was asked for, or a worker died) and is queued again, without anyone
    pressing "Try again". One started REPORT_MAX_STARTS times is failed instead. Only listing
    them reads across networks; each is handled in its own network's scope."""
    from assessments.reports.tasks import generate_report

    now = now or timezone.now()
    with platform_wide():
        lost = list(Report.objects.filter(_stale_filter(now))
                    .values_list("pk", "network_id")[:500])
    requeued = 0
    for report_id, network_id in lost:
        with network_scope(network_id), transaction.atomic():
            stale = Report.objects.filter(_stale_filter(now), pk=report_id)
            if stale.filter(attempts__gte=conf("REPORT_MAX_STARTS")).update(
                    status=ReportStatus.FAILED, finished_at=now,
                    error="Started too often without finishing; not queued again."):
                continue
            if stale.update(status=ReportStatus.QUEUED, queued_at=now):
                enqueue_on_commit(generate_report, report_id)
                requeued += 1
    return requeued


def _claim(report_id):
    """The report, now marked as being made; None when it is gone, ready or failed."""
    with transaction.atomic():
        report = (Report.objects.select_for_update(of=("self",))
                  .select_related("network", "cohort", "leader_group")
                  .filter(pk=report_id).first())
        if report is None or not report.in_progress:
            return None
        report.status = ReportStatus.WORKING
        report.started_at = timezone.now()
        report.attempts += 1
        report.save(update_fields=["status", "started_at", "attempts"])
    return report


@in_network_of_row(Report, missing="skipped")
def generate(report_id):
    """Make the report's PDF and store it under its one name. Returns the status."""
    report = _claim(report_id)
    if report is None:
        return "skipped"
    pdf = reports.render_pdf(report)
    name = report_file_name(report, "")
    storage = report.file.storage
    if storage.exists(name):
        storage.delete(name)
    report.file.save(name, ContentFile(pdf), save=False)
    Report.objects.for_network(report.network).filter(pk=report.pk).update(
        status=ReportStatus.READY, file=report.file.name, finished_at=timezone.now(), error="")
    return ReportStatus.READY


def _describe(error):
    return " ".join(f"{type(error).__name__}: {error}".split())[:2000]


@in_network_of_row(Report)
def record_retry(report_id, error):
    """An attempt failed and another will follow: queued again, with the reason kept."""
    Report.objects.filter(pk=report_id, status=ReportStatus.WORKING).update(
        status=ReportStatus.QUEUED, queued_at=timezone.now(), error=_describe(error))


@in_network_of_row(Report)
def record_failure(report_id, error):
    """The last attempt failed: the person sees it failed and may try again."""
    Report.objects.filter(pk=report_id).exclude(status=ReportStatus.READY).update(
        status=ReportStatus.FAILED, error=_describe(error), finished_at=timezone.now())


def retry_countdown(retries):
    """Seconds before retry number `retries` + 1: doubling, bounded, with some jitter."""
    base = conf("REPORT_RETRY_BASE_SECONDS") * 2 ** retries
    return min(base, conf("REPORT_RETRY_MAX_SECONDS")) * random.uniform(1, 1.25)  # noqa: S311
