"""The audit trail's "round opened" and "round closed": recorded by the clock (Celery beat),
once each, whoever else runs the task at the same time."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone, translation

from assessments import services
from assessments.models import Round
from config.celery_app import app
from tenancy.audit import AuditEvent, EventKind
from tests.factories import build_round

pytestmark = pytest.mark.django_db


def trail(world, *kinds):
    return list(AuditEvent.objects.for_network(world.network).filter(kind__in=kinds)
                .order_by("pk"))


def test_a_round_opens_and_closes_by_the_clock_once_each(world):
    now = timezone.now()
    round_ = build_round(world, opens_at=now + timedelta(hours=1),
                         closes_at=now + timedelta(days=2))
    assert services.record_rounds_opening_and_closing(now) == 0
    assert services.record_rounds_opening_and_closing(now + timedelta(hours=1)) == 1
    assert services.record_rounds_opening_and_closing(now + timedelta(hours=2)) == 0
    assert services.record_rounds_opening_and_closing(now + timedelta(days=3)) == 1
    assert services.record_rounds_opening_and_closing(now + timedelta(days=4)) == 0

    opened, closed = trail(world, EventKind.ROUND_OPENED, EventKind.ROUND_CLOSED)
    assert (opened.kind, closed.kind) == (EventKind.ROUND_OPENED, EventKind.ROUND_CLOSED)
    for event in (opened, closed):
        assert (event.target_type, event.target_id, event.target_label) == (
            "round", round_.pk, round_.name)
        assert event.actor_id is None
        with translation.override("en"):
            assert event.actor_display == "Bro (scheduled)"
    assert opened.details["cohort"] == round_.cohort.name
    assert set(opened.details) == {"cohort", "opens_at", "closes_at"}


def test_a_round_already_over_when_first_seen_opens_then_closes(world, other_world):
    now = timezone.now()
    build_round(world, opens_at=now - timedelta(days=2), closes_at=now - timedelta(days=1))
    build_round(other_world, opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=1))
    assert services.record_rounds_opening_and_closing(now) == 3
    assert [event.kind for event in trail(world, EventKind.ROUND_OPENED,
                                          EventKind.ROUND_CLOSED)] == [
        EventKind.ROUND_OPENED, EventKind.ROUND_CLOSED]
    assert [event.kind for event in trail(other_world, EventKind.ROUND_OPENED,
                                          EventKind.ROUND_CLOSED)] == [EventKind.ROUND_OPENED]


def test_moved_back_into_the_future_it_opens_again_later(world):
    now = timezone.now()
    round_ = build_round(world, opens_at=now - timedelta(minutes=5),
                         closes_at=now + timedelta(days=2))
    services.record_rounds_opening_and_closing(now)
    services.update_round(round_, name=round_.name, opens_at=now + timedelta(days=1),
                          closes_at=round_.closes_at, purpose=round_.purpose, now=now)
    assert Round.objects.for_network(world.network).get(pk=round_.pk).opening_recorded_at is None
    assert services.record_rounds_opening_and_closing(now + timedelta(days=1)) == 1
    assert len(trail(world, EventKind.ROUND_OPENED)) == 2


def test_beat_runs_it_every_minute():
    entry = app.conf.beat_schedule["record-rounds-opening-and-closing"]
    assert entry["task"] == "assessments.tasks.record_rounds_opening_and_closing"
    assert entry["schedule"] == 60
    from assessments import tasks

    assert tasks.record_rounds_opening_and_closing.name == entry["task"]


@pytest.mark.django_db(transaction=True)
def test_parallel_runs_record_each_moment_once(world):
    now = timezone.now()
    build_round(world, opens_at=now - timedelta(days=2), closes_at=now - timedelta(days=1))
    barrier = threading.Barrier(4)
    counts = []

    def run():
        try:
            barrier.wait()
            counts.append(services.record_rounds_opening_and_closing(now))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(counts, reverse=True)[0] >= 1 and sum(counts) == 2
    assert len(trail(world, EventKind.ROUND_OPENED)) == 1
    assert len(trail(world, EventKind.ROUND_CLOSED)) == 1
