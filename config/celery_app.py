"""The Celery app: Redis as broker, JSON only, tasks discovered in every app's tasks.py.

Worker and beat are started with one command each (README, "Background work"; Procfile;
docker-compose.yml):

    celery -A config worker --loglevel INFO --concurrency 2
    celery -A config beat --loglevel INFO --schedule /tmp/celerybeat-schedule

Without REDIS_URL (the embedded default) tasks run in-process (CELERY_TASK_ALWAYS_EAGER) and
nothing runs periodically; `manage.py dispatch_reminders` does the dispatcher's work by hand.
"""

import logging.config
import os

from celery import Celery
from celery.signals import setup_logging, task_postrun, task_prerun, worker_init

from tenancy import logs

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("bro")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Tasks of sub-packages that are not apps of their own.
app.autodiscover_tasks(["assessments.reports"])

app.conf.beat_schedule = {
    # Finds due reminders, unsent invitations and stuck sends; see reminders/services.py.
    "dispatch-reminders": {
        "task": "reminders.tasks.dispatch_reminders",
        "schedule": 5 * 60,
        # A run that waited in the queue past the next one is dropped, not run late.
        "options": {"expires": 4 * 60},
    },
    # Records rounds opening and closing by their times in the audit trail (assessments/).
    "record-rounds-opening-and-closing": {
        "task": "assessments.tasks.record_rounds_opening_and_closing",
        "schedule": 60,
        "options": {"expires": 50},
    },
    # Erases the personal data each network's retention period has run out for (gdpr/).
    "erase-due-personal-data": {
        "task": "gdpr.tasks.erase_due_personal_data",
        "schedule": 24 * 60 * 60,
        "options": {"expires": 12 * 60 * 60},
    },
}
# A page that queues work must answer quickly when Redis is down (config/tasks.py).
app.conf.broker_connection_timeout = 3
app.conf.task_publish_retry_policy = {
    "max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
# Tasks that acknowledge late (after they ran) are taken one at a time per process.
app.conf.worker_prefetch_multiplier = 1


# Task log lines go through the same handlers as the web process's (tenancy/logs.py), each
# with the task's id; Celery leaves the logging alone when this signal has a receiver.
@setup_logging.connect
def use_django_logging(**kwargs):
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)


@task_prerun.connect
def enter_task_log_context(task_id=None, task=None, **kwargs):
    logs.enter_task(task_id, getattr(task, "name", None))


@task_postrun.connect
def leave_task_log_context(task_id=None, **kwargs):
    logs.leave_task(task_id)


# WeasyPrint takes about half a second of CPU to import: the worker's main process imports it
# once, before it forks its pool, so no child's first report pays for it (issue 11). The web
# processes never import it.
@worker_init.connect
def import_weasyprint(**kwargs):
    import assessments.reports.pdf  # noqa: F401
