"""The reminder settings, read when used so a test (or an operator) can change them.

Each has a default here; a Django setting of the same name overrides it."""

from django.conf import settings

DEFAULTS = {
    # Pre-work due: sent this many days before the gathering, to leaders not done with it.
    "REMINDER_PREWORK_DUE_DAYS": 3,
    # Post-work due: sent this many days before post-work is due.
    "REMINDER_POSTWORK_DUE_DAYS": 3,
    # An assessment round closes soon: this many days before it closes.
    "REMINDER_ROUND_CLOSES_DAYS": 2,
    # An invitation not accepted this many days after it was sent is reminded of once.
    "REMINDER_INVITATION_AFTER_DAYS": 3,
    # No date-based reminder goes out before this hour (local time): nobody gets one at 00:05.
    "REMINDER_EARLIEST_HOUR": 7,
    # An invitation email still unsent after this many minutes is sent again (new link).
    "REMINDER_UNSENT_INVITATION_MINUTES": 5,
    # How often an unsent invitation is sent again at most.
    "REMINDER_INVITATION_RESENDS": 5,
    # A send still "sending" after this long is marked unknown, never resent (at most once).
    "REMINDER_SEND_LEASE_SECONDS": 10 * 60,
    # A planned delivery whose task got lost (broker down) is queued again after this long.
    "REMINDER_REQUEUE_AFTER_SECONDS": 10 * 60,
    # Attempts per delivery when the mail server refuses it; the wait doubles each time.
    "REMINDER_MAX_ATTEMPTS": 5,
    "REMINDER_RETRY_BASE_SECONDS": 60,
    # Deliveries queued per dispatcher run (about 0.7 ms each to publish); the rest wait for
    # the next run. 20,000 queues a national run of 130,000 reminders within about 35 minutes.
    "REMINDER_QUEUE_BATCH": 20000,
}


def get(name):
    return getattr(settings, name, DEFAULTS[name])
