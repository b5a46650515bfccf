"""Invariant 4 at the level of one delivery: claimed once, retried only when certainly unsent,
never resent after an unclear end."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from reminders import services
from reminders.models import DeliveryStatus, ReminderDelivery, ReminderKind
from tests.reminders.world import local, make_cohort_world, set_clock

OPENS = local(2026, 5, 4, 9)


@pytest.fixture
def planned(world, monkeypatch):
    """Two planned "pre-work opens" deliveries, nothing sent yet."""
    cw = make_cohort_world(world)
    set_clock(monkeypatch, OPENS)
    services.plan_due_reminders()
    return list(ReminderDelivery.objects.for_network(world.network)
                .filter(kind=ReminderKind.PREWORK_OPENS).order_by("pk")), cw


def refresh(delivery):
    delivery.refresh_from_db()
    return delivery


def failing_first(monkeypatch, error):
    """The mail server refuses (or breaks off) the first message, then takes the rest."""
    real = EmailBackend.send_messages
    calls = []

    def send_messages(self, messages):
        calls.append(messages)
        if len(calls) == 1:
            raise error
        return real(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", send_messages)
    return calls


@pytest.mark.django_db
def test_a_delivery_is_sent_once_however_often_its_task_runs(planned):
    deliveries, _cw = planned
    first = deliveries[0]
    assert services.send_delivery(first.pk) == services.SENT
    assert services.send_delivery(first.pk) == services.NOT_CLAIMABLE
    assert len(mail.outbox) == 1
    assert refresh(first).status == DeliveryStatus.SENT and first.attempts == 1


@pytest.mark.django_db
def test_planning_twice_records_one_delivery_per_person_kind_and_target(planned):
    deliveries, cw = planned
    services.plan_due_reminders()
    services.plan_due_reminders()
    assert ReminderDelivery.objects.for_network(cw.network).count() == len(deliveries) == 2


@pytest.mark.django_db
def test_a_refused_message_is_retried_and_sent_once(planned, monkeypatch):
    deliveries, _cw = planned
    failing_first(monkeypatch, smtplib.SMTPDataError(451, b"try again later"))
    with pytest.raises(services.SendDeferred):
        services.send_delivery(deliveries[0].pk)
    delivery = refresh(deliveries[0])
    assert delivery.status == DeliveryStatus.PLANNED and "451" in delivery.error
    assert delivery.enqueued_at > OPENS  # the dispatcher waits for the retry
    assert services.send_delivery(delivery.pk) == services.SENT
    assert len(mail.outbox) == 1 and refresh(delivery).attempts == 2


@pytest.mark.django_db
def test_retries_are_bounded(planned, monkeypatch, settings):
    settings.REMINDER_MAX_ATTEMPTS = 3
    deliveries, _cw = planned

    def refuse(self, messages):
        raise smtplib.SMTPDataError(451, b"try again later")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    for _attempt in range(2):
        with pytest.raises(services.SendDeferred):
            services.send_delivery(deliveries[0].pk)
    assert services.send_delivery(deliveries[0].pk) == services.FAILED
    assert refresh(deliveries[0]).status == DeliveryStatus.FAILED
    assert services.send_delivery(deliveries[0].pk) == services.NOT_CLAIMABLE


@pytest.mark.django_db
def test_the_retry_waits_longer_each_time():
    waits = [services.retry_countdown(attempt) for attempt in (1, 2, 3, 4)]
    assert waits == sorted(waits) and waits[3] >= 4 * waits[0] / 1.25


@pytest.mark.django_db
def test_a_connection_lost_mid_message_is_not_resent(planned, monkeypatch,
                                                     django_capture_on_commit_callbacks):
    deliveries, _cw = planned
    failing_first(monkeypatch, smtplib.SMTPServerDisconnected("lost during DATA"))
    assert services.send_delivery(deliveries[0].pk) == services.UNKNOWN
    set_clock(monkeypatch, OPENS + timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        services.dispatch()
    assert refresh(deliveries[0]).status == DeliveryStatus.UNKNOWN
    assert [m.to for m in mail.outbox] == [[deliveries[1].email]]


@pytest.mark.django_db
def test_a_send_stuck_past_its_lease_becomes_unknown_and_is_not_resent(
        planned, monkeypatch, django_capture_on_commit_callbacks):
    deliveries, _cw = planned
    # A worker claimed the first one and died before it could record anything.
    ReminderDelivery.objects.for_network(deliveries[0].network).filter(
        pk=deliveries[0].pk).update(status=DeliveryStatus.SENDING, claimed_at=OPENS, attempts=1)
    set_clock(monkeypatch, OPENS + timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        services.dispatch()
    assert refresh(deliveries[0]).status == DeliveryStatus.SENDING  # still inside its lease
    set_clock(monkeypatch, OPENS + timedelta(minutes=11))
    with django_capture_on_commit_callbacks(execute=True):
        services.dispatch()
    assert refresh(deliveries[0]).status == DeliveryStatus.UNKNOWN
    assert [m.to for m in mail.outbox] == [[deliveries[1].email]]


@pytest.mark.django_db
def test_a_lost_queue_message_is_queued_again_later(planned, monkeypatch,
                                                    django_capture_on_commit_callbacks):
    deliveries, _cw = planned
    # The dispatcher queued them, but the broker lost the messages.
    ReminderDelivery.objects.for_network(deliveries[0].network).update(enqueued_at=OPENS)
    set_clock(monkeypatch, OPENS + timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        services.dispatch()
    assert not mail.outbox
    set_clock(monkeypatch, OPENS + timedelta(minutes=11))
    with django_capture_on_commit_callbacks(execute=True):
        services.dispatch()
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_a_reminder_no_longer_due_is_forgotten_so_a_new_date_plans_it_again(planned, monkeypatch):
    deliveries, cw = planned
    cw.cohort_module.prework_opens_on = OPENS.date() + timedelta(days=7)
    cw.cohort_module.save()
    assert services.send_delivery(deliveries[0].pk) == services.UNPLANNED
    assert not ReminderDelivery.objects.for_network(cw.network).filter(
        pk=deliveries[0].pk).exists()
    assert not mail.outbox
