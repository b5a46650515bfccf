"""Celery tasks of the reminders app: they take ids and call services (reminders/services.py).

Both are idempotent, so both acknowledge late: a message redelivered after a worker died
finds its rows already claimed, recorded or sent, and does nothing twice."""

from celery import shared_task

from reminders import conf, services


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def dispatch_reminders():
    """Celery beat runs this every five minutes (config/celery_app.py)."""
    return services.dispatch()


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True,
             max_retries=None, soft_time_limit=120, time_limit=150)
def send_reminder(self, delivery_id):
    """One email for one delivery; retried with exponential backoff while the mail server
    refuses it, up to REMINDER_MAX_ATTEMPTS (counted on the row, not in the broker)."""
    try:
        return services.send_delivery(delivery_id)
    except services.SendDeferred as deferred:
        raise self.retry(countdown=deferred.countdown,
                         max_retries=conf.get("REMINDER_MAX_ATTEMPTS")) from None
