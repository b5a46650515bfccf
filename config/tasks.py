"""Putting Celery tasks on the queue safely.

A task is published only after the transaction that wrote its rows commits (so the worker
finds them), and a broker that is down never turns a page into a server error: the failure is
logged, the work stays recorded as unsent in the database (a ReminderDelivery still planned, an
Invitation without sent_at), and the periodic dispatcher (reminders.tasks.dispatch_reminders)
queues it again later.
"""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError

logger = logging.getLogger(__name__)

BROKER_ERRORS = (OperationalError, RedisConnectionError, OSError)


def enqueue_on_commit(task, *args, using=None):
    """Publish task(*args) once the current transaction commits; log a broker failure."""
    enqueue_each_on_commit(task, [args], using=using)


def enqueue_each_on_commit(task, arg_tuples, *, using=None):
    """Publish one task per tuple of arguments after commit, stopping at the first broker
    failure: the rest would fail the same way, each after its own connection timeout."""
    arg_tuples = [tuple(args) for args in arg_tuples]
    if not arg_tuples:
        return

    def publish():
        for done, args in enumerate(arg_tuples):
            try:
                task.delay(*args)
            except BROKER_ERRORS as error:
                # The arguments are not logged: an invitation task carries a sign-in token.
                logger.warning("Could not queue %d %s task(s), left for the dispatcher: %s",
                               len(arg_tuples) - done, task.name, error)
                return

    transaction.on_commit(publish, using=using)
