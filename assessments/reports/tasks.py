"""Celery tasks of the assessments app: they take ids and call services.

Making a report is idempotent (assessments/reports/services.py), so the task acknowledges
late: a message redelivered after a worker died makes the same file again."""

import logging

from celery import shared_task

from assessments.reports import services as report_services

logger = logging.getLogger(__name__)


# The task keeps the name it had before it moved to assessments/reports/, so messages queued
# under that name (a deploy while reports wait in Redis) still find it.
@shared_task(name="assessments.tasks.generate_report", bind=True, acks_late=True,
             reject_on_worker_lost=True, ignore_result=True, max_retries=None,
             soft_time_limit=300, time_limit=330)
def generate_report(self, report_id):
    """Make one report's PDF; an error is retried with exponential backoff up to
    REPORT_MAX_RETRIES times, then the report is marked failed (and may be asked for again)."""
    try:
        return report_services.generate(report_id)
    except Exception as error:
        retries = self.request.retries
        if retries >= report_services.conf("REPORT_MAX_RETRIES"):
            logger.exception("Report %s failed after %d attempts", report_id, retries + 1)
            report_services.record_failure(report_id, error)
            return "failed"
        logger.warning("Report %s failed (attempt %d), retrying: %s", report_id, retries + 1,
                       error)
        report_services.record_retry(report_id, error)
        retry = self.retry(countdown=report_services.retry_countdown(retries), throw=False)
        if self.request.is_eager:
            # In-process (no Redis): Celery runs a returned retry at once; a raised one would
            # reach the page that asked for the report.
            return retry
        raise retry from None
