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
from django.utils import timezone

from assessments.models import Report, ReportKind, ReportStatus, report_file_name
from assessments.reports import document as reports
from config.tasks import enqueue_on_commit
from tenancy import audit
from tenancy.scoping import in_network_of_row

DEFAULTS = {
    # Attempts after the first when making a report raises (storage or database away).
    "REPORT_MAX_RETRIES": 3,
    # The wait before the first retry; it doubles each time, at most REPORT_RETRY_MAX_SECONDS.
    "REPORT_RETRY_BASE_SECONDS": 30,
    "REPORT_RETRY_MAX_SECONDS": 600,
    # A report queued or being made for longer than this may be asked for again.
    "REPORT_STALE_MINUTES": 10,
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
    since = report.started_at if report.status == ReportStatus.WORKING else report.requested_at
    return report.in_progress and since < now - timedelta(minutes=conf("REPORT_STALE_MINUTES"))


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
    Report.objects.for_network(report.network).filter(pk=report.pk).update(
        status=ReportStatus.QUEUED, requested_at=timezone.now(), started_at=None, error="")
    enqueue_on_commit(generate_report, report.pk)
    return True


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
        status=ReportStatus.QUEUED, error=_describe(error))


@in_network_of_row(Report)
def record_failure(report_id, error):
    """The last attempt failed: the person sees it failed and may try again."""
    Report.objects.filter(pk=report_id).exclude(status=ReportStatus.READY).update(
        status=ReportStatus.FAILED, error=_describe(error), finished_at=timezone.now())


def retry_countdown(retries):
    """Seconds before retry number `retries` + 1: doubling, bounded, with some jitter."""
    base = conf("REPORT_RETRY_BASE_SECONDS") * 2 ** retries
    return min(base, conf("REPORT_RETRY_MAX_SECONDS")) * random.uniform(1, 1.25)  # noqa: S311
