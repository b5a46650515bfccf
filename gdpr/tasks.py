"""Celery tasks for personal data: they take ids and call services."""

import logging

from celery import shared_task

from gdpr import services

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    max_retries=None,
    soft_time_limit=300,
    time_limit=330,
)
def make_data_export(self, export_id):
    """Make a person's zip; an error is retried a few times, then the download is marked
    failed (and the person may ask again)."""
    try:
        return services.make_export(export_id)
    except Exception as error:
        retries = self.request.retries
        final = retries >= services.EXPORT_MAX_RETRIES
        services.record_export_failure(export_id, error, final=final)
        if final:
            logger.exception("Data export %s failed after %d attempts", export_id, retries + 1)
            return "failed"
        retry = self.retry(countdown=30 * 2**retries, throw=False)
        if self.request.is_eager:
            return retry
        raise retry from None


@shared_task(ignore_result=True)
def erase_due_personal_data():
    """Daily: erase what each network's retention period has run out for."""
    due = services.erase_due_personal_data()
    return sum(len(people) for _network, people in due)
