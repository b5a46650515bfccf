"""Invariant 4 with real Celery workers, Redis and PostgreSQL: every due reminder exactly once,
across dispatcher runs, retries, racing workers and a worker killed mid-send."""

from collections import Counter
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from reminders import conf, services
from reminders.models import DeliveryStatus, ReminderDelivery
from reminders.tasks import dispatch_reminders, send_reminder
from tests.factories import make_round, make_world
from tests.integration.conftest import wait_until
from tests.reminders.world import make_cohort_world

pytestmark = [pytest.mark.celery]

# Per leader, with the dates below: pre-work opens and is due, the gathering is tomorrow, the
# round is open and closes soon.
KINDS_PER_LEADER = 5


def everything_due():
    """A cohort whose dates make five kinds of reminder due right now (real time)."""
    world = make_world()
    now = timezone.localtime()
    tomorrow = timezone.make_aware(datetime.combine(now.date() + timedelta(days=1), time(10)))
    cw = make_cohort_world(world, gathering_at=tomorrow,
                           prework_opens_on=now.date() - timedelta(days=5),
                           postwork_due_on=now.date() + timedelta(days=30))
    make_round(cw.cohort, opens_at=now - timedelta(days=3), closes_at=now + timedelta(days=1))
    return cw


def deliveries(cw):
    return ReminderDelivery.objects.for_network(cw.network)


def all_sent(cw, expected):
    def check():
        statuses = list(deliveries(cw).values_list("status", flat=True))
        return len(statuses) == expected and set(statuses) == {DeliveryStatus.SENT}
    check.__doc__ = f"{expected} deliveries sent"
    return check


def finished(process, task_name, times):
    def check():
        text = process.log.read_text()
        return sum(f"{task_name}[" in line and "succeeded" in line
                   for line in text.splitlines()) >= times
    check.__doc__ = f"{task_name} ran {times} times in {process.log.name}"
    return check


def assert_each_email_once(sink, cw):
    received = Counter((m["To"], m["Subject"]) for m in sink.messages)
    assert all(count == 1 for count in received.values()), received
    return received


def test_every_due_reminder_is_sent_exactly_once_across_two_runs_and_a_retry(workers, smtp_sink):
    cw = everything_due()
    expected = KINDS_PER_LEADER * len(cw.leaders)
    refused = cw.leaders[0].email.lower()
    smtp_sink.refuse_once.add(refused)  # the mail server says "451, try later" once
    worker = workers.start("one")

    dispatch_reminders.delay()
    wait_until(all_sent(cw, expected))
    dispatch_reminders.delay()
    wait_until(finished(worker, "reminders.tasks.dispatch_reminders", 2))

    received = assert_each_email_once(smtp_sink, cw)
    assert len(received) == expected
    retried = deliveries(cw).filter(email__iexact=refused, attempts=2)
    assert retried.count() == 1
    # The header a mail program reads for one-click unsubscribe arrives as a plain URL.
    assert smtp_sink.messages[0]["List-Unsubscribe"].startswith("<http")


def test_two_workers_racing_over_the_same_deliveries_send_each_once(workers, smtp_sink):
    cw = everything_due()
    expected = KINDS_PER_LEADER * len(cw.leaders)
    first, second = workers.start("one"), workers.start("two")
    services.plan_due_reminders()
    ids = list(deliveries(cw).values_list("pk", flat=True))
    for _round in range(3):  # every delivery queued three times, and two dispatcher runs
        for pk in ids:
            send_reminder.delay(pk)
        dispatch_reminders.delay()

    wait_until(all_sent(cw, expected))
    for worker in (first, second):
        wait_until(finished(worker, "reminders.tasks.send_reminder", 1))
    wait_until(lambda: sum(
        line.count("reminders.tasks.send_reminder[") for worker in (first, second)
        for line in worker.log.read_text().splitlines() if "succeeded" in line) >= 3 * len(ids))

    received = assert_each_email_once(smtp_sink, cw)
    assert len(received) == expected


def test_a_worker_killed_mid_send_never_causes_a_second_email(workers, smtp_sink):
    cw = everything_due()
    expected = KINDS_PER_LEADER * len(cw.leaders)
    victim = cw.leaders[0].email.lower()
    smtp_sink.hold_once.add(victim)  # the mail server stalls in the middle of this message
    first = workers.start("one")
    dispatch_reminders.delay()
    wait_until(smtp_sink.held.is_set)
    stuck = deliveries(cw).get(status=DeliveryStatus.SENDING)
    assert stuck.email.lower() == victim

    workers.kill(first)  # killed while sending, between claiming and recording
    second = workers.start("two")
    wait_until(lambda: deliveries(cw).filter(status=DeliveryStatus.SENT).count() == expected - 1)
    dispatch_reminders.delay()  # a later run leaves the claimed row alone
    wait_until(finished(second, "reminders.tasks.dispatch_reminders", 1))
    stuck.refresh_from_db()
    assert stuck.status == DeliveryStatus.SENDING

    lease = timedelta(seconds=conf.get("REMINDER_SEND_LEASE_SECONDS"))
    assert services.expire_stuck_sends(timezone.now() + lease + timedelta(seconds=1)) == 1
    stuck.refresh_from_db()
    assert stuck.status == DeliveryStatus.UNKNOWN  # shown to admins, never resent
    dispatch_reminders.delay()
    wait_until(finished(second, "reminders.tasks.dispatch_reminders", 2))

    received = assert_each_email_once(smtp_sink, cw)
    assert len(received) == expected - 1
    assert deliveries(cw).filter(status=DeliveryStatus.SENT).count() == expected - 1
